/**
 * Candidate moments of a corpus with their evidence and their truth, collected the way search
 * meets them across a library: the query against every video of the split, the relevance
 * scorer ranking the videos, the grounder's top spans in each of the best videos
 * (corpus moment retrieval, ml/eval.ts). The fit (scripts/calibrate.ts) and the measurement
 * (npm run eval) both read these.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CLIP_SPEC } from "../config";
import type { Corpus } from "../data/corpus";
import { iou, type Span } from "../data/metrics";
import { groundTruthFor, type Scenario } from "../data/shapes/world";
import type { SentenceEmbedder } from "../locvtp/encode";
import type { ClipVector, Grounder, VideoRanker } from "../types";
import { meanClipSimilarity, poolEvidence, type MomentEvidence } from "./evidence";

/**
 * One query of the set: a real (annotated) one, or a generated one the library cannot answer:
 * an object/colour/action combination absent from it, or words the models never saw (absent.ts).
 */
export interface QueryCase {
  sentence: string;
  kind: "real" | "absent" | "oov";
  /** the annotated moment of a real query */
  video?: string;
  start?: number;
  end?: number;
}

/** One grounded span of one of a query's best videos. */
export interface CandidateMoment {
  /** index into the query list */
  query: number;
  video: string;
  /** the video's place in the scorer's ranking (0 = best) */
  videoRank: number;
  start: number;
  end: number;
  evidence: MomentEvidence;
  /** best IoU with any moment in this video that the sentence truly describes (TruthSource) */
  iou: number;
  /** IoU with the query's own annotated moment (0 in any other video) */
  annotatedIou: number;
}

export interface CollectOptions {
  /** videos grounded per query, best first by the relevance scorer (search grounds ≈ 12) */
  topVideos: number;
  /** spans per video: the grounder's first and its alternatives (search asks for 1 + 4) */
  topSpans: number;
  log?: (s: string) => void;
  /** the query against its one-word edits in the pool's videos (VideoRanker.contrast), as search computes it */
  contrast?: VideoRanker["contrast"];
  /** only for this many of the best videos (search's bound on its cost); default every one */
  contrastVideos?: number;
  /** the span verifier's logits (VideoRanker.verify), for every grounded video as search computes them */
  verify?: VideoRanker["verify"];
}

/** The moments a sentence truly describes in a video. */
export type TruthSource = (sentence: string, video: string) => Span[];

/**
 * Truth from the Shapes scenarios (scenarios.json beside annotations.json): every event of any
 * video that the sentence describes (world.ts's groundTruthFor), so a sentence that is true in
 * several videos counts in each.
 */
export function scenarioTruth(scenarios: Map<string, Scenario>): TruthSource {
  const memo = new Map<string, Span[]>();
  return (sentence, video) => {
    const key = `${video}\u0000${sentence}`;
    let spans = memo.get(key);
    if (!spans) {
      const sc = scenarios.get(video);
      spans = sc ? groundTruthFor(sc, sentence).map((e) => ({ start: e.start, end: e.end })) : [];
      memo.set(key, spans);
    }
    return spans;
  };
}

/** Truth from the annotations alone: the annotated moments of every query with the same sentence (case and spacing ignored). */
export function annotationTruth(corpus: Pick<Corpus, "queries">): TruthSource {
  const bySentence = new Map<string, Map<string, Span[]>>();
  for (const q of corpus.queries) {
    if (q.start === undefined || q.end === undefined) continue;
    const k = normalise(q.query);
    const m = bySentence.get(k) ?? new Map<string, Span[]>();
    m.set(q.video, [...(m.get(q.video) ?? []), { start: q.start, end: q.end }]);
    bySentence.set(k, m);
  }
  return (sentence, video) => bySentence.get(normalise(sentence))?.get(video) ?? [];
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").replace(/\.$/, "").trim();
}

/** The Shapes scenarios of a dataset folder (scenarios.json), or null when it has none. */
export function readScenarios(dir: string): Map<string, Scenario> | null {
  const file = path.join(dir, "scenarios.json");
  if (!existsSync(file)) return null;
  const list = JSON.parse(readFileSync(file, "utf8")) as (Scenario & { id: string })[];
  return new Map(list.map((s) => [s.id, s]));
}

