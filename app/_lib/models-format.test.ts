import { describe, expect, it } from "vitest";
import { toOverview, toVersionDetail, type ModelVersion } from "@/app/_lib/models-api";
import {
  calibrationWords,
  canActivate,
  comparisonFor,
  curveSeries,
  dataRows,
  deltaTone,
  deltaWords,
  formatDelta,
  formatLoss,
  formatMetric,
  healthModelState,
  metricDelta,
  modelsLabel,
  overviewBusy,
  parseMetrics,
  pendingLine,
  percentOf,
  progressLine,
  recipeLabel,
  searchModelVersion,
  shownStatus,
  STATUS_INFO,
  statusChange,
  trainErrorTitle,
  videoModelVersion,
} from "@/app/_lib/models-format";

const version = (over: Partial<ModelVersion> & { version: number }): ModelVersion => ({
  parent: null,
  status: "ready",
  models: ["relevance", "cpl"],
  recipe: "quick",
  sources: ["descriptions"],
  progress: 0,
  phase: null,
  etaSeconds: null,
  metrics: null,
  createdAt: "2025-03-04T10:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  activatedAt: null,
  error: null,
  gate: null,
  ...over,
});

const scores = (r3: number, r5: number, r7: number, miou: number, n = 10) => ({
  n,
  r1_03: r3,
  r1_05: r5,
  r1_07: r7,
  miou,
});

describe("a model version's status", () => {
  it("reads in words, the colour only helping, and shows a switch in progress as such", () => {
    expect(STATUS_INFO.training.label).toBe("Training");
    expect(STATUS_INFO.ready.label).toBe("Ready");
    expect(STATUS_INFO.active.label).toBe("Active");
    expect(STATUS_INFO.cancelled.label).toBe("Cancelled");
    const pending = { version: 3, progress: 0.5, done: 2, total: 4 };
    expect(shownStatus({ version: 3, status: "ready" }, pending)).toBe("switching");
    expect(shownStatus({ version: 2, status: "ready" }, pending)).toBe("ready");
    expect(shownStatus({ version: 3, status: "active" }, pending)).toBe("active");
    expect(shownStatus({ version: 3, status: "ready" }, null)).toBe("ready");
  });

  it("may be activated when ready and no switch is running", () => {
    expect(canActivate({ status: "ready" }, null)).toBe(true);
    expect(canActivate({ status: "ready" }, { version: 4, progress: 0, done: 0, total: 3 })).toBe(false);
    for (const status of ["training", "evaluating", "active", "failed", "cancelled"] as const)
      expect(canActivate({ status }, null)).toBe(false);
  });

  it("keeps the page asking while a run or a switch goes on, and for a moment after a run ends", () => {
    const now = Date.parse("2025-03-04T10:00:40.000Z");
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    const idle = { pending: null, versions: [version({ version: 2, status: "active" }), version({ version: 1 })] };
    expect(overviewBusy(null, now)).toBe(false);
    expect(overviewBusy(idle, now)).toBe(false);
    expect(overviewBusy({ ...idle, pending: { version: 1, progress: 0, done: 0, total: 2 } }, now)).toBe(true);
    expect(overviewBusy({ pending: null, versions: [version({ version: 3, status: "evaluating" })] }, now)).toBe(true);
    expect(overviewBusy({ pending: null, versions: [version({ version: 3, finishedAt: at(5) })] }, now)).toBe(true);
    expect(overviewBusy({ pending: null, versions: [version({ version: 3, finishedAt: at(31) })] }, now)).toBe(false);
    expect(
      overviewBusy({ pending: null, versions: [version({ version: 3, status: "failed", finishedAt: at(5) })] }, now),
    ).toBe(false);
  });

  it("says each change in a sentence for the live region", () => {
    expect(statusChange(3, "evaluating", "ready")).toBe("Version 3 is ready: its evaluation is in.");
    expect(statusChange(2, "active", "ready")).toBe("Version 2 is no longer active.");
    expect(statusChange(3, "ready", "active")).toBe("Version 3 is active.");
    expect(statusChange(3, "training", "failed", "out of memory")).toBe("Version 3 failed: out of memory");
    expect(statusChange(3, "evaluating", "failed")).toBe("Version 3 failed.");
    expect(statusChange(3, "training", "training")).toBeNull();
  });

  it("names the server's refusals of a training request", () => {
    expect(trainErrorTitle(400)).toBe("The request was refused");
    expect(trainErrorTitle(409)).toBe("A training run is already in progress");
    expect(trainErrorTitle(422)).toBe("No sentences to train on");
    expect(trainErrorTitle(422, "too_few_videos")).toBe("Too few described videos");
    expect(trainErrorTitle(400, "model_not_supported")).toBe("That model cannot be retrained here");
    expect(trainErrorTitle(400, "cpl_required")).toBe("Retrain CPL with LocVTP");
    expect(trainErrorTitle(422, "featurizer_mismatch")).toBe("These models do not fit the configured frame backbone");
    expect(trainErrorTitle(422, "relevance_needs_lowlevel")).toBe(
      "These models do not fit the configured frame backbone",
    );
    expect(trainErrorTitle(503, "backbone_unavailable")).toBe("The frame backbone cannot be read");
    expect(trainErrorTitle(500)).toBe("Training could not start");
  });
});

