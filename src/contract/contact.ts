/**
 * What a usable contact field looks like: one definition for validation (DuckDB's RE2) and the exports
 * (JavaScript, `u` flag). An address must start with a letter, a digit or `_`, so a value a spreadsheet
 * would run as a formula (`=HYPERLINK(…)@x.io`, `+1@x.io`) is never an address; quotes, brackets, commas,
 * colons and spaces are refused outside a quoted local part (which no mailing tool accepts either).
 */
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
export const EMAIL_PATTERN = `^[\\p{L}\\p{N}_][^\\s@"(),:;<>\\[\\]\\\\]*@(?:${LABEL}\\.)+\\p{L}{2,}$`;

/** Separators people type in phone numbers; removed before the number is checked (and exported). */
export const PHONE_SEPARATORS = '[\\s.\\-()]';
/** E.164: an optional +, then 6 to 15 digits (after the separators are removed). */
export const PHONE_PATTERN = '^\\+?\\d{6,15}$';
