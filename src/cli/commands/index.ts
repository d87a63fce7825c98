import type { Command } from 'commander';
import { registerFeatures } from './features.js';
import { registerGenerate } from './generate.js';
import { registerModels } from './models.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerValidate } from './validate.js';

/** Every subcommand registers itself here. */
export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerValidate(program);
  registerRun(program);
  registerFeatures(program);
  registerModels(program);
  registerReport(program);
}
