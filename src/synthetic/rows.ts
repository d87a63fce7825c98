/** Table rows as CSV text, in the canonical column order of the data contract. */
import { CONTRACT, TABLE_NAMES, type TableName } from '../contract/schema.js';
import { campaignId, type CampaignSchedule } from './campaigns.js';
import type { CustomerRecord } from './customer.js';
import type { SyntheticEvent } from './engagement.js';

export const TABLE_COLUMNS = Object.fromEntries(
  TABLE_NAMES.map((name) => [name, Object.keys(CONTRACT[name].columns)]),
) as unknown as Readonly<Record<TableName, readonly string[]>>;

/** Index of a contract column in its table's row. */
export function columnIndex(table: TableName, column: string): number {
  const index = TABLE_COLUMNS[table].indexOf(column);
  if (index < 0) throw new Error(`no column ${column} in table ${table}`);
  return index;
}

const QUOTE_OR_BREAK = /["\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 line: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvLine(cells: readonly string[]): string {
  const plain = cells.join(',');
  // Fast path, as almost every row is: no quotes or breaks, and no commas inside a field.
  if (!QUOTE_OR_BREAK.test(plain) && countCommas(plain) === cells.length - 1) return plain;
  return cells.map((cell) => (NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}

function countCommas(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) n++;
  return n;
}

const safeFields = new Map<string, string>();

/** One field as csvLine writes it, memoised: event fields come from small fixed vocabularies. */
export function csvField(cell: string): string {
  let field = safeFields.get(cell);
  if (field === undefined) {
    field = NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
    if (safeFields.size < 10_000) safeFields.set(cell, field);
  }
  return field;
}

/**
 * The events line of one event, exactly `csvLine(eventCells(id, event))` without the cells array: events are
 * ~95% of the rows, and building then joining and scanning a cells array per event was a third of the time.
 */
export function eventLine(customerId: string, e: SyntheticEvent): string {
  return `${customerId},${formatTimestamp(e.occurredAt)},${csvField(e.type)},${e.category === undefined ? '' : csvField(e.category)},${e.value === undefined ? '' : e.value.toFixed(2)},${e.device === undefined ? '' : csvField(e.device)},${e.campaignId === undefined ? '' : csvField(e.campaignId)}`;
}

/** The cells of one events row, in contract column order. */
export function eventCells(customerId: string, e: SyntheticEvent): string[] {
  return [
    customerId,
    formatTimestamp(e.occurredAt),
    e.type,
    e.category ?? '',
    e.value === undefined ? '' : e.value.toFixed(2),
    e.device ?? '',
    e.campaignId ?? '',
  ];
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: ISO 8601 with a space, read as TIMESTAMP by DuckDB without a time zone. */
export function formatTimestamp(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = dayPrefix(day);
  }
  const seconds = Math.floor((ms - day * MS_PER_DAY) / 1000);
  const minutes = Math.floor(seconds / 60);
  return (
    cachedPrefix +
    TWO_DIGITS[Math.floor(minutes / 60)] +
    ':' +
    TWO_DIGITS[minutes % 60] +
    ':' +
    TWO_DIGITS[seconds % 60]
  );
}

const MS_PER_DAY = 86_400_000;
// Formatting dates is the generator's hot spot: the day's `YYYY-MM-DD ` is cached (rows of one customer come
// in bursts within a day) and computed without a Date object.
let cachedDay = Number.NaN;
let cachedPrefix = '';
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DD ` of a day counted from 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
export function dayPrefix(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) {
    const iso = new Date(days * MS_PER_DAY).toISOString();
    return `${iso.slice(0, iso.indexOf('T'))} `;
  }
  return `${String(y).padStart(4, '0')}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]} `;
}

export interface TableRows {
  readonly customers: string[][];
  readonly orders: string[][];
  readonly events: string[][];
  readonly zero_party: string[][];
  readonly consent: string[][];
  readonly erasure: string[][];
}

/** The campaigns table: one row per scheduled send, brand-wide (not per customer). */
export function campaignRows(schedule: CampaignSchedule): string[][] {
  const rows = (
    channel: 'email' | 'sms',
    times: readonly number[],
    label: string,
    audience: string,
  ): string[][] =>
    times.map((t, i) => [
      campaignId(channel, i),
      channel,
      formatTimestamp(t),
      `${label} ${formatTimestamp(t).slice(0, 10)}`,
      audience,
    ]);
  return [
    ...rows('email', schedule.email, 'Newsletter', 'email subscribers'),
    ...rows('sms', schedule.sms, 'SMS offer', 'SMS subscribers'),
  ];
}

/**
 * The customer's rows of every table; `orderIds` are assigned by the caller (a global sequence). Without
 * `withEvents` the events table is left empty: the caller writes it with eventLine.
 */
export function customerRows(
  record: CustomerRecord,
  orderIds: readonly string[],
  withEvents = true,
): TableRows {
  const id = record.customerId;
  const who = record.identity;
  return {
    customers: [
      [
        id,
        formatTimestamp(record.createdAt),
        who.email,
        who.phone,
        who.firstName,
        who.country,
        who.region,
        who.city,
        who.acquisitionChannel,
        who.device,
      ],
    ],
    orders: record.orders.map((o, i) => [
      orderIds[i] as string,
      id,
      formatTimestamp(o.orderedAt),
      o.amount.toFixed(2),
      o.status,
      o.currency,
      o.channel,
      o.discountAmount.toFixed(2),
      String(o.items),
      o.category,
      o.brand,
    ]),
    events: withEvents ? record.events.map((e) => eventCells(id, e)) : [],
    zero_party: record.answers.map((a) => [id, formatTimestamp(a.answeredAt), a.question, a.answer]),
    consent: record.consent.map((c) => [id, c.purpose, c.status, formatTimestamp(c.recordedAt)]),
    erasure:
      record.erasureRequestedAt === undefined ? [] : [[id, formatTimestamp(record.erasureRequestedAt)]],
  };
}
