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

/** The numeric fields of a prediction, each one typed column of a {@link PredictionTable}. */
const NUMERIC_FIELDS = [
  'pAlive',
  'pBuy30',
  'pBuy60',
  'pBuy90',
  'expectedPurchases90',
  'nextPurchaseDays',
  'nextPurchaseLow',
  'nextPurchaseHigh',
  'expectedSpend',
  'clv',
] as const;
type NumericField = (typeof NUMERIC_FIELDS)[number];
/** The fields that may be null: bit k of a row's null mask is the k-th. */
const NULLABLE_FIELDS = ['nextPurchaseDays', 'nextPurchaseLow', 'nextPurchaseHigh', 'expectedSpend'] as const;

/**
 * The timing stage's predictions, one typed column per field, aligned to the rows of a list of customer ids (the
 * features table's, shared, not copied): about 90 bytes per customer instead of an object, its boxed numbers and a
 * map entry keyed by a second copy of the id. `at(row)` gives a row as a {@link CustomerPrediction} when one is
 * needed; `value` reads one field without building it.
 */
export class PredictionTable {
  readonly customerIds: readonly string[];
  readonly #columns: Record<NumericField, Float64Array>;
  /** Bit k set: the k-th of NULLABLE_FIELDS is null. */
  readonly #nulls: Uint8Array;
  /** 0 for a row without a prediction, else 1 + the index of its model's name. */
  readonly #model: Uint8Array;
  readonly #modelNames: string[] = [];
  #size = 0;

  constructor(customerIds: readonly string[]) {
    const n = customerIds.length;
    this.customerIds = customerIds;
    this.#columns = Object.fromEntries(NUMERIC_FIELDS.map((f) => [f, new Float64Array(n)])) as Record<
      NumericField,
      Float64Array
    >;
    this.#nulls = new Uint8Array(n);
    this.#model = new Uint8Array(n);
  }

  /** Rows with a prediction. */
  get size(): number {
    return this.#size;
  }

  /** Stores the prediction of the customer at `row` (its customerId must be that row's). */
  set(row: number, p: CustomerPrediction): void {
    if (this.customerIds[row] !== p.customerId) {
      throw new Error(`prediction for ${p.customerId} stored at row ${row}, which is ${this.customerIds[row]}`);
    }
    let code = this.#modelNames.indexOf(p.model);
    if (code < 0) {
      if (this.#modelNames.length === 255) throw new Error('more than 255 timing model names');
      code = this.#modelNames.push(p.model) - 1;
    }
    if (this.#model[row] === 0) this.#size += 1;
    this.#model[row] = code + 1;
    let nulls = 0;
    for (const f of NUMERIC_FIELDS) {
      const v = p[f];
      const bit = (NULLABLE_FIELDS as readonly string[]).indexOf(f);
      if (v === null) nulls |= 1 << bit;
      this.#columns[f][row] = v ?? 0;
    }
    this.#nulls[row] = nulls;
  }

  has(row: number): boolean {
    return (this.#model[row] ?? 0) !== 0;
  }

  /** One field of the customer at `row`; null when the row has no prediction or the field is null. */
  value(field: NumericField, row: number): number | null {
    if (!this.has(row)) return null;
    const bit = (NULLABLE_FIELDS as readonly string[]).indexOf(field);
    if (bit >= 0 && ((this.#nulls[row] as number) & (1 << bit)) !== 0) return null;
    return this.#columns[field][row] as number;
  }

  /** The name of the model behind the row's prediction, or null without one. */
  model(row: number): string | null {
    const code = this.#model[row] ?? 0;
    return code === 0 ? null : (this.#modelNames[code - 1] as string);
  }

  /** The prediction of the customer at `row` as an object (built on each call), or null without one. */
  at(row: number): CustomerPrediction | null {
    const model = this.model(row);
    if (model === null) return null;
    const c = this.#columns;
    const nulls = this.#nulls[row] as number;
    // Bits in NULLABLE_FIELDS order; no closure per call (this runs for every row of every pass over the scores).
    return {
      customerId: this.customerIds[row] as string,
      pAlive: c.pAlive[row] as number,
      pBuy30: c.pBuy30[row] as number,
      pBuy60: c.pBuy60[row] as number,
      pBuy90: c.pBuy90[row] as number,
      expectedPurchases90: c.expectedPurchases90[row] as number,
      nextPurchaseDays: nulls & 1 ? null : (c.nextPurchaseDays[row] as number),
      nextPurchaseLow: nulls & 2 ? null : (c.nextPurchaseLow[row] as number),
      nextPurchaseHigh: nulls & 4 ? null : (c.nextPurchaseHigh[row] as number),
      expectedSpend: nulls & 8 ? null : (c.expectedSpend[row] as number),
      clv: c.clv[row] as number,
      model,
    };
  }

  /** Stores predictions keyed by customer id on the rows of those customers; ids not among the rows are left out. */
  static fromPredictions(customerIds: readonly string[], predictions: Iterable<CustomerPrediction>): PredictionTable {
    const table = new PredictionTable(customerIds);
    const rowOf = new Map<string, number>();
    customerIds.forEach((id, i) => rowOf.set(id, i));
    for (const p of predictions) {
      const row = rowOf.get(p.customerId);
      if (row !== undefined) table.set(row, p);
    }
    return table;
  }
}

/** Every stored prediction as an object, in row order (built anew: for callers that need a list for a while). */
export function predictionList(table: PredictionTable): CustomerPrediction[] {
  const list: CustomerPrediction[] = [];
  for (let row = 0; row < table.customerIds.length; row += 1) {
    const p = table.at(row);
    if (p) list.push(p);
  }
  return list;
}