describe("progress", () => {
  it("is a whole percent, clamped", () => {
    expect(percentOf(0.426)).toBe(42);
    expect(percentOf(1.2)).toBe(100);
    expect(percentOf(-1)).toBe(0);
    expect(percentOf(Number.NaN)).toBe(0);
  });

  it("reads as the phase, the percent and the ETA (left out while unknown)", () => {
    expect(progressLine({ phase: "training", status: "training", progress: 0.42, etaSeconds: 185 })).toBe(
      "Training · 42% · about 3 min left",
    );
    expect(progressLine({ phase: "features", status: "training", progress: 0.1, etaSeconds: null })).toBe(
      "Reading the videos' features · 10%",
    );
    expect(progressLine({ phase: null, status: "evaluating", progress: 0.5, etaSeconds: 41 })).toBe(
      "Evaluating · 50% · about 40 s left",
    );
    expect(progressLine({ phase: "warm-up", status: "training", progress: 0, etaSeconds: null })).toBe("Warm-up · 0%");
  });

  it("of a switch counts the videos re-embedded", () => {
    expect(pendingLine({ version: 3, progress: 0.3, done: 12, total: 40 })).toBe("12 of 40 videos re-embedded");
    expect(pendingLine({ version: 3, progress: 0.25, done: 0, total: 0 })).toBe("25% re-embedded");
    expect(pendingLine({ version: 3, progress: 1, done: 1234, total: 1234 })).toBe("1,234 of 1,234 videos re-embedded");
  });
});

describe("names", () => {
  it("of the models retrained and of the recipe", () => {
    expect(modelsLabel(["relevance", "cpl"])).toBe("Relevance scorer, CPL grounder");
    expect(modelsLabel([])).toBe("The shipped models");
    expect(modelsLabel(["something-new"])).toBe("something-new");
    expect(recipeLabel("quick")).toBe("Quick");
    expect(recipeLabel("library")).toBe("Library");
    expect(recipeLabel("shipped")).toBe("Shapes corpus (shipped)");
    expect(recipeLabel("constructor")).toBe("constructor");
    expect(recipeLabel("mine")).toBe("mine");
  });
});

