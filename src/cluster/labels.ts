import { inputError } from '../core/errors.js';

/** Labels renumbered 0..K-1 in order of first appearance, with K. */
export function compactLabels(labels: ArrayLike<number>): { codes: Int32Array; count: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    let code = map.get(label);
    if (code === undefined) {
      code = map.size;
      map.set(label, code);
    }
    codes[i] = code;
  }
  return { codes, count: map.size };
}

export function checkLabels(labels: ArrayLike<number>, nRows: number, what: string): void {
  if (labels.length !== nRows) inputError('cluster.bad_labels', `${what}: ${labels.length} labels for ${nRows} rows.`, 'Give one label per row.');
}