/** The real queries of a corpus (those with a start and an end). */
export function realQueries(corpus: Pick<Corpus, "queries">, max = Infinity): QueryCase[] {
  return corpus.queries
    .filter((q) => q.start !== undefined && q.end !== undefined)
    .slice(0, max)
    .map((q) => ({ sentence: q.query, kind: "real", video: q.video, start: q.start, end: q.end }));
}

/**
 * Every query against every video: the grounder (one batched call per query, as search grounds
 * its candidates) gives each video's spans and, for the relevance grounder, its video score; the
 * best `topVideos` videos by that score are the pool, and each of their `topSpans` spans is a
 * candidate moment with its evidence.
 */
export function collectCandidates(
  corpus: Pick<Corpus, "videos">,
  vectors: Map<string, ClipVector[]>,
  grounder: Grounder,
  embed: SentenceEmbedder,
  queries: QueryCase[],
  truth: TruthSource,
  o: CollectOptions,
): CandidateMoment[] {
  const out: CandidateMoment[] = [];
  const inputs = corpus.videos.map((v) => ({ clips: vectors.get(v.id)!, durationSeconds: v.duration }));
  const t0 = Date.now();
  queries.forEach((q, qi) => {
    const groundings = grounder.ground(q.sentence, inputs, { topK: o.topSpans });
    const qvec = embed(q.sentence);
    const ranked = groundings
      .map((g, i) => ({ g, i, score: g.videoScore ?? -Infinity }))
      .filter((r) => r.g.spans.length > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, o.topVideos);
    const pool = poolEvidence(ranked.map((r) => r.g.videoScore));
    const contrast = o.contrast?.(
      q.sentence,
      ranked
        .slice(0, o.contrastVideos ?? ranked.length)
        .map((r) => ({ clips: inputs[r.i].clips, duration: inputs[r.i].durationSeconds, spans: r.g.spans })),
    );
    const clipSeconds = CLIP_SPEC.framesPerClip / CLIP_SPEC.fps;
    const verified = o.verify?.(
      q.sentence,
      ranked.map((r, videoRank) => ({
        clips: inputs[r.i].clips,
        clipSeconds,
        spans: r.g.spans,
        // as search asks it: for the videos it contrasts with the scorer too
        contrast: videoRank < (o.contrastVideos ?? ranked.length),
      })),
    );
    ranked.forEach((r, videoRank) => {
      const v = corpus.videos[r.i];
      const clips = inputs[r.i].clips;
      const embeddings = clips.map((c) => c.embedding);
      const truthSpans = truth(q.sentence, v.id);
      r.g.spans.forEach((s, spanRank) => {
        const evidence: MomentEvidence = {
          sentence: q.sentence,
          videoScore: r.g.videoScore,
          pool,
          spanScore: s.score,
          spanRank,
          similarity: meanClipSimilarity(qvec, embeddings, clipSeconds, s.start, s.end),
          start: s.start,
          end: s.end,
          duration: v.duration,
          editMargin: contrast?.[videoRank]?.spans[spanRank] ?? null,
          videoEditMargin: contrast?.[videoRank]?.video ?? null,
          verifierLogit: verified?.[videoRank]?.[spanRank]?.logit ?? null,
          verifierEditMargin: verified?.[videoRank]?.[spanRank]?.editMargin ?? null,
        };
        const own =
          q.video === v.id && q.start !== undefined && q.end !== undefined ? iou(s, { start: q.start, end: q.end }) : 0;
        out.push({
          query: qi,
          video: v.id,
          videoRank,
          start: s.start,
          end: s.end,
          evidence,
          iou: Math.max(own, ...truthSpans.map((t) => iou(s, t))),
          annotatedIou: own,
        });
      });
    });
    if ((qi + 1) % 100 === 0)
      o.log?.(`  ${qi + 1}/${queries.length} queries (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  });
  return out;
}