describe("metrics", () => {
  it("are read from the API's keys (or the names people know), in percent; an empty split is none", () => {
    const m = parseMetrics({ annotated: scores(60, 45.25, 20, 41.5, 12), heldOut: { "R1@0.5": 30, count: 8 } });
    expect(m.annotated).toEqual({
      n: 12,
      values: { r1_03: 60, r1_05: 45.25, r1_07: 20, miou: 41.5, videoR1: null, videoR5: null },
    });
    expect(m.heldOut).toEqual({
      n: 8,
      values: { r1_03: null, r1_05: 30, r1_07: null, miou: null, videoR1: null, videoR5: null },
    });
    expect(m.baseline).toBeNull();
    expect(parseMetrics(null)).toEqual({ annotated: null, heldOut: null, baseline: null });
    expect(parseMetrics({ annotated: {}, heldOut: "x" })).toEqual({ annotated: null, heldOut: null, baseline: null });
    // held-out sentences without times: no spans (n 0), but each sentence's video was ranked
    expect(parseMetrics({ heldOut: { n: 0, videoR1: 40, videoR5: 80, ranked: 5 } }).heldOut).toEqual({
      n: 5,
      values: { r1_03: null, r1_05: null, r1_07: null, miou: null, videoR1: 40, videoR5: 80 },
    });
  });

  it("format with one decimal, a dash when not measured", () => {
    expect(formatMetric(45.25)).toBe("45.3%");
    expect(formatMetric(0)).toBe("0.0%");
    expect(formatMetric(null)).toBe("—");
    expect(formatMetric(Number.NaN)).toBe("—");
  });

  it("differ in points, signed with a real minus, in words for screen readers", () => {
    expect(metricDelta(45.25, 42.5)).toBe(2.8);
    expect(metricDelta(40, 42.5)).toBe(-2.5);
    expect(metricDelta(40.01, 40.02)).toBe(0);
    expect(metricDelta(null, 40)).toBeNull();
    expect(formatDelta(2.8)).toBe("+2.8");
    expect(formatDelta(-2.5)).toBe("−2.5");
    expect(formatDelta(0)).toBe("±0.0");
    expect(formatDelta(null)).toBe("");
    expect(deltaTone(2.8)).toBe("better");
    expect(deltaTone(-0.1)).toBe("worse");
    expect(deltaTone(0)).toBe("same");
    expect(deltaTone(null)).toBe("same");
    expect(deltaWords(2.8, 1, 42.5)).toBe("2.8 points more than version 1 (42.5%)");
    expect(deltaWords(-2.5, 1, 42.5)).toBe("2.5 points less than version 1 (42.5%)");
    expect(deltaWords(0, 1, 42.5)).toBe("the same as version 1 (42.5%)");
    expect(deltaWords(null, 1, null)).toBe("version 1: —");
  });

  it("are compared with the version measured in the same evaluation, else with the active version's own", () => {
    const active = version({ version: 1, status: "active", metrics: { annotated: scores(50, 40, 20, 35) } });
    const sameRun = version({
      version: 3,
      metrics: {
        annotated: scores(55, 45, 25, 40),
        heldOut: scores(70, 60, 30, 50),
        baseline: { version: 2, annotated: scores(52, 41, 21, 36), heldOut: scores(65, 55, 28, 47) },
      },
    });
    expect(comparisonFor(sameRun, active)).toEqual({
      version: 2,
      annotated: { n: 10, values: { r1_03: 52, r1_05: 41, r1_07: 21, miou: 36, videoR1: null, videoR5: null } },
      heldOut: { n: 10, values: { r1_03: 65, r1_05: 55, r1_07: 28, miou: 47, videoR1: null, videoR5: null } },
      sameRun: true,
    });
    // once active itself, it keeps showing what it was measured against
    const nowActive = { ...sameRun, status: "active" as const };
    expect(comparisonFor(nowActive, nowActive)?.version).toBe(2);
    // a baseline without its version number is the active one's
    const unnamed = version({
      version: 4,
      metrics: { annotated: scores(1, 1, 1, 1), active: { annotated: scores(2, 2, 2, 2) } },
    });
    expect(comparisonFor(unnamed, active)).toMatchObject({ version: 1, sameRun: true });

    const own = version({ version: 5, metrics: { annotated: scores(55, 45, 25, 40) } });
    expect(comparisonFor(own, active)).toEqual({
      version: 1,
      annotated: { n: 10, values: { r1_03: 50, r1_05: 40, r1_07: 20, miou: 35, videoR1: null, videoR5: null } },
      heldOut: null,
      sameRun: false,
    });
    // nothing to compare with: the active version itself, or an active version never measured
    expect(comparisonFor(active, active)).toBeNull();
    expect(comparisonFor(own, version({ version: 1, status: "active" }))).toBeNull();
    expect(comparisonFor(own, null)).toBeNull();
  });
});

