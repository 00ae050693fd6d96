import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../core/backend";
import { ParamStore } from "../core/params";
import { Rng } from "../core/rng";
import { DEFAULT_CPL_CONFIG } from "../cpl/config";
import { CplModel } from "../cpl/model";
import { saveCpl } from "../cpl/train";
import { defaultLocVtpConfig } from "../locvtp/config";
import { sentenceEmbedderFor } from "../locvtp/encode";
import { LocVtpModel } from "../locvtp/model";
import { saveLocVtp } from "../locvtp/train";
import { FinetuneRecipeSchema } from "../recipes/finetune";
import { relevanceConfigFor } from "../relevance/config";
import { RelevanceModel } from "../relevance/model";
import { modelsFeaturizer } from "../features/featurizer";
import { loadGroundingModels } from "../grounders/registry";
import { evaluateModels } from "./evaluate";
import {
  captionHardNegatives,
  finetune,
  finetuneSteps,
  grownVocab,
  holdOut,
  libraryCorpus,
  loadGrowing,
  saveFinetuned,
  type FinetuneOptions,
  type FinetuneProgress,
} from "./finetune";

const root = mkdtempSync(path.join(os.tmpdir(), "ml-finetune-"));
const parent = path.join(root, "parent");
const PARENT_VOCAB = ["<unk>", "a", "blue", "box", "circle", "grows", "left", "moves", "red", "the"];
const recipe = FinetuneRecipeSchema.parse({
  kind: "finetune",
  seed: 3,
  checkpointEvery: 2,
  locvtp: { steps: 4, batch: 3, clipsPerVideo: 4, lr: 1e-3, freshLr: 1e-3 },
  relevance: { steps: 4, videos: 3, sentences: 2, lr: 1e-3 },
  cpl: { steps: 4, batch: 3, lr: 1e-3 },
});
let loc: LocVtpModel;

/** the library's videos, with `dim` values per frame (default: the built-in low-level stage's) */
function videos(dim = loc.cfg.clip.frameDim) {
  const rng = new Rng(5);
  return Array.from({ length: 5 }, (_, i) => {
    const nClips = 6 + i;
    return {
      id: `v${i}`,
      nClips,
      duration: nClips * 2,
      feats: new Float32Array(nClips * 4 * dim).map(() => rng.next()),
    };
  });
}

/** features of a frame backbone (its folder is never read: the parent's LocVTP is trained) */
const BACKBONE = { id: "backbone-0123456789ab", backboneDir: "/nowhere/backbone", dim: 16 };
const onBackbone = (name: string, o: Partial<FinetuneOptions> = {}) =>
  run(name, {
    corpus: libraryCorpus(videos(BACKBONE.dim), PAIRS),
    featurizer: BACKBONE,
    models: ["locvtp", "cpl"],
    ...o,
  });

const PAIRS = [
  { video: "v0", sentence: "the red circle moves left" },
  { video: "v0", sentence: "a zebra crosses" },
  { video: "v1", sentence: "a blue box grows" },
  { video: "v2", sentence: "the zebra sleeps" },
  { video: "v2", sentence: "the red box grows" },
  { video: "v3", sentence: "a blue circle moves left" },
  { video: "v4", sentence: "the lamp flickers" },
];

beforeAll(async () => {
  await initBackend({ quiet: true });
  loc = new LocVtpModel(defaultLocVtpConfig(), 1);
  saveLocVtp(loc, path.join(parent, "locvtp"), "locvtp-test");
  const rel = new RelevanceModel(
    { ...relevanceConfigFor(loc.cfg), hidden: 8, nTokens: 8, buckets: 256, members: 2 },
    1,
  );
  rel.ps.save(path.join(parent, "relevance"), { name: "relevance", version: "relevance-test", config: rel.cfg });
  const cpl = new CplModel(
    { ...DEFAULT_CPL_CONFIG, nTokens: 8, hidden: 16, ffn: 16, K: 3, buckets: 256 },
    1,
    PARENT_VOCAB,
    { sentenceEmbedder: sentenceEmbedderFor(loc) },
  );
  saveCpl(cpl, path.join(parent, "cpl"), "cpl-test");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (name: string, o: Partial<FinetuneOptions> = {}) =>
  finetune({
    corpus: libraryCorpus(videos(), PAIRS),
    models: ["relevance", "cpl"],
    parentDir: parent,
    recipe,
    checkpointDir: path.join(root, name),
    ...o,
  });

const values = (ps: ParamStore) => new Map(ps.names().map((n) => [n, Array.from(ps.vars.get(n)!.dataSync())]));

function expectSameWeights(a: ParamStore, b: ParamStore) {
  const va = values(a);
  const vb = values(b);
  expect([...vb.keys()].sort()).toEqual([...va.keys()].sort());
  let worst = 0;
  for (const [n, x] of va) {
    // an attention key's bias shifts every key of a query alike, so softmax cancels it: its
    // gradient is float noise, which Adam scales up to steps of the learning rate's size
    if (n.endsWith("/k/b")) continue;
    x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - vb.get(n)![i]))));
  }
  // Adam's bias correction is restored as β^(t+1) rather than a running product: float noise only
  expect(worst).toBeLessThan(1e-5);
}

