import { exportSettingsSchema, parseSettings, type ExportSettingsInput } from '../config/segments-schema.js';
import { EMAIL_PATTERN, PHONE_PATTERN, PHONE_SEPARATORS } from '../contract/contact.js';
import { inputError, show } from '../core/errors.js';
import { csvLine } from '../core/spreadsheet.js';
import { toIsoDate } from '../core/time.js';
import { LIFECYCLE_LABELS, LIFECYCLE_SEGMENTS, type LifecycleSegment } from './lifecycle.js';
import { RFM_GROUP_LABELS, type RfmGroup } from './rfm.js';
import { splitRuleSegments, type ScoreRow } from './scores.js';

/**
 * Audience lists for email and SMS tools. A list is one (segment, channel) pair; it holds only customers
 * who are not erased, whose consent for that channel is granted at the as-of date, and who have a usable
 * address for the channel. Every candidate is accounted for in the summary:
 * candidates = included + left out (erased) + left out (no consent) + left out (missing contact) + left out
 * (address suppressed: another customer record with the same address is erased or withdrew).
 */

export type Channel = 'email' | 'sms';
export type AudienceKind = 'lifecycle' | 'vip' | 'rule' | 'rfm' | 'persona';

/** PII for exports only: never enters features, personas or reports. */
export interface ContactDetails {
  readonly customerId: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly firstName?: string | null;
}

/** Channel consent resolved at the as-of date (latest record wins); a missing customer has none. */
export interface ChannelConsent {
  readonly customerId: string;
  readonly email: boolean;
  readonly sms: boolean;
}

/** A segment's members, before channel filtering. */
export interface Audience {
  /** File-safe key, e.g. "lifecycle_due", "vip", "rule_big_spenders". */
  readonly key: string;
  readonly kind: AudienceKind;
  readonly segment: string;
  readonly label: string;
  readonly customerIds: readonly string[];
}

/** One exported customer: the address for the channel plus segment properties. */
export interface ExportMember {
  readonly customer_id: string;
  readonly email?: string;
  readonly phone?: string;
  readonly first_name: string | null;
  readonly persona: string | null;
  readonly lifecycle: string | null;
  readonly vip: boolean | null;
  readonly rfm_group: string | null;
  readonly p_buy_30: number | null;
  readonly predicted_clv: number | null;
  readonly next_purchase_date: string | null;
  /** Cross-sell: the category not bought yet that the customer is most likely to buy next, and its score. */
  readonly next_category: string | null;
  readonly next_category_score: number | null;
}

export interface AudienceList {
  /** File stem: `${channel}_${audience key}`. */
  readonly name: string;
  readonly channel: Channel;
  readonly kind: AudienceKind;
  readonly segment: string;
  readonly label: string;
  /** Whether the First Name column is written (any customer in the data has a first name). */
  readonly withFirstName: boolean;
  readonly members: readonly ExportMember[];
}

export interface ListSummary {
  readonly name: string;
  readonly channel: Channel;
  readonly kind: AudienceKind;
  readonly segment: string;
  readonly candidates: number;
  readonly included: number;
  readonly left_out_erased: number;
  readonly left_out_no_consent: number;
  readonly left_out_missing_contact: number;
  /** Their address is also held by a customer who is erased or withdrew: the address is suppressed. */
  readonly left_out_suppressed: number;
}

export interface ExportSummary {
  readonly as_of: string;
  readonly channels: readonly Channel[];
  /** Distinct customers in at least one list, per channel. */
  readonly reachable: Readonly<Record<string, number>>;
  readonly lists: readonly ListSummary[];
}

export interface ExportInputs {
  readonly asOf: Date;
  readonly audiences: readonly Audience[];
  /** Segment properties per customer (the scores table; iterated once, so rows may be built on demand). */
  readonly rows: Iterable<ScoreRow>;
  readonly contacts: readonly ContactDetails[];
  readonly consent: readonly ChannelConsent[];
  readonly erased: ReadonlySet<string>;
  /**
   * Addresses (as `addressKey` gives them) that a customer who is erased or withdrew (or whose consent cannot
   * be read) also holds: another customer record with the same address is the same person as far as a
   * mailing tool can tell, so the address is not exported.
   */
  readonly suppressed?: Readonly<Partial<Record<Channel, ReadonlySet<string>>>>;
  readonly channels?: readonly Channel[];
}

export interface ExportResult {
  readonly lists: readonly AudienceList[];
  readonly summary: ExportSummary;
}

