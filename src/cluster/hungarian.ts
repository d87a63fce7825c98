/**
 * Minimum-cost assignment (Hungarian method with potentials, O(n²m)) on a rectangular cost matrix: every row
 * of the smaller side gets a distinct column. Returns, for each row, its column or -1 when rows outnumber columns.
 */
export function minCostAssignment(cost: Float64Array, nRows: number, nCols: number): Int32Array {
  if (cost.length !== nRows * nCols) throw new RangeError(`minCostAssignment: ${cost.length} costs for ${nRows} × ${nCols}`);
  if (nRows > nCols) {
    const transposed = new Float64Array(nRows * nCols);
    for (let i = 0; i < nRows; i++) for (let j = 0; j < nCols; j++) transposed[j * nRows + i] = cost[i * nCols + j] as number;
    const byColumn = minCostAssignment(transposed, nCols, nRows);
    const out = new Int32Array(nRows).fill(-1);
    byColumn.forEach((row, col) => {
      if (row >= 0) out[row] = col;
    });
    return out;
  }
  const n = nRows;
  const m = nCols;
  // 1-based arrays as in the classical formulation; p[j] = row matched to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = (cost[(i0 - 1) * m + (j - 1)] as number) - (u[i0] as number) - (v[j] as number);
        if (reduced < (minv[j] as number)) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j] as number] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if ((p[j] as number) > 0) out[(p[j] as number) - 1] = j - 1;
  return out;
}
