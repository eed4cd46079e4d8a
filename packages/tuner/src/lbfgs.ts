/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.5) with a backtracking
 * Armijo line search, for smooth unconstrained problems of a few dozen
 * variables: here, the GP's log hyperparameters. Chosen over Nelder–Mead
 * because the marginal likelihood's gradient costs little more than its value
 * and L-BFGS needs far fewer evaluations (≈ 20–60 against hundreds) as the
 * number of ARD length scales grows.
 */

/** Objective value and gradient at x; a non-finite value means "not here". */
export type ValueAndGradient = (x: Float64Array) => { value: number; gradient: Float64Array };

export interface LbfgsOptions {
  /** @defaultValue 100 */
  readonly maxIterations?: number;
  /** Stop when the largest gradient component is below this. @defaultValue 1e-5 */
  readonly gradientTolerance?: number;
  /** Stop when an iteration improves the value by less than this (relative). @defaultValue 1e-9 */
  readonly valueTolerance?: number;
  /** Pairs of updates kept. @defaultValue 8 */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
};

const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Minimise f from x0. */
export const minimizeLbfgs = (
  f: ValueAndGradient,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult => {
  const maxIterations = options.maxIterations ?? 100;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const valueTolerance = options.valueTolerance ?? 1e-9;
  const memory = options.memory ?? 8;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let current = f(x);
  let evaluations = 1;
  if (!Number.isFinite(current.value)) return { x, value: Infinity, evaluations };
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    const g = current.gradient;
    if (maxAbs(g) < gradientTolerance) break;
    // Two-loop recursion: d = −H g.
    const q = Float64Array.from(g);
    const alphas = new Float64Array(steps.length);
    for (let k = steps.length - 1; k >= 0; k -= 1) {
      const a = (rhos[k] ?? 0) * dot(steps[k] as Float64Array, q);
      alphas[k] = a;
      const y = changes[k] as Float64Array;
      for (let i = 0; i < n; i += 1) q[i] = (q[i] ?? 0) - a * (y[i] ?? 0);
    }
    const last = steps.length - 1;
    const gamma =
      last >= 0
        ? dot(steps[last] as Float64Array, changes[last] as Float64Array) /
          dot(changes[last] as Float64Array, changes[last] as Float64Array)
        : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < n; i += 1) q[i] = (q[i] ?? 0) * gamma;
    for (let k = 0; k < steps.length; k += 1) {
      const b = (rhos[k] ?? 0) * dot(changes[k] as Float64Array, q);
      const s = steps[k] as Float64Array;
      for (let i = 0; i < n; i += 1) q[i] = (q[i] ?? 0) + ((alphas[k] ?? 0) - b) * (s[i] ?? 0);
    }
    let direction = q.map((v) => -v);
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      steps.length = 0;
      changes.length = 0;
      rhos.length = 0;
      direction = g.map((v) => -v / Math.max(1, maxAbs(g)));
      slope = dot(direction, g);
    }
    let step = 1;
    let next: { value: number; gradient: Float64Array } | undefined;
    let xNext = x;
    for (let tries = 0; tries < 30; tries += 1) {
      xNext = x.map((v, i) => v + step * (direction[i] ?? 0));
      const trial = f(xNext);
      evaluations += 1;
      if (Number.isFinite(trial.value) && trial.value <= current.value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step *= 0.5;
    }
    if (next === undefined) break;
    const s = xNext.map((v, i) => v - (x[i] ?? 0));
    const y = next.gradient.map((v, i) => v - (g[i] ?? 0));
    const sy = dot(s, y);
    if (sy > 1e-10) {
      steps.push(s);
      changes.push(y);
      rhos.push(1 / sy);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
    }
    const improvement = current.value - next.value;
    x = xNext;
    current = next;
    if (improvement <= valueTolerance * Math.max(1, Math.abs(current.value))) break;
  }
  return { x, value: current.value, evaluations };
};
