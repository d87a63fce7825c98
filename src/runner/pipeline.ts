/**
 * Pipelines as data (kedro-style): a node is a pure-ish function with named inputs and outputs; the
 * runner resolves inputs from a catalog of named values, runs nodes in order, and times each one.
 */
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
  readonly skipped?: boolean;
}

export interface PipelineHooks {
  onStart?(node: PipelineNode, index: number, total: number): void;
  onEnd?(node: PipelineNode, seconds: number): void;
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
    const started = performance.now();
    const outputs = await n.fn(...(n.inputs.map((name) => catalog.get(name.replace(/\?$/, ''))) as never[]));
    const seconds = (performance.now() - started) / 1000;
    n.outputs.forEach((name, i) => {
      if (outputs[i] !== undefined) catalog.set(name, outputs[i]);
    });
    timings.push({ name: n.name, seconds: Math.round(seconds * 1000) / 1000 });
    hooks.onEnd?.(n, seconds);
  }
  return timings;
}
