import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersonaDocument } from '../personas/types.js';
import { queryRows, withConnection } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql.js';
import { parseIsoDate } from '../core/time.js';

/** What a run needs from the previous one to keep persona ids and names, and to count migrations. */
export interface PreviousState {
  readonly source: string;
  /** The previous run's as-of date, when its run.json says. */
  readonly asOf: Date | undefined;
  /** Customer id → persona id in the previous run. */
  readonly membership: ReadonlyMap<string, string>;
  /** Customer id → lifecycle segment in the previous run. */
  readonly lifecycle: ReadonlyMap<string, string>;
  readonly retiredIds: readonly string[];
  readonly document: PersonaDocument | undefined;
  /** Feature columns of the previous run (for drift), when available. */
  readonly featuresPath: string | undefined;
}

/** Reads a previous run's outputs (scores.parquet, personas.json); undefined when there is none. */
export async function loadPreviousRun(runDir: string): Promise<PreviousState | undefined> {
  const scores = join(runDir, 'scores.parquet');
  if (!existsSync(scores)) return undefined;
  const rows = await withConnection((c) =>
    queryRows<{ customer_id: string; persona_id: string | null; lifecycle: string | null }>(
      c,
      `SELECT customer_id, persona_id, lifecycle FROM read_parquet(${quoteLiteral(scores)})`,
    ),
  );
  const personasPath = join(runDir, 'personas.json');
  const document = existsSync(personasPath)
    ? (JSON.parse(readFileSync(personasPath, 'utf8')) as PersonaDocument)
    : undefined;
  const lineagePath = join(runDir, 'lineage.json');
  const retiredIds = existsSync(lineagePath)
    ? ((JSON.parse(readFileSync(lineagePath, 'utf8')) as { retiredIds?: string[] }).retiredIds ?? [])
    : [];
  const features = join(runDir, 'features.parquet');
  const manifestPath = join(runDir, 'run.json');
  const asOfText = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { asOf?: string }).asOf
    : undefined;
  return {
    source: runDir,
    asOf: asOfText ? parseIsoDate(asOfText) : undefined,
    membership: new Map(rows.filter((r) => r.persona_id).map((r) => [r.customer_id, r.persona_id as string])),
    lifecycle: new Map(rows.filter((r) => r.lifecycle).map((r) => [r.customer_id, r.lifecycle as string])),
    retiredIds,
    document,
    featuresPath: existsSync(features) ? features : undefined,
  };
}
