/**
 * Which clip inputs should the span verifier read? Trains it on the Shapes training split from
 * each candidate input and measures val AUC (all pairs, and events' own spans: the sentence
 * against its one-word edits).
 *
 *   npx tsx ml/experiments/verifier-inputs.ts [--inputs relevance|both|embedding] [--epochs N]
 *     [--hidden H] [--dropout P] [--limit N]
 *
 * relevance: the scorer's stored clip features (what ships); embedding: the LocVTP clip
 * embeddings; both: the two side by side.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../core/backend";
import { rocAuc } from "../calibration/metrics";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { ATTRIBUTE_DIM } from "../verifier/attributes";
import { verifierVideos } from "../verifier/data";
import { POOLS } from "../verifier/inputs";
import { SpanVerifier } from "../verifier/model";
import { DEFAULT_SAMPLES, ownSpanPairs, sampleLogits, trainVerifier, verifierSamples } from "../verifier/train";

const { values: a } = parseArgs({
  options: {
    inputs: { type: "string", default: "relevance" },
    epochs: { type: "string", default: "6" },
    hidden: { type: "string", default: "256" },
    dropout: { type: "string", default: "0.3" },
    limit: { type: "string" },
    data: { type: "string", default: "data/shapes" },
  },
});
await initBackend();
const loc = await loadLocVtp("models/locvtp");
const rel = (await loadRelevance("models/relevance"))!;
const videosOf = (split: string) =>
  verifierVideos(
    path.join(a.data!, split),
    { locvtp: loc.model, relevance: rel.model },
    {
      quiet: true,
      limitVideos: a.limit ? Number(a.limit) : undefined,
      clipInputs: (c) =>
        a.inputs === "both"
          ? Float32Array.from([...c.relevance!, ...c.embedding])
          : a.inputs === "embedding"
            ? c.embedding
            : c.relevance!,
    },
  );
const train = await videosOf("train");
const val = await videosOf("val");
const valS = verifierSamples(val, DEFAULT_SAMPLES, 2);
const own = ownSpanPairs(valS);
const model = new SpanVerifier(
  { inputDim: POOLS * train[0].clips[0].length, attributeDim: ATTRIBUTE_DIM, hidden: Number(a.hidden) },
  7,
);
trainVerifier(model, (epoch) => verifierSamples(train, DEFAULT_SAMPLES, 1 + epoch), {
  dropout: Number(a.dropout),
  epochs: Number(a.epochs),
  batch: 256,
  lr: 0.001,
  positiveWeight: 3,
  seed: 3,
  onEpoch: (epoch) => {
    const p = Array.from(sampleLogits(model, valS));
    const ownAuc = rocAuc(
      own.map((i) => p[i]),
      own.map((i) => valS.label[i]),
    );
    console.log(
      `${a.inputs} epoch ${epoch + 1}: val AUC ${rocAuc(p, valS.label).toFixed(4)}, own spans ${ownAuc.toFixed(4)}`,
    );
  },
});
