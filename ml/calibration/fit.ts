/**
 * The calibration fit: logistic regression (Platt scaling generalised to a few evidence
 * features) by iteratively reweighted least squares with a small ridge, and an optional
 * isotonic (pool-adjacent-violators) map on top of its output. Pure functions, no tensors.
 */
import { featureVector, type FeatureContext, type FeatureName, type MomentEvidence } from "./evidence";

/** A fitted calibration: standardised features → logistic → (optionally) an isotonic map. */
export interface CalibrationModel {
  kind: "logistic";
  features: FeatureName[];
  /** per-feature standardisation (mean and standard deviation on the fit's samples) */
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
  /** a monotone map of the logistic output: knots (x ascending, y non-decreasing), linear between them, flat outside */
  isotonic?: { x: number[]; y: number[] };
}

export interface CalibrationSample {
  evidence: MomentEvidence;
  /** 1 = the moment matches the sentence */
  label: 0 | 1;
  /** sample weight (default 1) */
  weight?: number;
}

export interface FitOptions {
  features: readonly FeatureName[];
  /** ridge on the standardised weights (not the bias), in units of the summed sample weight; default 1e-4 */
  l2?: number;
  /** add an isotonic map of the logistic output (default false) */
  isotonic?: boolean;
  maxIter?: number;
  /** what vocabulary-dependent features read */
  context?: FeatureContext;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** A calibration model's probability for one piece of evidence. */
export function predict(m: CalibrationModel, e: MomentEvidence, ctx?: FeatureContext): number {
  const x = featureVector(e, m.features, ctx);
  let z = m.bias;
  for (let j = 0; j < x.length; j++) z += (m.weights[j] * (x[j] - m.mean[j])) / m.std[j];
  const p = sigmoid(z);
  return m.isotonic ? interpolate(m.isotonic.x, m.isotonic.y, p) : p;
}

/** Fits the calibration on labelled evidence. */
export function fitCalibration(samples: readonly CalibrationSample[], o: FitOptions): CalibrationModel {
  if (samples.length === 0) throw new Error("no samples to fit a calibration on");
  const features = [...o.features];
  const raw = samples.map((s) => featureVector(s.evidence, features, o.context));
  const w = samples.map((s) => s.weight ?? 1);
  const { mean, std } = standardisation(raw, w);
  const X = raw.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const y = samples.map((s) => s.label);
  const fit = fitLogistic(X, y, { l2: o.l2 ?? 1e-4, weights: w, maxIter: o.maxIter });
  const model: CalibrationModel = { kind: "logistic", features, mean, std, weights: fit.weights, bias: fit.bias };
  if (o.isotonic) {
    const p = X.map((x) => sigmoid(fit.bias + x.reduce((s, v, j) => s + v * fit.weights[j], 0)));
    model.isotonic = fitIsotonic(p, y, w);
  }
  return model;
}

function standardisation(X: number[][], w: number[]): { mean: number[]; std: number[] } {
  const d = X[0]?.length ?? 0;
  const W = w.reduce((a, b) => a + b, 0);
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, x, i) => s + w[i] * x[j], 0) / W);
  const std = Array.from({ length: d }, (_, j) => {
    const v = X.reduce((s, x, i) => s + w[i] * (x[j] - mean[j]) ** 2, 0) / W;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  return { mean, std };
}

export interface LogisticFit {
  weights: number[];
  bias: number;
  iterations: number;
  converged: boolean;
}

/**
 * Weighted logistic regression by Newton's method (IRLS): minimises
 * Σ w_i · logloss(y_i, σ(b + x_i·β)) / Σ w_i + l2/2 · ‖β‖².
 */
export function fitLogistic(
  X: readonly number[][],
  y: readonly number[],
  o: { l2?: number; weights?: readonly number[]; maxIter?: number; tol?: number } = {},
): LogisticFit {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const l2 = o.l2 ?? 0;
  const w = o.weights ?? X.map(() => 1);
  const W = w.reduce((a, b) => a + b, 0);
  // θ = [bias, β]
  let theta = new Array<number>(d + 1).fill(0);
  let converged = false;
  let it = 0;
  for (; it < (o.maxIter ?? 100); it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = [1, ...X[i]];
      let z = 0;
      for (let j = 0; j <= d; j++) z += theta[j] * xi[j];
      const p = sigmoid(z);
      const r = (w[i] * (p - y[i])) / W;
      const h = (w[i] * Math.max(p * (1 - p), 1e-12)) / W;
      for (let j = 0; j <= d; j++) {
        g[j] += r * xi[j];
        for (let k = j; k <= d; k++) H[j][k] += h * xi[j] * xi[k];
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) H[j][k] = H[k][j];
    for (let j = 1; j <= d; j++) {
      g[j] += l2 * theta[j];
      H[j][j] += l2;
    }
    for (let j = 0; j <= d; j++) H[j][j] += 1e-10;
    const step = solve(H, g);
    theta = theta.map((t, j) => t - step[j]);
    if (Math.max(...step.map(Math.abs)) < (o.tol ?? 1e-9)) {
      converged = true;
      it++;
      break;
    }
  }
  return { bias: theta[0], weights: theta.slice(1), iterations: it, converged };
}

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
export function solve(A: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error("matrix is not positive definite");
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/**
 * Isotonic regression (pool adjacent violators) of labels on scores: knots at each pooled
 * block's mean score with its mean label, non-decreasing.
 */
export function fitIsotonic(
  scores: readonly number[],
  labels: readonly number[],
  weights?: readonly number[],
): { x: number[]; y: number[] } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const blocks: { x: number; y: number; w: number }[] = [];
  for (const i of order) {
    const wi = weights?.[i] ?? 1;
    blocks.push({ x: scores[i] * wi, y: labels[i] * wi, w: wi });
    // merge while the last block's mean label is below the one before
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.y / a.w < b.y / b.w) break;
      blocks.splice(blocks.length - 2, 2, { x: a.x + b.x, y: a.y + b.y, w: a.w + b.w });
    }
  }
  return { x: blocks.map((b) => b.x / b.w), y: blocks.map((b) => b.y / b.w) };
}

/** Piecewise-linear interpolation through the knots, flat outside them. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (xs.length === 0) return x;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[xs.length - 1]) return ys[ys.length - 1];
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = xs[hi] > xs[lo] ? (x - xs[lo]) / (xs[hi] - xs[lo]) : 0;
  return ys[lo] + t * (ys[hi] - ys[lo]);
}
