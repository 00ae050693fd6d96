import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../core/backend";
import { groundTruthFor } from "../data/shapes/sentences";
import { sampleScenario } from "../data/shapes/sampler";
import { editSentences } from "../relevance/hard-negatives";
import * as tf from "@tensorflow/tfjs";
import { ATTRIBUTE_DIM, sentenceAttributes } from "./attributes";
import { POOLS } from "./inputs";
import { loadVerifier, verifySpans } from "./load";
import { SpanVerifier } from "./model";
import {
  ownSpanPairs,
  sampleLogits,
  trainVerifier,
  verifierSamples,
  type VerifierSamples,
  type VerifierVideo,
} from "./train";

beforeAll(async () => {
  await initBackend();
});

describe("span verifier: training pairs", () => {
  const scenario = sampleScenario(3);
  const clipSeconds = 1;
  const n = Math.ceil(scenario.duration / clipSeconds);
  const video: VerifierVideo = {
    id: "v",
    clips: Array.from({ length: n }, (_, i) => Float32Array.of(i, 1)),
    clipSeconds,
    duration: scenario.duration,
    scenario,
  };
  const o = { edits: 3, jitter: 1, others: 1, random: 1 };
  const s = verifierSamples([video], o, 5);

  it("pairs every event's sentence with its own span as a positive", () => {
    const own = ownSpanPairs(s);
    expect(s.ownSpans.size).toBe(scenario.events.length);
    // the first pair on each own span is the event's own sentence: positive
    for (const spanIndex of s.ownSpans) {
      const first = s.span.indexOf(spanIndex);
      expect(own).toContain(first);
      expect(s.label[first]).toBe(1);
    }
  });

  it("labels edits on the event's own span by the scenario: the false ones are negatives", () => {
    const ev = scenario.events[0];
    const falseEdits = editSentences(ev.sentence).filter((e) => groundTruthFor(scenario, e).length === 0);
    expect(falseEdits.length).toBeGreaterThan(0);
    const own = ownSpanPairs(s);
    // each own span: its sentence (positive) and up to 3 edits, most of them false
    const negatives = own.filter((i) => s.label[i] === 0).length;
    expect(negatives).toBeGreaterThanOrEqual(scenario.events.length);
    expect(own.length).toBeLessThanOrEqual(scenario.events.length * (1 + o.edits));
    expect(s.label.length).toBe(s.span.length);
    expect(s.attributes.length).toBe(s.span.length);
  });

  it("with shapeFirst, every event's shape edits are among its sentences", () => {
    const shaped = verifierSamples([video], { ...o, shapeFirst: true }, 5);
    const ownSentences = ownSpanPairs(shaped).map((i) => shaped.attributes[i].join(","));
    for (const ev of scenario.events)
      for (const edit of editSentences(ev.sentence, true))
        expect(ownSentences).toContain(sentenceAttributes(edit)!.join(","));
  });

  it("draws the same pairs from the same seed", () => {
    const again = verifierSamples([video], o, 5);
    expect(again.label).toEqual(s.label);
    expect(again.span).toEqual(s.span);
  });
});