/**
 * The audiences to export from the scores table: lifecycle segments (canonical order), VIP, rule segments
 * (A→Z), personas (by id: P1, P2… P10) and, when enabled, RFM groups, per the `segments.exports` settings.
 * Empty audiences are omitted.
 */
export function audiencesFromScores(
  rows: Iterable<ScoreRow>,
  settings: ExportSettingsInput = {},
): Audience[] {
  const s = parseSettings(exportSettingsSchema, settings, 'segments.exports');
  // One pass over the rows (they may be built on demand): each audience's members, in row order.
  const lifecycle = new Map<string, string[]>();
  const vip: string[] = [];
  const rules = new Map<string, string[]>();
  const personas = new Map<string, { readonly name: string; readonly ids: string[] }>();
  const rfm = new Map<string, string[]>();
  const push = (groups: Map<string, string[]>, group: string, id: string): void => {
    const list = groups.get(group);
    if (list) list.push(id);
    else groups.set(group, [id]);
  };
  for (const r of rows) {
    if (s.lifecycle) push(lifecycle, r.lifecycle, r.customer_id);
    if (s.vip && r.vip) vip.push(r.customer_id);
    if (s.rules) for (const seg of splitRuleSegments(r.rule_segments)) push(rules, seg, r.customer_id);
    if (s.personas && r.persona_id !== null) {
      const persona = personas.get(r.persona_id);
      if (persona) persona.ids.push(r.customer_id);
      else personas.set(r.persona_id, { name: r.persona_name ?? r.persona_id, ids: [r.customer_id] });
    }
    if (s.rfm && r.rfm_group !== null && r.rfm_group !== 'no_purchase') push(rfm, r.rfm_group, r.customer_id);
  }
  const audiences: Audience[] = [];
  const add = (kind: AudienceKind, segment: string, label: string, key: string, ids: string[]) => {
    if (ids.length > 0) audiences.push({ key, kind, segment, label, customerIds: ids });
  };
  if (s.lifecycle) {
    for (const seg of LIFECYCLE_SEGMENTS) {
      if (s.skip_lifecycle.includes(seg)) continue;
      add('lifecycle', seg, LIFECYCLE_LABELS[seg].en, `lifecycle_${seg}`, lifecycle.get(seg) ?? []);
    }
  }
  if (s.vip) add('vip', 'vip', 'VIP', 'vip', vip);
  if (s.rules) {
    const usedKeys = new Set<string>();
    for (const seg of [...rules.keys()].sort()) {
      const key = uniqueKey(`rule_${slug(seg)}`, usedKeys);
      add('rule', seg, seg, key, rules.get(seg) ?? []);
    }
  }
  if (s.personas) {
    const byNumber = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
    for (const id of [...personas.keys()].sort((a, b) => byNumber(a) - byNumber(b) || a.localeCompare(b))) {
      const persona = personas.get(id) as { name: string; ids: string[] };
      add('persona', id, `${id} · ${persona.name}`, `persona_${slug(id)}`, persona.ids);
    }
  }
  if (s.rfm) {
    for (const g of [...rfm.keys()].sort()) {
      const label = RFM_GROUP_LABELS[g as RfmGroup]?.en ?? g;
      add('rfm', g, label, `rfm_${slug(g)}`, rfm.get(g) ?? []);
    }
  }
  return audiences;
}

/** Filters every audience for every channel and accounts for each candidate left out. */
export function buildExports(inputs: ExportInputs): ExportResult {
  const stream = exportLists(inputs);
  const lists = [...stream.lists].map((l) => ({ ...l, members: l.members.slice(0, l.members.length) }));
  return { lists, summary: stream.summary() };
}

/** The audience lists produced one at a time, and their summary once every list has been produced. */
export interface ExportStream {
  /** Lists in channel order, then audience order; iterate once. */
  readonly lists: Iterable<StreamedList>;
  /** The summary: available after `lists` has been iterated to its end. */
  readonly summary: () => ExportSummary;
}

/** A list whose members are built when a slice of them is asked for (a writer asks for a few thousand at a time). */
export interface StreamedList extends Omit<AudienceList, 'members'> {
  readonly members: ListMembers;
}

/** A list's members, in order: `slice` builds the members it returns, so none need be held. */
export interface ListMembers {
  readonly length: number;
  slice(start: number, end: number): readonly ExportMember[];
}

/** Bits of {@link ExportColumns.consent}: the channel's consent is granted at the as-of date. */
export const CONSENT_EMAIL = 1;
export const CONSENT_SMS = 2;

