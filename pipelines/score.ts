import type { StageDefinition } from './main.js';

/** `personae score`: the promoted models applied to fresh data, with no training. */
export const scorePipeline: readonly StageDefinition[] = [
  { name: 'validate', inputs: ['ctx'], outputs: ['validation'] },
  { name: 'features', inputs: ['ctx', 'validation'], outputs: ['features'] },
  { name: 'promoted', inputs: ['ctx', 'features', 'registryRoot'], outputs: ['timing', 'personas'] },
  { name: 'segments', inputs: ['ctx', 'features', 'timing'], outputs: ['segments'] },
  { name: 'scores', inputs: ['ctx', 'features', 'segments', 'personas'], outputs: ['scores'] },
];
