import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { defaultLocVtpConfig } from "../locvtp/config";
import { relevanceConfigFor } from "./config";
import { RelevanceModel } from "./model";
import { evidenceWidth, tokenEvidence, tokenScores } from "./scores";

beforeAll(async () => {
  await initBackend();
});

describe("the scorer's token evidence (what a grounder trained on top reads)", () => {
  it("holds every member's hidden layer and logit; the members' logits average to the token scores", () => {
    const members = [1, 2, 3].map(
      (s) => new RelevanceModel({ ...relevanceConfigFor(defaultLocVtpConfig()), hidden: 8 }, s),
    );
    const rel = RelevanceModel.ensemble(members);
    const H = 8;
    const M = 3;
    expect(evidenceWidth(rel)).toBe(M * (H + 1));
    const rng = new Rng(4);
    const clips = Array.from({ length: 11 }, () => Float32Array.from({ length: H * M }, () => rng.normal()));
    const ev = tokenEvidence(rel, "the red circle moves left", [clips]);
    const sc = tokenScores(rel, "the red circle moves left", [clips]);
    const N = rel.cfg.nTokens;
    const W = M * (H + 1);
    expect(ev.length).toBe(N * W);
    for (let i = 0; i < N; i++) {
      let mean = 0;
      for (let m = 0; m < M; m++) {
        mean += ev[i * W + m * (H + 1) + H] / M;
        // hidden values are ReLU outputs
        for (let h = 0; h < H; h++) expect(ev[i * W + m * (H + 1) + h]).toBeGreaterThanOrEqual(0);
      }
      expect(mean).toBeCloseTo(sc[i], 4);
    }
  });
});