/**
 * Consent and contact details as columns on the rows of `customerIds` (the features' rows in a run): a byte of
 * consent and, where it is granted, the usable address, instead of an object and a map entry per customer.
 */
export interface ExportColumns {
  readonly customerIds: readonly string[];
  readonly rowOf: (customerId: string) => number | undefined;
  /** {@link CONSENT_EMAIL} | {@link CONSENT_SMS} per row; 0 without a consent record. */
  readonly consent: Uint8Array;
  /** The usable address (`usableEmail`, `usablePhone`) of each row, null or absent without one. */
  readonly address: Readonly<Record<Channel, readonly (string | null | undefined)[]>>;
  /** The trimmed first name of each row, null or absent without one. */
  readonly firstName: readonly (string | null | undefined)[];
  /** Whether any customer's contact details hold a first name (the lists then have a First Name column). */
  readonly withFirstName: boolean;
}

export type ExportColumnInputs = Omit<ExportInputs, 'contacts' | 'consent'> & { readonly columns: ExportColumns };

/**
 * What {@link buildExports} returns, one list at a time: a writer can write each list and let it go, so no more
 * than one list's members are held at once (at a million customers, all lists together are several per customer).
 */
export function exportLists(inputs: ExportInputs): ExportStream {
  // The columns are built when the first list is asked for: a duplicate record fails there, as it always did.
  let stream: ExportStream | undefined;
  const open = (): ExportStream => (stream ??= exportListsOnColumns({ ...inputs, columns: exportColumns(inputs) }));
  return {
    lists: { [Symbol.iterator]: () => open().lists[Symbol.iterator]() },
    summary: () => {
      if (!stream) throw new Error('exports: the summary is read before every list was produced');
      return stream.summary();
    },
  };
}

/** {@link ExportColumns} from consent and contact records, on the rows of every customer id they and the audiences name. */
function exportColumns(inputs: ExportInputs): ExportColumns {
  const rows = new Map<string, number>();
  const customerIds: string[] = [];
  const rowOf = (id: string): number => {
    let row = rows.get(id);
    if (row === undefined) {
      row = customerIds.push(id) - 1;
      rows.set(id, row);
    }
    return row;
  };
  const consent = indexBy(inputs.consent, 'consent');
  const contacts = indexBy(inputs.contacts, 'contacts');
  for (const id of consent.keys()) rowOf(id);
  for (const id of contacts.keys()) rowOf(id);
  for (const audience of inputs.audiences) for (const id of audience.customerIds) rowOf(id);
  const granted = new Uint8Array(customerIds.length);
  const email: (string | null)[] = [];
  const sms: (string | null)[] = [];
  const firstName: (string | null)[] = [];
  customerIds.forEach((id, row) => {
    const c = consent.get(id);
    granted[row] = (c?.email === true ? CONSENT_EMAIL : 0) | (c?.sms === true ? CONSENT_SMS : 0);
    const contact = contacts.get(id);
    email.push(usableEmail(contact?.email));
    sms.push(usablePhone(contact?.phone));
    firstName.push(trimmedText(contact?.firstName));
  });
  return {
    customerIds,
    rowOf: (id) => rows.get(id),
    consent: granted,
    address: { email, sms },
    firstName,
    withFirstName: inputs.contacts.some((c) => trimmedText(c.firstName) !== null),
  };
}

/**
 * {@link exportLists} on consent and contacts held as columns: per customer, a few bytes of consent, reach and
 * segment properties (typed columns, each text held once) and the address where consent is granted; each list
 * holds its members' rows, and builds the members a writer asks for.
 */
