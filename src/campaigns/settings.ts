import { z } from 'zod';

/**
 * Campaign measurement settings (`campaigns:` in the config), declared as data and validated once.
 * The attribution rule is the one the report prints: an order is credited to the send whose latest touch
 * (a click, or an open when opens count) came before it within `window_days`; when several sends touched
 * the customer, the last touch wins, and one order is credited to one send at most.
 */
export const ATTRIBUTION_TOUCHES = ['click', 'open'] as const;
export type AttributionTouch = (typeof ATTRIBUTION_TOUCHES)[number];

/**
 * Category names of an "other" or unknown family: cross-sell never recommends them (a customer "not yet
 * buying other" is nothing a marketer can act on), though they still count as purchases it learns from.
 */
export const UNKNOWN_CATEGORIES = [
  'other',
  'others',
  'unknown',
  'misc',
  'miscellaneous',
  'n/a',
  'na',
  'none',
  'uncategorized',
  'uncategorised',
  'autre',
  'autres',
  'divers',
  'inconnu',
] as const;

export const campaignSettingsSchema = z
  .object({
    /** Sends in the last `lookback_days` before the as-of date are measured. */
    lookback_days: z.number().int().min(7).max(3650).default(365),
    attribution: z
      .object({
        window_days: z.number().min(0.5).max(90).default(5),
        touches: z
          .array(z.enum(ATTRIBUTION_TOUCHES))
          .min(1)
          .refine((t) => new Set(t).size === t.length, 'must not repeat a touch')
          .default(['click', 'open']),
        model: z.literal('last_touch').default('last_touch'),
      })
      .strict()
      .prefault({}),
    /** Without campaign ids, a response belongs to the customer's latest send of its channel this recent. */
    response_window_days: z.number().min(0.5).max(90).default(7),
    /** A cell with fewer delivered sends than this is marked too small to read. */
    min_delivered: z.number().int().min(1).default(100),
    bootstrap_samples: z.number().int().min(100).max(20000).default(1000),
    /** Categories cross-sell never recommends, compared case-insensitively (default: the usual "other" names). */
    cross_sell_exclude: z.array(z.string().min(1)).default([...UNKNOWN_CATEGORIES]),
  })
  .strict();

export type CampaignSettings = z.output<typeof campaignSettingsSchema>;
