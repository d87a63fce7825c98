import type { Command } from 'commander';
import { registerBtyd } from './btyd.js';
import { registerFeatures } from './features.js';
import { registerGenerate } from './generate.js';
import { registerModels } from './models.js';
import { registerReport } from './report.js';
import { registerRetrain } from './retrain.js';
import { registerRun } from './run.js';
import { registerScore } from './score.js';
import { registerStart } from './start.js';
import { registerValidate } from './validate.js';

/** Every subcommand registers itself here. */
export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerValidate(program);
  registerRun(program);
  registerRetrain(program);
  registerScore(program);
  registerStart(program);
  registerFeatures(program);
  registerModels(program);
  registerReport(program);
  registerBtyd(program);
}