export function exportListsOnColumns(inputs: ExportColumnInputs): ExportStream {
  const channels = inputs.channels ?? (['email', 'sms'] as const);
  const { columns } = inputs;
  const n = columns.customerIds.length;
  const summaries: ListSummary[] = [];
  const reachable: Record<string, number> = {};
  let done = false;
  const bit = (channel: Channel): number => (channel === 'email' ? CONSENT_EMAIL : CONSENT_SMS);
  function* lists(): Generator<StreamedList> {
    // What a list shows of each customer who may be in one (consent and an address for a channel), not whole rows:
    // the rows may be built on demand and not be held, and without contact details no customer is.
    const properties = new PropertyColumns(n);
    for (const r of inputs.rows) {
      const row = columns.rowOf(r.customer_id);
      if (row === undefined || inputs.erased.has(r.customer_id)) continue;
      let listable = false;
      for (const channel of channels)
        listable ||= ((columns.consent[row] as number) & bit(channel)) !== 0 && columns.address[channel][row] != null;
      if (listable) properties.set(row, r);
    }
    const reached = new Uint8Array(n);
    // The number of the list a row was last a candidate of: an audience naming a customer twice counts them once.
    const candidateOf = new Uint32Array(n);
    let listNumber = 0;
    for (const channel of channels) {
      let reachedHere = 0;
      const addresses = columns.address[channel];
      for (const audience of inputs.audiences) {
        listNumber += 1;
        const name = `${channel}_${audience.key}`;
        const rows: number[] = [];
        let candidates = 0;
        let erased = 0;
        let noConsent = 0;
        let missingContact = 0;
        let suppressed = 0;
        // Customers without a row (neither consent nor contact details): counted once each, and never listed.
        const rowless = new Set<string>();
        for (const id of audience.customerIds) {
          const row = columns.rowOf(id);
          if (row === undefined) {
            if (rowless.has(id)) continue;
            rowless.add(id);
          } else {
            if (candidateOf[row] === listNumber) continue;
            candidateOf[row] = listNumber;
          }
          candidates += 1;
          if (inputs.erased.has(id)) {
            erased += 1;
            continue;
          }
          if (row === undefined || ((columns.consent[row] as number) & bit(channel)) === 0) {
            noConsent += 1;
            continue;
          }
          const usable = addresses[row] ?? null;
          if (usable === null) {
            missingContact += 1;
            continue;
          }
          if (inputs.suppressed?.[channel]?.has(addressKey(channel, usable))) {
            suppressed += 1;
            continue;
          }
          rows.push(row);
          if (((reached[row] as number) & bit(channel)) === 0) {
            reached[row] = (reached[row] as number) | bit(channel);
            reachedHere += 1;
          }
        }
        const base = { name, channel, kind: audience.kind, segment: audience.segment };
        summaries.push({
          ...base,
          candidates,
          included: rows.length,
          left_out_erased: erased,
          left_out_no_consent: noConsent,
          left_out_missing_contact: missingContact,
          left_out_suppressed: suppressed,
        });
        const members: ListMembers = {
          length: rows.length,
          slice: (start, end) =>
            rows.slice(start, end).map((row) => member(columns, row, channel, addresses[row] as string, properties)),
        };
        yield { ...base, label: audience.label, withFirstName: columns.withFirstName, members };
      }
      reachable[channel] = reachedHere;
    }
    done = true;
  }
  return {
    lists: lists(),
    summary: () => {
      if (!done) throw new Error('exports: the summary is read before every list was produced');
      return {
        as_of: toIsoDate(inputs.asOf),
        channels: [...channels],
        reachable: { ...reachable },
        lists: summaries,
      };
    },
  };
}

/** An exported customer's segment properties, as the scores table gives them. */
type MemberProperties = Omit<ExportMember, 'customer_id' | 'email' | 'phone' | 'first_name'>;

/** Each text of a column held once, by a number. */
class TextCodes {
  private readonly codes = new Map<string | null, number>([[null, 0]]);
  readonly texts: (string | null)[] = [null];
  code(text: string | null): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.push(text) - 1;
      this.codes.set(text, code);
    }
    return code;
  }
}

const HAS_PROPERTIES = 1;
const VIP = 2;
const VIP_NULL = 4;
const P_BUY_30_NULL = 8;
const CLV_NULL = 16;
const SCORE_NULL = 32;

/** {@link MemberProperties} of the listable customers, as typed columns on their rows. */
class PropertyColumns {
  private readonly flags: Uint8Array;
  private readonly persona: Int32Array;
  private readonly lifecycle: Int32Array;
  private readonly rfmGroup: Int32Array;
  private readonly nextPurchaseDate: Int32Array;
  private readonly nextCategory: Int32Array;
  private readonly pBuy30: Float64Array;
  private readonly clv: Float64Array;
  private readonly score: Float64Array;
  private readonly text = new TextCodes();

  constructor(n: number) {
    this.flags = new Uint8Array(n);
    this.persona = new Int32Array(n);
    this.lifecycle = new Int32Array(n);
    this.rfmGroup = new Int32Array(n);
    this.nextPurchaseDate = new Int32Array(n);
    this.nextCategory = new Int32Array(n);
    this.pBuy30 = new Float64Array(n);
    this.clv = new Float64Array(n);
    this.score = new Float64Array(n);
  }