/** Runs until `model` finished step `step`, then aborts (as a crash would stop it). */
async function interrupted(
  name: string,
  model: FinetuneProgress["model"],
  step: number,
  o: Partial<FinetuneOptions> = {},
) {
  const stop = new AbortController();
  await expect(
    run(name, {
      ...o,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.model === model && p.step === step) stop.abort(new Error("stopped"));
      },
    }),
  ).rejects.toThrow("stopped");
}

describe("fine-tuning on a library's sentences", () => {
  it("holds out a seeded share of the pairs", () => {
    const pairs = Array.from({ length: 40 }, (_, i) => i);
    const a = holdOut(pairs, 0.1, 7);
    expect(a.heldOut).toHaveLength(4);
    expect(a.train).toHaveLength(36);
    expect(holdOut(pairs, 0.1, 7)).toEqual(a);
    expect(holdOut(pairs, 0.1, 8).heldOut).not.toEqual(a.heldOut);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(pairs);
    // a small library still holds one sentence out (4 × 0.1 rounds to 0); 3 are all trained on
    expect(holdOut([1, 2, 3, 4], 0.1, 7).heldOut).toHaveLength(1);
    expect(holdOut([1, 2, 3], 0.1, 7).heldOut).toHaveLength(0);
    expect(holdOut(pairs, 0, 7).heldOut).toHaveLength(0);
  });

  it("bounds the steps by passes over the training sentences when the recipe says so", () => {
    const corpus = libraryCorpus(videos(), PAIRS); // 7 sentences, 5 videos
    expect(finetuneSteps(recipe, "relevance", corpus)).toBe(4);
    const bounded = FinetuneRecipeSchema.parse({
      kind: "finetune",
      relevance: { steps: 600, epochs: 30, videos: 12, sentences: 4 },
      cpl: { steps: 400, epochs: 30, batch: 32 },
    });
    // relevance: 5 videos a batch (all there are) × 4 sentences; 30 · 7 / 20 → 11 steps
    expect(finetuneSteps(bounded, "relevance", corpus)).toBe(11);
    // cpl: 30 · 7 / 32 → 7 steps
    expect(finetuneSteps(bounded, "cpl", corpus)).toBe(7);
  });

  it("grows CPL's vocabulary by the library's new words, keeping the parent's ids and output rows", () => {
    const corpus = libraryCorpus(videos(), PAIRS);
    const vocab = grownVocab(PARENT_VOCAB, corpus);
    expect(vocab.slice(0, PARENT_VOCAB.length)).toEqual(PARENT_VOCAB);
    expect(vocab.slice(PARENT_VOCAB.length)).toEqual(["crosses", "flickers", "lamp", "sleeps", "zebra"]);
    const saved = ParamStore.readManifest<typeof DEFAULT_CPL_CONFIG>(path.join(parent, "cpl"));
    const grown = new CplModel(saved.config, 9, vocab, { sentenceEmbedder: sentenceEmbedderFor(loc) });
    const fresh = Array.from(grown.ps.vars.get("cpl/vocab/w")!.dataSync());
    loadGrowing(grown.ps, path.join(parent, "cpl"));
    const old = new ParamStore(0);
    old.loadFrom(path.join(parent, "cpl"));
    const [d, V, W] = [saved.config.hidden, PARENT_VOCAB.length, vocab.length];
    const w = grown.ps.vars.get("cpl/vocab/w")!.dataSync();
    const ow = old.vars.get("cpl/vocab/w")!.dataSync();
    for (const r of [0, d - 1]) {
      expect(Array.from(w.slice(r * W, r * W + V))).toEqual(Array.from(ow.slice(r * V, (r + 1) * V)));
      expect(Array.from(w.slice(r * W + V, (r + 1) * W))).toEqual(fresh.slice(r * W + V, (r + 1) * W));
    }
    expect(Array.from(grown.ps.vars.get("cpl/emb")!.dataSync())).toEqual(
      Array.from(old.vars.get("cpl/emb")!.dataSync()),
    );
  });

  it("trains from the parent's weights, reports every step, and saves a loadable models folder", async () => {
    const seen: FinetuneProgress[] = [];
    const checkpoints: string[] = [];
    const f = await run("straight", {
      onProgress: (p) => void seen.push(p),
      onCheckpoint: (c) => void checkpoints.push(`${c.model}@${c.step}`),
    });
    expect(seen.map((p) => `${p.model}:${p.step}/${p.steps}:${p.done}/${p.total}`)).toEqual([
      "relevance:1/4:1/8",
      "relevance:2/4:2/8",
      "relevance:3/4:3/8",
      "relevance:4/4:4/8",
      "cpl:1/4:5/8",
      "cpl:2/4:6/8",
      "cpl:3/4:7/8",
      "cpl:4/4:8/8",
    ]);
    expect(seen.every((p) => Number.isFinite(p.loss))).toBe(true);
    expect(checkpoints).toEqual(["relevance@2", "relevance@4", "cpl@2", "cpl@4"]);
    expect(f.resumedFrom).toBeNull();
    // fine-tuned, not trained afresh: close to the parent, but moved
    const before = new ParamStore(0);
    before.loadFrom(path.join(parent, "relevance"));
    const moved = [...before.vars].map(([n, v]) => {
      const a = Array.from(v.dataSync());
      const b = f.relevance!.ps.vars.get(n)!.dataSync();
      return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    });
    expect(Math.max(...moved)).toBeGreaterThan(0);
    expect(Math.max(...moved)).toBeLessThan(0.05);
    expect(f.cpl!.vocab).toContain("zebra");

    const out = path.join(root, "version");
    cpSync(parent, out, { recursive: true });
    saveFinetuned(f, out, "v2-test", { parent: 1 });
    expect(ParamStore.readManifest(path.join(out, "relevance")).version).toBe("relevance-v2-test");
    expect(ParamStore.readManifest(path.join(out, "cpl")).version).toBe("cpl-cpl-v2-test");
    const ev = await evaluateModels(out, videos(), {
      annotated: [
        { video: "v0", sentence: "the red circle moves left", start: 2, end: 6 },
        { video: "v3", sentence: "a blue circle moves left", start: 0, end: 4 },
      ],
      heldOut: [
        { video: "v4", sentence: "the lamp flickers" },
        { video: "v1", sentence: "a blue box grows", span: { start: 1, end: 3 } },
      ],
    });
    expect(ev.method).toBe("relevance");
    expect(ev.version).toContain("relevance-v2-test");
    expect(ev.annotated.n).toBe(2);
    for (const k of ["r1_03", "r1_05", "r1_07", "miou"] as const) {
      expect(ev.annotated[k]).toBeGreaterThanOrEqual(0);
      expect(ev.annotated[k]).toBeLessThanOrEqual(100);
    }
    expect(ev.heldOut).toMatchObject({ n: 1, ranked: 2 });
    expect([0, 50, 100]).toContain(ev.heldOut.videoR1);
  });

  it("resumes from the last checkpoint after a stop mid-way through the scorer, to the same weights", async () => {
    const straight = await run("straight-2");
    await interrupted("resume-rel", "relevance", 3);
    const steps: string[] = [];
    const resumed = await run("resume-rel", { onProgress: (p) => void steps.push(`${p.model}:${p.step}`) });
    expect(resumed.resumedFrom).toEqual({ model: "relevance", step: 2 });
    expect(steps).toEqual(["relevance:3", "relevance:4", "cpl:1", "cpl:2", "cpl:3", "cpl:4"]);
    expectSameWeights(straight.relevance!.ps, resumed.relevance!.ps);
    expectSameWeights(straight.cpl!.ps, resumed.cpl!.ps);
  });

  it("resumes a scorer run with the captions' hard negatives and the word table's own rate, to the same weights", async () => {
    const contrast = FinetuneRecipeSchema.parse({
      ...recipe,
      relevance: { ...recipe.relevance, wordLr: 1e-2, hardNegatives: { perSentence: 2 } },
    });
    const o = { recipe: contrast, models: ["relevance" as const] };
    const straight = await run("contrast-straight", o);
    await interrupted("contrast-resume", "relevance", 3, o);
    const resumed = await run("contrast-resume", o);
    expect(resumed.resumedFrom).toEqual({ model: "relevance", step: 2 });
    expectSameWeights(straight.relevance!.ps, resumed.relevance!.ps);
    // the word table's moments are kept apart from the other weights'
    expect(existsSync(path.join(root, "contrast-resume"))).toBe(true);
    const plain = await run("contrast-plain", { models: ["relevance"] });
    const emb = (ps: ParamStore) => Array.from(ps.vars.get("rel/emb")!.dataSync());
    const parentEmb = new ParamStore(0);
    parentEmb.loadFrom(path.join(parent, "relevance"));
    const drift = (ps: ParamStore) => emb(ps).reduce((m, x, i) => Math.max(m, Math.abs(x - emb(parentEmb)[i])), 0);
    expect(drift(straight.relevance!.ps)).toBeGreaterThan(2 * drift(plain.relevance!.ps));
  });

  it("a library's hard negatives: edits no caption of the video describes, naming the library's extra kinds", () => {
    const corpus = libraryCorpus(videos(), [
      { video: "v0", sentence: "the red circle bounces" },
      { video: "v0", sentence: "a blue box grows" },
      { video: "v1", sentence: "the green triangle spins" },
    ]);
    const hn = captionHardNegatives(corpus, { perSentence: 3, weight: 1 });
    expect(hn).toMatchObject({ perSentence: 3, weight: 1, extraKinds: ["bounce"] });
    expect(hn.isFalse("v0", "the red ball hops")).toBe(false);
    expect(hn.isFalse("v0", "the red circle moves up")).toBe(true);
    expect(hn.isFalse("v1", "the red circle bounces")).toBe(true);
    expect(hn.isFalse("v9", "the red circle bounces")).toBe(false); // a video without sentences: nothing is known
    const old = libraryCorpus(videos(), [{ video: "v0", sentence: "a blue box grows" }]);
    expect(captionHardNegatives(old, { perSentence: 3, weight: 1 }).extraKinds).toEqual([]);
    const shaky = libraryCorpus(videos(), [
      { video: "v0", sentence: "the red circle wobbles" },
      { video: "v1", sentence: "a blue box grows" },
    ]);
    const hs = captionHardNegatives(shaky, { perSentence: 3, weight: 1 });
    expect(hs.extraKinds).toEqual(["shake"]);
    expect(hs.isFalse("v0", "the red ball jiggles")).toBe(false);
    expect(hs.isFalse("v1", "the red circle shakes")).toBe(true);
    const both = libraryCorpus(videos(), [
      { video: "v0", sentence: "the red circle shakes" },
      { video: "v1", sentence: "the green triangle bounces" },
    ]);
    expect(captionHardNegatives(both, { perSentence: 3, weight: 1 }).extraKinds).toEqual(["bounce", "shake"]);
  });

  it("refuses a recipe with both hard negatives and augmentations", () => {
    expect(() =>
      FinetuneRecipeSchema.parse({
        kind: "finetune",
        relevance: { augment: ["permute"], hardNegatives: { perSentence: 2 } },
      }),
    ).toThrow(/without augmentations/);
  });

  it("resumes mid-way through CPL with the finished scorer from the checkpoint", async () => {
    const straight = await run("straight-3");
    await interrupted("resume-cpl", "cpl", 3);
    const steps: string[] = [];
    const resumed = await run("resume-cpl", { onProgress: (p) => void steps.push(`${p.model}:${p.step}`) });
    expect(resumed.resumedFrom).toEqual({ model: "cpl", step: 2 });
    expect(steps).toEqual(["cpl:3", "cpl:4"]);
    expectSameWeights(straight.relevance!.ps, resumed.relevance!.ps);
    expectSameWeights(straight.cpl!.ps, resumed.cpl!.ps);
    // a finished run started again trains nothing
    const again: string[] = [];
    await run("resume-cpl", { onProgress: (p) => void again.push(p.model) });
    expect(again).toEqual([]);
    expect(existsSync(path.join(root, "resume-cpl", "latest.json"))).toBe(true);
  });

  it("retrains LocVTP over a frame backbone's features: a fresh clip head of their width, the parent's text tower", async () => {
    const seen: string[] = [];
    const f = await onBackbone("backbone", { onProgress: (p) => void seen.push(`${p.model}:${p.step}`) });
    expect(seen).toEqual(["locvtp:1", "locvtp:2", "locvtp:3", "locvtp:4", "cpl:1", "cpl:2", "cpl:3", "cpl:4"]);
    const c = f.locvtp!.cfg.clip;
    expect(c).toMatchObject({ kind: "backbone", frameDim: 16, backboneId: BACKBONE.id });
    expect(f.locvtp!.ps.vars.get("clip/frame/w")!.shape).toEqual([16, c.frameHidden]);
    expect(f.featurizer).toBe(BACKBONE.id);
    // the text tower started from the parent's (it never reads frames): moved a little, not re-initialised
    const parentLoc = new ParamStore(0);
    parentLoc.loadFrom(path.join(parent, "locvtp"));
    const text = [...parentLoc.vars.keys()].filter((n) => !n.startsWith("clip/") && f.locvtp!.ps.vars.has(n));
    expect(text.length).toBeGreaterThan(0);
    const drift = text.map((n) => {
      const a = Array.from(parentLoc.vars.get(n)!.dataSync() as Float32Array);
      const b = f.locvtp!.ps.vars.get(n)!.dataSync();
      return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    });
    expect(Math.max(...drift)).toBeLessThan(0.05);

    const out = path.join(root, "backbone-version");
    cpSync(parent, out, { recursive: true });
    saveFinetuned(f, out, "v2-test");
    const man = ParamStore.readManifest<typeof loc.cfg>(path.join(out, "locvtp"));
    expect(man.config.clip).toMatchObject({ kind: "backbone", frameDim: 16, backboneId: BACKBONE.id });
    expect(man.version).toBe(`locvtp-backbone-${BACKBONE.id}-v2-test`);
    expect(modelsFeaturizer(out, null)).toBe(BACKBONE.id);
    // over a backbone there are no slot inputs: the scorer in the folder is not used, CPL answers
    const models = await loadGroundingModels(out);
    expect(models.defaultMethod).toBe("cpl-vote");
    expect(models.ranker).toBeNull();
  });

  it("resumes a LocVTP run mid-way to the same weights", async () => {
    const straight = await onBackbone("backbone-straight");
    await interrupted("backbone-resume", "locvtp", 3, {
      corpus: libraryCorpus(videos(16), PAIRS),
      featurizer: BACKBONE,
      models: ["locvtp", "cpl"],
    });
    const steps: string[] = [];
    const resumed = await onBackbone("backbone-resume", { onProgress: (p) => void steps.push(`${p.model}:${p.step}`) });
    expect(resumed.resumedFrom).toEqual({ model: "locvtp", step: 2 });
    expect(steps.slice(0, 2)).toEqual(["locvtp:3", "locvtp:4"]);
    expectSameWeights(straight.locvtp!.ps, resumed.locvtp!.ps);
    expectSameWeights(straight.cpl!.ps, resumed.cpl!.ps);
  });

  it("refuses models that cannot learn from the features' featurizer", async () => {
    await expect(onBackbone("backbone-rel", { models: ["locvtp", "relevance", "cpl"] })).rejects.toThrow(
      /relevance scorer reads the built-in low-level stage's object slots/,
    );
    await expect(onBackbone("backbone-cpl", { models: ["cpl"] })).rejects.toThrow(
      /parent version's clip encoder reads the built-in low-level stage .* retrain LocVTP too/,
    );
  });

  it("refuses a library that gives sentences for fewer than two videos", async () => {
    await expect(
      finetune({
        corpus: libraryCorpus(videos(), [{ video: "v0", sentence: "the red circle moves left" }]),
        models: ["relevance"],
        parentDir: parent,
        recipe,
        checkpointDir: path.join(root, "one-video"),
      }),
    ).rejects.toThrow(/at least two videos/);
  });
});
