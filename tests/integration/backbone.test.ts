/**
 * Training on a user's own frame backbone (LOCVTP_BACKBONE_DIR): a small tfjs model the test
 * makes and saves as model.json + weights.bin is the configured backbone; two short generated
 * videos are ingested (with the active, shipped version: the built-in low-level stage) and
 * described; an admin retrains LocVTP and CPL through POST /api/models/train and the worker's
 * `train-model` job. The features the run trained on are the backbone's (their width, their
 * recorded featurizer), the new version's folder and row name the backbone, the relevance
 * scorer and a run without LocVTP are refused (422), and activation refuses a version trained on
 * another featurizer than the configured one (409), force or not; on its own backbone the
 * version is activated and the library re-embedded with it.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as activateRoute } from "@/app/api/models/[version]/activate/route";
import { GET as versionRoute } from "@/app/api/models/[version]/route";
import { POST as trainRoute } from "@/app/api/models/train/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { addDescriptions } from "@/db/repositories/descriptions";
import * as modelVersions from "@/db/repositories/model-versions";
import { loadConfig } from "@/lib/config";
import { modelsOf } from "@/lib/models";
import type { ModelVersionDetailDto } from "@/lib/models/registry";
import { featuresDir } from "@/lib/training/features";
import { ParamStore } from "@/ml/core/params";
import { LOWLEVEL_FEATURIZER, backboneId } from "@/ml/features/featurizer";
import { FRAME_FEATURE_DIM } from "@/ml/features/lowlevel";
import type { LocVtpConfig } from "@/ml/locvtp/config";
import { makeTestBackbone } from "../helpers/backbone";
import { createTestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { makeTestVideo } from "../helpers/media";

const B = "http://test";
const DIM = 12;
let h: Harness;
let backboneA: string;
let backboneB: string;
let tmp: string;
const ids: string[] = [];

const CAPTIONS: Record<string, string[]> = {
  "pattern.mp4": ["a test pattern with a moving gradient", "coloured squares slide across", "a counter ticks"],
  "zoom.mp4": ["a fractal zooms in", "swirling shapes grow", "the spiral gets bigger"],
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "momentsearch-backbone-"));
  backboneA = await makeTestBackbone(path.join(tmp, "a"), { dim: DIM, seed: 1 });
  backboneB = await makeTestBackbone(path.join(tmp, "b"), { dim: DIM, seed: 2 });
  const ml = { ...loadConfig({ DATA_DIR: tmp } as unknown as NodeJS.ProcessEnv).ml, backboneDir: backboneA };
  h = await startHarness({ ml });
  const annotator = await createTestAccount(h.ctx, "annotator", "describer");
  for (const [name, source] of [
    ["pattern.mp4", "testsrc2"],
    ["zoom.mp4", "mandelbrot"],
  ]) {
    const file = await makeTestVideo(path.join(h.dataDir, "fixtures", name), { seconds: 3, source });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFileSync(file))]), name);
    const res = await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }));
    ids.push(((await res.json()) as { id: string }).id);
  }
  const get = async (id: string) =>
    (
      (await (await getRoute(h.request(`${B}/api/videos/${id}`), { params: Promise.resolve({ id }) })).json()) as {
        video: { status: string };
      }
    ).video;
  for (const id of ids) expect((await waitForStatus(get, id, ["ready", "failed"])).status).toBe("ready");
  for (const [i, sentences] of Object.values(CAPTIONS).entries())
    await addDescriptions(h.ctx.db, ids[i], sentences, annotator.id);
});

afterAll(async () => {
  await h?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const post = (url: string, body: unknown) =>
  h.request(`${B}${url}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

async function train(body: unknown): Promise<{ status: number; body: any }> {
  const res = await trainRoute(post("/api/models/train", body));
  return { status: res.status, body: await res.json() };
}

async function activate(version: number, body: unknown = {}): Promise<{ status: number; body: any }> {
  const res = await activateRoute(post(`/api/models/${version}/activate`, body), {
    params: Promise.resolve({ version: String(version) }),
  });
  return { status: res.status, body: await res.json() };
}

async function detail(version: number): Promise<ModelVersionDetailDto> {
  const res = await versionRoute(h.request(`${B}/api/models/${version}`), {
    params: Promise.resolve({ version: String(version) }),
  });
  return ((await res.json()) as { version: ModelVersionDetailDto }).version;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 240_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const SOURCES = ["descriptions"];

describe(`training on a configured frame backbone (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("refuses what cannot learn from the backbone's features: the relevance scorer, and models on a low-level LocVTP", async () => {
    const rel = await train({ models: ["relevance", "cpl"], recipe: "tiny", sources: SOURCES });
    expect(rel.status).toBe(422);
    expect(rel.body.error.code).toBe("relevance_needs_lowlevel");
    const cpl = await train({ models: ["cpl"], recipe: "tiny", sources: SOURCES });
    expect(cpl.status).toBe(422);
    expect(cpl.body.error).toMatchObject({ code: "featurizer_mismatch" });
    expect(cpl.body.error.message).toMatch(/retrain LocVTP/);
    expect(await modelVersions.versionsInProgress(h.ctx.db)).toEqual([]);
  });

  it("retrains LocVTP and CPL on the backbone's features; the version records the backbone", async () => {
    const started = await train({ models: ["locvtp", "cpl"], recipe: "tiny", sources: SOURCES });
    expect(started.status).toBe(202);
    const version = started.body.job.version as number;
    const v = await until("the run to finish", async () => {
      const d = await detail(version);
      return ["training", "evaluating"].includes(d.status) ? null : d;
    });
    expect(v.error).toBeNull();
    expect(v.status).toBe("ready");
    expect(v.models).toEqual(["locvtp", "cpl"]);
    const id = backboneId(backboneA);
    expect(v.data).toMatchObject({ featurizer: { id, dim: DIM, backboneDir: backboneA } });
    const steps = (m: string) => v.curve.filter((p) => p.model === m).map((p) => p.step);
    expect(steps("locvtp")).toEqual([1, 2, 3]);
    expect(steps("cpl")).toEqual([1, 2, 3]);

    // the features the trainer read: the backbone's, DIM values per frame, recorded as its; the
    // active version was measured beside it on its own featurizer's (the built-in stage's), cached apart
    for (const video of ids) {
      const dir = featuresDir(h.ctx.config, video);
      const cached = readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => ({
          f,
          meta: JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { nClips: number; featurizer: string },
        }));
      expect(cached.map((c) => c.meta.featurizer).sort()).toEqual([id, LOWLEVEL_FEATURIZER].sort());
      const width = (c: (typeof cached)[number]) =>
        readFileSync(path.join(dir, c.f.replace(/\.json$/, ".f32"))).byteLength / 4 / (c.meta.nClips * 4);
      expect(width(cached.find((c) => c.meta.featurizer === id)!)).toBe(DIM);
      expect(width(cached.find((c) => c.meta.featurizer === LOWLEVEL_FEATURIZER)!)).toBe(FRAME_FEATURE_DIM);
    }

    // the version's clip encoder is a head over that backbone
    const loc = ParamStore.readManifest<LocVtpConfig>(path.join(h.dataDir, "models", String(version), "locvtp"));
    expect(loc.config.clip).toMatchObject({ kind: "backbone", frameDim: DIM, backboneId: id });
    expect(loc.version).toContain(id);
    expect((v.metrics as Record<string, any>).baseline).toMatchObject({ version: 1 });
  });

  it("activation refuses a version trained on another featurizer than the configured one, force or not", async () => {
    const version = 2;
    // another backbone configured (a different model in its folder): version 2's features are not its
    const ml = h.ctx.config.ml;
    (h.ctx.config as { ml: typeof ml }).ml = { ...ml, backboneDir: backboneB };
    try {
      const refused = await activate(version, { force: true });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("backbone_mismatch");
      expect(refused.body.error.message).toContain(backboneId(backboneA));
    } finally {
      (h.ctx.config as { ml: typeof ml }).ml = ml;
    }
    // on its own backbone it is activated (the gate had nothing to compare: forced) and the library re-embedded
    const ok = await activate(version, { force: true });
    expect(ok.status).toBe(202);
    await until("the switch", async () => (await modelVersions.getState(h.ctx.db)).active === version || null);
    const rows = await h.ctx.db.query<{ model_version: number }>("SELECT DISTINCT model_version FROM clips");
    expect(rows.rows.map((r) => r.model_version)).toEqual([version]);
    // the shipped version reads the built-in low-level stage: not while a backbone is configured
    const rollback = await activate(1, { force: true });
    expect(rollback.status).toBe(409);
    expect(rollback.body.error.code).toBe("backbone_mismatch");
  });

  it("loads a version's models again when the backbone's files are replaced in the same folder", async () => {
    const dir = path.join(tmp, "swapped");
    await makeTestBackbone(dir, { dim: DIM, seed: 1 });
    const config = { ...h.ctx.config, ml: { ...h.ctx.config.ml, backboneDir: dir } };
    const before = backboneId(dir);
    const first = modelsOf(config, 1);
    expect(modelsOf(config, 1)).toBe(first);
    // another model written over the same folder: another identity, so nothing loaded for the old one is reused
    await makeTestBackbone(dir, { dim: DIM, seed: 2 });
    expect(backboneId(dir)).not.toBe(before);
    const second = modelsOf(config, 1);
    expect(second).not.toBe(first);
    expect(modelsOf(config, 1)).toBe(second);
  });
});
