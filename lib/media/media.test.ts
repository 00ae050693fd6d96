import { describe, expect, it } from "vitest";
import { spriteLayout } from "@/lib/ingest/pipeline";
import { explainProbeError, lastLines } from "@/lib/media/ffmpeg";
import { loadConfig } from "@/lib/config";

describe("ffmpeg messages", () => {
  it("turns a missing moov atom into a sentence about a cut-short file", () => {
    expect(
      explainProbeError("[mov,mp4 @ 0x55] moov atom not found\n/tmp/a.part: Invalid data found when processing input"),
    ).toMatch(/incomplete.*cut short/);
  });
  it("says when the bytes are no media format at all", () => {
    expect(explainProbeError("/tmp/a.part: Invalid data found when processing input")).toMatch(/does not recognise/);
  });
  it("strips demuxer addresses and file paths, and repeated lines", () => {
    const s =
      "[h264 @ 0x1f] error while decoding MB 3 4\n[h264 @ 0x2f] error while decoding MB 3 4\n/data/x.mp4: partial file\n";
    expect(lastLines(s, 2, "/data/x.mp4")).toBe("error while decoding MB 3 4; partial file");
  });
});

describe("spriteLayout", () => {
  it("uses one tile per 2 s within 10..100 tiles, 10 per row", () => {
    expect(spriteLayout(30)).toMatchObject({ count: 15, columns: 10, rows: 2, interval: 2 });
    expect(spriteLayout(4)).toMatchObject({ count: 10, columns: 10, rows: 1, interval: 0.4 });
    expect(spriteLayout(3600)).toMatchObject({ count: 100, rows: 10, interval: 36 });
  });
});

describe("config", () => {
  it("defaults to the embedded database and a 2 GiB upload limit", () => {
    const c = loadConfig({} as unknown as NodeJS.ProcessEnv);
    expect(c.databaseMode).toBe("embedded");
    expect(c.maxUploadBytes).toBe(2 * 1024 ** 3);
  });
  it("uses DATABASE_URL as a real server and rejects nonsense numbers with the variable's name", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://x/y" } as unknown as NodeJS.ProcessEnv).databaseMode).toBe(
      "postgres",
    );
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: "lots" } as unknown as NodeJS.ProcessEnv)).toThrow(/MAX_UPLOAD_BYTES/);
  });
});
