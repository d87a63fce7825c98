import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { ReadSettings } from '../../src/contract/locale.js';
import { PRESET_NAMES } from '../../src/contract/presets/index.js';
import type { TableName } from '../../src/contract/schema.js';
import { parseIsoDate } from '../../src/core/time.js';
import { checkColumnExpressions } from '../../src/io/column-expressions.js';
import { localizePlan } from '../../src/io/detect-locale.js';
import { withConnection } from '../../src/io/duckdb.js';
import { findSources } from '../../src/io/find-sources.js';
import { openRawTable } from '../../src/io/read-raw.js';
import { validationPlan } from '../../src/io/validation-plan.js';
import { writeDataDir } from '../helpers/data-dir.js';

const asOf = parseIsoDate('2025-12-31') as Date;
const WHOLE_FILE = Number.MAX_SAFE_INTEGER;

/** How each table of a data directory is read when the first `sampleRows` records are judged first. */
async function readSettings(
  dataDir: string,
  config: Config,
  sampleRows: number,
): Promise<Record<string, ReadSettings>> {
  return withConnection(async (connection) => {
    const settings: Record<string, ReadSettings> = {};
    for (const [table, source] of Object.entries(findSources(dataDir, config))) {
      if (!source) continue;
      const opened = await openRawTable(connection, source);
      await opened.physicalLines;
      const checked = await checkColumnExpressions(
        connection,
        table as TableName,
        config,
        opened.columns,
        source.name,
      );
      const plan = validationPlan({
        table: table as TableName,
        rawColumns: opened.columns,
        sourceName: source.name,
        config: checked,
        asOf,
        checkCustomers: false,
      });
      settings[table] = (
        await localizePlan(connection, plan, checked.tables[table as TableName], sampleRows)
      ).readAs;
    }
    return settings;
  });
}

describe('decimal mark and date order judged on the first lines of a file', () => {
  const dirs: Array<[string, string, Config]> = [
    [
      'french-excel',
      'tests/fixtures/french-excel',
      loadConfig('tests/fixtures/french-excel/config.yaml').config,
    ],
    ...PRESET_NAMES.map((preset): [string, string, Config] => [
      preset,
      join('tests/fixtures/presets', preset),
      parseConfig({ preset, consent: { basis: 'legitimate_interest' } }),
    ]),
  ];

  it.each(dirs)('reads %s as the whole file does, whatever the sample size', async (_name, dir, config) => {
    const whole = await readSettings(dir, config, WHOLE_FILE);
    expect(Object.keys(whole).length).toBeGreaterThan(0);
    for (const sampleRows of [1, 2, 5]) expect(await readSettings(dir, config, sampleRows)).toEqual(whole);
  });

  it('falls back to every line when the first ones cannot tell', async () => {
    const dir = writeDataDir({
      'orders.csv': [
        'order_id,customer_id,ordered_at,amount',
        'o1,c1,03/01/2025,"1,234"',
        'o2,c1,04/02/2025,"2,500"',
        'o3,c1,05/03/2025,"3,750"',
        'o4,c1,25/03/2025,"12,5"',
      ],
    });
    const config = parseConfig({ consent: { basis: 'legitimate_interest' } });
    // The first three lines alone: 1,234 is a thousand or a decimal, 03/01 a day or a month.
    const firstThree = writeDataDir({
      'orders.csv': readFileSync(join(dir, 'orders.csv'), 'utf8').split('\n').slice(0, 4),
    });
    expect((await readSettings(firstThree, config, 3)).orders).toMatchObject({
      decimalUndecided: 'ambiguous',
      dateUndecided: { separator: '/' },
    });
    expect((await readSettings(dir, config, 3)).orders).toEqual({
      decimal: ',',
      decimalFrom: 'detected',
      dateFormat: '%d/%m/%Y',
      dateFormatFrom: 'detected',
    });
  });
});
