/**
 * A models folder measured on a library: grounding (R1@0.3/0.5/0.7 and mIoU of the default
 * method's best span) on spans people annotated, and on held-out sentences the ranking of
 * their own video among the library's (R@1, R@5) plus grounding where a held-out sentence has
 * an annotated span. The same call on the new version and on the active one gives the numbers
 * the activation gate compares. Percentages (0–100) with two decimals; null where nothing was
 * measured.
 */
import path from "node:path";
import type { CorpusVideo } from "../data/corpus";
import { evaluateGrounding, type GroundingSample } from "../data/metrics";
import { loadClipEncoder } from "../encoders";
import { loadGroundingModels } from "../grounders/registry";
import type { ClipVector, GroundMethod } from "../types";

export interface SpanQuery {
  video: string;
  sentence: string;
  start: number;
  end: number;
}

export interface HeldOutQuery {
  video: string;
  sentence: string;
  /** an annotated span of the sentence in its video, when there is one */
  span?: { start: number; end: number };
}

export interface GroundingScores {
  n: number;
  r1_03: number | null;
  r1_05: number | null;
  r1_07: number | null;
  miou: number | null;
}

export interface HeldOutScores extends GroundingScores {
  /** held-out sentences whose own video ranks first / in the top 5 among the library's (percent) */
  videoR1: number | null;
  videoR5: number | null;
  /** how many held-out sentences were ranked (n: how many had a span to ground) */
  ranked: number;
}

export interface ModelsEvaluation {
  /** the grounding models' version (what search records with a prediction) */
  version: string;
  method: GroundMethod;
  annotated: GroundingScores;
  heldOut: HeldOutScores;
}

const pct = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

function groundingScores(samples: GroundingSample[]): GroundingScores {
  const m = evaluateGrounding(samples);
  return {
    n: samples.length,
    r1_03: pct(m["R1@0.3"]),
    r1_05: pct(m["R1@0.5"]),
    r1_07: pct(m["R1@0.7"]),
    miou: pct(m.mIoU),
  };
}

export async function evaluateModels(
  modelsDir: string,
  videos: CorpusVideo[],
  o: {
    annotated: SpanQuery[];
    heldOut: HeldOutQuery[];
    backboneDir?: string | null;
    /** the grounding method to measure (default: the folder's default method, as search uses it) */
    method?: GroundMethod;
  },
): Promise<ModelsEvaluation> {
  const encoder = await loadClipEncoder(path.join(modelsDir, "locvtp"), {
    relevanceDir: path.join(modelsDir, "relevance"),
    backboneDir: o.backboneDir ?? null,
  });
  const models = await loadGroundingModels(modelsDir, { backboneDir: o.backboneDir ?? null });
  const method = o.method ?? models.defaultMethod;
  const grounder = models.grounder(method);
  const clips = new Map<string, ClipVector[]>();
  const clipsOf = (id: string) => {
    let c = clips.get(id);
    if (!c) {
      const v = videos.find((x) => x.id === id)!;
      c = encoder.clipVectors(v.feats, v.nClips);
      clips.set(id, c);
    }
    return c;
  };
  const byId = new Map(videos.map((v) => [v.id, v]));
  const ground = (q: { video: string; sentence: string }, gt: { start: number; end: number }): GroundingSample => {
    const v = byId.get(q.video)!;
    const [g] = grounder.ground(q.sentence, [{ clips: clipsOf(q.video), durationSeconds: v.duration }], { topK: 1 });
    return { gt, predictions: g.spans.map((s) => ({ start: s.start, end: s.end })) };
  };
  const annotated = groundingScores(o.annotated.filter((q) => byId.has(q.video)).map((q) => ground(q, q)));
  const held = o.heldOut.filter((q) => byId.has(q.video));
  const heldSpans = groundingScores(held.filter((q) => q.span).map((q) => ground(q, q.span!)));
  let r1: number | null = null;
  let r5: number | null = null;
  if (models.ranker && held.length && videos.length > 1) {
    const all = videos.map((v) => clipsOf(v.id));
    let hits1 = 0;
    let hits5 = 0;
    for (const q of held) {
      const scores = models.ranker.score(q.sentence, all);
      const own = scores[videos.findIndex((v) => v.id === q.video)] ?? -Infinity;
      // ties count against the sentence's own video
      const rank = scores.filter((s, i) => videos[i].id !== q.video && s !== null && s >= own).length + 1;
      if (rank === 1) hits1++;
      if (rank <= 5) hits5++;
    }
    r1 = pct((100 * hits1) / held.length);
    r5 = pct((100 * hits5) / held.length);
  }
  return {
    version: models.version,
    method,
    annotated,
    heldOut: { ...heldSpans, videoR1: r1, videoR5: r5, ranked: models.ranker ? held.length : 0 },
  };
}
