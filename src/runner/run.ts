import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mainPipeline } from '../../pipelines/main.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { toIsoDate } from '../core/time.js';
import { openEngine } from '../io/duckdb.js';
import { engineOptions, explainEngineError } from '../io/engine-settings.js';
import { findSources } from '../io/find-sources.js';
import { claimOutputs, type OutputClaim } from '../io/outputs.js';
import type { RunContext } from './context.js';
import type { FeatureProfile } from './drift.js';
import type { PreviousState } from './previous.js';
import type { Incumbents } from './stages/timing.js';
import { combinedFingerprint, fingerprintFile, type FileFingerprint } from './fingerprint.js';
import { node, runPipeline, type Catalog, type PipelineNode, type StageTiming } from './pipeline.js';
import { STAGES } from './stages/index.js';
import { buildManifest, type RunManifest } from './manifest.js';

export interface RunOptions {
  readonly dataDir: string;
  /** What run.json names as the data when it is not `dataDir` (a PostgreSQL schema staged there). */
  readonly dataSource?: string | undefined;
  readonly asOf: Date;
  readonly outDir: string;
  readonly config: Config;
  readonly configPath?: string | undefined;
  readonly log: Logger;
  /** The previous run's personas and segments (lineage, migration, transitions). */
  readonly previous?: PreviousState | undefined;
  /** The pipeline to run (default: the main pipeline, which trains). */
  readonly pipeline?: typeof mainPipeline;
  /** Feature profiles of the promoted models' data: the drift stage compares this run with them. */
  readonly driftReference?: Record<string, FeatureProfile> | undefined;
  /** The model registry, for pipelines that load promoted models. */
  readonly registryRoot?: string;
  /** Promoted models to score on the same backtest (retrain's gate). */
  readonly incumbents?: Incumbents | undefined;
  /** The caller's claim on OUT (retrain writes more after the run); by default the run claims OUT itself. */
  readonly claim?: OutputClaim;
}

export interface RunResult {
  readonly manifest: RunManifest;
  readonly manifestPath: string;
  readonly catalog: Catalog;
}

/** Runs the whole pipeline once: validate, features, models, personas, segments, outputs; writes run.json. */
export async function runOnce(options: RunOptions): Promise<RunResult> {
  const started = new Date();
  const sources = findSources(options.dataDir, options.config);
  // The run owns what it writes: outputs an earlier run wrote here go first (src/io/outputs.ts).
  const claim = options.claim ?? (await claimOutputs(options.outDir));
  const inputs: FileFingerprint[] = [];
  for (const source of Object.values(sources)) inputs.push(await fingerprintFile(source.path, source.name));
  const baseDir = options.configPath ? dirname(options.configPath) : process.cwd();
  const engine = await openEngine(engineOptions(options.config.engine, baseDir));
  const ctx: RunContext = {
    engine,
    config: options.config,
    configPath: options.configPath,
    dataDir: options.dataDir,
    asOf: options.asOf,
    outDir: options.outDir,
    log: options.log,
    warnings: [],
  };
  const catalog: Catalog = new Map<string, unknown>([['ctx', ctx]]);
  if (options.previous) catalog.set('previous', options.previous);
  if (options.incumbents) catalog.set('incumbents', options.incumbents);
  if (options.registryRoot) catalog.set('registryRoot', options.registryRoot);
  if (options.driftReference) catalog.set('driftReference', options.driftReference);
  let stages: StageTiming[];
  const nodes = compile(options.pipeline ?? mainPipeline);
  try {
    stages = await runPipeline(nodes, catalog, {
      onStart: (n, i, total) => options.log.progress(`stage ${n.name}`, i, total),
      ...(process.env.PERSONAE_MEM_LOG ? { onMeasured: (timing: StageTiming) => options.log.info(memoryLine(timing)) } : {}),
    });
    options.log.progress('stages', nodes.length, nodes.length);
  } catch (error) {
    throw explainEngineError(error, engine.settings);
  } finally {
    engine.close();
  }
  const manifest = buildManifest({
    started,
    asOf: toIsoDate(options.asOf),
    dataDir: options.dataSource ?? options.dataDir,
    inputs,
    dataFingerprint: combinedFingerprint(inputs),
    config: options.config,
    configPath: options.configPath,
    stages,
    catalog,
    warnings: ctx.warnings,
  });
  const manifestPath = join(options.outDir, 'run.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  if (!options.claim) await claim.finish();
  return { manifest, manifestPath, catalog };
}

/**
 * `PERSONAE_MEM_LOG=1`: one `[mem]` line per stage with its measures and the JavaScript heap after it (MiB), to
 * see what JavaScript holds per customer from stage to stage (the scaling notes in the README were measured so);
 * the heap is measured after the full collection the runner makes after each stage.
 */
function memoryLine(timing: StageTiming): string {
  const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
  const m = process.memoryUsage();
  const { name, ...measured } = timing;
  return `[mem] ${name} ${JSON.stringify(measured)} heapUsed ${mib(m.heapUsed)} heapTotal ${mib(m.heapTotal)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)} rss ${mib(m.rss)}`;
}

/** Binds each stage definition of a pipeline to the runner function of the same name. */
export function compile(definitions: typeof mainPipeline): PipelineNode[] {
  return definitions.map((d) => {
    const fn = STAGES[d.name];
    if (!fn) throw new Error(`pipeline stage ${d.name} has no runner function`);
    return node(fn, d.inputs, d.outputs, d.name, d.optional ?? false);
  });
}
