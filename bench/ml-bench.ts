/**
 * npm run bench:ml [-- --seconds 60 --out bench.json]
 *  1. clip-feature extraction speed vs real time on a 640×480 / 30 fps video, through the
 *     ingestion path (ffmpeg decode + scale → low-level features → learned clip encoder);
 *     and the relevance scorer's per-clip features when one is installed (what ingestion stores);
 *  2. grounding latency for a 128-clip video (vote, loss and, with a relevance scorer,
 *     relevance), with the grounder's FLOPs and the fraction of this machine's measured
 *     matmul rate (same backend, same run).
 */
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { decodeFrames, GENERATED_H264, runFfmpeg } from "../lib/media/ffmpeg";
import { initBackend, loadClipEncoder, loadGroundingModels, type ClipVector, type GroundMethod } from "../ml/index";
import { loadConfig } from "../lib/config";
import { loadCpl } from "../ml/cpl/load";
import { loadRelevance } from "../ml/relevance/load";
import { cplFlops } from "../ml/flops";
import { words } from "../ml/core/tokenizer";

const { values: a } = parseArgs({ options: { seconds: { type: "string", default: "60" }, out: { type: "string" } } });
const secs = Number(a.seconds);
const ml = loadConfig().ml;
const modelsDir = () => ml.modelsDir;
const backend = await initBackend(ml);
const tmp = mkdtempSync(path.join(os.tmpdir(), "ml-bench-"));
const video = path.join(tmp, "bench.mp4");
await runFfmpeg([
  "-f",
  "lavfi",
  "-i",
  `testsrc2=size=640x480:rate=30`,
  "-t",
  String(secs),
  ...GENERATED_H264,
  "-y",
  video,
]);

const enc = await loadClipEncoder(path.join(ml.modelsDir, "locvtp"), { backboneDir: ml.backboneDir });
// what ingestion does per batch: features, then embeddings and relevance features
const encodeBatch = (frames: Uint8Array, n: number) => enc.clipVectors(enc.featurizeClips(frames, n), n);
const s = enc.spec;
const frameBytes = s.width * s.height * 3;
const clipBytes = frameBytes * s.framesPerClip;
const t0 = performance.now();
let buf = new Uint8Array(64 * clipBytes);
let nFrames = 0;
let nClips = 0;
let encodeMs = 0;
for await (const fr of decodeFrames(video, s)) {
  buf.set(fr, (nFrames % (64 * s.framesPerClip)) * frameBytes);
  nFrames++;
  if (nFrames % (64 * s.framesPerClip) === 0) {
    const te = performance.now();
    encodeBatch(buf, 64);
    encodeMs += performance.now() - te;
    nClips += 64;
  }
}
const rest = Math.ceil((nFrames % (64 * s.framesPerClip)) / s.framesPerClip);
if (rest > 0) {
  // pad the last partial clip by repeating its last frame, as the worker does
  const have = nFrames % (64 * s.framesPerClip);
  for (let f = have; f < rest * s.framesPerClip; f++)
    buf.copyWithin(f * frameBytes, (have - 1) * frameBytes, have * frameBytes);
  const te = performance.now();
  encodeBatch(buf.subarray(0, rest * clipBytes), rest);
  encodeMs += performance.now() - te;
  nClips += rest;
}
const extractMs = performance.now() - t0;
buf = new Uint8Array(0);

