import type { StageDefinition } from './main.js';

/** `personae score`: the promoted models applied to fresh data, with no training. */
export const scorePipeline: readonly StageDefinition[] = [
  { name: 'validate', inputs: ['ctx'], outputs: ['validation'] },
  { name: 'features', inputs: ['ctx', 'validation'], outputs: ['features'] },
  { name: 'promoted', inputs: ['ctx', 'features', 'registryRoot'], outputs: ['timing', 'personas'] },
  // Co-purchase counts, no model to promote: recomputed so that scores and `next_category` rules match a run's.
  { name: 'cross_sell', inputs: ['ctx', 'features'], outputs: ['crossSell'] },
  { name: 'segments', inputs: ['ctx', 'features', 'timing', 'previous?', 'crossSell?'], outputs: ['segments'] },
  { name: 'scores', inputs: ['ctx', 'features', 'segments', 'personas', 'crossSell?'], outputs: ['scores'] },
];
