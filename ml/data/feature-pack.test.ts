import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readFeaturePack, writeFeaturePack } from "./feature-pack";
import { FRAME_FEATURE_DIM } from "../features/lowlevel";
import { CLIP_SPEC } from "../config";
import { loadCorpus } from "./corpus";

describe("feature pack", () => {
  it("round-trips every video's features exactly, and loadCorpus uses it without the videos", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pack-"));
    const F = CLIP_SPEC.framesPerClip;
    const mk = (nClips: number, seed: number) =>
      Float32Array.from({ length: nClips * F * FRAME_FEATURE_DIM }, (_, i) => (i % 7 === 0 ? Math.sin(i + seed) : 0));
    const videos = [
      { id: "a", feats: mk(3, 1), nClips: 3, duration: 2.5 },
      { id: "b", feats: mk(5, 2), nClips: 5, duration: 4.75, probed: true },
    ];
    writeFeaturePack(dir, CLIP_SPEC, videos);
    const back = readFeaturePack(dir, CLIP_SPEC)!;
    for (const v of videos) {
      const r = back.get(v.id)!;
      expect(r.nClips).toBe(v.nClips);
      expect(r.duration).toBe(v.duration);
      expect(Array.from(r.feats)).toEqual(Array.from(v.feats));
    }
    // another clip spec must not silently reuse these features
    expect(readFeaturePack(dir, { ...CLIP_SPEC, fps: 8 })).toBeNull();
    // the video files do not exist: the corpus loads from the pack alone
    writeFileSync(
      path.join(dir, "annotations.json"),
      JSON.stringify({
        videos: [
          { id: "a", file: "videos/a.mp4" },
          { id: "b", file: "videos/b.mp4" },
        ],
        queries: [{ video: "b", query: "the red circle appears", start: 1, end: 2 }],
      }),
    );
    const c = await loadCorpus(dir, { quiet: true });
    expect(c.videos.map((v) => v.id)).toEqual(["a", "b"]);
    expect(c.byId.get("b")!.nClips).toBe(5);
    expect(c.queries.length).toBe(1);
  });
});
