import { z } from 'zod';
import { configError } from '../../core/errors.js';

/**
 * Hyper-parameters of the neural timing model, declared once as data and validated at construction.
 * They (and only they) enter the model id; learned state lives in the fitted model.
 */
export const neuralTimingParamsSchema = z
  .object({
    /** Width of a hazard bin in days; 10 puts bin edges on 30, 60 and 90 days. */
    binDays: z.number().int().min(1).max(90).default(10),
    /** Days after the cutoff that the hazard covers; at least 90 for P(buy within 90 days). */
    horizonDays: z.number().int().min(90).max(730).default(180),
    /** Units of the hidden dense layers (ReLU), e.g. [64, 32]. */
    hiddenUnits: z.array(z.number().int().min(1).max(4096)).min(1).max(6).default([64, 32]),
    learningRate: z.number().gt(0).max(1).default(0.002),
    batchSize: z.number().int().min(8).max(65536).default(512),
    maxEpochs: z.number().int().min(1).max(1000).default(60),
    /** Epochs without a better validation loss before training stops (best weights are restored). */
    patience: z.number().int().min(1).max(100).default(6),
    /** Share of customers held out (seeded) for early stopping and calibration. */
    validationFraction: z.number().gt(0).lt(0.9).default(0.2),
    /** L2 penalty on the kernels, per customer. */
    l2: z.number().min(0).max(1).default(1e-5),
    /** Correction of P(buy within 30/60/90 days) fitted on the validation split when it is miscalibrated. */
    calibration: z.enum(['platt', 'isotonic', 'none']).default('platt'),
    /**
   * Expected calibration error of P(buy in 30 d) on the validation split above which it is corrected
   * (also at least twice the error that sampling noise alone gives on that split).
   */
    calibrationTolerance: z.number().min(0).max(1).default(0.02),
  })
  .strict()
  .refine((p) => p.horizonDays % p.binDays === 0, {
    message: 'horizonDays must be a multiple of binDays',
    path: ['horizonDays'],
  });

export type NeuralTimingParams = z.output<typeof neuralTimingParamsSchema>;
export type NeuralTimingParamsInput = z.input<typeof neuralTimingParamsSchema>;

export function parseNeuralTimingParams(input: NeuralTimingParamsInput = {}): NeuralTimingParams {
  const parsed = neuralTimingParamsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['timing', 'neural', ...(issue?.path ?? []).map(String)].join('.');
    return configError(
      'bad_neural_param',
      `invalid neural timing setting ${where}: ${issue?.message ?? 'invalid value'}`,
      'fix the setting or remove it to use the default (see src/timing/neural/params.ts)',
    );
  }
  return parsed.data;
}
