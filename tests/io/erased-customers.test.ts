import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { readErasedCustomers } from '../../src/io/erased-customers.js';
import { tempDir } from '../helpers/data-dir.js';

/** A data directory always holds orders (the run refuses one without); their content does not matter here. */
function dataDir(prefix: string): string {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'orders.csv'), 'order_id,customer_id,ordered_at,amount\n');
  return dir;
}

describe('readErasedCustomers', () => {
  it('returns every erasure request with an id, each id once, except those dated after the as-of date', async () => {
    const dir = dataDir('personae-erasure-');
    writeFileSync(
      join(dir, 'erasure.csv'),
      [
        'customer_id,requested_at',
        'C2,2024-03-01T10:00:00Z',
        'C1,2024-05-02T08:00:00Z',
        'C2,2024-04-01T10:00:00Z', // a repeated request
        'C3,2024-07-15T09:00:00Z', // after the as-of date: not erased yet
        ',2024-05-02T08:00:00Z', // no id: quarantined
        'C4,not a date', // unparsable date: quarantined, and erased all the same (fails closed)
      ].join('\n') + '\n',
    );
    const asOf = new Date(Date.UTC(2024, 5, 30));
    expect(await readErasedCustomers(dir, parseConfig({}), asOf)).toEqual(['C1', 'C2', 'C4']);
  });

  it('is empty without an erasure table', async () => {
    expect(await readErasedCustomers(dataDir('personae-no-erasure-'), parseConfig({}), new Date())).toEqual([]);
  });
});
