/**
 * CPL proposal geometry: pure functions on plain numbers (unit-tested by hand) and their
 * tensor twins used in training (same formulas; tests check they agree).
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Gaussian mask of proposal (c, w) over N clips, i = 1..N:
 *   m_i = 1/(sqrt(2π)·(w/σ)) · exp(−(i/N − c)² / (2·(w/σ)²)), then rescaled so max_i m_i = 1
 * (the rescaling is what the reference implementation does; it makes the mask a weight in
 * [0, 1] whatever the width).
 */
export function gaussianMask(c: number, w: number, N: number, sigma: number, rescale = true): Float64Array {
  const s = Math.max(w / sigma, 1e-4);
  const out = new Float64Array(N);
  for (let i = 1; i <= N; i++)
    out[i - 1] = (1 / (Math.sqrt(2 * Math.PI) * s)) * Math.exp(-((i / N - c) ** 2) / (2 * s * s));
  if (rescale) {
    let mx = 0;
    for (const v of out) mx = Math.max(mx, v);
    for (let i = 0; i < N; i++) out[i] /= mx;
  }
  return out;
}

/** Tensor version. c, w: [...] → masks [..., N] rescaled to max 1 (differentiable in c, w). */
export function gaussianMaskT(c: tf.Tensor, w: tf.Tensor, N: number, sigma: number): tf.Tensor {
  const pos = tf.div(tf.range(1, N + 1), N); // [N]
  const s = tf.maximum(tf.div(w, sigma), 1e-4).expandDims(-1);
  const d = tf.sub(pos, c.expandDims(-1));
  const m = tf.exp(tf.neg(tf.div(tf.square(d), tf.mul(2, tf.square(s)))));
  // the 1/(sqrt(2π)s) factor cancels in the max-rescale; divide by the max explicitly anyway
  const full = tf.div(m, tf.mul(Math.sqrt(2 * Math.PI), s));
  return tf.div(full, tf.add(tf.max(full, -1, true), 1e-12));
}

/** Curriculum η = (e / e_max)^0.5 (e = current epoch, 1-based). */
export function eta(epoch: number, maxEpoch: number): number {
  return Math.sqrt(Math.min(Math.max(epoch / maxEpoch, 0), 1));
}

export interface Proposal {
  c: number;
  w: number;
}

/**
 * The two negatives of a positive (c, w): the gaps to the video ends w¹ = c − w/2,
 * w² = 1 − c − w/2 (clamped at 0 when the positive overhangs an end), scaled by η and
 * anchored at the ends: c^{n1} = w^{n1}/2, c^{n2} = 1 − w^{n2}/2. They never overlap the
 * positive because η ≤ 1.
 */
export function negativeProposals(p: Proposal, etaValue: number): [Proposal, Proposal] {
  const w1 = Math.max(p.c - p.w / 2, 0);
  const w2 = Math.max(1 - p.c - p.w / 2, 0);
  const wn1 = etaValue * w1;
  const wn2 = etaValue * w2;
  return [
    { c: wn1 / 2, w: wn1 },
    { c: 1 - wn2 / 2, w: wn2 },
  ];
}

export function negativeProposalsT(
  c: tf.Tensor,
  w: tf.Tensor,
  etaValue: number,
): { c1: tf.Tensor; w1: tf.Tensor; c2: tf.Tensor; w2: tf.Tensor } {
  const half = tf.div(w, 2);
  const w1 = tf.mul(tf.relu(tf.sub(c, half)), etaValue);
  const w2 = tf.mul(tf.relu(tf.sub(tf.sub(1, c), half)), etaValue);
  return { c1: tf.div(w1, 2), w1, c2: tf.sub(1, tf.div(w2, 2)), w2 };
}

/** L_div = ‖ m mᵀ − λ I ‖²_F with rows of m normalised to sum 1 (as the reference code). */
export function divLoss(masks: number[][], lambda: number): number {
  const K = masks.length;
  const rows = masks.map((r) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((x) => x / s);
  });
  let loss = 0;
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) {
      let dot = 0;
      for (let i = 0; i < rows[a].length; i++) dot += rows[a][i] * rows[b][i];
      loss += (dot - (a === b ? lambda : 0)) ** 2;
    }
  return loss;
}

/** masks [B, K, N] → L_div per sample [B] */
export function divLossT(masks: tf.Tensor, lambda: number): tf.Tensor {
  const K = masks.shape[1]!;
  const m = tf.div(masks, tf.add(tf.sum(masks, -1, true), 1e-10));
  const g = tf.matMul(m, m, false, true);
  return tf.sum(tf.square(tf.sub(g, tf.mul(tf.eye(K), lambda))), [1, 2]);
}

/** Span in seconds: start = max(c − w/2, 0)·dur, end = min(c + w/2, 1)·dur. */
export function toSpan(p: Proposal, duration: number): { start: number; end: number } {
  return { start: Math.max(p.c - p.w / 2, 0) * duration, end: Math.min(p.c + p.w / 2, 1) * duration };
}

export function spanIou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union <= 0 ? 0 : inter / union;
}

/**
 * CPL* vote: each proposal scores the summed IoU with the other proposals; returns proposal
 * indices ranked best first and their scores.
 */
