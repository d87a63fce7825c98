import { z } from 'zod';
import { EVENT_TYPES, ORDER_STATUSES } from '../contract/schema.js';

/**
 * The rule language of dynamic segments, as data. A segment is a name, labels and a `when` condition:
 *
 * - `feature`: compare a column of the features table (`op` one of < <= > >= = != in not_in is_null not_null);
 * - `orders`: purchases (non-cancelled, positive amount) in a window, optionally filtered (`where`),
 *   measured as a count, an amount or items and compared with thresholds;
 * - `events`: events of the listed types in a window, counted or summed by `value`;
 * - `abandoned_cart`: value of add-to-carts not followed by a purchase within 24 hours, in a window;
 * - `declared`: the latest zero-party answer to a question (`in` a list, `contains` an item of a
 *   multi-valued answer, or `answered`);
 * - `next_category`: the customer's next best category from cross-sell (the category not bought yet that they
 *   are most likely to buy next), optionally `in` a list, with thresholds on its score (`at_least: 0.5`);
 * - `birthday`: from the zero-party question `birth_date` (YYYY-MM-DD, MM-DD or --MM-DD); the contract's
 *   `birth_year` only gives age bands;
 * - `all`, `any`, `not` combine conditions.
 *
 * Windows are in calendar days up to the as-of day (`within_days: 30` = the as-of day and the 29 before)
 * or in hours before the end of the as-of day (`within_hours: 24`); without a window, all history.
 */
const Threshold = {
  at_least: z.number().optional(),
  more_than: z.number().optional(),
  at_most: z.number().optional(),
  less_than: z.number().optional(),
};
const Window = {
  within_days: z.number().int().min(1).max(36_500).optional(),
  within_hours: z.number().int().min(1).max(24 * 366).optional(),
};
const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const OrdersCondition = z.strictObject({
  ...Window,
  where: z
    .strictObject({
      status: z.union([z.enum(ORDER_STATUSES), z.array(z.enum(ORDER_STATUSES)).min(1)]).optional(),
      channel: OneOrMany.optional(),
      category: OneOrMany.optional(),
      brand: OneOrMany.optional(),
      currency: OneOrMany.optional(),
    })
    .optional(),
  measure: z.enum(['count', 'amount', 'items']).default('count'),
  ...Threshold,
});

const EventsCondition = z.strictObject({
  types: z.array(z.enum(EVENT_TYPES)).min(1),
  ...Window,
  where: z.strictObject({ category: OneOrMany.optional(), device: OneOrMany.optional() }).optional(),
  measure: z.enum(['count', 'value']).default('count'),
  ...Threshold,
});

const AbandonedCartCondition = z.strictObject({ ...Window, ...Threshold });

const FeatureCondition = z.strictObject({
  feature: z.string().min(1),
  op: z.enum(['<', '<=', '>', '>=', '=', '!=', 'in', 'not_in', 'is_null', 'not_null']),
  value: z.union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()])).min(1)]).optional(),
});

const DeclaredCondition = z.strictObject({
  question: z.string().min(1),
  in: z.array(z.string().min(1)).min(1).optional(),
  contains: z.string().min(1).optional(),
  answered: z.boolean().optional(),
});

const NextCategoryCondition = z.strictObject({ in: OneOrMany.optional(), ...Threshold });

const BirthdayCondition = z.strictObject({ in: z.enum(['today', 'this_month', 'next_7_days', 'next_30_days']) });

export type OrdersCondition = z.output<typeof OrdersCondition>;
export type EventsCondition = z.output<typeof EventsCondition>;
export type AbandonedCartCondition = z.output<typeof AbandonedCartCondition>;
export type FeatureCondition = z.output<typeof FeatureCondition>;
export type DeclaredCondition = z.output<typeof DeclaredCondition>;
export type BirthdayCondition = z.output<typeof BirthdayCondition>;
export type NextCategoryCondition = z.output<typeof NextCategoryCondition>;

export type Condition =
  | { readonly feature: string; readonly op: FeatureCondition['op']; readonly value?: FeatureCondition['value'] }
  | { readonly orders: OrdersCondition }
  | { readonly events: EventsCondition }
  | { readonly abandoned_cart: AbandonedCartCondition }
  | { readonly declared: DeclaredCondition }
  | { readonly birthday: BirthdayCondition }
  | { readonly next_category: NextCategoryCondition }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

/** Schemas of the conditions that are not combinators, by their key. */
export const LEAF_SCHEMAS = {
  orders: OrdersCondition,
  events: EventsCondition,
  abandoned_cart: AbandonedCartCondition,
  declared: DeclaredCondition,
  birthday: BirthdayCondition,
  next_category: NextCategoryCondition,
} as const;
export { FeatureCondition as FeatureConditionSchema };
export const CONDITION_KEYS = ['feature', ...Object.keys(LEAF_SCHEMAS), 'all', 'any', 'not'] as const;

const Text = z.strictObject({ en: z.string().min(1), fr: z.string().min(1) });

/** A rule without its condition (the condition is checked by parseCondition, which names the bad field). */
export const SegmentRuleHeadSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and _ (e.g. engaged_30d)'),
  label: Text.optional(),
  description: Text.optional(),
  when: z.unknown(),
});

export interface SegmentRule {
  readonly name: string;
  readonly label?: { readonly en: string; readonly fr: string };
  readonly description?: { readonly en: string; readonly fr: string };
  readonly when: Condition;
}
