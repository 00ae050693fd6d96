/**
 * Spans read off a video's token scores: the scorer's grounding (ml/relevance/README.md). Pure
 * functions of the scores, so they are tested on hand-made score curves.
 */

/**
 * How spans are read off a video's token scores (relevanceSpans).
 * - peak: the best token, extended over its neighbours scoring above
 *   min + threshold·(peak − min);
 * - mass: the tokens' softmax p_i ∝ exp(s_i / temperature), the pooling the scorer is trained
 *   with, and the span that maximises its mass minus lengthPrice × its length (as a fraction of
 *   the video). It places the first span better than peak, but once that span's mass is gone
 *   it ranks the rest worse, so the alternatives come from peak (at `alternatives`).
 * Either way the next span is the best one among the tokens not used yet.
 */
export type RelevanceReadout = (
  { kind: "peak"; threshold: number } | { kind: "mass"; temperature: number; lengthPrice: number; alternatives: number }
) & {
  /**
   * Each span gives up this fraction of its length at either end (absent = 0). Clip features
   * carry a ±2-clip context, so evidence spreads past the event's ends and spans read off the
   * scores run long (docs/experiments/006-more-renderings.md).
   */
  trim?: number;
};

/** Chosen on val (docs/experiments/005-ensemble-and-readout.md, 006-more-renderings.md). */
export const DEFAULT_RELEVANCE_READOUT: RelevanceReadout = {
  kind: "mass",
  temperature: 1,
  lengthPrice: 1.5,
  alternatives: 0.8,
  trim: 0.1,
};

type ScoredSpan = { start: number; end: number; score: number };

/** Up to topK distinct spans of a video from its token scores [N] (any scale), best first. */
export function relevanceSpans(
  scores: ArrayLike<number>,
  duration: number,
  topK: number,
  readout: RelevanceReadout = DEFAULT_RELEVANCE_READOUT,
): ScoredSpan[] {
  const N = scores.length;
  if (N === 0) return [];
  const used = new Uint8Array(N);
  const peak = peakPicker(scores, readout.kind === "peak" ? readout.threshold : readout.alternatives);
  const first = readout.kind === "peak" ? peak : massPicker(scores, readout.temperature, readout.lengthPrice);
  const out: ScoredSpan[] = [];
  while (out.length < topK) {
    const span = (out.length === 0 ? first : peak)(used);
    if (!span) break;
    used.fill(1, span.a0, span.a1 + 1);
    const cut = (readout.trim ?? 0) * ((span.a1 + 1 - span.a0) / N) * duration;
    out.push({ start: (span.a0 / N) * duration + cut, end: ((span.a1 + 1) / N) * duration - cut, score: span.score });
  }
  return out;
}

type Picker = (used: Uint8Array) => { a0: number; a1: number; score: number } | null;

/** The best unused token and its unused neighbours above the threshold; scored by its peak. */
function peakPicker(scores: ArrayLike<number>, threshold: number): Picker {
  const N = scores.length;
  let lo = Infinity;
  for (let i = 0; i < N; i++) lo = Math.min(lo, scores[i]);
  return (used) => {
    let am = -1;
    for (let i = 0; i < N; i++) if (!used[i] && (am < 0 || scores[i] > scores[am])) am = i;
    if (am < 0) return null;
    const th = lo + threshold * Math.max(scores[am] - lo, 1e-6);
    let a0 = am;
    let a1 = am;
    while (a0 > 0 && !used[a0 - 1] && scores[a0 - 1] > th) a0--;
    while (a1 < N - 1 && !used[a1 + 1] && scores[a1 + 1] > th) a1++;
    return { a0, a1, score: scores[am] };
  };
}

/** The run of unused tokens maximising softmax mass − price × length; scored by that value. */
function massPicker(scores: ArrayLike<number>, temperature: number, lengthPrice: number): Picker {
  const N = scores.length;
  let mx = -Infinity;
  for (let i = 0; i < N; i++) mx = Math.max(mx, scores[i]);
  const cum = new Float64Array(N + 1);
  for (let i = 0; i < N; i++) cum[i + 1] = cum[i] + Math.exp((scores[i] - mx) / temperature);
  const z = cum[N];
  return (used) => {
    let best: { a0: number; a1: number; score: number } | null = null;
    for (let a = 0; a < N; a++) {
      if (used[a]) continue;
      for (let b = a; b < N && !used[b]; b++) {
        const v = (cum[b + 1] - cum[a]) / z - (lengthPrice * (b - a + 1)) / N;
        if (!best || v > best.score) best = { a0: a, a1: b, score: v };
      }
    }
    return best;
  };
}

/**
 * The mass readout's value of a given span: the tokens' softmax mass (p_i ∝ exp(s_i /
 * temperature)) over the tokens whose centres lie inside it, minus lengthPrice × its length as
 * a fraction of the video — what massPicker maximises, for a span found some other way.
 */
export function spanMass(
  scores: ArrayLike<number>,
  duration: number,
  span: { start: number; end: number },
  o: { temperature: number; lengthPrice: number } = { temperature: 1, lengthPrice: 1.5 },
): number {
  const N = scores.length;
  if (N === 0 || !(duration > 0)) return 0;
  let mx = -Infinity;
  for (let i = 0; i < N; i++) mx = Math.max(mx, scores[i]);
  const a0 = (span.start / duration) * N;
  const a1 = (span.end / duration) * N;
  let inside = 0;
  let z = 0;
  for (let i = 0; i < N; i++) {
    const p = Math.exp((scores[i] - mx) / o.temperature);
    z += p;
    if (i + 0.5 >= a0 && i + 0.5 <= a1) inside += p;
  }
  return inside / z - (o.lengthPrice * (span.end - span.start)) / duration;
}

/**
 * Proposals found by another head, ranked by their own score + β × the scorer's mass readout
 * of each (the scorer's readout objective as a second opinion; 020 measured it on the boundary
 * upper bound's proposals), best first; `score` becomes the combined value.
 */
export function rerankByMass<S extends { start: number; end: number; score: number }>(
  spans: readonly S[],
  scores: ArrayLike<number>,
  duration: number,
  beta: number,
): S[] {
  return spans
    .map((s) => ({ ...s, score: s.score + beta * spanMass(scores, duration, s) }))
    .sort((a, b) => b.score - a.score);
}
