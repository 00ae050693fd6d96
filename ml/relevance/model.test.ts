import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../core/backend";
import { SMALL } from "./test-fixtures";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { RelevanceModel, componentSlotsT } from "./model";
import { Rng } from "../core/rng";

beforeAll(async () => {
  await initBackend();
});

describe("component slots (slotLayout: component)", () => {
  it("regroups each colour slot's two components, with the colour's count, into slots of their own", () => {
    // 1 clip, 3 colour slots (2 colours + background) of 2 groups × 17 values; value = s·100 + position
    const S = 3;
    const w = 34;
    const x = tf.tensor(
      Array.from({ length: S * w }, (_, i) => Math.floor(i / w) * 100 + (i % w)),
      [1, S, w],
    );
    const { x: c, identity } = componentSlotsT(x);
    expect(identity).toEqual([0, 0, 1, 1, 2]);
    expect(c.shape).toEqual([1, 5, 18]);
    const rows = (c.arraySync() as number[][][])[0];
    // colour 0, component 1: values 0–7 of group 0, 17–24 of group 1, then the counts 16 and 33
    expect(rows[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 17, 18, 19, 20, 21, 22, 23, 24, 16, 33]);
    // colour 1, component 2: values 8–15 and 25–32 of slot 1, its counts
    expect(rows[3]).toEqual([108, 109, 110, 111, 112, 113, 114, 115, 125, 126, 127, 128, 129, 130, 131, 132, 116, 133]);
    // the background: only its first 8 values per group (where component 1 sits)
    expect(rows[4].slice(0, 8)).toEqual([200, 201, 202, 203, 204, 205, 206, 207]);
    expect(() => componentSlotsT(tf.zeros([1, 2, 20]))).toThrow(/multiple of 17/);
  });
  it("a second object of a colour is read by the same detector as the first: swapping them changes nothing", () => {
    const model = new RelevanceModel({ ...SMALL, slotInput: 34, slotLayout: "component" }, 2);
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 2 * 6 * 34 }, () => rng.normal());
    const swapped = Float32Array.from(x);
    // swap the two components of colour 2 in both groups of both clips
    for (let n = 0; n < 2; n++)
      for (let g = 0; g < 2; g++) {
        const o = (n * 6 + 2) * 34 + g * 17;
        for (let j = 0; j < 8; j++) [swapped[o + j], swapped[o + 8 + j]] = [x[o + 8 + j], x[o + j]];
      }
    const f = (v: Float32Array) => Array.from(tf.tidy(() => model.clipFeaturesT(tf.tensor(v, [2, 6, 34])).dataSync()));
    const a = f(x);
    const b = f(swapped);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
    // while the colour layout tells the components apart
    const colour = new RelevanceModel({ ...SMALL, slotInput: 34 }, 2);
    const g = (v: Float32Array) => Array.from(tf.tidy(() => colour.clipFeaturesT(tf.tensor(v, [2, 6, 34])).dataSync()));
    expect(Math.max(...g(x).map((v, i) => Math.abs(v - g(swapped)[i])))).toBeGreaterThan(1e-3);
    model.ps.dispose();
    colour.ps.dispose();
  });
});

describe("relevance scorer: the inference path", () => {
  it("fusedScoresT and queryOneT give the training path's logits (3 members, odd and even kernels)", () => {
    for (const temporalKernel of [3, 4]) {
      const cfg = { ...SMALL, temporalKernel };
      const model = RelevanceModel.ensemble([1, 2, 3].map((seed) => new RelevanceModel(cfg, seed)));
      const rng = new Rng(4);
      const H = cfg.hidden;
      const B = 2;
      const feats = Float32Array.from({ length: B * cfg.nTokens * H * 3 }, () => rng.normal());
      const blocks = [0, 1, 2].map((m) => {
        const out = new Float32Array(B * cfg.nTokens * H);
        for (let r = 0; r < B * cfg.nTokens; r++)
          out.set(feats.subarray(r * 3 * H + m * H, r * 3 * H + (m + 1) * H), r * H);
        return out;
      });
      for (const sentence of ["the red circle moves left", "a zorblax quuxes", ""]) {
        const text = model.encode(sentence);
        const want = tf.tidy(
          () =>
            model
              .scoresT(model.tokensT(tf.tensor(feats, [B, cfg.nTokens, 3 * H])), tf.tile(model.queryT([text]), [B, 1]))
              .dataSync() as Float32Array,
        );
        const q = tf.tidy(() => model.queryOneT(text).dataSync() as Float32Array);
        const qWant = tf.tidy(() => model.queryT([text]).dataSync() as Float32Array);
        q.forEach((x, i) => expect(x).toBeCloseTo(qWant[i], 5));
        const got = tf.tidy(
          () =>
            model
              .fusedScoresT(
                blocks.map((x) => tf.tensor(x, [B, cfg.nTokens, H])),
                model.queryOneT(text),
              )
              .dataSync() as Float32Array,
        );
        expect(got.length).toBe(want.length);
        got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 4));
      }
      model.ps.dispose();
    }
  });
});

describe("relevance ensemble", () => {
  it("concatenates its members' features and queries and averages their logits; save → load keeps it", () => {
    const a = new RelevanceModel(SMALL, 1);
    const b = new RelevanceModel(SMALL, 2);
    const ens = RelevanceModel.ensemble([a, b]);
    expect(ens.members).toBe(2);
    expect(ens.featureDim).toBe(2 * SMALL.hidden);
    const rng = new Rng(5);
    const slots = tf.tensor(
      new Float32Array(8 * 6 * SMALL.slotInput).map(() => rng.normal()),
      [8, 6, SMALL.slotInput],
    );
    const texts = ["the red circle moves left", "a blue box grows"].map((t) => a.encode(t));
    const run = (m: RelevanceModel) =>
      tf.tidy(() => {
        const f = m.clipFeaturesT(slots);
        const tok = m.tokensT(tf.stack([f, f.reverse(0)]));
        return { f: f.arraySync() as number[][], s: m.scoresT(tok, m.queryT(texts)).arraySync() as number[][] };
      });
    const [ra, rb, re] = [run(a), run(b), run(ens)];
    re.f.forEach((row, i) => expect(row).toEqual([...ra.f[i], ...rb.f[i]].map((x) => expect.closeTo(x, 5))));
    re.s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo((ra.s[i][j] + rb.s[i][j]) / 2, 5)));
    // members that differ score differently: the mean is not either one
    expect(Math.abs(ra.s[0][0] - rb.s[0][0])).toBeGreaterThan(1e-4);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rel-ens-"));
    ens.ps.save(dir, { name: "relevance", version: "ens-t", config: ens.cfg });
    const back = new RelevanceModel(ens.cfg, 0);
    back.ps.loadFrom(dir);
    run(back).s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(re.s[i][j], 6)));
    // a member taken back out (search's cheap first pass) is that member, sharing the weights
    const second = ens.member(1);
    expect(second.members).toBe(1);
    run(second).s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(rb.s[i][j], 5)));
    expect(second.ps.vars.get("rel/q/w")).toBe(ens.ps.vars.get("rel1/q/w"));
    expect(() => ens.member(2)).toThrow(/no member 2/);
    expect(() => RelevanceModel.ensemble([a, new RelevanceModel({ ...SMALL, hidden: 4 }, 3)])).toThrow(/architecture/);
    expect(() => RelevanceModel.ensemble([ens, a])).toThrow(/single/);
    slots.dispose();
    for (const m of [a, b, ens, back]) m.ps.dispose();
  });
});
