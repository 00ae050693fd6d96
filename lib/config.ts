/**
 * Every setting the product reads from the environment, in one place, validated with zod (the
 * README's configuration table mirrors this file). Nothing else reads process.env for a
 * setting: the values are passed down (ml/ gets its models folder, backbone, TensorFlow.js
 * backend and decoding concurrency from here, ffmpeg its binaries). Variables read by the test
 * and development tooling only (TEST_DATABASE_URL, PG_BIN, E2E_PORT, CHROMIUM_PATH, CI,
 * SEARCH_DEMO_MIN_*, the launcher's MOMENTS_LAUNCHER_PID) are not settings of the product.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CLIP_SPEC } from "@/ml/config";

/** Seconds of video in one indexed clip (the clip encoder's frames per clip at its rate). */
export const CLIP_SECONDS = CLIP_SPEC.framesPerClip / CLIP_SPEC.fps;

/** An optional variable; empty counts as unset. */
const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v));

/** A non-negative number, floored to an integer; unset → undefined (the caller's default). */
const count = text.transform((raw, ctx) => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: "custom", message: `must be a non-negative number, got "${raw}"` });
    return z.NEVER;
  }
  return Math.floor(n);
});

/** A switch: anything but 0/false/no/off is on; unset → undefined. */
const flag = text.transform((raw) =>
  raw === undefined ? undefined : !["0", "false", "no", "off"].includes(raw.toLowerCase()),
);

/** The environment variables the product reads, and how each is parsed. */
const EnvSchema = z.object({
  DATA_DIR: text,
  DATABASE_URL: text,
  /** set by the launcher for its children: the embedded database it serves */
  EMBEDDED_DATABASE_URL: text,
  PORT: count,
  HOST: text,
  ALLOWED_HOSTS: text,
  TRUST_PROXY: flag,
  MAX_UPLOAD_BYTES: count,
  MAX_VIDEO_SECONDS: count,
  MAX_CLIPS_PER_VIDEO: count,
  MAX_FRAME_PIXELS: count,
  JOB_RETRY_LIMIT: count,
  JOB_TIMEOUT_SECONDS: count,
  WORKER_LEASE_SECONDS: count,
  WORKER_CONCURRENCY: count,
  WORKERS: count,
  SEED_DEMO: flag,
  DEMO_VIDEOS: count,
  OCR: flag,
  OCR_LANGS: text,
  OCR_WORKERS: count,
  ADMIN_EMAIL: text,
  ADMIN_PASSWORD: z.string().optional(),
  ADMIN_NAME: text,
  MODELS_DIR: text,
  LOCVTP_BACKBONE_DIR: text,
  /** a backend (tensorflow, wasm, cpu) or a candidate (tfjs-node-gpu, tfjs-node) to try first */
  TFJS_BACKEND: text,
  ML_QUIET: flag,
  ML_DECODE_CONCURRENCY: count,
  ML_FEATURE_CACHE: text,
  FFMPEG_PATH: text,
  FFPROBE_PATH: text,
});
type Env = z.infer<typeof EnvSchema>;

/** What ml/ is told (it reads no environment itself). */
export interface MlSettings {
  /** where trained weights live: `<modelsDir>/<model>/` */
  modelsDir: string;
  /** a pre-trained frame backbone (tfjs model.json) replacing the fixed low-level stage */
  backboneDir: string | null;
  /** the TensorFlow.js backend tried first, e.g. "wasm" (the others stay fallbacks) */
  tfjsBackend: string | null;
  /** no backend log line */
  quiet: boolean;
  /** videos decoded at once when training or evaluating */
  decodeConcurrency: number;
  /** where training and evaluation cache decoded low-level features */
  featureCacheDir: string;
}

/** Explicit ffmpeg/ffprobe binaries (null: the npm-shipped ones, then PATH). */
export interface FfmpegSettings {
  ffmpegPath: string | null;
  ffprobePath: string | null;
}

/** The unattended first admin (ADMIN_EMAIL + ADMIN_PASSWORD on a library without accounts). */
export interface AdminSettings {
  email: string | null;
  password: string | null;
  name: string | null;
}

