import { afterEach, describe, expect, it, vi } from 'vitest';
import { printRunSummary } from '../../src/cli/print-run.js';
import type { RunResult } from '../../src/runner/run.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function printed(rows: RunResult['manifest']['rows']): string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const manifest = { asOf: '2025-12-31', rows, warnings: [] } as unknown as RunResult['manifest'];
  printRunSummary({ manifest, manifestPath: '/out/run.json', catalog: new Map() }, false);
  return chunks.join('');
}

describe('the end-of-run summary', () => {
  it('says when customers were kept without a contact field that is not usable, and where they are listed', () => {
    const text = printed({
      customers: { read: 10, accepted: 10, quarantined: 0, fieldsDropped: { invalid_email: 2, invalid_phone: 0 }, excludedByConsent: 1, used: 9 },
      orders: { read: 5, accepted: 5, quarantined: 0, excludedByConsent: 0, used: 5 },
    });
    expect(text).toContain('kept without the contact field that is not usable: invalid_email 2 (validation/customers.dropped_fields.csv)');
    expect(text).not.toContain('invalid_phone');
    expect(text.match(/kept without/g)).toHaveLength(1);
  });
});
