import { attributionRule } from '../../campaigns/attribution-rule.js';
import { kpiAggregatesSql, type KpiDimension } from '../../campaigns/kpi-aggregates-sql.js';
import { kpiRows, type KpiCounts, type KpiRow } from '../../campaigns/kpi-rows.js';
import { flatKpiRow, KPI_COLUMNS } from '../../campaigns/kpi-table.js';
import { mergeSuggestions, type MergeSuggestion } from '../../campaigns/merge-suggestions.js';
import { retireSuggestions, type GroupReach, type RetireSuggestion } from '../../campaigns/retire-suggestions.js';
import { bisectRows } from '../../campaigns/bisect.js';
import { addCustomer, NO_CUSTOMERS, type ClusteredCounts } from '../../campaigns/clustered-rate.js';
import { DEFAULT_SPLIT_OPTIONS, splitSuggestions, type SplitCandidate, type SplitSuggestion } from '../../campaigns/split-suggestions.js';
import type { FeatureTable } from './features.js';
import { localizeFeature } from '../../personas/vocabulary.js';
import type { Clustering } from './cluster.js';
import { campaignSendsSql } from '../../campaigns/sends-sql.js';
import { toIsoDate } from '../../core/time.js';
import { exec, forEachRow, isOutOfMemory, queryRows, queryValue, tableExists } from '../../io/duckdb.js';
import { writeParquetRows } from '../../io/write-kpis.js';
import type { RunContext } from '../context.js';
import { rowFinder } from '../row-finder.js';
import type { ScoresOutput } from './scores.js';

export interface CampaignKpis {
  readonly available: boolean;
  /** Why there are no KPIs (no events, no sends in the lookback window). */
  readonly reason?: string;
  readonly attribution: { readonly rule: string; readonly window_days: number; readonly touches: readonly string[] };
  readonly lookbackDays: number;
  readonly campaignIds: boolean;
  readonly campaigns: number;
  readonly sends: number;
  readonly rows: readonly KpiRow[];
  /** Personas to merge or split, segments to retire (never converts, unreachable), with their evidence. */
  readonly suggestions: readonly (RetireSuggestion | MergeSuggestion | SplitSuggestion)[];
  /** The settings the report needs to state what it shows. */
  readonly minDelivered: number;
}

/**
 * Stage 8: campaign KPIs per persona, lifecycle segment, rule segment and campaign (kpis.parquet). When the
 * campaign tables do not fit in `engine.memory_limit`, the run goes on without them (a warning, and the report
 * says why there is no campaign performance): KPIs must not sink the scores, personas and report.
 */
export async function campaignsStage(
  ctx: RunContext,
  scores: ScoresOutput,
  clustering?: Clustering,
  features?: FeatureTable,
): Promise<[CampaignKpis]> {
  try {
    return await measureCampaigns(ctx, scores, clustering, features);
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
    const reason = `the campaign tables did not fit in engine.memory_limit (${ctx.engine.settings.memoryLimit}): raise it, or shorten campaigns.lookback_days`;
    ctx.warnings.push(`campaigns: no KPIs: ${reason}`);
    ctx.log.warn(`campaigns: no KPIs: ${reason}`);
    return [noKpis(ctx, reason)];
  }
}

/** The settings every KPI result states, whether or not it has KPIs. */
function statedSettings(ctx: RunContext): Pick<CampaignKpis, 'attribution' | 'lookbackDays'> {
  const settings = ctx.config.campaigns;
  return {
    attribution: {
      rule: attributionRule(settings, 'en'),
      window_days: settings.attribution.window_days,
      touches: settings.attribution.touches,
    },
    lookbackDays: settings.lookback_days,
  };
}

function noKpis(ctx: RunContext, reason: string): CampaignKpis {
  const settings = ctx.config.campaigns;
  return {
    available: false,
    reason,
    ...statedSettings(ctx),
    campaignIds: false,
    campaigns: 0,
    sends: 0,
    rows: [],
    suggestions: [],
    minDelivered: settings.min_delivered,
  };
}

