import type { Config } from '../config/schema.js';
import { toIsoDate } from '../core/time.js';
import { resolveColumnSources, type RawColumn } from '../contract/mapping.js';
import { withPreset } from '../contract/presets/apply.js';
import { CONTRACT, type TableName } from '../contract/schema.js';
import type { ValidationPlan } from '../contract/validation-sql.js';

/** Dates before this year are implausible for any table: quarantined as out of range. */
const MIN_YEAR = 1990;
/** Youngest declared age we accept: a birth year after as-of year − 13 is quarantined. */
const MIN_AGE = 13;

export interface PlanInput {
  readonly table: TableName;
  /** Column names of the raw file as read. */
  readonly rawColumns: readonly RawColumn[];
  /** File name, for messages about the column mapping. */
  readonly sourceName: string;
  readonly config: Config;
  readonly asOf: Date;
  /** Whether customer ids are checked against the accepted customers table. */
  readonly checkCustomers: boolean;
}

/** How one table's raw rows are validated as of a date: the single definition ingest and retrain share. */
export function validationPlan(input: PlanInput): ValidationPlan {
  const { table, config, asOf } = input;
  const spec = CONTRACT[table];
  // A preset (shopify, woocommerce, prestashop) maps the columns the user's config leaves unmapped.
  const tableConfig = withPreset(config, table, input.rawColumns, input.sourceName);
  return {
    table,
    spec,
    sources: resolveColumnSources(table, spec, input.rawColumns, tableConfig, input.sourceName),
    asOfEnd: `${toIsoDate(asOf)} 23:59:59.999999`,
    ...(tableConfig?.date_format ? { dateFormat: tableConfig.date_format } : {}),
    checkCustomers: input.checkCustomers,
    lineItems: table === 'orders' && (tableConfig?.line_items ?? false),
    minYear: MIN_YEAR,
    maxBirthYear: asOf.getUTCFullYear() - MIN_AGE,
  };
}
