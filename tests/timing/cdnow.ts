// Test helper: the CDNOW sample as transaction rows and its calibration/holdout summary (recipe in
// tests/fixtures/cdnow/PROVENANCE.md). Parsed here in plain TypeScript, independently of the DuckDB reader.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rfmSummary, type RfmSummary, type TimeUnit, type TransactionRow } from '../../src/timing/rfm-summary.js';

export const CDNOW_FILE = fileURLToPath(new URL('../fixtures/cdnow/cdnow_sample.csv', import.meta.url));
export const CALIBRATION_END_DAY = Date.UTC(1997, 8, 30) / 86_400_000;
export const HOLDOUT_END_DAY = Date.UTC(1998, 5, 30) / 86_400_000;

export function cdnowRows(): TransactionRow[] {
  const lines = readFileSync(CDNOW_FILE, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [, customerId, date, , dollars] = line.split(',') as [string, string, string, string, string];
    const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000;
    return { customerId, day, amount: Number(dollars) };
  });
}

let cached: RfmSummary | undefined;
export function cdnowSummary(timeUnit: TimeUnit = 'week'): RfmSummary {
  if (timeUnit === 'week' && cached) return cached;
  const summary = rfmSummary(cdnowRows(), { calibrationEndDay: CALIBRATION_END_DAY, holdoutEndDay: HOLDOUT_END_DAY, timeUnit });
  if (timeUnit === 'week') cached = summary;
  return summary;
}

export const within = (actual: number, expected: number, tolerance: number): boolean => Math.abs(actual - expected) <= tolerance * Math.abs(expected);