async function measureCampaigns(
  ctx: RunContext,
  scores: ScoresOutput,
  clustering?: Clustering,
  features?: FeatureTable,
): Promise<[CampaignKpis]> {
  const { connection } = ctx.engine;
  const settings = ctx.config.campaigns;
  const base = statedSettings(ctx);
  const none = (reason: string): [CampaignKpis] => {
    ctx.log.info(`campaigns: no KPIs (${reason})`);
    return [noKpis(ctx, reason)];
  };
  if (!(await tableExists(connection, 'events'))) return none('no events table');
  const hasCampaigns = await tableExists(connection, 'campaigns');
  await exec(connection, campaignSendsSql({ asOfEnd: `${toIsoDate(ctx.asOf)} 23:59:59.999999`, settings, hasCampaigns }));
  const sends = Number(await queryValue(connection, 'SELECT count(*) FROM campaign_sends'));
  if (sends === 0) return none(`no email or SMS sends in the ${settings.lookback_days} days before the as-of date`);
  await loadMembers(ctx, scores);
  const counts = await queryRows<KpiCounts>(connection, kpiAggregatesSql(hasCampaigns));
  const rows = kpiRows(counts, {
    minDelivered: settings.min_delivered,
    bootstrapSamples: settings.bootstrap_samples,
    seed: ctx.config.seed,
  });
  await writeParquetRows(connection, ctx.outDir, 'kpis', KPI_COLUMNS, rows.map(flatKpiRow));
  // Whether any send carries a campaign id: the scan of the events stops at the first one.
  const campaignIds = Number(
    await queryValue(
      connection,
      "SELECT count(*) FROM (SELECT 1 FROM events WHERE campaign_id IS NOT NULL AND type IN ('email_sent', 'sms_sent') LIMIT 1)",
    ),
  );
  const campaigns = rows.filter((r) => r.dimension === 'campaign').length;
  const reach = await queryRows<GroupReach>(
    connection,
    // Each member joined to one row at most (whether they were sent anything), not to each of their sends.
    `SELECT m.dimension, m.grp AS "group", any_value(m.label) AS label, count(DISTINCT m.customer_id)::INTEGER AS members,
       count(DISTINCT s.customer_id)::INTEGER AS reached
     FROM campaign_members m LEFT JOIN (SELECT DISTINCT customer_id FROM campaign_sends) s USING (customer_id)
     GROUP BY m.dimension, m.grp ORDER BY m.dimension, m.grp`,
  );
  const splits = clustering && features
    ? splitSuggestions(await splitCandidates(ctx, scores, clustering, features), { ...DEFAULT_SPLIT_OPTIONS, minDelivered: settings.min_delivered })
    : [];
  const suggestions = [...mergeSuggestions(rows, personaCentres(clustering)), ...splits, ...retireSuggestions(rows, reach)];
  ctx.log.info(`campaigns: ${sends} sends of ${campaigns} campaigns measured; kpis.parquet`);
  return [
    { available: true, ...base, campaignIds: campaignIds > 0, campaigns, sends, rows, suggestions, minDelivered: settings.min_delivered },
  ];
}

