import { z } from 'zod';
import { configError } from '../core/errors.js';

/**
 * Settings of lifecycle segments, RFM groups and audience exports (the `segments:` section of the config,
 * beside the rule file). Keys are snake_case as users write them in YAML; every setting has a default, so
 * `{}` is valid. See src/segments/lifecycle.ts for how each threshold is used.
 */
export const lifecycleSettingsSchema = z
  .object({
    /** A customer whose first purchase is at most this many days old is `new`. */
    new_within_days: z.number().int().min(1).max(365).default(30),
    /** A customer whose expected next purchase is at most this many days away is `due`. */
    due_within_days: z.number().int().min(1).max(365).default(14),
    /** P(alive) below this makes a customer `lapsed` (or `win_back`). */
    lapsed_p_alive: z.number().gt(0).lt(1).default(0.3),
    /** No purchase for more than this many days also makes a repeat customer lapsed, whatever P(alive) says. */
    lapsed_after_days: z.number().int().min(30).max(3650).default(365),
    /**
     * The same for customers with a single purchase day. BG/NBD gives every one-order customer P(alive) = 1,
     * so silence is their only lapse signal: without a rhythm to judge by, a first purchase not
     * followed by a second within this many days is a lapse (on CDNOW, one-time buyers 6–9 months out
     * bought again less often in the next 39 weeks than customers with P(alive) < 0.3).
     */
    lapsed_single_order_days: z.number().int().min(14).max(3650).default(180),
    /**
     * A repeat customer is `at_risk` when the days since the last purchase exceed this multiple of the
     * customer's typical interval. ln 5 ≈ 1.61 is the upper end of an 80% interval for a Poisson-process
     * wait whose mean is the typical interval (the BG/NBD assumption while the customer is alive).
     */
    at_risk_interval_factor: z.number().min(1).max(10).default(1.61),
    /** A one-order customer is `at_risk` after this many days without a second purchase. */
    at_risk_single_order_days: z.number().int().min(7).max(3650).default(90),
    /** Lapsed customers whose past spend is at or above this quantile of all purchasers' spend are `win_back`. */
    win_back_value_quantile: z.number().min(0).max(1).default(0.75),
    /** Lapsed customers engaged (email click, visit…) within this many days are `win_back`. */
    win_back_engaged_within_days: z.number().int().min(1).max(365).default(30),
    /** Beyond this many days since the last purchase a lapsed customer is not worth a win-back. */
    win_back_max_days: z.number().int().min(30).max(3650).default(730),
    /** When the previous run's date is unknown, a purchase this recent after a lapse counts as `reactivated`. */
    reactivated_within_days: z.number().int().min(1).max(365).default(30),
    /** The top share of purchasers by predicted CLV that gets the VIP overlay. */
    vip_top_share: z.number().gt(0).max(1).default(0.1),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.at_risk_single_order_days >= s.lapsed_single_order_days) {
      ctx.addIssue({
        code: 'custom',
        path: ['at_risk_single_order_days'],
        message: `must be below lapsed_single_order_days (${s.lapsed_single_order_days}), or no one-order customer is ever at risk`,
      });
    }
    if (s.lapsed_single_order_days > s.lapsed_after_days) {
      ctx.addIssue({
        code: 'custom',
        path: ['lapsed_single_order_days'],
        message: `must not exceed lapsed_after_days (${s.lapsed_after_days})`,
      });
    }
    if (s.win_back_max_days <= s.lapsed_after_days) {
      ctx.addIssue({
        code: 'custom',
        path: ['win_back_max_days'],
        message: `must exceed lapsed_after_days (${s.lapsed_after_days}), or no silent customer can be won back`,
      });
    }
  });

export const rfmSettingsSchema = z
  .object({
    /** Number of quantile levels per score: 5 (scores 1–5, the usual grid) or 3 (scores 1–3). */
    levels: z.union([z.literal(3), z.literal(5)]).default(5),
  })
  .strict();

export const exportSettingsSchema = z
  .object({
    channels: z
      .array(z.enum(['email', 'sms']))
      .min(1)
      .default(['email', 'sms']),
    /** Which segment families get audience lists. */
    lifecycle: z.boolean().default(true),
    vip: z.boolean().default(true),
    rules: z.boolean().default(true),
    rfm: z.boolean().default(false),
    /** One list per persona and channel (persona_p1…), listed with its counts in the persona report. */
    personas: z.boolean().default(true),
    /** Lifecycle segments never exported (prospects have no purchase history to act on by default). */
    skip_lifecycle: z.array(z.string()).default([]),
  })
  .strict();

export const segmentsSettingsSchema = z
  .object({
    lifecycle: lifecycleSettingsSchema.prefault({}),
    rfm: rfmSettingsSchema.prefault({}),
    exports: exportSettingsSchema.prefault({}),
  })
  .strict();

export type LifecycleSettings = z.output<typeof lifecycleSettingsSchema>;
export type LifecycleSettingsInput = z.input<typeof lifecycleSettingsSchema>;
export type RfmSettings = z.output<typeof rfmSettingsSchema>;
export type RfmSettingsInput = z.input<typeof rfmSettingsSchema>;
export type ExportSettings = z.output<typeof exportSettingsSchema>;
export type ExportSettingsInput = z.input<typeof exportSettingsSchema>;
export type SegmentsSettings = z.output<typeof segmentsSettingsSchema>;

/** Parses one settings section, turning zod issues into a PersonaeError naming the setting. */
export function parseSettings<S extends z.ZodType>(schema: S, value: unknown, section: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = [section, ...(issue?.path ?? []).map(String)].join('.');
  return configError(
    'bad_segments_setting',
    `config setting ${where}: ${issue?.message ?? 'invalid value'}`,
    `fix ${where} in the config file or remove it to use the default`,
  );
}
