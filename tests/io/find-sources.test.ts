import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { findSources } from '../../src/io/find-sources.js';
import { tempDir } from '../helpers/data-dir.js';
import { thrownBy } from '../helpers/errors.js';

/** A data directory next to a folder the config should not reach, with a symbolic link into it. */
function layout(): { data: string; outside: string } {
  const root = tempDir('personae-sources-');
  const data = join(root, 'data');
  const outside = join(root, 'elsewhere');
  mkdirSync(data);
  mkdirSync(outside);
  writeFileSync(join(data, 'orders.csv'), 'order_id,customer_id,ordered_at,amount\n');
  writeFileSync(join(outside, 'customers.csv'), 'customer_id\n');
  symlinkSync(join(outside, 'customers.csv'), join(data, 'linked.csv'));
  return { data, outside };
}

describe('findSources and tables.<t>.file', () => {
  it('reads a file the config names under the data directory', () => {
    const { data } = layout();
    writeFileSync(join(data, 'my customers.csv'), 'customer_id\n');
    const sources = findSources(data, parseConfig({ tables: { customers: { file: 'my customers.csv' } } }));
    expect(sources.customers?.path).toBe(join(data, 'my customers.csv'));
  });

  it.each([
    ['a relative path that leaves it', '../elsewhere/customers.csv'],
    ['an absolute path', 'ABSOLUTE'],
    ['a symbolic link that points out of it', 'linked.csv'],
  ])('refuses %s unless the config opts in', (_, file) => {
    const { data, outside } = layout();
    const name = file === 'ABSOLUTE' ? join(outside, 'customers.csv') : file;
    const error = thrownBy(() => findSources(data, parseConfig({ tables: { customers: { file: name } } })));
    expect(error.code).toBe('table_file_outside_data');
    expect(error.message).toContain('tables.customers.file');
    expect(error.hint).toContain('allow_files_outside_data: true');
    const allowed = findSources(data, parseConfig({ allow_files_outside_data: true, tables: { customers: { file: name } } }));
    expect(allowed.customers?.format).toBe('csv');
  });
});
