import { z } from 'zod';
import { configError } from '../core/errors.js';
import type { PersonaSettings } from './types.js';

/** Persona settings as data: constraints declared once, validated once by the public builder. */
export const personaSettingsSchema = z
  .object({
    /** Personas with fewer customers are merged into the nearest persona or suppressed (k-anonymity floor). */
    minSize: z.number().int().min(1).default(50),
    smallPersonas: z.enum(['merge', 'suppress']).default('merge'),
    /** Family-wise (Holm) or false-discovery (BH) level of the trait tests. */
    alpha: z.number().gt(0).lt(1).default(0.05),
    correction: z.enum(['bh', 'holm']).default('bh'),
    /** Smallest |effect| (Cohen's d or h) for a trait to count as distinguishing: 0.2 = "small". */
    minEffect: z.number().min(0).default(0.2),
    topTraits: z.number().int().min(1).max(20).default(5),
    maxPcaPoints: z.number().int().min(0).default(3000),
  })
  .strict();

export type PersonaSettingsInput = z.input<typeof personaSettingsSchema>;

export function parsePersonaSettings(input: PersonaSettingsInput = {}): PersonaSettings {
  const parsed = personaSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    configError(
      'personas.settings',
      `invalid persona setting personas.${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
      'see the persona settings in the configuration reference (minSize ≥ 1, 0 < alpha < 1, correction bh|holm)',
    );
  }
  return parsed.data;
}
