import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLIP_SPEC } from "./config";
import { initBackend } from "./core/backend";
import { Rng } from "./core/rng";
import { DEFAULT_CPL_CONFIG } from "./cpl/config";
import { groundWithModel } from "./cpl/ground";
import { loadCpl } from "./cpl/load";
import { CplModel } from "./cpl/model";
import { saveCpl } from "./cpl/train";
import { SHAPES_VOCAB } from "./cpl/vocab";
import { OBJECT_SLOTS, loadClipEncoder, loadTextEncoder, objectSlotStatistics } from "./encoders";
import { N_SLOTS, SLOT_FEATURES } from "./features/slots";
import { framesFeatures } from "./features/lowlevel";
import { loadGroundingModels } from "./grounders/registry";
import { defaultLocVtpConfig } from "./locvtp/config";
import { embedClipFeatures, sentenceEmbedderFor } from "./locvtp/encode";
import { loadLocVtp } from "./locvtp/load";
import { LocVtpModel } from "./locvtp/model";
import { saveLocVtp } from "./locvtp/train";

beforeAll(async () => {
  await initBackend();
});

const SMALL_CPL = { ...DEFAULT_CPL_CONFIG, nTokens: 16, hidden: 32, ffn: 32, K: 3, buckets: 512 };

describe("save → load gives identical outputs", () => {
  it("LocVTP clip + text encoders and the CPL grounder", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-save-"));
    const loc = new LocVtpModel(defaultLocVtpConfig(), 7);
    loc.featMean = new Float32Array(loc.cfg.clip.frameDim).fill(0.1);
    // non-trivial slot standardisation: a load that dropped it would change the embeddings
    loc.slotMean = loc.slotMean.map((_, i) => 0.01 * i);
    loc.slotStd = loc.slotStd.map((_, i) => 0.5 + 0.02 * i);
    saveLocVtp(loc, path.join(dir, "locvtp"), "locvtp-test");
    // the loaded grounder takes its similarity channel from the LocVTP saved beside it
    const cpl = new CplModel(SMALL_CPL, 7, SHAPES_VOCAB, { sentenceEmbedder: sentenceEmbedderFor(loc) });
    saveCpl(cpl, path.join(dir, "cpl"), "cpl-test");

    const enc = await loadClipEncoder(path.join(dir, "locvtp"));
    expect(enc.version).toBe("locvtp-test");
    expect(enc.spec).toEqual(CLIP_SPEC);
    const s = enc.spec;
    const rng = new Rng(3);
    const frames = new Uint8Array(3 * s.framesPerClip * s.width * s.height * 3).map(() => Math.floor(rng.next() * 256));
    const e1 = await enc.encodeClips(frames, 3);
    const { model: loaded } = await loadLocVtp(path.join(dir, "locvtp"));
    const direct = embedClipFeatures(loc, framesFeatures(frames, 3 * s.framesPerClip, s.width, s.height), 3);
    e1.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 6)));
    expect(loaded).not.toBe(loc);
    expect(Array.from(loaded.slotStd)).toEqual(Array.from(loc.slotStd));
    // without a relevance scorer beside it, a clip vector is its embedding alone
    const vectors = enc.clipVectors(framesFeatures(frames, 3 * s.framesPerClip, s.width, s.height), 3);
    expect(vectors.map((v) => v.relevance)).toEqual([undefined, undefined, undefined]);
    vectors.forEach((v, i) => expect(Array.from(v.embedding)).toEqual(Array.from(e1[i])));

    const te = await loadTextEncoder(path.join(dir, "locvtp"));
    const q = await te.encodeSentence("the red circle moves left");
    expect(q.length).toBe(128);

    const clips = e1.map((embedding) => ({ embedding }));
    const g = (await loadGroundingModels(dir)).grounder("cpl-loss");
    const [a] = g.ground("the red circle moves left", [{ clips, durationSeconds: 3 }]);
    const b = groundWithModel(cpl, "the red circle moves left", clips, 3, { method: "loss" });
    expect(a.spans).toEqual(b);
    const { model: cplLoaded } = await loadCpl(path.join(dir, "cpl"));
    expect(cplLoaded.vocab).toEqual(SHAPES_VOCAB);
  });
  it("untrained fallback is deterministic and says so", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-empty-"));
    const enc = await loadClipEncoder(path.join(dir, "nothing"));
    expect(enc.version).toMatch(/untrained/);
    expect(enc.dim).toBe(128);
    const a = new LocVtpModel(defaultLocVtpConfig(), 0);
    const b = new LocVtpModel(defaultLocVtpConfig(), 0);
    expect(Array.from(a.ps.vars.get("clip/t1/w")!.dataSync().slice(0, 5))).toEqual(
      Array.from(b.ps.vars.get("clip/t1/w")!.dataSync().slice(0, 5)),
    );
    const models = await loadGroundingModels(path.join(dir, "nothing"));
    expect(models.version).toMatch(/untrained/);
    expect(models.defaultMethod).toBe("cpl-vote");
    expect(models.ranker).toBeNull();
    const g = models.grounder("cpl-vote");
    const [{ spans }] = g.ground(
      "a red circle appears",
      [{ clips: [{ embedding: new Float32Array(128).fill(0.1) }], durationSeconds: 5 }],
      { topK: 5 },
    );
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) expect(s.start >= 0 && s.end <= 5 && s.start <= s.end).toBe(true);
    expect(g.ground("x", [{ clips: [], durationSeconds: 5 }])[0].spans).toEqual([]);
  });
});

describe("object-slot statistics stored per clip", () => {
  it("keep each object slot's own-clip statistics, without the background slot or the context window", () => {
    // 2 clips; per slot: SLOT_FEATURES own values, then as many over the window
    const perSlot = 2 * SLOT_FEATURES;
    const inputs = Float32Array.from({ length: 2 * N_SLOTS * perSlot }, (_, i) => i);
    const stats = objectSlotStatistics(inputs, 2);
    expect(stats).toHaveLength(2);
    expect(stats[0]).toHaveLength(OBJECT_SLOTS * SLOT_FEATURES);
    // clip 1, slot 3 (yellow), value 5 = inputs[(1 · N_SLOTS + 3) · perSlot + 5]
    expect(stats[1][3 * SLOT_FEATURES + 5]).toBe((N_SLOTS + 3) * perSlot + 5);
    // clip 0, slot 0's last own value; no window value or background value is kept
    expect(stats[0][SLOT_FEATURES - 1]).toBe(SLOT_FEATURES - 1);
    expect(Math.max(...stats[0])).toBe(4 * perSlot + SLOT_FEATURES - 1);
  });
});
