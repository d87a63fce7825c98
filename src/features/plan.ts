import type { Level } from './spec.js';

/** Optional order columns that feed features when they hold at least one value. */
export type OrderDetail = 'status' | 'discount_amount' | 'items' | 'category' | 'brand' | 'channel';
export type CustomerDetail = 'created_at' | 'country' | 'region' | 'device';
export type EventDetail = 'value' | 'device';

/**
 * What the data offers at the as-of date, decided once before any SQL is built: which tables exist,
 * which optional columns hold values, and the data-driven levels (top categories, brands, interests).
 */
export interface FeaturePlan {
  readonly asOf: Date;
  /** Table of the customers that get a row (the consented, non-erased ones). */
  readonly population: string;
  readonly orders?: {
    readonly details: ReadonlySet<OrderDetail>;
    readonly topCategories: readonly Level[];
    readonly topBrands: readonly Level[];
    readonly channels: readonly Level[];
    /**
     * True when the orders hold only population customers and no two of them share a 64-bit
     * hash(customer_id): the purchase gaps are then computed on integer keys (see orderFamilies).
     */
    readonly customerHashesDistinct?: boolean;
    /**
     * True when the database holds the loader's purchase days beside the orders (PURCHASE_DAYS, PostgreSQL):
     * the purchase gaps are then summed from it in one aggregate a coordinator sends to its shards.
     */
    readonly purchaseDays?: boolean;
  };
  readonly customers?: { readonly details: ReadonlySet<CustomerDetail> };
  readonly events?: { readonly details: ReadonlySet<EventDetail> };
  readonly zeroParty?: {
    /** Known questions (ZERO_PARTY_QUESTIONS) answered at least once by the as-of date. */
    readonly questions: ReadonlySet<string>;
    readonly interests: readonly Level[];
  };
}
