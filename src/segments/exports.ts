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
  /** Segment properties per customer (the scores table). */
  readonly rows: readonly ScoreRow[];
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
  rows: readonly ScoreRow[],
  settings: ExportSettingsInput = {},
): Audience[] {
  const s = parseSettings(exportSettingsSchema, settings, 'segments.exports');
  const audiences: Audience[] = [];
  const add = (kind: AudienceKind, segment: string, label: string, key: string, ids: string[]) => {
    if (ids.length > 0) audiences.push({ key, kind, segment, label, customerIds: ids });
  };
  if (s.lifecycle) {
    for (const seg of LIFECYCLE_SEGMENTS) {
      if (s.skip_lifecycle.includes(seg)) continue;
      const ids = rows.filter((r) => r.lifecycle === seg).map((r) => r.customer_id);
      add('lifecycle', seg, LIFECYCLE_LABELS[seg].en, `lifecycle_${seg}`, ids);
    }
  }
  if (s.vip) {
    add(
      'vip',
      'vip',
      'VIP',
      'vip',
      rows.filter((r) => r.vip).map((r) => r.customer_id),
    );
  }
  if (s.rules) {
    const members = new Map<string, string[]>();
    for (const r of rows) {
      for (const seg of splitRuleSegments(r.rule_segments)) {
        const list = members.get(seg);
        if (list) list.push(r.customer_id);
        else members.set(seg, [r.customer_id]);
      }
    }
    const usedKeys = new Set<string>();
    for (const seg of [...members.keys()].sort()) {
      const key = uniqueKey(`rule_${slug(seg)}`, usedKeys);
      add('rule', seg, seg, key, members.get(seg) ?? []);
    }
  }
  if (s.personas) {
    const names = new Map<string, string>();
    for (const r of rows) if (r.persona_id !== null && !names.has(r.persona_id)) names.set(r.persona_id, r.persona_name ?? r.persona_id);
    const byNumber = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
    for (const id of [...names.keys()].sort((a, b) => byNumber(a) - byNumber(b) || a.localeCompare(b))) {
      add('persona', id, `${id} · ${names.get(id) as string}`, `persona_${slug(id)}`, rows.filter((r) => r.persona_id === id).map((r) => r.customer_id));
    }
  }
  if (s.rfm) {
    const groups = [
      ...new Set(rows.map((r) => r.rfm_group).filter((g): g is string => g !== null && g !== 'no_purchase')),
    ];
    for (const g of groups.sort()) {
      const label = RFM_GROUP_LABELS[g as RfmGroup]?.en ?? g;
      add(
        'rfm',
        g,
        label,
        `rfm_${slug(g)}`,
        rows.filter((r) => r.rfm_group === g).map((r) => r.customer_id),
      );
    }
  }
  return audiences;
}

/** Filters every audience for every channel and accounts for each candidate left out. */
export function buildExports(inputs: ExportInputs): ExportResult {
  const channels = inputs.channels ?? (['email', 'sms'] as const);
  const contacts = indexBy(inputs.contacts, 'contacts');
  const consent = indexBy(inputs.consent, 'consent');
  const rows = new Map(inputs.rows.map((r) => [r.customer_id, r]));
  const withFirstName = inputs.contacts.some((c) => clean(c.firstName) !== null);
  const lists: AudienceList[] = [];
  const summaries: ListSummary[] = [];
  const reachable: Record<string, Set<string>> = {};
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
        const contact = contacts.get(id);
        const address = channel === 'email' ? usableEmail(contact?.email) : usablePhone(contact?.phone);
        if (address === null) {
          missingContact += 1;
          continue;
        }
        if (inputs.suppressed?.[channel]?.has(addressKey(channel, address))) {
          suppressed += 1;
          continue;
        }
        members.push(member(id, channel, address, contact, rows.get(id)));
        reachable[channel]?.add(id);
      }
      const base = { name, channel, kind: audience.kind, segment: audience.segment };
      lists.push({ ...base, label: audience.label, withFirstName, members });
      summaries.push({
        ...base,
        candidates: candidates.size,
        included: members.length,
        left_out_erased: erased,
        left_out_no_consent: noConsent,
        left_out_missing_contact: missingContact,
        left_out_suppressed: suppressed,
      });
    }
  }
  return {
    lists,
    summary: {
      as_of: toIsoDate(inputs.asOf),
      channels: [...channels],
      reachable: Object.fromEntries(Object.entries(reachable).map(([k, v]) => [k, v.size])),
      lists: summaries,
    },
  };
}

function member(
  id: string,
  channel: Channel,
  address: string,
  contact: ContactDetails | undefined,
  row: ScoreRow | undefined,
): ExportMember {
  return {
    customer_id: id,
    ...(channel === 'email' ? { email: address } : { phone: address }),
    first_name: clean(contact?.firstName),
    persona: row?.persona_name ?? null,
    lifecycle: row ? (LIFECYCLE_LABELS[row.lifecycle as LifecycleSegment]?.en ?? row.lifecycle) : null,
    vip: row?.vip ?? null,
    rfm_group: row?.rfm_group ? (RFM_GROUP_LABELS[row.rfm_group as RfmGroup]?.en ?? row.rfm_group) : null,
    p_buy_30: row?.p_buy_30 ?? null,
    predicted_clv: row?.predicted_clv ?? null,
    next_purchase_date: row?.next_purchase_date ?? null,
    next_category: row?.next_category ?? null,
    next_category_score: row?.next_category_score ?? null,
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
  const lines = [csvLine(listHeaders(list))];
  for (const m of list.members) {
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
  return `${lines.join('\n')}\n`;
}

/** The list as a JSON document (typed values, snake_case keys). */
export function listToJson(list: AudienceList, asOf: Date): string {
  const doc = {
    name: list.name,
    channel: list.channel,
    kind: list.kind,
    segment: list.segment,
    label: list.label,
    as_of: toIsoDate(asOf),
    count: list.members.length,
    members: list.members,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
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
