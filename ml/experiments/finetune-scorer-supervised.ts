/**
 * npx tsx ml/experiments/finetune-scorer-supervised.ts [--data data/shapes] [--models models]
 *     [--member 0] [--steps 600] [--lr 3e-4] [--videos 16] [--sentences 4] [--across 1]
 *     [--eval-every 200] [--save DIR] [--split val] [--eval-only DIR] [--ensemble DIR,DIR,… --save DIR]
 *
 * Diagnostic for issue 20, item 1 (an upper bound that localises): the frozen scorer's evidence
 * under a supervised head plateaus near the scorer itself, because what the scorer misses
 * (spins, shared colours) is not in its evidence. Here one member of the shipped scorer is
 * fine-tuned WITH timestamps from the slot statistics up: the softmax over a sentence's own
 * video's tokens is pulled to the annotated span (cross-entropy against the uniform distribution
 * over the span's tokens, `spanTokens`), beside the weak across-video term (weight --across).
 * Spans are read with the scorer's own mass readout. Reports val R1@0.5 every --eval-every steps
 * and the final metrics on --split (default val); --save writes the member as a one-member scorer;
 * --eval-only DIR only reports the saved member in DIR on --split; --ensemble joins saved members
 * into one scorer (RelevanceModel.ensemble) written to --save.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { Rng } from "@/ml/core/rng";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { evaluateGrounding } from "@/ml/data/metrics";
import { spanTokens } from "@/ml/cpl/losses";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import { RelevanceModel } from "@/ml/relevance/model";
import { relevanceSpans } from "@/ml/relevance/readout";
import { batchTokensT, corpusSlotInputs, relevanceLoss } from "@/ml/relevance/train";
import { logSumExpRows } from "@/ml/core/nn";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    member: { type: "string", default: "0" },
    steps: { type: "string", default: "600" },
    lr: { type: "string", default: "3e-4" },
    videos: { type: "string", default: "16" },
    sentences: { type: "string", default: "4" },
    across: { type: "string", default: "1" },
    "eval-every": { type: "string", default: "200" },
    save: { type: "string" },
    split: { type: "string", default: "val" },
    "eval-only": { type: "string" },
    ensemble: { type: "string" },
  },
});

await initBackend();
if (a.ensemble) {
  const members = await Promise.all(a.ensemble.split(",").map(async (d) => (await loadRelevance(d))!.model));
  const { version: locVersion } = await loadLocVtp(path.join(a.models!, "locvtp"));
  const joined = RelevanceModel.ensemble(members);
  joined.ps.save(a.save!, {
    name: "relevance",
    version: `relevance-supervised-finetune-x${members.length}`,
    config: joined.cfg,
    extra: { locvtp: locVersion },
  });
  console.log(`wrote ${a.save} (${members.length} members)`);
  process.exit(0);
}
const t0 = Date.now();
const train = await loadCorpus(path.join(a.data!, "train"), { quiet: true });
const val = await loadCorpus(path.join(a.data!, a.split!), { quiet: true });
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const rel = (await loadRelevance(a["eval-only"] ?? path.join(a.models!, "relevance")))!.model;
const model = a["eval-only"] ? rel : rel.member(Number(a.member));
const valSlots = corpusSlotInputs(loc, val);
if (a["eval-only"]) {
  console.log(JSON.stringify({ split: a.split, model: a["eval-only"], ...full(model, val) }));
  process.exit(0);
}
const slots = corpusSlotInputs(loc, train);
const N = model.cfg.nTokens;
type Q = { video: string; query: string; c: number; w: number };
const byVideo = new Map<string, Q[]>();
for (const q of train.queries) {
  if (q.start === undefined || q.end === undefined) continue;
  const d = train.byId.get(q.video)!.duration;
  const list = byVideo.get(q.video) ?? [];
  list.push({ video: q.video, query: q.query, c: (q.start + q.end) / 2 / d, w: (q.end - q.start) / d });
  byVideo.set(q.video, list);
}
const ids = [...byVideo.keys()];
console.log(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; val R1@0.5 before: ${valR1(model, val).toFixed(2)}`);

const rng = new Rng(77);
const opt = tf.train.adam(Number(a.lr));
const vars = model.ps.list();
const steps = Number(a.steps);
const across = Number(a.across);
const t1 = Date.now();
for (let step = 1; step <= steps; step++) {
  const vids = rng.shuffle([...ids]).slice(0, Number(a.videos));
  const qs = vids.flatMap((v, vi) =>
    rng
      .shuffle([...byVideo.get(v)!])
      .slice(0, Number(a.sentences))
      .map((q) => ({ ...q, vi })),
  );
  const batch = {
    videos: vids.map((v) => slots.get(v)!),
    sentences: qs.map((q) => q.query),
    group: qs.map((q) => q.vi),
  };
  const target = new Float32Array(qs.length * N);
  qs.forEach((q, i) => target.set(spanTokens({ c: q.c, w: q.w }, N), i * N));
  const cost = opt.minimize(
    () => {
      const tokens = batchTokensT(model, batch.videos);
      const q = model.queryT(batch.sentences.map((s) => model.encode(s)));
      const own = model.scoresT(tf.gather(tokens, tf.tensor1d(batch.group, "int32")), q); // [Q, N]
      const logp = tf.sub(own, logSumExpRows(own).expandDims(1));
      const inSpan = tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.tensor(target, [qs.length, N])), 1)));
      return (across > 0 ? tf.add(inSpan, tf.mul(relevanceLoss(model, batch).across, across)) : inSpan) as tf.Scalar;
    },
    true,
    vars,
  );
  const loss = cost!.dataSync()[0];
  cost!.dispose();
  if (step % 50 === 0) console.log(`step ${step} loss ${loss.toFixed(3)} (${((Date.now() - t1) / 1000).toFixed(0)} s)`);
  if (step % Number(a["eval-every"]) === 0 || step === steps)
    console.log(JSON.stringify({ step, valR1_05: +valR1(model, val).toFixed(2) }));
}
console.log(JSON.stringify({ final: full(model, val), trainSec: Math.round((Date.now() - t1) / 1000) }));
if (a.save)
  model.ps.save(a.save, {
    name: "relevance",
    version: `relevance-supervised-finetune-m${a.member}-s${steps}`,
    config: model.cfg,
  });

function spansFor(m: RelevanceModel, c: Corpus, s: Map<string, { slots: Float32Array; nClips: number }>) {
  return c.queries
    .filter((q) => q.start !== undefined && q.end !== undefined)
    .map((q) => {
      const sc = tf.tidy(
        () => m.scoresT(batchTokensT(m, [s.get(q.video)!]), m.queryT([m.encode(q.query)])).dataSync() as Float32Array,
      );
      return {
        gt: { start: q.start!, end: q.end! },
        predictions: relevanceSpans(sc, c.byId.get(q.video)!.duration, 5),
      };
    });
}
function valR1(m: RelevanceModel, c: Corpus): number {
  return evaluateGrounding(spansFor(m, c, valSlots))["R1@0.5"];
}
function full(m: RelevanceModel, c: Corpus) {
  return Object.fromEntries(
    Object.entries(evaluateGrounding(spansFor(m, c, valSlots))).map(([k, v]) => [k, +(v as number).toFixed(2)]),
  );
}
