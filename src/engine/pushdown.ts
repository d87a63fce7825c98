import type { PostgresEngine } from './postgres.js';

/** One postgres_fdw Foreign Scan of a coordinator's plan: what it reads and what it sends to its shard. */
export interface ForeignScan {
  /** The foreign table(s) it reads, and "Aggregate on (…)" when the shard aggregates them. */
  readonly relations: string;
  /** The SQL the shard runs. */
  readonly remoteSql: string;
  /** Runs concurrently with the other shards' scans (async append). */
  readonly async: boolean;
}

/** A grouping the coordinator runs itself: an Aggregate, WindowAgg or Group node of its plan. */
export interface LocalAggregation {
  readonly node: string;
  /** The foreign tables whose rows it groups (or the shards' joins and aggregates, as their Relations read). */
  readonly reads: readonly string[];
}

/** Where a query runs on a coordinator, from `EXPLAIN (VERBOSE, FORMAT JSON)`. */
export interface PushdownPlan {
  readonly foreignScans: readonly ForeignScan[];
  /** Groupings the coordinator runs itself (none when every aggregate is pushed to the shards). */
  readonly localAggregations: readonly LocalAggregation[];
  /** How many there are. */
  readonly localAggregates: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Relations?: string;
  'Remote SQL'?: string;
  'Async Capable'?: boolean;
  Plans?: PlanNode[];
}

const GROUPING_NODES = new Set(['Aggregate', 'WindowAgg', 'Group']);

/** The foreign tables (or pushed relations) read at or below `node`. */
function foreignReads(node: PlanNode): string[] {
  const own =
    node['Node Type'] === 'Foreign Scan' ? [node['Relation Name'] ?? node.Relations ?? ''] : [];
  return [...own, ...(node.Plans ?? []).flatMap(foreignReads)];
}

/** Plans `sql` on a coordinator (without running it) and lists what goes to the shards. */
export async function explainPushdown(coordinator: PostgresEngine, sql: string): Promise<PushdownPlan> {
  const rows = await coordinator.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ${sql}`,
  );
  const root = rows[0]?.['QUERY PLAN'][0]?.Plan;
  const foreignScans: ForeignScan[] = [];
  const localAggregations: LocalAggregation[] = [];
  const visit = (node: PlanNode): void => {
    if (node['Node Type'] === 'Foreign Scan') {
      foreignScans.push({
        relations: node.Relations ?? node['Relation Name'] ?? '',
        remoteSql: node['Remote SQL'] ?? '',
        async: node['Async Capable'] === true,
      });
    } else if (GROUPING_NODES.has(node['Node Type'])) {
      localAggregations.push({ node: node['Node Type'], reads: foreignReads(node) });
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  if (root) visit(root);
  return { foreignScans, localAggregations, localAggregates: localAggregations.length };
}
