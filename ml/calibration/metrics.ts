/**
 * How well a confidence is calibrated and how well it separates: reliability bins, expected
 * calibration error (ECE) with equal-width or equal-mass bins, Brier score, log loss, ROC AUC.
 * Pure functions; probabilities in [0, 1], labels 0/1.
 */

export interface ReliabilityBin {
  /** the bin's range of confidence (equal-width: the fixed edges; equal-mass: its smallest and largest member) */
  lo: number;
  hi: number;
  count: number;
  /** mean confidence of the bin's members (NaN when empty) */
  confidence: number;
  /** share of positives among them (NaN when empty) */
  accuracy: number;
}

export type BinScheme = "width" | "mass";

/**
 * Reliability bins: "width" = `bins` equal ranges of [0, 1] (a confidence of exactly 1 falls in
 * the last); "mass" = `bins` groups of (nearly) equal size in order of confidence.
 */
export function reliabilityBins(
  p: readonly number[],
  y: readonly number[],
  bins = 15,
  scheme: BinScheme = "width",
): ReliabilityBin[] {
  if (p.length !== y.length) throw new Error("confidences and labels differ in length");
  const members: number[][] = Array.from({ length: bins }, () => []);
  if (scheme === "width") p.forEach((v, i) => members[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))].push(i));
  else {
    const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
    order.forEach((i, r) => members[Math.min(bins - 1, Math.floor((r * bins) / order.length))].push(i));
  }
  return members.map((m, b) => {
    const conf = m.reduce((s, i) => s + p[i], 0) / m.length;
    const acc = m.reduce((s, i) => s + y[i], 0) / m.length;
    const [lo, hi] =
      scheme === "width"
        ? [b / bins, (b + 1) / bins]
        : m.length
          ? [p[m[0]], p[m[m.length - 1]]]
          : [Number.NaN, Number.NaN];
    return { lo, hi, count: m.length, confidence: m.length ? conf : Number.NaN, accuracy: m.length ? acc : Number.NaN };
  });
}

/** ECE = Σ_bins (count / n) · |accuracy − confidence|. */
export function eceOfBins(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return Number.NaN;
  return bins.reduce((s, b) => (b.count ? s + (b.count / n) * Math.abs(b.accuracy - b.confidence) : s), 0);
}

export function expectedCalibrationError(
  p: readonly number[],
  y: readonly number[],
  bins = 15,
  scheme: BinScheme = "width",
): number {
  return eceOfBins(reliabilityBins(p, y, bins, scheme));
}

export function brierScore(p: readonly number[], y: readonly number[]): number {
  return p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length;
}

export function logLoss(p: readonly number[], y: readonly number[]): number {
  const eps = 1e-12;
  return -p.reduce((s, v, i) => s + (y[i] ? Math.log(Math.max(v, eps)) : Math.log(Math.max(1 - v, eps))), 0) / p.length;
}

/** Area under the ROC curve (ties count a half); NaN without both classes. */
export function rocAuc(p: readonly number[], y: readonly number[]): number {
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSum = 0;
  let pos = 0;
  for (let r = 0; r < order.length;) {
    let e = r;
    while (e + 1 < order.length && p[order[e + 1]] === p[order[r]]) e++;
    const mid = (r + e) / 2 + 1;
    for (let k = r; k <= e; k++)
      if (y[order[k]]) {
        rankSum += mid;
        pos++;
      }
    r = e + 1;
  }
  const neg = p.length - pos;
  if (!pos || !neg) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Everything about one confidence on one labelled set. */
export interface CalibrationReport {
  samples: number;
  positives: number;
  /** 15 equal-width bins (the headline number) and 15 equal-mass bins */
  ece: number;
  eceMass: number;
  brier: number;
  logLoss: number;
  auc: number;
  bins: ReliabilityBin[];
  massBins: ReliabilityBin[];
}

export function calibrationReport(p: readonly number[], y: readonly number[], bins = 15): CalibrationReport {
  const width = reliabilityBins(p, y, bins, "width");
  const mass = reliabilityBins(p, y, bins, "mass");
  return {
    samples: p.length,
    positives: y.reduce((s, v) => s + v, 0),
    ece: eceOfBins(width),
    eceMass: eceOfBins(mass),
    brier: brierScore(p, y),
    logLoss: logLoss(p, y),
    auc: rocAuc(p, y),
    bins: width,
    massBins: mass,
  };
}
