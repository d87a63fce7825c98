/**
 * Unconstrained minimisation: BFGS (quasi-Newton) with a backtracking Armijo line search, central
 * finite-difference gradients when no analytic gradient is given, and a finite-difference Hessian for
 * standard errors. Pure: takes functions and arrays, returns new arrays.
 */

export type Objective = (x: Float64Array) => number;
export type Gradient = (x: Float64Array) => Float64Array;

export interface MinimizeOptions {
  /** Analytic gradient; central differences otherwise. */
  readonly gradient?: Gradient;
  readonly maxIterations?: number;
  /** Converged when the largest |gradient component| is below this. */
  readonly gradientTolerance?: number;
  /** ...or when the relative decrease of f over an iteration is below this (and the step is tiny). */
  readonly functionTolerance?: number;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly message: string;
}

/** Central-difference gradient with a step relative to each coordinate. */
export function numericGradient(f: Objective, x: Float64Array, relativeStep = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const h = relativeStep * Math.max(1, Math.abs(xi));
    probe[i] = xi + h;
    const up = f(probe);
    probe[i] = xi - h;
    const down = f(probe);
    probe[i] = xi;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Finite-difference Hessian (symmetric), row-major n×n. */
export function numericHessian(f: Objective, x: Float64Array, relativeStep = 1e-4): Float64Array {
  const n = x.length;
  const hess = new Float64Array(n * n);
  const probe = Float64Array.from(x);
  const steps = Array.from(x, (v) => relativeStep * Math.max(1, Math.abs(v)));
  const f0 = f(x);
  const at = (i: number, di: number, j: number, dj: number): number => {
    probe.set(x);
    probe[i] = (probe[i] as number) + di;
    probe[j] = (probe[j] as number) + dj;
    return f(probe);
  };
  for (let i = 0; i < n; i++) {
    const hi = steps[i] as number;
    hess[i * n + i] = (at(i, hi, i, 0) - 2 * f0 + at(i, -hi, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const hj = steps[j] as number;
      const value = (at(i, hi, j, hj) - at(i, hi, j, -hj) - at(i, -hi, j, hj) + at(i, -hi, j, -hj)) / (4 * hi * hj);
      hess[i * n + j] = value;
      hess[j * n + i] = value;
    }
  }
  return hess;
}

/** Hessian by central differences of an analytic gradient (2n gradient calls), symmetrised. */
export function hessianFromGradient(gradient: Gradient, x: Float64Array, relativeStep = 1e-5): Float64Array {
  const n = x.length;
  const hess = new Float64Array(n * n);
  const probe = Float64Array.from(x);
  for (let j = 0; j < n; j++) {
    const h = relativeStep * Math.max(1, Math.abs(x[j] as number));
    probe[j] = (x[j] as number) + h;
    const up = gradient(probe);
    probe[j] = (x[j] as number) - h;
    const down = gradient(probe);
    probe[j] = x[j] as number;
    for (let i = 0; i < n; i++) hess[i * n + j] = ((up[i] as number) - (down[i] as number)) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean = 0.5 * ((hess[i * n + j] as number) + (hess[j * n + i] as number));
      hess[i * n + j] = mean;
      hess[j * n + i] = mean;
    }
  }
  return hess;
}

/** Inverse of a small symmetric positive-definite matrix by Cholesky; undefined when not positive definite. */
export function invertSpd(matrix: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  // inv = L^{-T} L^{-1}: solve column by column.
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    col.fill(0);
    col[c] = 1;
    for (let i = 0; i < n; i++) {
      let s = col[i] as number;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (col[k] as number);
      col[i] = s / (l[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = col[i] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (col[k] as number);
      col[i] = s / (l[i * n + i] as number);
    }
    for (let i = 0; i < n; i++) inv[i * n + c] = col[i] as number;
  }
  return inv;
}

/**
 * BFGS on the inverse-Hessian approximation. Non-finite objective values are treated as +Infinity so that
 * the line search backs away from them (a likelihood that overflows is simply a bad point).
 */
export function minimizeBfgs(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.functionTolerance ?? 1e-13;
  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const grad = options.gradient ?? ((x: Float64Array) => numericGradient(value, x));

  let x = Float64Array.from(x0);
  let fx = value(x);
  if (!Number.isFinite(fx)) {
    return { x, value: fx, gradient: new Float64Array(n), iterations: 0, evaluations, converged: false, message: 'objective is not finite at the starting point' };
  }
  let g = grad(x);
  let h = identity(n);
  let message = 'maximum iterations reached';
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    if (maxAbs(g) < gtol) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
    let direction = matVec(h, g, n).map((v) => -v);
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Lost descent (bad curvature estimate): restart from steepest descent.
      h = identity(n);
      direction = g.map((v) => -v);
      slope = dot(direction, g);
    }
    // Never step further than ~5 in any log-parameter at once.
    const longest = maxAbs(direction);
    let step = longest > 5 ? 5 / longest : 1;
    let xNew = x;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      xNew = x.map((v, i) => v + step * (direction[i] as number));
      fNew = value(xNew);
      if (fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      const gradientSmall = maxAbs(g) < Math.sqrt(gtol) * Math.max(1, Math.abs(fx)) * 1e-3;
      converged = gradientSmall;
      message = gradientSmall ? 'line search cannot improve further (at machine precision)' : 'line search failed';
      break;
    }
    const gNew = grad(xNew);
    const s = xNew.map((v, i) => v - (x[i] as number));
    const y = gNew.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y);
    const decrease = fx - fNew;
    x = xNew;
    g = gNew;
    const fOld = fx;
    fx = fNew;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) h = bfgsUpdate(h, s, y, sy, n);
    if (decrease <= ftol * Math.max(1, Math.abs(fOld)) && maxAbs(s) < 1e-9) {
      converged = maxAbs(g) < Math.sqrt(gtol);
      message = converged ? 'function change below tolerance' : 'stalled';
      iteration++;
      break;
    }
  }
  return { x, value: fx, gradient: g, iterations: iteration, evaluations, converged, message };
}

function bfgsUpdate(h: Float64Array, s: Float64Array, y: Float64Array, sy: number, n: number): Float64Array {
  const rho = 1 / sy;
  const hy = matVec(h, y, n);
  const yhy = dot(y, hy);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] =
        (h[i * n + j] as number) -
        rho * ((hy[i] as number) * (s[j] as number) + (s[i] as number) * (hy[j] as number)) +
        (rho * rho * yhy + rho) * (s[i] as number) * (s[j] as number);
    }
  }
  return out;
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

function matVec(m: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (m[i * n + j] as number) * (v[j] as number);
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}
