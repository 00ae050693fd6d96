/**
 * Baselines without a trained grounder: "sliding-window" (windows of 7 scales ranked by the mean
 * LocVTP clip·sentence similarity, NMS 0.5; zero-shot) and "random" (uniform centres and widths).
 */
import { spanIou } from "../cpl/geometry";
import type { Rng } from "../core/rng";
import type { SentenceEmbedder } from "../locvtp/encode";
import type { ClipVector, Grounder } from "../types";

export interface Span {
  start: number;
  end: number;
}

/** Mean clip·query similarity in every window of every scale; windows ranked with NMS. */
export function slidingWindows(
  sims: Float32Array,
  duration: number,
  topK = 5,
  scales = [0.04, 0.08, 0.12, 0.18, 0.25, 0.35, 0.5],
): { spans: Span[]; scores: number[] } {
  const n = sims.length;
  const cands: { span: Span; score: number }[] = [];
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sims[i];
  const seen = new Set<string>();
  for (const s of scales) {
    const len = Math.max(1, Math.round(s * n));
    const stride = Math.max(1, Math.floor(len / 2));
    for (let a = 0; a + len <= n; a += stride) {
      if (seen.has(`${a}:${len}`)) continue;
      seen.add(`${a}:${len}`);
      cands.push({
        span: { start: (a / n) * duration, end: ((a + len) / n) * duration },
        score: (prefix[a + len] - prefix[a]) / len,
      });
    }
    if (n - len > 0 && (n - len) % stride !== 0 && !seen.has(`${n - len}:${len}`)) {
      cands.push({
        span: { start: ((n - len) / n) * duration, end: duration },
        score: (prefix[n] - prefix[n - len]) / len,
      });
    }
  }
  cands.sort((a, b) => b.score - a.score);
  const keep: typeof cands = [];
  for (const c of cands) {
    if (keep.every((k) => spanIou(k.span, c.span) < 0.5)) keep.push(c);
    if (keep.length >= topK) break;
  }
  return { spans: keep.map((k) => k.span), scores: keep.map((k) => k.score) };
}

/** Each clip's embedding · the sentence embedding. */
export function clipSims(clips: ClipVector[], q: Float32Array): Float32Array {
  return Float32Array.from(clips, ({ embedding: c }) => {
    let s = 0;
    for (let i = 0; i < q.length; i++) s += c[i] * q[i];
    return s;
  });
}

export function slidingWindowGrounder(embedSentence: SentenceEmbedder, version: string): Grounder {
  return {
    method: "sliding-window",
    version,
    ground(sentence, videos, opts = {}) {
      const q = embedSentence(sentence);
      return videos.map((v) => {
        if (v.clips.length === 0 || !(v.durationSeconds > 0)) return { spans: [], videoScore: null };
        const w = slidingWindows(clipSims(v.clips, q), v.durationSeconds, opts.topK ?? 5);
        return { spans: w.spans.map((s, k) => ({ ...s, score: w.scores[k] })), videoScore: null };
      });
    },
  };
}

/** topK spans with uniform centre and width, from `rng` (one stream: each call draws the next spans). */
export function randomGrounder(rng: Rng): Grounder {
  return {
    method: "random",
    version: "random",
    ground(_sentence, videos, opts = {}) {
      return videos.map((v) => ({
        spans: Array.from({ length: opts.topK ?? 5 }, () => {
          const c = rng.next();
          const w = rng.next();
          return {
            start: Math.max(c - w / 2, 0) * v.durationSeconds,
            end: Math.min(c + w / 2, 1) * v.durationSeconds,
            score: 0,
          };
        }),
        videoScore: null,
      }));
    },
  };
}
