/**
 * Events rows written straight into a byte buffer, exactly the UTF-8 of `eventLine(id, event)` and a line
 * break. Events are ~95% of a data set's rows: building a string per event, concatenating and encoding them
 * cost more than drawing the events (profiled at 10k customers), so the hot path skips strings altogether.
 */
import type { SyntheticEvent } from './engagement.js';
import { csvField, dayPrefix } from './rows.js';

const MS_PER_DAY = 86_400_000;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;
const ZERO = 48;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const fieldBytes = new Map<string, Uint8Array>();

/** The bytes of one vocabulary field as csvLine writes it (quoted when it must be), memoised. */
function field(cell: string): Uint8Array {
  let bytes = fieldBytes.get(cell);
  if (bytes === undefined) {
    bytes = encoder.encode(csvField(cell));
    if (fieldBytes.size < 10_000) fieldBytes.set(cell, bytes);
  }
  return bytes;
}

/** `n.toFixed(2)` of a non-negative safe integer: its digits and `.00`. */
function writeWhole(b: Uint8Array, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    b[i] = ZERO + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  at += digits;
  b[at++] = 46;
  b[at++] = ZERO;
  b[at++] = ZERO;
  return at;
}

export class EventBytes {
  private buffer: Uint8Array;
  private used = 0;
  private day = Number.NaN;
  private dayBytes = new Uint8Array(0);

  constructor(initialBytes = 1 << 20) {
    this.buffer = new Uint8Array(initialBytes);
  }

  /** Bytes held so far. */
  get length(): number {
    return this.used;
  }

  /** Appends the rows of one customer's events (`customerId` written as is, as eventLine does). */
  addCustomer(customerId: string, events: readonly SyntheticEvent[]): void {
    const id = encoder.encode(customerId);
    for (const e of events) this.add(id, e);
  }

  private add(id: Uint8Array, e: SyntheticEvent): void {
    const type = field(e.type);
    const category = e.category === undefined ? EMPTY : field(e.category);
    // Most values are whole prices: their digits are written below without a string.
    const whole = e.value !== undefined && Number.isSafeInteger(e.value) && e.value >= 0;
    const value = e.value === undefined || whole ? '' : e.value.toFixed(2);
    const device = e.device === undefined ? EMPTY : field(e.device);
    const campaign = e.campaignId === undefined ? EMPTY : field(e.campaignId);
    // id, timestamp (19, or up to 27 past year 9999), six commas, a whole value (up to 19), the other fields and
    // the line break: the buffer grows before the row, never inside it.
    this.reserve(
      id.length + 60 + type.length + category.length + value.length + device.length + campaign.length,
    );
    const b = this.buffer;
    let at = putField(b, this.used, id);
    at = this.timestamp(at, e.occurredAt);
    b[at++] = COMMA;
    at = putField(b, at, type);
    at = putField(b, at, category);
    if (whole) at = writeWhole(b, at, e.value as number);
    else for (let i = 0; i < value.length; i++) b[at++] = value.charCodeAt(i);
    b[at++] = COMMA;
    at = putField(b, at, device);
    b.set(campaign, at);
    at += campaign.length;
    b[at++] = NEWLINE;
    this.used = at;
  }

  /** formatTimestamp's `YYYY-MM-DD HH:MM:SS`, same arithmetic. */
  private timestamp(at: number, ms: number): number {
    const day = Math.floor(ms / MS_PER_DAY);
    if (day !== this.day) {
      this.day = day;
      this.dayBytes = encoder.encode(dayPrefix(day));
    }
    const b = this.buffer;
    b.set(this.dayBytes, at);
    at += this.dayBytes.length;
    const seconds = Math.floor((ms - day * MS_PER_DAY) / 1000);
    const minutes = Math.floor(seconds / 60);
    const hours = Math.floor(minutes / 60);
    b[at++] = ZERO + Math.floor(hours / 10);
    b[at++] = ZERO + (hours % 10);
    b[at++] = COLON;
    const mm = minutes % 60;
    b[at++] = ZERO + Math.floor(mm / 10);
    b[at++] = ZERO + (mm % 10);
    b[at++] = COLON;
    const ss = seconds % 60;
    b[at++] = ZERO + Math.floor(ss / 10);
    b[at++] = ZERO + (ss % 10);
    return at;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }

  /** The bytes held so far (valid until the next call), and empties the buffer. */
  take(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    return bytes;
  }
}

/** Writes a field's bytes and the comma after it at `at`; returns the position after the comma. */
function putField(b: Uint8Array, at: number, bytes: Uint8Array): number {
  b.set(bytes, at);
  b[at + bytes.length] = COMMA;
  return at + bytes.length + 1;
}