export interface Config {
  dataDir: string;
  /** where uploads and their derived files live */
  mediaDir: string;
  /** partial uploads */
  tmpDir: string;
  /** null → embedded PGlite (the launcher serves it and sets EMBEDDED_DATABASE_URL) */
  databaseUrl: string | null;
  databaseMode: "embedded" | "postgres";
  port: number;
  /** address the web server binds to: loopback unless HOST is set */
  host: string;
  /**
   * Host names (no port) requests may be addressed to; null: any. Defaults to the
   * loopback names while the server listens on loopback, so a web page that rebinds its
   * own DNS name to 127.0.0.1 cannot talk to the app (e.g. claim the first-run admin).
   */
  allowedHosts: string[] | null;
  /** behind a reverse proxy: the client's address is the last X-Forwarded-For entry */
  trustProxy: boolean;
  maxUploadBytes: number;
  /** longer videos are refused at upload (and by the worker) before any decoding */
  maxVideoSeconds: number;
  /** videos that would make more clips than this are refused likewise */
  maxClipsPerVideo: number;
  /** frames larger than this (width × height) are refused */
  maxFramePixels: number;
  jobRetryLimit: number;
  /** seconds a job may run before pg-boss considers its worker dead and retries it */
  jobTimeoutSeconds: number;
  /** seconds without a heartbeat after which a worker is considered dead and its jobs retried */
  workerLeaseSeconds: number;
  workerConcurrency: number;
  /** worker processes the launcher starts beside the web server */
  workers: number;
  seedDemo: boolean;
  demoVideos: number;
  /** read on-screen text (OCR) of every video after it is ready */
  ocr: boolean;
  /** tesseract languages, each from its @tesseract.js-data/<lang> package */
  ocrLangs: string[];
  /** tesseract workers per worker process */
  ocrWorkers: number;
  admin: AdminSettings;
  ml: MlSettings;
  ffmpeg: FfmpegSettings;
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"];

function allowedHosts(e: Env): string[] | null {
  const raw = e.ALLOWED_HOSTS?.trim();
  if (raw === "*") return null;
  if (raw)
    return raw
      .split(",")
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ""),
      )
      .filter(Boolean);
  const host = e.HOST || "127.0.0.1";
  return LOOPBACK_HOSTS.includes(host) || host === "[::1]" ? LOOPBACK_HOSTS : null;
}

/** The environment parsed, or an error naming every variable that is wrong and why. */
function parseEnv(env: Record<string, string | undefined>): Env {
  const r = EnvSchema.safeParse(env);
  if (r.success) return r.data;
  throw new Error(r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "));
}

export function adminSettings(env: Record<string, string | undefined>): AdminSettings {
  const e = parseEnv(env);
  return { email: e.ADMIN_EMAIL?.trim() || null, password: e.ADMIN_PASSWORD || null, name: e.ADMIN_NAME ?? null };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = parseEnv(env);
  const dataDir = path.resolve(e.DATA_DIR ?? "./data");
  const maxVideoSeconds = e.MAX_VIDEO_SECONDS ?? 6 * 3600;
  return {
    dataDir,
    mediaDir: path.join(dataDir, "media"),
    tmpDir: path.join(dataDir, "tmp"),
    databaseUrl: e.DATABASE_URL ?? e.EMBEDDED_DATABASE_URL ?? null,
    databaseMode: e.DATABASE_URL ? "postgres" : "embedded",
    port: e.PORT ?? 3000,
    host: e.HOST ?? "127.0.0.1",
    allowedHosts: allowedHosts(e),
    trustProxy: e.TRUST_PROXY ?? false,
    maxUploadBytes: e.MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3,
    maxVideoSeconds,
    // default: as many clips as the longest allowed video makes
    maxClipsPerVideo: e.MAX_CLIPS_PER_VIDEO ?? Math.ceil(maxVideoSeconds / CLIP_SECONDS),
    maxFramePixels: e.MAX_FRAME_PIXELS ?? 7680 * 4320,
    jobRetryLimit: e.JOB_RETRY_LIMIT ?? 2,
    jobTimeoutSeconds: e.JOB_TIMEOUT_SECONDS ?? 1800,
    workerLeaseSeconds: Math.max(1, e.WORKER_LEASE_SECONDS ?? 30),
    workerConcurrency: Math.max(1, e.WORKER_CONCURRENCY ?? 1),
    workers: e.WORKERS ?? 1,
    seedDemo: e.SEED_DEMO ?? true,
    demoVideos: e.DEMO_VIDEOS ?? 4,
    ocr: e.OCR ?? true,
    ocrLangs: (e.OCR_LANGS ?? "eng")
      .split(/[,+\s]+/)
      .map((l) => l.trim())
      .filter(Boolean),
    // half the cores: OCR shares the machine with decoding and embedding
    ocrWorkers: Math.max(1, e.OCR_WORKERS ?? Math.floor(os.availableParallelism() / 2)),
    admin: adminSettings(env),
    ml: {
      modelsDir: path.resolve(e.MODELS_DIR ?? "models"),
      backboneDir: e.LOCVTP_BACKBONE_DIR ? path.resolve(e.LOCVTP_BACKBONE_DIR) : null,
      tfjsBackend: e.TFJS_BACKEND ?? null,
      quiet: e.ML_QUIET ?? false,
      decodeConcurrency: Math.max(1, e.ML_DECODE_CONCURRENCY ?? 2),
      featureCacheDir: path.resolve(e.ML_FEATURE_CACHE ?? "data/cache/lowlevel"),
    },
    ffmpeg: { ffmpegPath: e.FFMPEG_PATH ?? null, ffprobePath: e.FFPROBE_PATH ?? null },
  };
}
