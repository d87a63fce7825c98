/**
 * Pipelines as data (kedro-style): a node is a pure-ish function with named inputs and outputs; the
 * runner resolves inputs from a catalog of named values, runs nodes in order, and times each one.
 */
import { collectGarbage } from './collect-garbage.js';

export type Catalog = Map<string, unknown>;

export interface PipelineNode {
  readonly name: string;
  /** Catalog names; a trailing `?` marks an input that may be absent (passed as undefined). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Receives the inputs in order; returns one value per output, in order. */
  readonly fn: (...inputs: never[]) => unknown[] | Promise<unknown[]>;
  /** Skipped (with its outputs left undefined) when an optional input is absent. */
  readonly optional?: boolean;
}

export function node<I extends unknown[]>(
  fn: (...inputs: I) => unknown[] | Promise<unknown[]>,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  optional = false,
): PipelineNode {
  return { name, inputs, outputs, fn: fn as unknown as PipelineNode['fn'], optional };
}

export interface StageTiming {
  readonly name: string;
  readonly seconds: number;
  /** CPU time of the whole process during the stage (all threads: DuckDB's, workers'), user + system. */
  readonly cpuSeconds?: number;
  /** Peak resident memory of the process during the stage, MiB (measured as `measureStage` in src/runner/pipeline.ts describes). */
  readonly peakRssMb?: number;
  readonly skipped?: boolean;
}

/**
 * Starts measuring a stage; the returned function ends it. Peak RSS: when the process's lifetime peak
 * (getrusage) rose during the stage, that new peak is the stage's, exactly; otherwise the highest of the
 * samples taken every 100 ms (while the stage awaits DuckDB or workers) and at its end.
 */
export function measureStage(): () => { seconds: number; cpuSeconds: number; peakRssMb: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const lifetimePeak = process.resourceUsage().maxRSS * 1024;
  let sampled = process.memoryUsage.rss();
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    const used = process.cpuUsage(cpu);
    const peak = process.resourceUsage().maxRSS * 1024;
    const stagePeak = peak > lifetimePeak ? peak : Math.max(sampled, process.memoryUsage.rss());
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    return {
      seconds: round((performance.now() - started) / 1000),
      cpuSeconds: round((used.user + used.system) / 1e6),
      peakRssMb: Math.round(stagePeak / 2 ** 20),
    };
  };
}

export interface PipelineHooks {
  onStart?(node: PipelineNode, index: number, total: number): void;
  onEnd?(node: PipelineNode, seconds: number): void;
  /** After each stage that ran, with its measures. */
  onMeasured?(timing: StageTiming): void;
}

export async function runPipeline(
  nodes: readonly PipelineNode[],
  catalog: Catalog,
  hooks: PipelineHooks = {},
): Promise<StageTiming[]> {
  const timings: StageTiming[] = [];
  for (const [index, n] of nodes.entries()) {
    const missing = n.inputs.filter((name) => !name.endsWith('?') && !catalog.has(name));
    if (missing.length > 0) {
      if (n.optional) {
        timings.push({ name: n.name, seconds: 0, skipped: true });
        continue;
      }
      throw new Error(`pipeline node ${n.name} needs ${missing.join(', ')}, which no earlier node produced`);
    }
    hooks.onStart?.(n, index, nodes.length);
    const end = measureStage();
    const outputs = await n.fn(...(n.inputs.map((name) => catalog.get(name.replace(/\?$/, ''))) as never[]));
    collectGarbage();
    const measured = end();
    n.outputs.forEach((name, i) => {
      if (outputs[i] !== undefined) catalog.set(name, outputs[i]);
    });
    const timing = { name: n.name, ...measured };
    timings.push(timing);
    hooks.onEnd?.(n, measured.seconds);
    hooks.onMeasured?.(timing);
  }
  return timings;
}
