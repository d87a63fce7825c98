import { quoteLiteral as lit } from '../../io/sql.js';
import { numberSql } from '../locale.js';

/**
 * SQL snippets the presets are written with. A preset's column is a template over the export's own
 * columns, written `{Name}` or `{Client|Customer}` (the first of these the file has, case-insensitive);
 * it is trusted code of this project (not a user's `{sql: …}`), so it may use windows over `_record` (the record's position in the file).
 */

/** The value of an order-level field on every line of the order (exports write it on the first line only). */
export function filled(column: string, orderKey: string): string {
  return `first_value(nullif(trim(${column}), '') IGNORE NULLS) OVER (PARTITION BY ${orderKey} ORDER BY _record
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;
}

/** Whether this line is the first of its order (order-level amounts are counted there, once). */
export function firstLine(orderKey: string): string {
  return `row_number() OVER (PARTITION BY ${orderKey} ORDER BY _record) = 1`;
}

/**
 * A number however the export writes it: `12.50`, or `12,50`/`1 234,50` after a spreadsheet re-saved it in
 * French, with a currency sign or code around it (`61,80 €`). Only for shop exports, which never write
 * thousands with commas. NULL when empty or unreadable.
 */
export function anyNumber(text: string): string {
  const bare = `trim(regexp_replace(${text}, '[€$£]|\\b(EUR|USD|GBP|CHF|CAD)\\b', '', 'g'))`;
  return `coalesce(TRY_CAST(${bare} AS DOUBLE), ${numberSql(bare, ',')})`;
}

/** The number as canonical text, or the text as written when it does not read (quarantined as bad_number). */
export function numberText(value: string, raw: string): string {
  return `coalesce(CAST(${value} AS VARCHAR), nullif(trim(${raw}), ''))`;
}

/**
 * A pseudonymous customer id from an email address (lower-cased, trimmed): the same address gives the same
 * id in every table of the export, and the address itself never becomes an id in outputs.
 */
export function emailId(prefix: string, email: string): string {
  return `${lit(`${prefix}:`)} || left(sha256(lower(nullif(trim(${email}), ''))), 16)`;
}

/** The ISO code of the currency sign or code a price carries (`61,80 €` → EUR), NULL without one. */
export function currencyOfPrice(text: string): string {
  return `CASE WHEN contains(${text}, '€') OR contains(upper(${text}), 'EUR') THEN 'EUR'
    WHEN contains(${text}, '£') OR contains(upper(${text}), 'GBP') THEN 'GBP'
    WHEN contains(upper(${text}), 'CHF') THEN 'CHF'
    WHEN contains(${text}, '$') OR contains(upper(${text}), 'USD') THEN 'USD' END`;
}
