import { describe, expect, it } from "vitest";
import { summarizeHealth } from "@/lib/health-summary";
import type { healthDetails } from "@/lib/health";

type Report = Awaited<ReturnType<typeof healthDetails>>;

const healthy: Report = {
  status: "ok",
  disk: [{ dir: "/data/media", freeBytes: 10e9, low: false }],
  database: { mode: "embedded", serverVersion: "17", pgvector: "0.8.0", schemaVersion: 9 },
  ffmpeg: { source: "@ffmpeg-installer", path: "/x/ffmpeg", version: "6" },
  tfjs: { backend: "tensorflow", candidate: "tfjs-node-gpu", why: "first candidate", tried: [] },
  models: {
    version: 1,
    pending: null,
    clipEncoder: { version: "locvtp-x-shapes-s1", label: "LocVTP", dim: 256, spec: {} as never },
    grounder: { version: "cpl-x", label: "CPL", defaultMethod: "relevance" },
  },
  queue: { name: "ingest-video", jobs: {} },
} as unknown as Report;

describe("the health page's summary", () => {
  it("is green when everything works", () => {
    expect(summarizeHealth(healthy)).toEqual({
      level: "ok",
      headline: "Everything works: search, uploads and processing.",
      notes: [],
    });
  });

  it("names a model version being prepared as information", () => {
    const s = summarizeHealth({
      ...healthy,
      models: { ...healthy.models, version: 2, pending: { version: 3, progress: 0.25, done: 1, total: 4 } },
    } as Report);
    expect(s.level).toBe("ok");
    expect(s.notes).toEqual([
      {
        level: "ok",
        text: "Model version 3 is being prepared (1 of 4 videos re-embedded); searches use version 2 until every video is done.",
      },
    ]);
  });

  it("states a missing GPU as information, not a fault", () => {
    const s = summarizeHealth({
      ...healthy,
      tfjs: { backend: "wasm", candidate: "wasm", why: "", tried: [] },
    } as Report);
    expect(s.level).toBe("ok");
    expect(s.notes).toEqual([
      {
        level: "ok",
        text: expect.stringMatching(
          /GPU acceleration is not available on this machine; the models run on the CPU \(WebAssembly\)/,
        ),
      },
    ]);
  });

  it("does not call tfjs-node (TensorFlow on the CPU) a GPU", () => {
    const s = summarizeHealth({
      ...healthy,
      tfjs: { backend: "tensorflow", candidate: "tfjs-node", why: "", tried: [] },
    } as Report);
    expect(s.notes.map((n) => n.text)).toEqual([
      expect.stringMatching(/GPU acceleration is not available .* on the CPU \(native TensorFlow\)/),
    ]);
  });

  it("is amber for a full disk or failed jobs, red when the database is gone, worst first", () => {
    const amber = summarizeHealth({
      ...healthy,
      disk: [{ dir: "/d", freeBytes: 1, low: true }],
      queue: { name: "q", jobs: { failed: 2 } },
    } as Report);
    expect(amber.level).toBe("warning");
    expect(amber.headline).toMatch(/Search works/);
    expect(amber.notes.map((n) => n.text)).toEqual([
      expect.stringMatching(/nearly full/),
      expect.stringMatching(/2 processing jobs failed/),
    ]);
    const red = summarizeHealth({
      ...healthy,
      status: "unavailable",
      disk: [{ dir: "/d", freeBytes: 1, low: true }],
    } as Report);
    expect(red.level).toBe("error");
    expect(red.notes[0]).toEqual({ level: "error", text: expect.stringMatching(/database does not answer/) });
  });
});
