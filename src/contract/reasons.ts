/**
 * Why a row was quarantined. Every reason has a code (stable, machine-readable) and a sentence for people.
 * The synthetic generator's `--dirty` injects exactly these, so tests can match injected to detected.
 */
export const REASONS = {
  malformed_line: 'the line could not be parsed as a record (wrong number of fields or broken quoting)',
  missing_key: 'a required column is empty',
  bad_date: 'a date could not be parsed',
  implausible_date: 'a date is before 1990',
  future_date: 'a date is after the as-of date',
  bad_number: 'a number could not be parsed',
  absurd_amount: 'an amount is not finite or beyond ±1,000,000',
  unknown_value: 'a value is not one of the allowed values',
  duplicate_id: 'the id was already used by an earlier row',
  unknown_customer: 'the customer_id is not in the customers table',
  currency_mismatch: 'the currency differs from the data set currency',
  implausible_answer: 'a declared answer is out of range (e.g. a birth year outside 1900..as-of year − 13)',
} as const;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

/**
 * Why a field was dropped from a row that is kept: one bad contact field must not cost a customer their
 * history (orders, events, answers). The field becomes empty; the row is accepted and counted here.
 */
export const FIELD_REASONS = {
  invalid_email: 'the email address is not valid (the customer is kept without it)',
  invalid_phone: 'the phone number is not valid (the customer is kept without it)',
} as const;

export type FieldReasonCode = keyof typeof FIELD_REASONS;
export const FIELD_REASON_CODES = Object.keys(FIELD_REASONS) as FieldReasonCode[];

/** Every problem the synthetic generator's `--dirty` can inject: rejected rows and dropped fields. */
export type DirtyReason = ReasonCode | FieldReasonCode;
export const DIRTY_REASON_CODES: readonly DirtyReason[] = [...REASON_CODES, ...FIELD_REASON_CODES];
