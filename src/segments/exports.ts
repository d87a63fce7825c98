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
  const lists = [...stream.lists];
  return { lists, summary: stream.summary() };
}

/** The audience lists produced one at a time, and their summary once every list has been produced. */
export interface ExportStream {
  /** Lists in channel order, then audience order; iterate once. */
  readonly lists: Iterable<AudienceList>;
  /** The summary: available after `lists` has been iterated to its end. */
  readonly summary: () => ExportSummary;
}

/**
 * What {@link buildExports} returns, one list at a time: a writer can write each list and let it go, so no more
 * than one list's members are held at once (at a million customers, all lists together are several per customer).
 */
export function exportLists(inputs: ExportInputs): ExportStream {
  const channels = inputs.channels ?? (['email', 'sms'] as const);
  const summaries: ListSummary[] = [];
  const reachable: Record<string, Set<string>> = {};
  let done = false;
  function* lists(): Generator<AudienceList> {
    const contacts = indexBy(inputs.contacts, 'contacts');
    const consent = indexBy(inputs.consent, 'consent');
    const address = (channel: Channel, id: string): string | null => {
      const contact = contacts.get(id);
      return channel === 'email' ? usableEmail(contact?.email) : usablePhone(contact?.phone);
    };
    // What a list shows of each customer who may be in one (consent and an address for a channel), not whole rows:
    // the rows may be built on demand and not be held, and without contact details no customer is.
    const properties = new Map<string, MemberProperties>();
    for (const r of inputs.rows) {
      const id = r.customer_id;
      let listable = false;
      for (const channel of channels) listable ||= consent.get(id)?.[channel] === true && address(channel, id) !== null;
      if (listable && !inputs.erased.has(id)) properties.set(id, memberProperties(r));
    }
    const withFirstName = inputs.contacts.some((c) => clean(c.firstName) !== null);
    for (const channel of channels) {
      reachable[channel] = new Set();
      for (const audience of inputs.audiences) {
        const name = `${channel}_${audience.key}`;
        const members: ExportMember[] = [];
        let erased = 0;
        let noConsent = 0;
        let missingContact = 0;
        let suppressed = 0;
        const candidates = new Set(audience.customerIds);
        for (const id of candidates) {
          if (inputs.erased.has(id)) {
            erased += 1;
            continue;
          }
          if (consent.get(id)?.[channel] !== true) {
            noConsent += 1;
            continue;
          }
          const usable = address(channel, id);
          if (usable === null) {
            missingContact += 1;
            continue;
          }
          if (inputs.suppressed?.[channel]?.has(addressKey(channel, usable))) {
            suppressed += 1;
            continue;
          }
          members.push(member(id, channel, usable, contacts.get(id), properties.get(id)));
          reachable[channel]?.add(id);
        }
        const base = { name, channel, kind: audience.kind, segment: audience.segment };
        summaries.push({
          ...base,
          candidates: candidates.size,
          included: members.length,
          left_out_erased: erased,
          left_out_no_consent: noConsent,
          left_out_missing_contact: missingContact,
          left_out_suppressed: suppressed,
        });
        yield { ...base, label: audience.label, withFirstName, members };
      }
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
        reachable: Object.fromEntries(Object.entries(reachable).map(([k, v]) => [k, v.size])),
        lists: summaries,
      };
    },
  };
}

/** An exported customer's segment properties, as the scores table gives them. */
type MemberProperties = Omit<ExportMember, 'customer_id' | 'email' | 'phone' | 'first_name'>;

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

function member(
  id: string,
  channel: Channel,
  address: string,
  contact: ContactDetails | undefined,
  properties: MemberProperties | undefined,
): ExportMember {
  return {
    customer_id: id,
    ...(channel === 'email' ? { email: address } : { phone: address }),
    first_name: clean(contact?.firstName),
    ...(properties ?? NO_PROPERTIES),
  };
}

const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
const PHONE = new RegExp(PHONE_PATTERN);
const SEPARATORS = new RegExp(PHONE_SEPARATORS, 'g');

/** A trimmed address that an email tool would accept, or null. */
export function usableEmail(value: string | null | undefined): string | null {
  const text = clean(value);
  return text !== null && EMAIL.test(text) ? text : null;
}

/** How an address is compared across customer records: an email in lower case, a phone as `usablePhone` gives it. */
export function addressKey(channel: Channel, address: string): string {
  return channel === 'email' ? address.toLowerCase() : address;
}

/** The phone number without spaces, dots, dashes and brackets (E.164 digits, optional +), or null. */
export function usablePhone(value: string | null | undefined): string | null {
  const text = clean(value)?.replace(SEPARATORS, '') ?? null;
  return text !== null && PHONE.test(text) ? text : null;
}

function clean(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** The CSV headers of a list, as Klaviyo/Mailchimp-style imports expect them. */
export function listHeaders(list: AudienceList): string[] {
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

/** Members per chunk of text a list is written in: the text of a whole list is never built at once. */
const CHUNK_MEMBERS = 10_000;

/** {@link listToCsv}'s text in consecutive pieces (the header, then up to CHUNK_MEMBERS lines each). */
export function* listCsvChunks(list: AudienceList): Generator<string> {
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
export function* listJsonChunks(list: AudienceList, asOf: Date): Generator<string> {
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
    if (map.has(row.customerId)) {
      inputError(
        'export_duplicate',
        `exports: ${label} row ${i + 1} repeats customer ${show(row.customerId)}`,
        `pass one ${label} record per customer`,
      );
    }
    map.set(row.customerId, row);
  }
  return map;
}
