/**
 * Small dense linear algebra on row-major Float64Arrays: what PCA and k-means need, nothing more.
 * Matrices here are d × d with d in the tens (features), so clarity and accuracy beat blocking tricks.
 */

export interface SymmetricEigen {
  /** Eigenvalues, sorted in decreasing order. */
  values: Float64Array;
  /** Eigenvectors as rows (row i belongs to values[i]), each of unit length, row-major d × d. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric d × d matrix by the cyclic Jacobi method.
 *
 * Jacobi is chosen over Householder + QL because it gives eigenvectors orthogonal to machine precision and
 * small eigenvalues with high relative accuracy, and d is small. Each eigenvector's sign is fixed so that
 * its entry of largest magnitude is positive, which makes results reproducible across implementations.
 * Only the upper triangle of `matrix` is read; the input is not modified.
 */
export function symmetricEigen(matrix: Float64Array, d: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== d * d) throw new RangeError(`symmetricEigen: expected ${d * d} entries, got ${matrix.length}`);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = matrix[i * d + j] as number;
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  // v holds eigenvectors as columns while rotating.
  const v = identity(d);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < d; i++) {
      diag += (a[i * d + i] as number) ** 2;
      for (let j = i + 1; j < d; j++) off += (a[i * d + j] as number) ** 2;
    }
    if (off === 0 || off <= 1e-30 * diag) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) rotate(a, v, d, p, q);
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => (a[j * d + j] as number) - (a[i * d + i] as number));
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((col, row) => {
    values[row] = a[col * d + col] as number;
    let largest = 0;
    for (let t = 0; t < d; t++) {
      const x = v[t * d + col] as number;
      if (Math.abs(x) > Math.abs(largest)) largest = x;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let t = 0; t < d; t++) vectors[row * d + t] = sign * (v[t * d + col] as number);
  });
  return { values, vectors };
}

/** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' stable formulation). */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = a[p * d + q] as number;
  if (apq === 0) return;
  const app = a[p * d + p] as number;
  const aqq = a[q * d + q] as number;
  const theta = (aqq - app) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    const akp = a[k * d + p] as number;
    const akq = a[k * d + q] as number;
    a[k * d + p] = c * akp - s * akq;
    a[k * d + q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p * d + k] as number;
    const aqk = a[q * d + k] as number;
    a[p * d + k] = c * apk - s * aqk;
    a[q * d + k] = s * apk + c * aqk;
  }
  a[p * d + q] = 0;
  a[q * d + p] = 0;
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p] as number;
    const vkq = v[k * d + q] as number;
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}

export function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

/** C = A·B for row-major A (n × m) and B (m × p). */
export function matMul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < p; j++) c[i * p + j] = (c[i * p + j] as number) + aik * (b[k * p + j] as number);
    }
  }
  return c;
}

export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j] as number;
  return t;
}

/** Squared Euclidean distance between row i of `a` and row j of `b`, both with d columns. */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = (a[ai + t] as number) - (b[bj + t] as number);
    s += diff * diff;
  }
  return s;
}
