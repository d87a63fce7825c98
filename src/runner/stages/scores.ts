import { forEachRow, queryRows, tableExists, type DuckDBConnection } from '../../io/duckdb.js';
import { writeExports, writeScores } from '../../io/write-exports.js';
import {
  audiencesFromScores,
  exportLists,
  scoreRowsOnRows,
  type ChannelConsent,
  type ContactDetails,
  type ExportSummary,
  type ScoreRow,
} from '../../segments/index.js';
import type { RunContext } from '../context.js';
import type { CrossSellResult } from './cross-sell.js';
import type { FeatureTable } from './features.js';
import type { Personas } from './personas.js';
import type { Segments } from './segments.js';

export interface ScoresOutput {
  /** The scores table's rows, built anew from the stage's inputs each time they are iterated (never all held). */
  readonly rows: Iterable<ScoreRow>;
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
  const { erased, consent } = await readConsent(connection);
  const ids = features.customerIds;
  const ruleSegments = new Map(segments.rules.map((r) => [r.customerId, r.segments]));
  // Rows are built as they are written, counted and exported, then let go: a million customers' rows are never
  // held; each is built from the stages' typed columns on the features' rows.
  const rows = scoreRowsOnRows({
    asOf: ctx.asOf,
    customerIds: ids,
    erased,
    lifecycle: segments.lifecycleAt,
    prediction: (row) => segments.predictions.at(row),
    rfm: segments.rfmAt,
    persona: (row) => {
      const a = personas.assignment[row];
      return a ? { customerId: ids[row] as string, personaId: a.personaId, personaName: a.name[lang] } : undefined;
    },
    ruleSegments: (row) => ruleSegments.get(ids[row] as string),
    ...(crossSell ? { nextCategory: (row: number) => crossSell.next.at(row) } : {}),
  });
  const { rows: count } = await writeScores(ctx.outDir, rows, undefined, connection);
  const contacts = await readContacts(connection);
  const suppressed = (await tableExists(connection, 'suppressed_contacts'))
    ? await queryRows<{ channel: 'email' | 'sms'; address: string }>(connection, 'SELECT channel, address FROM suppressed_contacts')
    : [];
  // One list at a time: each is written and let go before the next is built.
  const stream = exportLists({
    asOf: ctx.asOf,
    audiences: audiencesFromScores(rows, ctx.config.segments.exports),
    rows,
    contacts,
    consent,
    erased,
    suppressed: {
      email: new Set(suppressed.filter((s) => s.channel === 'email').map((s) => s.address)),
      sms: new Set(suppressed.filter((s) => s.channel === 'sms').map((s) => s.address)),
    },
    channels: ctx.config.segments.exports.channels,
  });
  await writeExports(ctx.outDir, stream, ctx.asOf);
  const summary = stream.summary();
  ctx.log.info(`scores: ${count} customers; exports: ${summary.lists.length} audience lists`);
  return [{ rows, count, exports: summary }];
}

/*
 * The readers below fill their lists from callbacks in their own scope: a callback in the stage's scope would put
 * the lists in the context its other closures share, and the scores' row source (kept for the campaigns and the
 * report) would keep every customer's consent and contact details alive until the run ends.
 */

/** Channel consent of each customer not erased, and the erased, read as DuckDB streams them. */
async function readConsent(connection: DuckDBConnection): Promise<{ erased: Set<string>; consent: ChannelConsent[] }> {
  const erased = new Set<string>();
  const consent: ChannelConsent[] = [];
  await forEachRow(connection, 'SELECT customer_id, email_ok, sms_ok, erased FROM consent_state', (s) => {
    if (s.erased) erased.add(s.customer_id as string);
    else consent.push({ customerId: s.customer_id as string, email: s.email_ok as boolean, sms: s.sms_ok as boolean });
  });
  return { erased, consent };
}

/** The eligible customers' contact details; orders-only data has no customers table, hence none (every list is empty, and says why). */
async function readContacts(connection: DuckDBConnection): Promise<ContactDetails[]> {
  const contacts: ContactDetails[] = [];
  if (await tableExists(connection, 'customers'))
    await forEachRow(
      connection,
      'SELECT customer_id AS "customerId", email, phone, first_name AS "firstName" FROM customers WHERE customer_id IN (SELECT customer_id FROM eligible)',
      (row) => contacts.push(row as unknown as ContactDetails),
    );
  return contacts;
}