/** `campaign_members`: each customer's persona, lifecycle segment and rule segments, as of this run. */
async function loadMembers(ctx: RunContext, scores: ScoresOutput): Promise<void> {
  const { connection } = ctx.engine;
  await exec(
    connection,
    'CREATE OR REPLACE TEMP TABLE campaign_members (customer_id VARCHAR, dimension VARCHAR, grp VARCHAR, label VARCHAR)',
  );
  // Appended row by row: no list of every membership is held, and no SQL text is built for it.
  const appender = await connection.createAppender('campaign_members');
  const append = (customerId: string, dimension: KpiDimension, group: string, label: string | null): void => {
    appender.appendVarchar(customerId);
    appender.appendVarchar(dimension);
    appender.appendVarchar(group);
    if (label === null) appender.appendNull();
    else appender.appendVarchar(label);
    appender.endRow();
  };
  try {
    for (const g of scores.groups) {
      if (g.persona_id !== null) append(g.customer_id, 'persona', g.persona_id, g.persona_name);
      append(g.customer_id, 'lifecycle', g.lifecycle, null);
      for (const segment of g.rule_segments) append(g.customer_id, 'rule_segment', segment, null);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Each persona's k-means centre (preprocessed feature space), by persona id. */
function personaCentres(clustering: Clustering | undefined): Map<string, number[]> {
  const centres = new Map<string, number[]>();
  if (!clustering) return centres;
  const d = clustering.columns.length;
  const all = clustering.model.centres;
  clustering.personaIds.forEach((id, label) => centres.set(id, Array.from(all.subarray(label * d, (label + 1) * d))));
  return centres;
}

/**
 * Each persona bisected by a seeded 2-means in the clustering space, with its halves' email clicks and
 * conversions per delivered send summed per customer (what the split test compares).
 */
async function splitCandidates(
  ctx: RunContext,
  scores: ScoresOutput,
  clustering: Clustering,
  features: FeatureTable,
): Promise<SplitCandidate[]> {
  // Per customer on the features' rows, streamed: no object, map entry or id string per customer is held.
  const ids = features.customerIds;
  const rowOf = rowFinder(ids);
  const delivered = new Int32Array(ids.length).fill(-1);
  const clicked = new Int32Array(ids.length);
  const converted = new Int32Array(ids.length);
  await forEachRow(
    ctx.engine.connection,
    `SELECT customer_id, count_if(delivered)::INTEGER AS delivered, count_if(delivered AND clicked)::INTEGER AS clicked,
       count_if(delivered AND orders > 0)::INTEGER AS converted
     FROM campaign_sends WHERE channel = 'email' GROUP BY customer_id`,
    (r) => {
      const row = rowOf(r.customer_id as string);
      if (row === undefined) return;
      delivered[row] = r.delivered as number;
      clicked[row] = r.clicked as number;
      converted[row] = r.converted as number;
    },
  );
  const members = new Map<string, { label: string | null; rows: number[] }>();
  for (const g of scores.groups) {
    if (g.persona_id === null) continue;
    const m = members.get(g.persona_id) ?? { label: g.persona_name, rows: [] };
    m.rows.push(g.row);
    members.set(g.persona_id, m);
  }
  const d = clustering.matrix.nCols;
  const specs = new Map(features.catalogue.map((f) => [f.name, localizeFeature(f).label]));
  return [...members.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([persona, m]) => {
      const { side, centres } = bisectRows(clustering.matrix.values, d, m.rows, ctx.config.seed, persona);
      const halves = [0, 1].map(() => ({ customers: 0, click: NO_CUSTOMERS as ClusteredCounts, conversion: NO_CUSTOMERS as ClusteredCounts }));
      m.rows.forEach((row, i) => {
        const h = halves[side[i] as number] as (typeof halves)[number];
        h.customers++;
        const sent = delivered[row] as number;
        if (sent < 0) return;
        h.click = addCustomer(h.click, clicked[row] as number, sent);
        h.conversion = addCustomer(h.conversion, converted[row] as number, sent);
      });
      let feature = -1;
      let gap = 0;
      for (let j = 0; j < d; j++) {
        const delta = Math.abs((centres[0][j] as number) - (centres[1][j] as number));
        if (delta > gap) [feature, gap] = [j, delta];
      }
      return {
        persona,
        label: m.label,
        halves: halves as unknown as SplitCandidate['halves'],
        apartOn:
          feature < 0
            ? null
            : {
                feature: clustering.columns[feature] as string,
                label: specs.get(clustering.columns[feature] as string) ?? {
                  en: clustering.columns[feature] as string,
                  fr: clustering.columns[feature] as string,
                },
                higherHalf: (centres[0][feature] as number) > (centres[1][feature] as number) ? ('a' as const) : ('b' as const),
              },
      };
    });
}
