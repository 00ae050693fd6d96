import { describe, expect, it } from "vitest";
import path from "node:path";
import { adminSettings, loadConfig } from "./config";

describe("configuration", () => {
  it("reads the ML, TensorFlow.js and ffmpeg settings, with defaults", () => {
    const d = loadConfig({});
    expect(d.ml).toEqual({
      modelsDir: path.resolve("models"),
      backboneDir: null,
      tfjsBackend: null,
      quiet: false,
      decodeConcurrency: 2,
      featureCacheDir: path.resolve("data/cache/lowlevel"),
    });
    expect(d.ffmpeg).toEqual({ ffmpegPath: null, ffprobePath: null });
    const c = loadConfig({
      MODELS_DIR: "/m",
      LOCVTP_BACKBONE_DIR: "/b",
      TFJS_BACKEND: "wasm",
      ML_QUIET: "1",
      ML_DECODE_CONCURRENCY: "4",
      ML_FEATURE_CACHE: "/c",
      FFMPEG_PATH: "/x/ffmpeg",
      FFPROBE_PATH: "/x/ffprobe",
    });
    expect(c.ml).toEqual({
      modelsDir: "/m",
      backboneDir: "/b",
      tfjsBackend: "wasm",
      quiet: true,
      decodeConcurrency: 4,
      featureCacheDir: "/c",
    });
    expect(c.ffmpeg).toEqual({ ffmpegPath: "/x/ffmpeg", ffprobePath: "/x/ffprobe" });
  });
  it("empty counts as unset; switches read 0/false/no/off as off", () => {
    const c = loadConfig({ PORT: "", SEED_DEMO: "off", TRUST_PROXY: "yes", ML_QUIET: "0" });
    expect([c.port, c.seedDemo, c.trustProxy, c.ml.quiet]).toEqual([3000, false, true, false]);
  });
  it("names every wrong variable at once", () => {
    expect(() => loadConfig({ PORT: "-1", WORKERS: "many" })).toThrow(
      /PORT must be a non-negative number, got "-1"; WORKERS must be a non-negative number, got "many"/,
    );
  });
  it("the unattended admin", () => {
    expect(adminSettings({ ADMIN_EMAIL: " ops@example.com ", ADMIN_PASSWORD: "pw", ADMIN_NAME: "Ops" })).toEqual({
      email: "ops@example.com",
      password: "pw",
      name: "Ops",
    });
    expect(loadConfig({}).admin).toEqual({ email: null, password: null, name: null });
  });
});
