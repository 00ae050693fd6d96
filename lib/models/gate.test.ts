import { describe, expect, it } from "vitest";
import type { SpanMetrics } from "@/db/repositories/model-versions";
import { GATE_MARGIN_POINTS, gateDecision } from "./gate";

const spans = (r1_05: number, n = 40): SpanMetrics => ({ n, r1_03: r1_05 + 10, r1_05, r1_07: r1_05 - 10, miou: 40 });

describe("the evaluation gate", () => {
  it("passes a version not worse on the annotated spans than the active one it was measured beside", () => {
    const d = gateDecision(
      { version: 2, metrics: { annotated: spans(50), baseline: { version: 1, annotated: spans(48) } } },
      { version: 1, metrics: null },
    );
    expect(d).toMatchObject({ pass: true, basis: "annotated", candidate: 50, active: 48, n: 40 });
  });

  it(`allows ${GATE_MARGIN_POINTS} point less, and refuses more`, () => {
    const at = (candidate: number) =>
      gateDecision(
        { version: 2, metrics: { annotated: spans(candidate), baseline: { version: 1, annotated: spans(50) } } },
        { version: 1, metrics: null },
      );
    expect(at(50 - GATE_MARGIN_POINTS).pass).toBe(true);
    const worse = at(50 - GATE_MARGIN_POINTS - 0.1);
    expect(worse.pass).toBe(false);
    expect(worse.reason).toMatch(/48\.9 %.*1\.1 % below version 1's 50\.0 %/);
  });

  it("without times anywhere, compares how often each held-out sentence's own video ranks first", () => {
    const weak = (videoR1: number): SpanMetrics => ({ ...spans(0, 0), videoR1, videoR5: 90, ranked: 6 });
    const at = (candidate: number) =>
      gateDecision(
        { version: 2, metrics: { heldOut: weak(candidate), baseline: { version: 1, heldOut: weak(50) } } },
        { version: 1, metrics: null },
      );
    expect(at(50)).toMatchObject({ pass: true, basis: "heldOutVideos", candidate: 50, active: 50, n: 6 });
    expect(at(50).reason).toMatch(/own video first for 50\.0 % of 6 held-out sentences/);
    expect(at(48).pass).toBe(false);
    // measured in separate evaluations (no baseline of the active version): nothing to compare
    expect(
      gateDecision({ version: 2, metrics: { heldOut: weak(90) } }, { version: 1, metrics: { heldOut: weak(10) } })
        .basis,
    ).toBeNull();
  });

  it("uses the held-out sentences only when no annotated spans were measured", () => {
    const d = gateDecision(
      {
        version: 3,
        metrics: {
          annotated: { ...spans(0), n: 0 },
          heldOut: spans(30, 12),
          baseline: { version: 2, annotated: { ...spans(90), n: 0 }, heldOut: spans(20, 12) },
        },
      },
      { version: 2, metrics: null },
    );
    expect(d).toMatchObject({ pass: true, basis: "heldOut", candidate: 30, active: 20, n: 12 });
    // annotated spans decide when both versions have them, whatever the held-out sentences say
    const annotated = gateDecision(
      {
        version: 3,
        metrics: {
          annotated: spans(10),
          heldOut: spans(90),
          baseline: { version: 2, annotated: spans(40), heldOut: spans(10) },
        },
      },
      { version: 2, metrics: null },
    );
    expect(annotated).toMatchObject({ pass: false, basis: "annotated" });
  });

  it("judges a rollback by the numbers the active version's evaluation measured for the older one", () => {
    const active = {
      version: 2,
      metrics: { annotated: spans(40), baseline: { version: 1, annotated: spans(60) } },
    };
    expect(gateDecision({ version: 1, metrics: null }, active)).toMatchObject({
      pass: true,
      basis: "annotated",
      candidate: 60,
      active: 40,
    });
    const better = { ...active, metrics: { ...active.metrics, annotated: spans(70) } };
    expect(gateDecision({ version: 1, metrics: null }, better).pass).toBe(false);
  });

  it("compares separate evaluations on the annotated spans, never on two different held-out splits", () => {
    const annotated = gateDecision(
      { version: 4, metrics: { annotated: spans(55), baseline: { version: 2, annotated: spans(50) } } },
      { version: 3, metrics: { annotated: spans(55.5) } },
    );
    expect(annotated).toMatchObject({ pass: true, basis: "annotated", candidate: 55, active: 55.5 });
    const heldOut = gateDecision(
      { version: 4, metrics: { heldOut: spans(55) } },
      { version: 3, metrics: { heldOut: spans(10) } },
    );
    expect(heldOut).toMatchObject({ pass: false, basis: null });
  });

  it("refuses when there is nothing to compare (no evaluation, or none of the active version)", () => {
    expect(gateDecision({ version: 2, metrics: null }, { version: 1, metrics: null })).toMatchObject({
      pass: false,
      basis: null,
      reason: expect.stringMatching(/no evaluation/),
    });
    expect(gateDecision({ version: 2, metrics: { annotated: spans(99) } }, { version: 1, metrics: null }).pass).toBe(
      false,
    );
  });
});
