/**
 * The main pipeline as data: each stage names the runner function it calls, what it reads from the
 * catalog and what it adds to it. No maths and no I/O here; `personae run` and `personae retrain` run it.
 */
export interface StageDefinition {
  readonly name: string;
  /** Catalog names; a trailing `?` marks an input that may be absent. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Skipped, not failed, when an input is absent (e.g. no events table, no previous run). */
  readonly optional?: boolean;
}

export const mainPipeline: readonly StageDefinition[] = [
  { name: 'validate', inputs: ['ctx'], outputs: ['validation'] },
  { name: 'features', inputs: ['ctx', 'validation'], outputs: ['features'] },
  { name: 'drift', inputs: ['ctx', 'features', 'driftReference?'], outputs: ['drift'] },
  { name: 'cluster', inputs: ['ctx', 'features', 'previous?'], outputs: ['clustering'] },
  { name: 'timing', inputs: ['ctx', 'features', 'incumbents?'], outputs: ['timing'] },
  // Before the segments: rule segments may select on the next best category (`next_category` conditions).
  { name: 'cross_sell', inputs: ['ctx', 'features'], outputs: ['crossSell'] },
  { name: 'segments', inputs: ['ctx', 'features', 'timing', 'previous?', 'crossSell?'], outputs: ['segments'] },
  {
    name: 'personas',
    inputs: ['ctx', 'validation', 'features', 'clustering', 'segments', 'previous?', 'drift?', 'timing?'],
    outputs: ['personas'],
  },
  { name: 'scores', inputs: ['ctx', 'features', 'segments', 'personas', 'crossSell?'], outputs: ['scores'] },
  { name: 'campaigns', inputs: ['ctx', 'scores', 'clustering?', 'features?'], outputs: ['campaigns'] },
  { name: 'report', inputs: ['ctx', 'personas', 'scores?', 'campaigns?', 'crossSell?', 'segments?'], outputs: ['report'] },
];