// grounding latency on a 128-clip video
const { model } = await loadCpl(path.join(modelsDir(), "cpl"));
const grounding = await loadGroundingModels(modelsDir());
const relDim = (await loadRelevance(path.join(modelsDir(), "relevance")))?.model.featureDim ?? 0;
const clips: ClipVector[] = Array.from({ length: 128 }, (_, i) => {
  const v = Float32Array.from({ length: enc.dim }, (_, j) => Math.sin(i * 0.1 + j));
  const n = Math.hypot(...v);
  // the embedding and (with a relevance scorer) the stored relevance features
  const embedding = v.map((x) => x / n);
  return relDim
    ? { embedding, relevance: Float32Array.from({ length: relDim }, (_, j) => Math.cos(i * 0.2 + enc.dim + j)) }
    : { embedding };
});
const sentence = "the red circle slides to the left";
const lat = (method: GroundMethod) => {
  const g = grounding.grounder(method);
  const video = [{ clips, durationSeconds: 128 }];
  for (let i = 0; i < 5; i++) g.ground(sentence, video);
  const ts: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    g.ground(sentence, video);
    ts.push(performance.now() - t);
  }
  ts.sort((x, y) => x - y);
  return { medianMs: ts[20], p90Ms: ts[36] };
};
const vote = lat("cpl-vote");
const loss = lat("cpl-loss");
const relevance = relDim ? lat("relevance") : null;
// what search does: one batched vote pass over its candidate videos (16 here)
const BATCH = 16;
const many = Array.from({ length: BATCH }, () => ({ clips, durationSeconds: 128 }));
const voter = grounding.grounder("cpl-vote");
for (let i = 0; i < 3; i++) voter.ground(sentence, many);
const tb: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  voter.ground(sentence, many);
  tb.push(performance.now() - t);
}
tb.sort((x, y) => x - y);
const batched = { videos: BATCH, medianMs: tb[7], perVideoMs: tb[7] / BATCH };
// measured matmul rate on the same backend: the best of a few square sizes (the machine's
// practical peak for this backend; the grounder's own matmuls are smaller)
const rates: Record<string, number> = {};
for (const n of [128, 256, 512, 1024]) {
  const A = tf.randomNormal([n, n]);
  const B = tf.randomNormal([n, n]);
  // no tf.tidy around a returned typed array: tidy walks it element by element, which once
  // made this rate look 8× lower than it is (and the grounder's fraction of it 8× higher)
  const once = () => {
    const y = tf.matMul(A, B);
    y.dataSync();
    y.dispose();
  };
  for (let i = 0; i < 3; i++) once();
  const tm = performance.now();
  let it = 0;
  while (performance.now() - tm < 700) {
    once();
    it++;
  }
  rates[`${n}`] = (2 * n ** 3 * it) / ((performance.now() - tm) / 1000) / 1e9;
  A.dispose();
  B.dispose();
}
const matmulGflops = Math.max(...Object.values(rates));
const M = words(sentence).length;
const fv = cplFlops(model.cfg, M, "vote");
const fl = cplFlops(model.cfg, M, "loss", model.vocab.length);
const result = {
  backend: backend.name,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  clipExtraction: {
    video: `640x480 30fps testsrc2 h264, ${secs}s`,
    spec: s,
    clips: nClips,
    frames: nFrames,
    seconds: extractMs / 1000,
    /** ffmpeg decode+scale (the rest of the wall time) vs low-level features + clip encoder */
    encodeSeconds: encodeMs / 1000,
    decodeSeconds: (extractMs - encodeMs) / 1000,
    realTimeFactor: secs / (extractMs / 1000),
    encoder: enc.version,
  },
  grounding: {
    clips: 128,
    grounder: model.cfg,
    vote: { ...vote, mflops: fv / 1e6, gflopsAchieved: fv / (vote.medianMs / 1000) / 1e9 },
    loss: { ...loss, mflops: fl / 1e6, gflopsAchieved: fl / (loss.medianMs / 1000) / 1e9 },
    matmulGflops,
    matmulGflopsBySize: rates,
    voteFractionOfMatmulRate: fv / (vote.medianMs / 1000) / 1e9 / matmulGflops,
    lossFractionOfMatmulRate: fl / (loss.medianMs / 1000) / 1e9 / matmulGflops,
    relevance,
    voteBatched: { ...batched, fractionOfMatmulRate: (fv * BATCH) / (batched.medianMs / 1000) / 1e9 / matmulGflops },
  },
};
console.log(JSON.stringify(result, null, 1));
console.log(
  `\nclip features: ${result.clipExtraction.realTimeFactor.toFixed(1)}× real time (${nClips} clips in ${(extractMs / 1000).toFixed(2)} s)` +
    `\ngrounding 128 clips: ${relevance ? `relevance ${relevance.medianMs.toFixed(2)} ms, ` : ""}vote ${vote.medianMs.toFixed(2)} ms (${(fv / 1e6).toFixed(1)} MFLOP), loss ${loss.medianMs.toFixed(2)} ms (${(fl / 1e6).toFixed(1)} MFLOP); matmul ${matmulGflops.toFixed(2)} GFLOP/s on ${backend.name}` +
    `\n  vote: ${(100 * result.grounding.voteFractionOfMatmulRate).toFixed(0)} % of the matmul rate for one video; batched over ${BATCH} videos ${batched.perVideoMs.toFixed(2)} ms per video = ${(100 * result.grounding.voteBatched.fractionOfMatmulRate).toFixed(0)} %`,
);
if (a.out) writeFileSync(a.out, JSON.stringify(result, null, 1) + "\n");
process.exit(0);
