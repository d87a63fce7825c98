/** k-means hyper-parameters, declared as data and validated once at construction. */
import { z } from 'zod';
import { configError } from '../core/errors.js';

export const kmeansParamsSchema = z
  .object({
    nClusters: z.number().int().min(1).max(1000),
    /** Restarts from different k-means++ seeds; the lowest inertia wins. Ignored with explicit centres. */
    nInit: z.number().int().min(1).max(1000).default(5),
    maxIter: z.number().int().min(1).max(100_000).default(300),
    /** Relative to the mean column variance of the data, as scikit-learn: stop when Σ‖Δc‖² ≤ tol·mean(var). */
    tol: z.number().min(0).default(1e-4),
    seed: z.number().int().default(0),
    /**
     * 'hamerly' prunes distance computations with bounds and gives the same labels as 'lloyd'. With the SIMD
     * kernel it pays off for well separated clusters and larger k; on overlapping data (most customer features)
     * plain Lloyd is as fast or faster, hence the default.
     */
    algorithm: z.enum(['lloyd', 'hamerly']).default('lloyd'),
    init: z.union([z.literal('k-means++'), z.array(z.array(z.number()).min(1)).min(1)]).default('k-means++'),
    /** Threads including the main one; 'auto' uses every core. Small problems always run on one thread. */
    threads: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).default('auto'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (Array.isArray(p.init)) {
      if (p.init.length !== p.nClusters) ctx.addIssue({ code: 'custom', path: ['init'], message: `has ${p.init.length} centres for nClusters = ${p.nClusters}` });
      const width = p.init[0]?.length ?? 0;
      if (p.init.some((c) => c.length !== width || c.some((v) => !Number.isFinite(v)))) ctx.addIssue({ code: 'custom', path: ['init'], message: 'centres must be finite and all of the same length' });
    }
  });

export type KMeansParamsInput = z.input<typeof kmeansParamsSchema>;
export type KMeansParams = z.output<typeof kmeansParamsSchema>;

/** Parses settings with a schema; a failure becomes a config error naming each offending setting. */
export function parseSettings<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
    configError('cluster.bad_params', `Invalid settings: ${issues}.`, `Fix these settings in the configuration (${where}).`);
  }
  return parsed.data;
}
