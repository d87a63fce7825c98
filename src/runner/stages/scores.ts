import { forEachRow, tableExists, type DuckDBConnection } from '../../io/duckdb.js';
import { writeExports, writeScores } from '../../io/write-exports.js';
import {
  audiencesFromScores,
  CONSENT_EMAIL,
  CONSENT_SMS,
  duplicateRecord,
  exportListsOnColumns,
  scoreGroupsOnRows,
  scoreRowsOnRows,
  trimmedText,
  usableEmail,
  usablePhone,
  type ExportColumns,
  type ExportSummary,
  type PersonaAssignment,
  type ScoreGroups,
  type ScoreRow,
} from '../../segments/index.js';
import type { RunContext } from '../context.js';
import { rowFinder } from '../row-finder.js';
import type { CrossSellResult } from './cross-sell.js';
import type { FeatureTable } from './features.js';
import type { Personas } from './personas.js';
import type { Segments } from './segments.js';

export interface ScoresOutput {
  /** The scores table's rows, built anew from the stage's inputs each time they are iterated (never all held). */
  readonly rows: Iterable<ScoreRow>;
  /** Each row's persona, lifecycle and rule segments, with its row of the features, without building the rows. */
  readonly groups: Iterable<ScoreGroups>;
  readonly count: number;
  readonly exports: ExportSummary;
}

/** Stage 7: the scores table (scores.parquet + scores.csv) and the consent-filtered audience exports. */
export async function scoresStage(
  ctx: RunContext,
  features: FeatureTable,
  segments: Segments,
  personas: Personas,
  crossSell?: CrossSellResult,
): Promise<[ScoresOutput]> {
  const { connection } = ctx.engine;
  const lang = ctx.config.report.lang;
  const ids = features.customerIds;
  const rowOf = rowFinder(ids);
  const { erased, consent } = await readConsent(connection, ids.length, rowOf);
  const ruleSegments = new Map(segments.rules.map((r) => [r.customerId, r.segments]));
  // Rows are built as they are written, counted and exported, then let go: a million customers' rows are never
  // held; each is built from the stages' typed columns on the features' rows.
  const persona = (row: number): PersonaAssignment | undefined => {
    const a = personas.assignment[row];
    return a ? { customerId: ids[row] as string, personaId: a.personaId, personaName: a.name[lang] } : undefined;
  };
  const rulesAt = (row: number): readonly string[] | undefined => ruleSegments.get(ids[row] as string);
  const rows = scoreRowsOnRows({
    asOf: ctx.asOf,
    customerIds: ids,
    erased,
    lifecycle: segments.lifecycleAt,
    prediction: (row) => segments.predictions.at(row),
    rfm: segments.rfmAt,
    persona,
    ruleSegments: rulesAt,
    ...(crossSell ? { nextCategory: (row: number) => crossSell.next.at(row) } : {}),
  });
  const { rows: count } = await writeScores(ctx.outDir, rows, undefined, connection);
  const contacts = await readContacts(connection, consent, rowOf);
  // One list at a time: each is written and let go before the next is built.
  const stream = exportListsOnColumns({
    asOf: ctx.asOf,
    audiences: audiencesFromScores(rows, ctx.config.segments.exports),
    rows,
    columns: { customerIds: ids, rowOf, consent, ...contacts },
    erased,
    suppressed: await readSuppressed(connection),
    channels: ctx.config.segments.exports.channels,
  });
  await writeExports(ctx.outDir, stream, ctx.asOf);
  const summary = stream.summary();
  ctx.log.info(`scores: ${count} customers; exports: ${summary.lists.length} audience lists`);
  const groups = scoreGroupsOnRows({ customerIds: ids, erased, persona, ruleSegments: rulesAt, segment: segments.segmentAt });
  return [{ rows, groups, count, exports: summary }];
}

/*
 * The readers below fill their columns from callbacks in their own scope: a callback in the stage's scope would put
 * them in the context its other closures share, and the scores' row source (kept for the campaigns and the
 * report) would keep every customer's consent and contact details alive until the run ends.
 */

/**
 * Channel consent on the features' rows (a byte each, not an object and a map entry per customer), and the erased,
 * read as DuckDB streams them. consent_state has one row per customer; a second one on a row fails, as it did.
 */
async function readConsent(
  connection: DuckDBConnection,
  n: number,
  rowOf: (customerId: string) => number | undefined,
): Promise<{ erased: Set<string>; consent: Uint8Array }> {
  const erased = new Set<string>();
  const consent = new Uint8Array(n);
  const seen = new Uint8Array(n);
  let record = 0;
  await forEachRow(connection, 'SELECT customer_id, email_ok, sms_ok, erased FROM consent_state', (s) => {
    const id = s.customer_id as string;
    if (s.erased) {
      erased.add(id);
      return;
    }
    record += 1;
    const row = rowOf(id);
    if (row === undefined) return;
    if (seen[row]) duplicateRecord('consent', record, id);
    seen[row] = 1;
    consent[row] = (s.email_ok === true ? CONSENT_EMAIL : 0) | (s.sms_ok === true ? CONSENT_SMS : 0);
  });
  return { erased, consent };
}

/**
 * The eligible customers' usable addresses, on the features' rows and only where the channel's consent is granted
 * (no other is ever exported); orders-only data has no customers table, hence none (every list is empty, and says
 * why). The First Name column is written when any eligible customer has a first name, as before.
 */
async function readContacts(
  connection: DuckDBConnection,
  consent: Uint8Array,
  rowOf: (customerId: string) => number | undefined,
): Promise<Pick<ExportColumns, 'address' | 'firstName' | 'withFirstName'>> {
  const email: (string | null)[] = new Array<string | null>(consent.length).fill(null);
  const sms: (string | null)[] = new Array<string | null>(consent.length).fill(null);
  const firstName: (string | null)[] = new Array<string | null>(consent.length).fill(null);
  const seen = new Uint8Array(consent.length);
  let withFirstName = false;
  let record = 0;
  if (await tableExists(connection, 'customers'))
    await forEachRow(
      connection,
      'SELECT customer_id, email, phone, first_name FROM customers WHERE customer_id IN (SELECT customer_id FROM eligible)',
      (c) => {
        record += 1;
        const id = c.customer_id as string;
        const first = trimmedText(c.first_name as string | null);
        withFirstName ||= first !== null;
        const row = rowOf(id);
        if (row === undefined) return;
        if (seen[row]) duplicateRecord('contacts', record, id);
        seen[row] = 1;
        const granted = consent[row] as number;
        if (granted === 0) return;
        if (granted & CONSENT_EMAIL) email[row] = usableEmail(c.email as string | null);
        if (granted & CONSENT_SMS) sms[row] = usablePhone(c.phone as string | null);
        firstName[row] = first;
      },
    );
  return { address: { email, sms }, firstName, withFirstName };
}

/** Addresses another customer record holds who is erased or withdrew (`suppressed_contacts`), per channel. */
async function readSuppressed(connection: DuckDBConnection): Promise<Record<'email' | 'sms', Set<string>>> {
  const suppressed = { email: new Set<string>(), sms: new Set<string>() };
  if (await tableExists(connection, 'suppressed_contacts'))
    await forEachRow(connection, 'SELECT channel, address FROM suppressed_contacts', (s) => {
      if (s.channel === 'email' || s.channel === 'sms') suppressed[s.channel].add(s.address as string);
    });
  return suppressed;
}