describe("where a version's confidence comes from", () => {
  it("says whether it was fitted on the library, carried over from the parent, or is missing", () => {
    expect(calibrationWords({ annotated: null })).toBeNull();
    expect(
      calibrationWords({ calibration: { source: "library", spans: 42, ece: 0.0312, threshold: 0.3, version: "x" } }),
    ).toBe(
      'Confidence fitted for this version on 42 annotated spans of this library (calibration error 0.031 on them). "No good match" below 30 %.',
    );
    expect(calibrationWords({ calibration: { source: "inherited", spans: 1, minSpans: 30, threshold: 0.25 } })).toBe(
      'Confidence uses the parent version\'s calibration: the library has 1 annotated span; 30 are needed to fit one for this version. Annotate more spans and retrain to refit it. "No good match" below 25 %.',
    );
    expect(calibrationWords({ calibration: { source: "none", reason: "no parent fit" } })).toBe(
      "Confidence is uncalibrated for this version: no parent fit.",
    );
  });
});

describe("the loss curve", () => {
  it("is one series per component, in order of appearance, sorted by step, with its first, latest and lowest loss", () => {
    const series = curveSeries([
      { step: 20, loss: 0.5, model: "relevance", at: null },
      { step: 10, loss: 0.7, model: "relevance", at: null },
      { step: 10, loss: 2.1, model: "cpl", at: null },
      { step: 30, loss: 0.55, model: "relevance", at: null },
      { step: 40, loss: Number.NaN, model: "relevance", at: null },
    ]);
    expect(series.map((s) => s.model)).toEqual(["relevance", "cpl"]);
    expect(series[0]).toMatchObject({
      label: "Relevance scorer",
      points: [
        { step: 10, loss: 0.7 },
        { step: 20, loss: 0.5 },
        { step: 30, loss: 0.55 },
      ],
      first: 0.7,
      latest: 0.55,
      lowest: 0.5,
    });
    expect(series[1]).toMatchObject({ label: "CPL grounder", first: 2.1, latest: 2.1, lowest: 2.1 });
    expect(curveSeries([])).toEqual([]);
  });

  it("shows losses with three significant digits", () => {
    expect(formatLoss(0.012345)).toBe("0.0123");
    expect(formatLoss(1.23456)).toBe("1.23");
    expect(formatLoss(12.3456)).toBe("12.3");
    expect(formatLoss(12345.6)).toBe("12346");
    expect(formatLoss(0)).toBe("0");
  });
});

describe("a version's training data", () => {
  it("lists counts with nested ones under their parent's name", () => {
    expect(
      dataRows({
        videos: 12,
        sentences: { descriptions: 30, subtitles: 1200 },
        heldOut: 123,
        sources: ["descriptions", "subtitles"],
        note: "",
        points: [{ a: 1 }],
      }),
    ).toEqual([
      ["Videos", "12"],
      ["Sentences · typed descriptions", "30"],
      ["Sentences · subtitles", "1,200"],
      ["Held out for evaluation", "123"],
      ["Sources", "descriptions, subtitles"],
      ["Points", "1 item"],
    ]);
    expect(dataRows({ trainVideos: 3 })).toEqual([["Train videos", "3"]]);
    // what the trainer stores: counts by source, resumes after a crash
    expect(
      dataRows({
        bySource: [
          { source: "descriptions", videos: 2, sentences: 4 },
          { source: "subtitles", videos: 1, sentences: 1200 },
        ],
        resumes: [{ model: "cpl", step: 30 }],
        annotatedSpans: 0,
      }),
    ).toEqual([
      ["Sentences by source · typed descriptions", "2 videos, 4 sentences"],
      ["Sentences by source · subtitles", "1 video, 1,200 sentences"],
      ["Resumed after a stop · CPL grounder", "step 30"],
      ["Annotated spans to evaluate on", "0"],
    ]);
  });
});

