import { describe, expect, it } from 'vitest';
import {
  describeSource,
  isPostgresUrl,
  postgresSourceFromSetting,
  postgresSourceFromUrl,
} from '../../src/io/postgres-source.js';
import { parseConfig } from '../../src/config/load.js';
import { thrownBy } from '../helpers/errors.js';

describe('a PostgreSQL data source', () => {
  it('is told from a directory by its scheme', () => {
    expect(isPostgresUrl('postgresql://u:p@db:5432/shop')).toBe(true);
    expect(isPostgresUrl('postgres://db/shop')).toBe(true);
    expect(isPostgresUrl('./data/postgresql')).toBe(false);
  });

  it('takes the schema from ?schema= (default public) and does not pass it to the server', () => {
    expect(postgresSourceFromUrl('postgresql://u:p@db:5432/shop?schema=eu&sslmode=require')).toEqual({
      url: 'postgresql://u:p@db:5432/shop?sslmode=require',
      schema: 'eu',
    });
    expect(postgresSourceFromUrl('postgresql://u:p@db/shop').schema).toBe('public');
  });

  it('reads the URL from the environment variable the config names, and says which one is missing', () => {
    const env = { SHOP_DB: 'postgresql://u:secret@db/shop' };
    expect(postgresSourceFromSetting({ env: 'SHOP_DB', schema: 'eu' }, env)).toEqual({
      url: 'postgresql://u:secret@db/shop',
      schema: 'eu',
    });
    const missing = thrownBy(() => postgresSourceFromSetting({ env: 'NO_SUCH_VARIABLE' }, env));
    expect(missing.kind).toBe('config');
    expect(missing.message).toContain('NO_SUCH_VARIABLE');
    expect(thrownBy(() => postgresSourceFromSetting({ schema: 'eu' }, env)).message).toContain('url');
  });

  it('is named without its password', () => {
    const named = describeSource({ url: 'postgresql://u:secret@db:5433/shop', schema: 'eu' });
    expect(named).toBe('postgresql://u@db:5433/shop schema eu');
    expect(named).not.toContain('secret');
  });

  it('is a config setting: data: {postgres: {env, schema}}, and a URL that is not one is refused', () => {
    expect(parseConfig({ data: { postgres: { env: 'SHOP_DB', schema: 'eu' } } }).data).toEqual({
      postgres: { env: 'SHOP_DB', schema: 'eu' },
    });
    expect(() => parseConfig({ data: { postgres: { url: 'mysql://db/shop' } } })).toThrow(/postgresql:\/\//);
    expect(() => parseConfig({ data: { postgres: { query: 'SELECT 1' } } })).toThrow();
  });
});