  set(row: number, r: ScoreRow): void {
    const p = memberProperties(r);
    this.persona[row] = this.text.code(p.persona);
    this.lifecycle[row] = this.text.code(p.lifecycle);
    this.rfmGroup[row] = this.text.code(p.rfm_group);
    this.nextPurchaseDate[row] = this.text.code(p.next_purchase_date);
    this.nextCategory[row] = this.text.code(p.next_category);
    this.pBuy30[row] = p.p_buy_30 ?? 0;
    this.clv[row] = p.predicted_clv ?? 0;
    this.score[row] = p.next_category_score ?? 0;
    this.flags[row] =
      HAS_PROPERTIES |
      (p.vip === true ? VIP : 0) |
      (p.vip === null ? VIP_NULL : 0) |
      (p.p_buy_30 === null ? P_BUY_30_NULL : 0) |
      (p.predicted_clv === null ? CLV_NULL : 0) |
      (p.next_category_score === null ? SCORE_NULL : 0);
  }

  /** The row's properties, keys in the order the lists are written in; NO_PROPERTIES when it has none. */
  at(row: number): MemberProperties {
    const flags = this.flags[row] as number;
    if ((flags & HAS_PROPERTIES) === 0) return NO_PROPERTIES;
    const text = this.text.texts;
    return {
      persona: text[this.persona[row] as number] as string | null,
      lifecycle: text[this.lifecycle[row] as number] as string | null,
      vip: flags & VIP_NULL ? null : (flags & VIP) !== 0,
      rfm_group: text[this.rfmGroup[row] as number] as string | null,
      p_buy_30: flags & P_BUY_30_NULL ? null : (this.pBuy30[row] as number),
      predicted_clv: flags & CLV_NULL ? null : (this.clv[row] as number),
      next_purchase_date: text[this.nextPurchaseDate[row] as number] as string | null,
      next_category: text[this.nextCategory[row] as number] as string | null,
      next_category_score: flags & SCORE_NULL ? null : (this.score[row] as number),
    };
  }
}

function memberProperties(row: ScoreRow): MemberProperties {
  return {
    persona: row.persona_name,
    lifecycle: LIFECYCLE_LABELS[row.lifecycle as LifecycleSegment]?.en ?? row.lifecycle,
    vip: row.vip,
    rfm_group: row.rfm_group ? (RFM_GROUP_LABELS[row.rfm_group as RfmGroup]?.en ?? row.rfm_group) : null,
    p_buy_30: row.p_buy_30,
    predicted_clv: row.predicted_clv,
    next_purchase_date: row.next_purchase_date,
    next_category: row.next_category,
    next_category_score: row.next_category_score,
  };
}

const NO_PROPERTIES: MemberProperties = {
  persona: null,
  lifecycle: null,
  vip: null,
  rfm_group: null,
  p_buy_30: null,
  predicted_clv: null,
  next_purchase_date: null,
  next_category: null,
  next_category_score: null,
};

function member(columns: ExportColumns, row: number, channel: Channel, address: string, properties: PropertyColumns): ExportMember {
  return {
    customer_id: columns.customerIds[row] as string,
    ...(channel === 'email' ? { email: address } : { phone: address }),
    first_name: columns.firstName[row] ?? null,
    ...properties.at(row),
  };
}

const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
const PHONE = new RegExp(PHONE_PATTERN);
const SEPARATORS = new RegExp(PHONE_SEPARATORS, 'g');

/** A trimmed address that an email tool would accept, or null. */
export function usableEmail(value: string | null | undefined): string | null {
  const text = trimmedText(value);
  return text !== null && EMAIL.test(text) ? text : null;
}

/** How an address is compared across customer records: an email in lower case, a phone as `usablePhone` gives it. */
export function addressKey(channel: Channel, address: string): string {
  return channel === 'email' ? address.toLowerCase() : address;
}

/** The phone number without spaces, dots, dashes and brackets (E.164 digits, optional +), or null. */
export function usablePhone(value: string | null | undefined): string | null {
  const text = trimmedText(value)?.replace(SEPARATORS, '') ?? null;
  return text !== null && PHONE.test(text) ? text : null;
}