export function iouVote(spans: { start: number; end: number }[]): { order: number[]; scores: number[] } {
  const scores = spans.map((a, i) => spans.reduce((s, b, j) => (i === j ? s : s + spanIou(a, b)), 0));
  const order = spans.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  return { order, scores };
}

/**
 * The reference code's vote on Charades-STA: proposals come ranked by completion loss; proposal
 * j's vote counts c_j = IoU(proposal ranked first, j), so proposals far from the loss's choice
 * barely vote; proposal i scores Σ_j IoU(i, j)·c_j (j = i included). Returns indices ranked best
 * first and their scores. `first` is the index of the loss-ranked first proposal.
 */
export function weightedIouVote(
  spans: { start: number; end: number }[],
  first: number,
): { order: number[]; scores: number[] } {
  const c = spans.map((s) => spanIou(spans[first], s));
  const scores = spans.map((a) => spans.reduce((sum, b, j) => sum + spanIou(a, b) * c[j], 0));
  const order = spans.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  return { order, scores };
}

/**
 * Pointer proposal: a distribution a_i over N token positions p_i = (i + ½)/N becomes a span
 * with centre c = Σ a_i p_i and width w = √(12·Var_a(p) + 1/N²). For a uniform distribution
 * over k consecutive tokens this is exactly k/N (the discrete uniform's variance is
 * (k² − 1)/(12 N²)), so a pointer that covers the event's tokens yields the event's span.
 */
export function pointerProposal(a: ArrayLike<number>): Proposal {
  const N = a.length;
  let c = 0;
  let m2 = 0;
  for (let i = 0; i < N; i++) {
    const p = (i + 0.5) / N;
    c += a[i] * p;
    m2 += a[i] * p * p;
  }
  const v = Math.max(m2 - c * c, 0);
  return { c, w: Math.min(Math.sqrt(12 * v + 1 / (N * N)), 1) };
}

/** Tensor version: a [..., N] (rows sum to 1) → c, w [...]. */
export function pointerProposalT(a: tf.Tensor): { c: tf.Tensor; w: tf.Tensor } {
  const N = a.shape[a.shape.length - 1]!;
  const pos = tf.div(tf.add(tf.range(0, N), 0.5), N);
  const c = tf.sum(tf.mul(a, pos), -1);
  const v = tf.relu(tf.sub(tf.sum(tf.mul(a, tf.square(pos)), -1), tf.square(c)));
  return { c, w: tf.minimum(tf.sqrt(tf.add(tf.mul(v, 12), 1 / (N * N))), 1) };
}

/**
 * Boundary decoding (head "boundary"): start logits s and end logits e over N tokens → up to K
 * spans. Pair (i, j), i ≤ j, covers tokens i..j, i.e. [i/N, (j + 1)/N], and scores
 * log softmax(s)_i + log softmax(e)_j. Spans are taken best first, skipping any whose IoU with one
 * already taken exceeds `maxIou` (so the K proposals differ); each comes as centre, width, score.
 */
export function boundarySpans(
  s: ArrayLike<number>,
  e: ArrayLike<number>,
  K: number,
  maxIou = 0.5,
): (Proposal & { score: number })[] {
  const N = s.length;
  const ls = logSoftmax(s);
  const le = logSoftmax(e);
  const pairs: { i: number; j: number; score: number }[] = [];
  for (let i = 0; i < N; i++) for (let j = i; j < N; j++) pairs.push({ i, j, score: ls[i] + le[j] });
  pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  const taken: { start: number; end: number }[] = [];
  const out: (Proposal & { score: number })[] = [];
  for (const p of pairs) {
    if (out.length >= K) break;
    const span = { start: p.i / N, end: (p.j + 1) / N };
    if (taken.some((t) => spanIou(t, span) > maxIou)) continue;
    taken.push(span);
    out.push({ c: (span.start + span.end) / 2, w: span.end - span.start, score: p.score });
  }
  return out;
}

/**
 * The tokens a boundary head is trained to pick for a relative span [c − w/2, c + w/2]: the token
 * edges nearest its ends, start token round(start·N), end token round(end·N) − 1 (clamped so
 * that 0 ≤ start ≤ end ≤ N − 1). Decoded, they give the span within half a token at either end.
 */
export function boundaryTargets(gt: Proposal, N: number): { start: number; end: number } {
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  const start = clamp(Math.round((gt.c - gt.w / 2) * N), 0, N - 1);
  const end = clamp(Math.round((gt.c + gt.w / 2) * N) - 1, start, N - 1);
  return { start, end };
}

function logSoftmax(x: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]);
  let z = 0;
  for (let i = 0; i < x.length; i++) z += Math.exp(x[i] - m);
  const lz = m + Math.log(z);
  return Float64Array.from({ length: x.length }, (_, i) => x[i] - lz);
}

/**
 * The λ of L_div that a proposal of width w is at rest with: the diagonal of m mᵀ, Σ_i p_i² with
 * p the mask normalised to sum 1 (centre c, default mid-video). L_div pulls each proposal's
 * self-overlap to λ, so λ fixes the width proposals settle at — for this N and σ, not the
 * reference's (docs/experiments/020-cpl-localises.md sweeps it).
 */
export function selfOverlap(w: number, N: number, sigma: number, c = 0.5): number {
  const m = gaussianMask(c, w, N, sigma);
  const s = m.reduce((a, b) => a + b, 0);
  return m.reduce((a, b) => a + (b / s) ** 2, 0);
}
