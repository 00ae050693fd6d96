import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../core/backend";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { LocVtpModel } from "../locvtp/model";
import { CplModel } from "../cpl/model";
import { RelevanceModel } from "./model";
import { defaultLocVtpConfig } from "../locvtp/config";
import { groundManyWithModel, groundWithModel } from "../cpl/ground";
import { loadClipEncoder } from "../encoders";
import { relevanceClipFeatures, tokenScores, videoScores } from "./scores";
import { relevanceConfigFor } from "./config";
import { DEFAULT_CPL_CONFIG } from "../cpl/config";
import { loadCpl } from "../cpl/load";
import { loadGroundingModels } from "../grounders/registry";
import { clipSlotInputs, embedClipFeatures, sentenceEmbedderFor } from "../locvtp/encode";
import { saveCpl } from "../cpl/train";
import { saveLocVtp } from "../locvtp/train";
import { Rng } from "../core/rng";
import { SHAPES_VOCAB } from "../cpl/vocab";
import { clipWindows, windowFrames } from "../features/slots";

beforeAll(async () => {
  await initBackend();
});

describe("relevance scorer in the app", () => {
  it("inference embeds through the shared slot inputs exactly as training's encodeClipsT", () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 6);
    loc.slotMean = loc.slotMean.map((_, i) => 0.01 * i);
    loc.slotStd = loc.slotStd.map((_, i) => 0.5 + 0.01 * i);
    const rng = new Rng(12);
    const n = 7;
    const fd = loc.cfg.clip.frameDim;
    const feats = new Float32Array(n * loc.cfg.framesPerClip * fd).map(() => rng.next());
    const viaInputs = embedClipFeatures(loc, feats, n);
    const idx = Array.from({ length: n }, (_, i) => i);
    const direct = tf.tidy(
      () =>
        loc
          .encodeClipsT(
            tf.tensor(clipWindows(feats, n, loc.cfg.framesPerClip, fd, loc.cfg.clip.contextClips ?? 0, idx), [
              n,
              windowFrames(loc.cfg),
              fd,
            ]),
          )
          .arraySync() as number[][],
    );
    viaInputs.forEach((e, i) => e.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 5)));
  });
  it("ingestion stores the scorer's features beside each embedding, and grounders reading them match ones computing them", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-rel-"));
    const loc = new LocVtpModel(defaultLocVtpConfig(), 4);
    saveLocVtp(loc, path.join(dir, "locvtp"), "locvtp-t");
    const rel = new RelevanceModel({ ...relevanceConfigFor(loc.cfg), hidden: 16 }, 4);
    rel.ps.save(path.join(dir, "relevance"), { name: "relevance", version: "relevance-t", config: rel.cfg });
    const cfg = { ...DEFAULT_CPL_CONFIG, hidden: 32, ffn: 32, K: 3, buckets: 512, simSource: "relevance" as const };
    const cpl = new CplModel(cfg, 4, SHAPES_VOCAB, { relevance: rel, sentenceEmbedder: sentenceEmbedderFor(loc) });
    saveCpl(cpl, path.join(dir, "cpl"), "cpl-t");

    const enc = await loadClipEncoder(path.join(dir, "locvtp"));
    expect(enc.version).toBe("locvtp-t+relevance-t");
    const rng = new Rng(8);
    const n = 9;
    const feats = new Float32Array(n * loc.cfg.framesPerClip * loc.cfg.clip.frameDim).map(() => rng.next());
    const emb = enc.embedClips(feats, n);
    const clips = enc.clipVectors(feats, n);
    expect(clips.length).toBe(n);
    expect(clips[0].relevance!.length).toBe(16);
    clips.forEach((c, i) => expect(Array.from(c.embedding)).toEqual(Array.from(emb[i])));
    const direct = relevanceClipFeatures(rel, clipSlotInputs(loc, feats, n), n);
    clips.forEach((c, i) => c.relevance!.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 5)));

    const models = await loadGroundingModels(dir);
    expect(models.version).toBe("cpl-t+relevance-t");
    const { model: loaded } = await loadCpl(path.join(dir, "cpl"));
    const [a] = models.grounder("cpl-vote").ground("the red circle moves left", [{ clips, durationSeconds: 9 }]);
    expect(a.spans).toEqual(groundWithModel(cpl, "the red circle moves left", clips, 9, { method: "vote" }));
    expect(a.spans).toEqual(groundWithModel(loaded, "the red circle moves left", clips, 9, { method: "vote" }));
    // the channel is the scorer's logits
    const sc = tokenScores(rel, "the red circle moves left", [clips.map((c) => c.relevance)]);
    expect(sc.length).toBe(cfg.nTokens);
    // clips without stored features still ground (LocVTP cosine fallback) beside ones with them
    const many = groundManyWithModel(cpl, "the red circle moves left", [
      { clips, durationSeconds: 9 },
      { clips: emb.map((embedding) => ({ embedding })), durationSeconds: 9 },
    ]);
    expect(many[0]).toEqual(a.spans);
    expect(many[1].length).toBeGreaterThan(0);
    // the relevance grounder's spans and video scores come from one scoring pass, as the ranker's
    const [r] = models.grounder("relevance").ground("the red circle moves left", [{ clips, durationSeconds: 9 }]);
    expect(r.videoScore).toBeCloseTo(models.ranker!.score("the red circle moves left", [clips])[0]!, 5);
    expect(r.videoScore).toBeCloseTo(
      videoScores(rel, "the red circle moves left", [clips.map((c) => c.relevance)])[0]!,
      5,
    );
  });
});