describe("the model version other answers name", () => {
  it("on a video: a number (the older model name string is not one)", () => {
    expect(videoModelVersion({ clipsModelVersion: 2, modelVersion: "locvtp-shapes2320v-s1" })).toBe(2);
    expect(videoModelVersion({ clipsModelVersion: null, modelVersion: "locvtp-shapes2320v-s1" })).toBeNull();
    expect(videoModelVersion({ modelVersion: 3 })).toBe(3);
    expect(videoModelVersion({ modelVersion: "3" })).toBe(3);
    expect(videoModelVersion({ modelVersion: "locvtp-shapes2320v-s1" })).toBeNull();
    expect(videoModelVersion({ modelVersion: null })).toBeNull();
    expect(videoModelVersion(null)).toBeNull();
  });

  it("in a search response's models", () => {
    expect(searchModelVersion({ models: { textEncoder: "x", version: 2 } })).toBe(2);
    expect(searchModelVersion({ models: { textEncoder: "x" } })).toBeNull();
    expect(searchModelVersion({})).toBeNull();
  });

  it("in /api/health's models, with the switch in progress", () => {
    expect(healthModelState({ version: 2, pending: { version: 3, progress: 0.5, done: 5, total: 10 } })).toEqual({
      version: 2,
      pending: { version: 3, progress: 0.5, done: 5, total: 10 },
    });
    expect(healthModelState({ version: { version: 2 }, pending: 3 })).toEqual({
      version: 2,
      pending: { version: 3, progress: 0, done: 0, total: 0 },
    });
    expect(healthModelState({ clipEncoder: { version: "locvtp-x" } })).toEqual({ version: null, pending: null });
    expect(healthModelState(undefined)).toEqual({ version: null, pending: null });
  });
});

describe("the API's answers", () => {
  it("GET /api/models: versions newest first, the active and pending ones, what cannot be read left out", () => {
    const o = toOverview({
      active: { version: 2 },
      pending: { version: 3, progress: 0.25, done: 1, total: 4 },
      versions: [
        { version: 1, status: "ready", models: [], recipe: "shipped", metrics: null },
        { version: 3, status: "ready", models: ["cpl"], recipe: "quick", progress: 1 },
        { version: 2, status: "active", models: ["relevance"], recipe: "library", etaSeconds: 5 },
        { status: "ready" },
      ],
    });
    expect(o.active).toEqual({ version: 2 });
    expect(o.pending).toEqual({ version: 3, progress: 0.25, done: 1, total: 4 });
    expect(o.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(o.versions[1]).toMatchObject({ status: "active", models: ["relevance"], etaSeconds: 5, error: null });
    expect(o.recipes).toBeNull();
    expect(
      toOverview({
        versions: [{ version: 1, status: "active" }],
        recipes: ["quick", { name: "x", description: "an experiment" }, 3],
      }),
    ).toMatchObject({
      active: { version: 1 },
      pending: null,
      recipes: [
        { name: "quick", description: null },
        { name: "x", description: "an experiment" },
      ],
    });
    // a ready version carries the gate's verdict
    const gated = toOverview({
      versions: [{ version: 2, status: "ready", gate: { pass: false, reason: "worse", basis: "annotated" } }],
    });
    expect(gated.versions[0].gate).toEqual({ pass: false, reason: "worse" });
  });

  it("GET /api/models/:version: wrapped or not, with its curve and data", () => {
    const raw = {
      version: 4,
      status: "training",
      phase: "training",
      progress: 0.4,
      curve: [{ step: 1, loss: 0.9, model: "cpl", at: "2025-03-04T10:00:00Z" }, { step: "x" }],
      data: { videos: 3 },
      seed: 7,
    };
    const d = toVersionDetail({ version: raw });
    expect(d).toMatchObject({ version: 4, status: "training", progress: 0.4, data: { videos: 3 }, seed: 7 });
    expect(d?.curve).toEqual([{ step: 1, loss: 0.9, model: "cpl", at: "2025-03-04T10:00:00Z" }]);
    expect(toVersionDetail(raw)?.version).toBe(4);
    expect(toVersionDetail({ error: { message: "x" } })).toBeNull();
  });
});