/** A text without surrounding spaces, null when nothing is left (a first name as the lists write it). */
export function trimmedText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** The CSV headers of a list, as Klaviyo/Mailchimp-style imports expect them. */
export function listHeaders(list: Pick<AudienceList, 'channel' | 'withFirstName'>): string[] {
  return [
    list.channel === 'email' ? 'Email' : 'Phone Number',
    ...(list.withFirstName ? ['First Name'] : []),
    'Customer ID',
    'Persona',
    'Lifecycle',
    'VIP',
    'RFM Group',
    'P(buy 30d)',
    'Predicted CLV',
    'Next Purchase Date',
    'Next Category',
    'Next Category Score',
  ];
}

/** The list as CSV: every cell quoted, and defused when a spreadsheet would run it (src/core/spreadsheet.ts). */
export function listToCsv(list: AudienceList): string {
  return [...listCsvChunks(list)].join('');
}

/**
 * Members per chunk of text a list is written in: the text of a whole list is never built at once. Small, because
 * what a chunk holds while it is built outlives the young generation's collections and is moved to the old one,
 * which V8 collects seldom: writing 6 lists of 200,000 members, chunks of 10,000 peaked at 209 MiB of heap and 34 s
 * CPU, chunks of 1,000 at 70 MiB and 14 s, the same bytes.
 */
const CHUNK_MEMBERS = 1_000;

/** {@link listToCsv}'s text in consecutive pieces (the header, then up to CHUNK_MEMBERS lines each). */
export function* listCsvChunks(list: StreamedList): Generator<string> {
  yield `${csvLine(listHeaders(list))}\n`;
  for (let start = 0; start < list.members.length; start += CHUNK_MEMBERS) {
    const lines: string[] = [];
    for (const m of list.members.slice(start, start + CHUNK_MEMBERS)) {
      lines.push(
        csvLine([
          m.email ?? m.phone ?? '',
          ...(list.withFirstName ? [m.first_name] : []),
          m.customer_id,
          m.persona,
          m.lifecycle,
          m.vip === null ? null : String(m.vip),
          m.rfm_group,
          m.p_buy_30 === null ? null : m.p_buy_30.toFixed(3),
          m.predicted_clv === null ? null : m.predicted_clv.toFixed(2),
          m.next_purchase_date,
          m.next_category,
          m.next_category_score === null ? null : m.next_category_score.toFixed(3),
        ]),
      );
    }
    yield `${lines.join('\n')}\n`;
  }
}

/** The list as a JSON document (typed values, snake_case keys). */
export function listToJson(list: AudienceList, asOf: Date): string {
  return [...listJsonChunks(list, asOf)].join('');
}

/**
 * {@link listToJson}'s text in consecutive pieces: the same bytes as `JSON.stringify(document, null, 2)`, with
 * the members array written CHUNK_MEMBERS members at a time.
 */
export function* listJsonChunks(list: StreamedList, asOf: Date): Generator<string> {
  const doc = {
    name: list.name,
    channel: list.channel,
    kind: list.kind,
    segment: list.segment,
    label: list.label,
    as_of: toIsoDate(asOf),
    count: list.members.length,
    members: [],
  };
  const empty = JSON.stringify(doc, null, 2);
  if (list.members.length === 0) {
    yield `${empty}\n`;
    return;
  }
  // `"members": []` is the document's last key: open the array there and close it after the last member.
  yield `${empty.slice(0, empty.length - '[]\n}'.length)}[\n`;
  for (let start = 0; start < list.members.length; start += CHUNK_MEMBERS) {
    const items = list.members
      .slice(start, start + CHUNK_MEMBERS)
      .map((m) => `    ${JSON.stringify(m, null, 2).replaceAll('\n', '\n    ')}`);
    yield `${start > 0 ? ',\n' : ''}${items.join(',\n')}`;
  }
  yield '\n  ]\n}\n';
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'segment';
}

function uniqueKey(base: string, used: Set<string>): string {
  let key = base;
  for (let i = 2; used.has(key); i += 1) key = `${base}_${i}`;
  used.add(key);
  return key;
}

function indexBy<T extends { readonly customerId: string }>(
  rows: readonly T[],
  label: string,
): Map<string, T> {
  const map = new Map<string, T>();
  for (const [i, row] of rows.entries()) {
    if (map.has(row.customerId)) duplicateRecord(label, i + 1, row.customerId);
    map.set(row.customerId, row);
  }
  return map;
}

/** Fails on a second consent or contact record of one customer (`record`: its 1-based number among them). */
export function duplicateRecord(label: string, record: number, customerId: string): never {
  return inputError(
    'export_duplicate',
    `exports: ${label} row ${record} repeats customer ${show(customerId)}`,
    `pass one ${label} record per customer`,
  );
}
