/** What the timing models tell about one customer at the as-of date (the scores table's timing columns). */
export interface CustomerPrediction {
  readonly customerId: string;
  /** Probability that the customer is still active ("alive"). */
  readonly pAlive: number;
  readonly pBuy30: number;
  readonly pBuy60: number;
  readonly pBuy90: number;
  /** Expected number of purchases in the next 90 days. */
  readonly expectedPurchases90: number;
  /** Expected days until the next purchase, with an 80% interval; null when not predictable. */
  readonly nextPurchaseDays: number | null;
  readonly nextPurchaseLow: number | null;
  readonly nextPurchaseHigh: number | null;
  /** Expected spend per transaction (Gamma-Gamma), null for customers without repeat purchases. */
  readonly expectedSpend: number | null;
  /** Predicted customer lifetime value over the configured horizon, discounted. */
  readonly clv: number;
  /** Which model produced the probabilities (bgnbd, pareto_nbd, neural). */
  readonly model: string;
}