describe("span verifier: model", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "verifier-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // a span matches attribute 0 when its first value is positive and attribute 1 when it is
  // negative: the answer needs the span and the sentence together (the h ⊙ e interaction)
  const separable = (count: number, seed: number): VerifierSamples => {
    let x = seed;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const out: VerifierSamples = { spans: [], span: [], attributes: [], label: [], ownSpans: new Set(), spanTimes: [] };
    for (let i = 0; i < count; i++) {
      const v = Float32Array.from({ length: 8 }, rand);
      const which = i % 2;
      const a = new Float32Array(2);
      a[which] = 1;
      out.spans.push(v);
      out.span.push(i);
      out.attributes.push(a);
      out.label.push((which === 0) === v[0] > 0 ? 1 : 0);
    }
    return out;
  };

  it("learns which spans fit which sentence", () => {
    const model = new SpanVerifier({ inputDim: 8, attributeDim: 2, hidden: 16 }, 1);
    const train = separable(1024, 7);
    trainVerifier(model, () => train, { epochs: 30, batch: 64, lr: 0.01, positiveWeight: 1, dropout: 0, seed: 1 });
    const test = separable(400, 99);
    const logits = sampleLogits(model, test);
    const right = test.label.filter((y, i) => (logits[i] > 0 ? 1 : 0) === y).length;
    expect(right / test.label.length).toBeGreaterThan(0.9);
  });

  it("with object slots, reads the slot of the sentence's colour and of its target colour", () => {
    // one pool layout: 1 other value, then 5 slots of 2 values; colour red (slot 0), target
    // blue (slot 2); the input as the standardisation leaves it
    const model = new SpanVerifier(
      { inputDim: POOLS * 11, attributeDim: ATTRIBUTE_DIM, hidden: 4, slots: { count: 5, width: 2 } },
      1,
    );
    const pool = (p: number) => [100 * p, ...Array.from({ length: 10 }, (_, j) => 10 * p + j)];
    const x = Float32Array.from(Array.from({ length: POOLS }, (_, p) => pool(p)).flat());
    const a = sentenceAttributes("the red square turns blue")!;
    const read = tf.tidy(() =>
      Array.from(model.gatedSlotsT(tf.tensor2d(x, [1, x.length]), tf.tensor2d(a, [1, a.length])).dataSync()),
    );
    // per pool: the other value, red's slot (values 0, 1), blue's slot (values 4, 5)
    expect(read).toEqual(
      Array.from({ length: POOLS }, (_, p) => [100 * p, 10 * p, 10 * p + 1, 10 * p + 4, 10 * p + 5]).flat(),
    );
  });

  it("the same seed trains the same model, dropout included", () => {
    const train = separable(256, 3);
    const run = () => {
      const model = new SpanVerifier({ inputDim: 8, attributeDim: 2, hidden: 8 }, 4);
      trainVerifier(model, () => train, { epochs: 2, batch: 64, lr: 0.01, positiveWeight: 2, dropout: 0.3, seed: 5 });
      return Array.from(sampleLogits(model, train));
    };
    expect(run()).toEqual(run());
  });

  it("saved and loaded, answers the same; says nothing outside its grammar or for other features", async () => {
    const d = 3;
    const model = new SpanVerifier({ inputDim: POOLS * d, attributeDim: ATTRIBUTE_DIM, hidden: 8 }, 2);
    model.mean = Float32Array.from({ length: POOLS * d }, (_, i) => i / 10);
    model.std = Float32Array.from({ length: POOLS * d }, (_, i) => 1 + i / 10);
    model.ps.save(dir, {
      name: "verifier",
      version: "verifier-test",
      config: model.cfg,
      extra: { mean: Array.from(model.mean), std: Array.from(model.std), relevance: "scorer-a" },
    });
    const loaded = (await loadVerifier(dir))!;
    expect(loaded).toMatchObject({ version: "verifier-test", relevance: "scorer-a" });
    const features = Array.from({ length: 6 }, (_, i) => Float32Array.of(i, -i, i * i));
    const spans = [
      { start: 0, end: 2 },
      { start: 2, end: 5 },
    ];
    const before = verifySpans(model, "the red square spins", [{ features, clipSeconds: 1, spans }]);
    const after = verifySpans(loaded.model, "the red square spins", [{ features, clipSeconds: 1, spans }]);
    expect(after[0]).toHaveLength(2);
    after[0]!.forEach((x, i) => {
      expect(x.logit).toBeCloseTo(before[0]![i].logit, 5);
      expect(x.editMargin).toBeNull(); // not asked to contrast
    });
    // contrasted: the logit above the best edit's on the same span; an edit outside the grammar is skipped
    const edits = ["the blue square spins", "the red circle spins", "a dog on a beach"];
    const [contrasted] = verifySpans(
      loaded.model,
      "the red square spins",
      [{ features, clipSeconds: 1, spans, contrast: true }],
      edits,
    );
    const alone = edits
      .slice(0, 2)
      .map((e) => verifySpans(loaded.model, e, [{ features, clipSeconds: 1, spans }])[0]!.map((x) => x.logit));
    contrasted!.forEach((x, i) => {
      expect(x.logit).toBeCloseTo(after[0]![i].logit, 5);
      expect(x.editMargin).toBeCloseTo(x.logit - Math.max(alone[0][i], alone[1][i]), 5);
    });
    // mixed in one call: each video's answers are its own, as if asked alone
    const other = features.map((f) => Float32Array.from(f, (x) => -x));
    const mixed = verifySpans(
      loaded.model,
      "the red square spins",
      [
        { features: other, clipSeconds: 1, spans: [spans[1]], contrast: true },
        { features, clipSeconds: 1, spans },
        { features: features.map((f) => Float32Array.from([...f, 0])), clipSeconds: 1, spans, contrast: true },
        { features, clipSeconds: 1, spans: [], contrast: true },
        { features, clipSeconds: 1, spans, contrast: true },
      ],
      edits,
    );
    const one = (f: Float32Array[], s: typeof spans, contrast: boolean) =>
      verifySpans(
        loaded.model,
        "the red square spins",
        [{ features: f, clipSeconds: 1, spans: s, contrast }],
        edits,
      )[0];
    const expected = [one(other, [spans[1]], true), one(features, spans, false), null, [], one(features, spans, true)];
    expect(mixed.map((v) => v?.length ?? null)).toEqual(expected.map((v) => v?.length ?? null));
    mixed.forEach((v, k) =>
      v?.forEach((x, i) => {
        expect(x.logit).toBeCloseTo(expected[k]![i].logit, 5);
        if (expected[k]![i].editMargin === null) expect(x.editMargin).toBeNull();
        else expect(x.editMargin).toBeCloseTo(expected[k]![i].editMargin!, 5);
      }),
    );
    // no edit inside the grammar: no margin
    const [noEdits] = verifySpans(
      loaded.model,
      "the red square spins",
      [{ features, clipSeconds: 1, spans, contrast: true }],
      ["a dog on a beach"],
    );
    expect(noEdits!.every((x) => x.editMargin === null)).toBe(true);
    expect(verifySpans(loaded.model, "a dog on a beach", [{ features, clipSeconds: 1, spans }])).toEqual([null]);
    const wider = features.map((f) => Float32Array.from([...f, 0]));
    expect(
      verifySpans(loaded.model, "the red square spins", [
        { features: wider, clipSeconds: 1, spans },
        { features: null, clipSeconds: 1, spans },
        { features, clipSeconds: 1, spans: [] },
      ]),
    ).toEqual([null, null, []]);
    expect(await loadVerifier(path.join(dir, "missing"))).toBeNull();
  });
});
