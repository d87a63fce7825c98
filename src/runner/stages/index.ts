import { campaignsStage } from './campaigns.js';
import { clusterStage } from './cluster.js';
import { crossSellStage } from './cross-sell.js';
import { driftStage } from './drift.js';
import { featuresStage } from './features.js';
import { personasStage } from './personas.js';
import { promotedStage } from './promoted.js';
import { reportStage } from './report.js';
import { scoresStage } from './scores.js';
import { segmentsStage } from './segments.js';
import { timingStage } from './timing.js';
import { validateStage } from './validate.js';

/** Runner functions by the stage name the pipeline definitions use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const STAGES: Record<string, (...inputs: any[]) => Promise<unknown[]>> = {
  validate: validateStage,
  features: featuresStage,
  drift: driftStage,
  cluster: clusterStage,
  timing: timingStage,
  segments: segmentsStage,
  personas: personasStage,
  promoted: promotedStage,
  scores: scoresStage,
  campaigns: campaignsStage,
  cross_sell: crossSellStage,
  report: reportStage,
};
