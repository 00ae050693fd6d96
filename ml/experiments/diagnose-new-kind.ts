/**
 * npx tsx ml/experiments/diagnose-new-kind.ts --test DIR [--library DIR,DIR] [--kind bounce] [--versus "moves up"] [--probe] [MODELS_DIR…]
 *
 * Why a retrained version does (not) find an event kind it was taught from a library
 * (docs/experiments/022-library-retraining.md), on a rendered Shapes split with scenarios.json:
 *
 * --probe: whether the clip inputs carry the kind at all. A class-weighted logistic probe per
 *   object: the object's colour slot of the standardised slot inputs (102 values; the clip's own
 *   statistics and its context window's) and, apart, the scorer's stored clip features (all objects
 *   summed), told "inside an event of the kind" (≥ half the clip) from the object's other clips;
 *   trained on the --library folders' clips, AUC on the --test folder's, overall and against each
 *   other kind. Objects that change colour are left out (their slot changes).
 * Then per models folder (default models/), on the test queries of the kind: how often the scorer
 *   prefers the sentence to the same sentence saying --versus (default "moves up"; "moves left"
 *   suits a shake) at video level (log-mean-exp of the token logits), whether the token with the
 *   highest logit lies in the event, whether the default readout's span has its centre there,
 *   R1@0.5, R1@0.5 of a span at the same centre with the event's own length (localisation alone),
 *   and the mean span and event lengths.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { initBackend } from "../core/backend";
import { loadCorpus, type Corpus } from "../data/corpus";
import { iou } from "../data/metrics";
import { PHRASES, parseSentence, type SceneEvent, type SceneObject } from "../data/shapes/world";
import { OBJECT_COLOURS } from "../features/lowlevel";
import { clipSlotInputs } from "../locvtp/encode";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { relevanceSpans } from "../relevance/readout";
import { relevanceClipFeatures, tokenScoresMany } from "../relevance/scores";

const { values: a, positionals } = parseArgs({
  options: {
    test: { type: "string" },
    library: { type: "string" },
    kind: { type: "string", default: "bounce" },
    versus: { type: "string", default: "moves up" },
    probe: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
if (!a.test || (a.probe && !a.library)) {
  console.error("usage: --test DIR [--library DIR,DIR --probe] [--kind bounce] [MODELS_DIR…]");
  process.exit(2);
}
const kind = a.kind!;
const phrases = (PHRASES as unknown as Record<string, readonly string[]>)[kind];
if (!phrases) throw new Error(`--kind: no phrases for "${kind}"`);
await initBackend();

type Scenario = { id: string; objects: SceneObject[]; events: SceneEvent[] };
const scenariosOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, "scenarios.json"), "utf8")) as Scenario[];
const load = (dir: string) => loadCorpus(dir, { quiet: true });

async function modelsOf(dir: string) {
  const loc = (await loadLocVtp(path.join(dir, "locvtp"), { backboneDir: null })).model;
  const rel = (await loadRelevance(path.join(dir, "relevance")))?.model;
  if (!rel) throw new Error(`${dir} has no relevance scorer`);
  return { loc, rel };
}

if (a.probe) {
  const shipped = await modelsOf("models");
  type Row = { slots: number[]; rel: number[]; y: number; tag: string };
  const rowsOf = async (dir: string): Promise<Row[]> => {
    const corpus = await load(dir);
    const out: Row[] = [];
    for (const sc of scenariosOf(dir)) {
      const v = corpus.byId.get(sc.id)!;
      const slots = clipSlotInputs(shipped.loc, v.feats, v.nClips);
      const rel = relevanceClipFeatures(shipped.rel, slots, v.nClips);
      const width = slots.length / v.nClips / (OBJECT_COLOURS.length + 1);
      const dt = v.duration / v.nClips;
      for (const o of sc.objects) {
        const own = sc.events.filter((e) => e.object === o.id);
        if (own.some((e) => e.kind === "colour")) continue;
        const slot = OBJECT_COLOURS.indexOf(o.colour as (typeof OBJECT_COLOURS)[number]);
        for (let k = 0; k < v.nClips; k++) {
          const overlap = (e: SceneEvent) =>
            Math.max(0, Math.min((k + 1) * dt, e.end) - Math.max(k * dt, e.start)) / dt;
          const inside = own.some((e) => e.kind === kind && overlap(e) >= 0.5);
          // clips that only touch the event are neither
          if (!inside && own.some((e) => e.kind === kind && overlap(e) > 0)) continue;
          const other = own.find((e) => e.kind !== kind && overlap(e) >= 0.5);
          const tag = inside
            ? kind
            : other
              ? other.kind === "move"
                ? `move ${other.direction}`
                : other.kind
              : "still";
          const at = (k * (OBJECT_COLOURS.length + 1) + slot) * width;
          out.push({
            slots: Array.from(slots.subarray(at, at + width)),
            rel: Array.from(rel[k]),
            y: inside ? 1 : 0,
            tag,
          });
        }
      }
    }
    return out;
  };
  const train = (await Promise.all(a.library!.split(",").map(rowsOf))).flat();
  const test = await rowsOf(a.test);
  const width = train[0].slots.length;
  const views: [string, (r: Row) => number[]][] = [
    ["object's slot inputs", (r) => r.slots],
    ["  its own clip's statistics", (r) => r.slots.slice(0, width / 2)],
    ["  its context window's", (r) => r.slots.slice(width / 2)],
    ["scorer's clip features", (r) => r.rel],
  ];
  console.log(
    `probe: ${train.length} library clips (${train.filter((r) => r.y).length} in a ${kind}), ${test.length} test clips (${test.filter((r) => r.y).length})`,
  );
  for (const [name, view] of views) {
    const f = fitLogistic(
      train.map(view),
      train.map((r) => r.y),
    );
    const s = test.map((r) => f(view(r)));
    const against = [...new Set(test.map((r) => r.tag))]
      .filter((t) => t !== kind)
      .sort()
      .map((t) => {
        const idx = test.flatMap((r, i) => (r.tag === t || r.y ? [i] : []));
        return `${t} ${auc(
          idx.map((i) => s[i]),
          idx.map((i) => test[i].y),
        ).toFixed(2)}`;
      });
    console.log(
      `${name.padEnd(30)} AUC ${auc(
        s,
        test.map((r) => r.y),
      ).toFixed(3)}  against: ${against.join(", ")}`,
    );
  }
}

const test: Corpus = await load(a.test);
const scenarios = new Map(scenariosOf(a.test).map((s) => [s.id, s]));
const queries = test.queries.filter((q) => parseSentence(q.query)?.kind === kind && q.start !== undefined);
const lme = (x: Float32Array) => Math.log(x.reduce((m, y) => m + Math.exp(y), 0) / x.length);
for (const dir of positionals.length ? positionals : ["models"]) {
  const m = await modelsOf(dir);
  const feats = new Map(
    test.videos.map((v) => [v.id, relevanceClipFeatures(m.rel, clipSlotInputs(m.loc, v.feats, v.nClips), v.nClips)]),
  );
  const c = { prefer: 0, peak: 0, centre: 0, r1: 0, ownLength: 0, span: 0, event: 0 };
  const peaks = new Map<string, number>();
  for (const q of queries) {
    const v = test.byId.get(q.video)!;
    const gt = { start: q.start!, end: q.end! };
    const re = new RegExp(`\\b(${phrases.join("|")})$`);
    const [s, up] = tokenScoresMany(m.rel, [q.query, q.query.replace(re, a.versus!)], [feats.get(q.video)!]);
    if (lme(s) > lme(up)) c.prefer++;
    const at = (((s.indexOf(Math.max(...s)) + 0.5) / s.length) * v.duration) as number;
    if (at >= gt.start && at <= gt.end) c.peak++;
    const sc = scenarios.get(q.video)!;
    const own = sc.events.find((e) => e.sentence === q.query);
    const hit = sc.events.filter((e) => at >= e.start && at <= e.end);
    const where = hit.length
      ? hit
          .map((e) => (e === own ? "the event" : `${e.object === own?.object ? "same" : "another"} object's ${e.kind}`))
          .join(" + ")
      : "no event";
    peaks.set(where, (peaks.get(where) ?? 0) + 1);
    const [span] = relevanceSpans(s, v.duration, 1);
    const mid = (span.start + span.end) / 2;
    if (mid >= gt.start && mid <= gt.end) c.centre++;
    if (iou(span, gt) >= 0.5) c.r1++;
    const half = (gt.end - gt.start) / 2;
    if (iou({ start: mid - half, end: mid + half }, gt) >= 0.5) c.ownLength++;
    c.span += span.end - span.start;
    c.event += gt.end - gt.start;
  }
  const n = queries.length;
  console.log(
    `${dir}: ${n} ${kind} queries; "${kind}" > "${a.versus}" ${c.prefer}/${n}, peak in the event ${c.peak}/${n}, span centre in it ${c.centre}/${n}, R1@0.5 ${c.r1}/${n}, with the event's length ${c.ownLength}/${n}; span ${(c.span / n).toFixed(2)} s, event ${(c.event / n).toFixed(2)} s`,
  );
  console.log(
    `  peaks: ${[...peaks]
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
}

/** Class-weighted logistic regression on standardised inputs, full-batch gradient descent. */
function fitLogistic(xs: number[][], ys: number[], epochs = 300, lr = 0.1, l2 = 1e-3): (x: number[]) => number {
  const d = xs[0].length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const x of xs) x.forEach((v, i) => (mean[i] += v / xs.length));
  for (const x of xs) x.forEach((v, i) => (sd[i] += (v - mean[i]) ** 2 / xs.length));
  const z = (x: number[]) => x.map((v, i) => (v - mean[i]) / (Math.sqrt(sd[i]) + 1e-6));
  const X = xs.map(z);
  const positives = ys.filter((y) => y).length;
  const wPos = (ys.length - positives) / Math.max(positives, 1);
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let e = 0; e < epochs; e++) {
    const g = new Array<number>(d).fill(0);
    let gb = 0;
    let total = 0;
    X.forEach((x, j) => {
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, i) => s + v * w[i], b)));
      const weight = ys[j] ? wPos : 1;
      const err = (p - ys[j]) * weight;
      total += weight;
      x.forEach((v, i) => (g[i] += err * v));
      gb += err;
    });
    for (let i = 0; i < d; i++) w[i] -= lr * (g[i] / total + l2 * w[i]);
    b -= (lr * gb) / total;
  }
  return (x) => z(x).reduce((s, v, i) => s + v * w[i], b);
}

/** Area under the ROC curve: the chance a positive outscores a negative (ties count half). */
function auc(scores: number[], ys: number[]): number {
  const pos = scores.filter((_, i) => ys[i]);
  const neg = scores.filter((_, i) => !ys[i]);
  let c = 0;
  for (const p of pos) for (const q of neg) c += p > q ? 1 : p === q ? 0.5 : 0;
  return c / (pos.length * neg.length);
}
