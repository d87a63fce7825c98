import type { KpiRow, Rate } from './kpi-rows.js';

/** Columns of kpis.parquet, in order: a rate `x` comes with `x_low` and `x_high` (95% interval). */
const RATES = [
  ['deliverability', 'deliverability'],
  ['open_rate', 'openRate'],
  ['click_rate', 'clickRate'],
  ['click_to_open', 'clickToOpen'],
  ['conversion_rate', 'conversionRate'],
  ['revenue_per_recipient', 'revenuePerRecipient'],
  ['unsubscribe_rate', 'unsubscribeRate'],
] as const;

const COUNTS = [
  'recipients',
  'sends',
  'delivered',
  'matured',
  'opened',
  'clicked',
  'converted',
  'orders',
  'revenue',
  'unsubscribed',
] as const;

export const KPI_COLUMNS: readonly { name: string; type: 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' }[] = [
  { name: 'dimension', type: 'VARCHAR' },
  { name: 'group', type: 'VARCHAR' },
  { name: 'label', type: 'VARCHAR' },
  { name: 'channel', type: 'VARCHAR' },
  ...COUNTS.map((name) => ({ name, type: name === 'revenue' ? ('DOUBLE' as const) : ('BIGINT' as const) })),
  ...RATES.flatMap(([name]) => [
    { name, type: 'DOUBLE' as const },
    { name: `${name}_low`, type: 'DOUBLE' as const },
    { name: `${name}_high`, type: 'DOUBLE' as const },
  ]),
  { name: 'too_small', type: 'BOOLEAN' },
];

/** A KPI row as flat named values, in KPI_COLUMNS order (what kpis.parquet and run.json hold). */
export function flatKpiRow(row: KpiRow): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {
    dimension: row.dimension,
    group: row.group,
    label: row.label,
    channel: row.channel,
  };
  for (const name of COUNTS) out[name] = row[name];
  for (const [name, key] of RATES) {
    const r: Rate = row[key];
    out[name] = r.value;
    out[`${name}_low`] = r.low;
    out[`${name}_high`] = r.high;
  }
  out.too_small = row.tooSmall;
  return out;
}
