import { Rng } from '../core/rng.js';
import type { PurchaseLedger } from './rfm-summary.js';

/** The customers the backtests grade when there are more than timing.backtest_max_customers. */
export interface BacktestSample {
  /** The sampled customers' purchases (a sub-ledger, in the ledger's order). */
  readonly ledger: PurchaseLedger;
  /** Customers in the sample (the setting) and customers with a purchase in the data. */
  readonly customers: number;
  readonly of: number;
}

/**
 * A seeded sample of exactly `maxCustomers` of the ledger's customers when it has more, else undefined (the
 * backtests then grade every customer, as without the setting). The sample depends on the seed and on the set
 * of customers, not on the order they are listed in, so that a backtest's cost and memory stop growing with
 * the customer base the way an evaluation on a holdout sample does.
 */
export function backtestSample(ledger: PurchaseLedger, maxCustomers: number, seed: number): BacktestSample | undefined {
  const n = ledger.customerIds.length;
  if (n <= maxCustomers) return undefined;
  const sorted = [...ledger.customerIds].sort();
  const rng = Rng.derive(seed, 'timing/backtest-sample');
  // The first maxCustomers steps of a Fisher-Yates shuffle: a uniform sample without replacement.
  for (let i = 0; i < maxCustomers; i++) {
    const j = i + rng.int(n - i);
    const kept = sorted[j] as string;
    sorted[j] = sorted[i] as string;
    sorted[i] = kept;
  }
  const chosen = new Set(sorted.slice(0, maxCustomers));
  return { ledger: subLedger(ledger, (id) => chosen.has(id)), customers: maxCustomers, of: n };
}

/** The purchases of the customers `keep` accepts, in the ledger's order, values as they are. */
export function subLedger(ledger: PurchaseLedger, keep: (customerId: string) => boolean): PurchaseLedger {
  const positions: number[] = [];
  let size = 0;
  ledger.customerIds.forEach((id, k) => {
    if (!keep(id)) return;
    positions.push(k);
    size += (ledger.offsets[k + 1] as number) - (ledger.offsets[k] as number);
  });
  const offsets = new Int32Array(positions.length + 1);
  const days = new Int32Array(size);
  const amounts = new Float64Array(size);
  let at = 0;
  positions.forEach((k, i) => {
    const from = ledger.offsets[k] as number;
    const to = ledger.offsets[k + 1] as number;
    offsets[i] = at;
    days.set(ledger.days.subarray(from, to), at);
    amounts.set(ledger.amounts.subarray(from, to), at);
    at += to - from;
  });
  offsets[positions.length] = at;
  return {
    customerIds: positions.map((k) => ledger.customerIds[k] as string),
    offsets,
    days,
    amounts,
    // Same-day rows are already merged here: the sub-ledger's rows are its days.
    rows: size,
  };
}
