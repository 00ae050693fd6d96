/**
 * Every setting the product reads from the environment, in one place (the README's
 * configuration table mirrors this file).
 */
import os from "node:os";
import path from "node:path";
import { CLIP_SPEC } from "@/ml/config";

/** Seconds of video in one indexed clip (the clip encoder's frames per clip at its rate). */
export const CLIP_SECONDS = CLIP_SPEC.framesPerClip / CLIP_SPEC.fps;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return Math.floor(n);
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  return !["0", "false", "no", "off"].includes(raw.toLowerCase());
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
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"];

function allowedHosts(env: NodeJS.ProcessEnv): string[] | null {
  const raw = env.ALLOWED_HOSTS?.trim();
  if (raw === "*") return null;
  if (raw) return raw.split(",").map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean);
  const host = env.HOST || "127.0.0.1";
  return LOOPBACK_HOSTS.includes(host) || host === "[::1]" ? LOOPBACK_HOSTS : null;
}

export function loadConfig(env = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  const external = env.DATABASE_URL || null;
  const embedded = env.EMBEDDED_DATABASE_URL || null;
  return {
    dataDir,
    mediaDir: path.join(dataDir, "media"),
    tmpDir: path.join(dataDir, "tmp"),
    databaseUrl: external ?? embedded,
    databaseMode: external ? "postgres" : "embedded",
    port: int(env, "PORT", 3000),
    host: env.HOST || "127.0.0.1",
    allowedHosts: allowedHosts(env),
    trustProxy: bool(env, "TRUST_PROXY", false),
    maxUploadBytes: int(env, "MAX_UPLOAD_BYTES", 2 * 1024 ** 3),
    maxVideoSeconds: int(env, "MAX_VIDEO_SECONDS", 6 * 3600),
    // default: as many clips as the longest allowed video makes
    maxClipsPerVideo: int(env, "MAX_CLIPS_PER_VIDEO", Math.ceil(int(env, "MAX_VIDEO_SECONDS", 6 * 3600) / CLIP_SECONDS)),
    maxFramePixels: int(env, "MAX_FRAME_PIXELS", 7680 * 4320),
    jobRetryLimit: int(env, "JOB_RETRY_LIMIT", 2),
    jobTimeoutSeconds: int(env, "JOB_TIMEOUT_SECONDS", 1800),
    workerLeaseSeconds: Math.max(1, int(env, "WORKER_LEASE_SECONDS", 30)),
    workerConcurrency: Math.max(1, int(env, "WORKER_CONCURRENCY", 1)),
    workers: int(env, "WORKERS", 1),
    seedDemo: bool(env, "SEED_DEMO", true),
    demoVideos: int(env, "DEMO_VIDEOS", 4),
    ocr: bool(env, "OCR", true),
    ocrLangs: (env.OCR_LANGS || "eng").split(/[,+\s]+/).map((l) => l.trim()).filter(Boolean),
    // half the cores: OCR shares the machine with decoding and embedding
    ocrWorkers: Math.max(1, int(env, "OCR_WORKERS", Math.floor(os.availableParallelism() / 2))),
  };
}
