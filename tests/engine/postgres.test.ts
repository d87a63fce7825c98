import { describe, expect, it } from 'vitest';
import { describeServer, openPostgresEngine } from '../../src/engine/postgres.js';
import { rejectedWith } from '../helpers/errors.js';

describe('openPostgresEngine', () => {
  it('reports a server it cannot reach as a setting to fix, naming it without the password', async () => {
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    const error = await rejectedWith(openPostgresEngine('postgresql://shop:s3cret@127.0.0.1:1/sales'));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(
      /^cannot connect to PostgreSQL at shop@127\.0\.0\.1:1\/sales: .*ECONNREFUSED/,
    );
    expect(`${error.message} ${error.hint}`).not.toContain('s3cret');
    expect(error.hint).toContain('scripts/postgres/clusters.sh start');
  });

  it('describes a URL by user, host, port and database only', () => {
    expect(describeServer('postgresql://a%40b:pw@db.example:6432/shop')).toBe('a@b@db.example:6432/shop');
    expect(describeServer('postgresql://db.example/shop')).toBe('db.example:5432/shop');
    expect(describeServer('not a url')).toMatch(/^an unreadable URL/);
  });
});
