/**
 * The contract's consent and erasure rules (data/README.md, "consent" and "erasure"), written again in
 * plain TypeScript, independently of the SQL under test, for tests to compare a run against:
 * - timestamps: ISO 8601 date, or date and time with an optional Z/UTC/GMT or ±HH[:MM] offset, converted
 *   to UTC; anything else, or a year before 1990, cannot be dated;
 * - consent per customer and purpose: the latest dated record in force wins; a tie withdraws, else is
 *   ambiguous if a status cannot be read; an undated withdrawal or unreadable status takes the purpose out;
 *   an undated grant grants nothing; a record after the as-of date is not in force; an unreadable purpose
 *   counts for every purpose unless it grants; a malformed line takes the customers it names out;
 * - erasure: a request with an id erases unless it is dated after the as-of date; a malformed line erases
 *   the customers it names;
 * - an address held by a customer who is erased, or whose profiling or channel consent is withdrawn or
 *   ambiguous, is suppressed on every record holding it.
 */
export interface ConsentLine {
  readonly customer_id: string;
  readonly purpose: string;
  readonly status: string;
  readonly recorded_at: string;
}

export interface ErasureLine {
  readonly customer_id: string;
  readonly requested_at: string;
}

export interface Verdict {
  readonly eligible: boolean;
  readonly email: boolean;
  readonly sms: boolean;
  readonly erased: boolean;
  /** Their address is suppressed on every record holding it: erased, or profiling or that channel withdrawn or unreadable. */
  readonly suppresses: { readonly email: boolean; readonly sms: boolean };
}

const PURPOSES = ['profiling', 'email', 'sms'] as const;
type Purpose = (typeof PURPOSES)[number];
const MIN_YEAR = 1990;

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch (UTC), or undefined when the text cannot be dated. */
export function instant(text: string): number | undefined {
  const t = text.trim();
  const m = DATE.exec(t) ?? DATE_TIME.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = ''] = m.slice(1).map((x) => x ?? undefined) as string[];
  const year = Number(y);
  const day = new Date(Date.UTC(year, Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== year || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) {
    return undefined;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offset = 0;
  if (zone && !['Z', 'z', 'UTC', 'GMT'].includes(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const hh = Number(digits.slice(0, 2));
    const mm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (mm > 59 || hh * 60 + mm > 14 * 60) return undefined;
    offset = (zone.startsWith('-') ? -1 : 1) * (hh * 60 + mm);
  }
  if (year < MIN_YEAR) return undefined;
  const ms = Number(`0.${frac || '0'}`) * 1000;
  return day.getTime() + ((Number(h) * 60 + Number(mi) - offset) * 60 + Number(s)) * 1000 + ms;
}

type State = 'granted' | 'withdrawn' | 'ambiguous';

/** The verdict for every customer of `universe` at the end of the as-of day (`asOf` = YYYY-MM-DD). */
export function consentVerdicts(input: {
  readonly asOf: string;
  readonly universe: readonly string[];
  readonly consent: readonly ConsentLine[];
  readonly erasure: readonly ErasureLine[];
  /** Raw text of lines that cannot be parsed, per table. */
  readonly malformedConsent?: readonly string[];
  readonly malformedErasure?: readonly string[];
  readonly basis?: 'consent' | 'legitimate_interest';
}): Map<string, Verdict> {
  const end = Date.parse(`${input.asOf}T23:59:59.999Z`);
  const tokens = (lines: readonly string[] = []) =>
    new Set(lines.flatMap((l) => l.split(/[,;|\t"]/).map((x) => x.trim())));
  const erased = new Set<string>(tokens(input.malformedErasure));
  for (const e of input.erasure) {
    const id = e.customer_id.trim();
    if (!id) continue;
    const at = instant(e.requested_at);
    if (at === undefined || at <= end) erased.add(id);
  }
  // per customer and purpose: dated records in force, and undated non-grants
  const dated = new Map<string, Array<{ at: number; status: State }>>();
  const undated = new Map<string, State>();
  const mark = (key: string, state: State) => {
    if (undated.get(key) !== 'withdrawn') undated.set(key, state);
  };
  for (const id of tokens(input.malformedConsent)) for (const p of PURPOSES) mark(`${id}|${p}`, 'ambiguous');
  for (const r of input.consent) {
    const id = r.customer_id.trim();
    if (!id) continue;
    const purpose = r.purpose.trim().toLowerCase();
    const lowered = r.status.trim().toLowerCase();
    const status: State = lowered === 'granted' || lowered === 'withdrawn' ? lowered : 'ambiguous';
    const known = (PURPOSES as readonly string[]).includes(purpose);
    if (!known && status === 'granted') continue;
    const at = instant(r.recorded_at);
    if (at !== undefined && at > end) continue;
    for (const p of known ? [purpose as Purpose] : PURPOSES) {
      const key = `${id}|${p}`;
      if (at === undefined) {
        if (status !== 'granted') mark(key, status);
        continue;
      }
      const list = dated.get(key) ?? [];
      list.push({ at, status });
      dated.set(key, list);
    }
  }
  const state = (id: string, p: Purpose): State | undefined => {
    const key = `${id}|${p}`;
    const u = undated.get(key);
    if (u) return u;
    const list = dated.get(key);
    if (!list) return undefined;
    const latest = Math.max(...list.map((x) => x.at));
    const tied = list.filter((x) => x.at === latest).map((x) => x.status);
    return tied.includes('withdrawn') ? 'withdrawn' : tied.includes('ambiguous') ? 'ambiguous' : 'granted';
  };
  const verdicts = new Map<string, Verdict>();
  for (const id of input.universe) {
    const isErased = erased.has(id);
    const profiling = state(id, 'profiling');
    const ok =
      (input.basis ?? 'consent') === 'consent'
        ? profiling === 'granted'
        : profiling !== 'withdrawn' && profiling !== 'ambiguous';
    const eligible = !isErased && ok;
    const refused = (s: State | undefined) => s === 'withdrawn' || s === 'ambiguous';
    verdicts.set(id, {
      eligible,
      email: eligible && state(id, 'email') === 'granted',
      sms: eligible && state(id, 'sms') === 'granted',
      erased: isErased,
      suppresses: {
        email: isErased || refused(profiling) || refused(state(id, 'email')),
        sms: isErased || refused(profiling) || refused(state(id, 'sms')),
      },
    });
  }
  return verdicts;
}
