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

/** Where a query runs on a coordinator, from `EXPLAIN (VERBOSE, FORMAT JSON)`. */
export interface PushdownPlan {
  readonly foreignScans: readonly ForeignScan[];
  /** Aggregate nodes the coordinator runs itself (none when every aggregate is pushed to the shards). */
  readonly localAggregates: number;
}

interface PlanNode {
  'Node Type': string;
  Relations?: string;
  'Remote SQL'?: string;
  'Async Capable'?: boolean;
  Plans?: PlanNode[];
}

/** Plans `sql` on a coordinator (without running it) and lists what goes to the shards. */
export async function explainPushdown(coordinator: PostgresEngine, sql: string): Promise<PushdownPlan> {
  const rows = await coordinator.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ${sql}`,
  );
  const root = rows[0]?.['QUERY PLAN'][0]?.Plan;
  const foreignScans: ForeignScan[] = [];
  let localAggregates = 0;
  const visit = (node: PlanNode): void => {
    if (node['Node Type'] === 'Foreign Scan') {
      foreignScans.push({
        relations: node.Relations ?? '',
        remoteSql: node['Remote SQL'] ?? '',
        async: node['Async Capable'] === true,
      });
    } else if (node['Node Type'] === 'Aggregate') localAggregates++;
    for (const child of node.Plans ?? []) visit(child);
  };
  if (root) visit(root);
  return { foreignScans, localAggregates };
}
