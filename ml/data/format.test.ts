import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DatasetFormatError,
  isTimed,
  parseAnnotations,
  readAnnotationsFile,
  readDataset,
  validateAnnotations,
  writeDataset,
} from "./format";

const good = {
  name: "demo",
  videos: [{ id: "v001", file: "videos/v001.mp4", duration: 31.5, captions: ["a red circle appears"] }, { id: "v002" }],
  queries: [
    { video: "v001", query: "the red circle moves to the left", start: 4, end: 9.5 },
    { video: "v002", query: "  weak caption without a span " },
  ],
};

function issuesOf(json: unknown): string[] {
  try {
    parseAnnotations(json);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetFormatError);
    return (err as DatasetFormatError).issues;
  }
  throw new Error("expected a DatasetFormatError");
}

describe("parseAnnotations", () => {
  it("accepts the datasets.md example and fills defaults", () => {
    const ds = parseAnnotations(good);
    expect(ds.name).toBe("demo");
    expect(ds.videos[1]).toEqual({ id: "v002", file: "videos/v002.mp4" });
    expect(ds.queries[1]).toEqual({ video: "v002", query: "weak caption without a span" });
    expect(ds.queries.filter(isTimed)).toHaveLength(1);
  });

  it("names the offending entry for each problem", () => {
    expect(issuesOf({ queries: [] })).toEqual([expect.stringMatching(/^videos: /)]);
    expect(issuesOf("nope")[0]).toMatch(/^\(root\)/);
    const issues = issuesOf({
      videos: [{ id: "a" }, { id: "a" }, { id: 3 }],
      queries: [
        { video: "zzz", query: "x", start: 1, end: 2 },
        { video: "a", query: "x", start: 5, end: 2 },
        { video: "a", query: "x", start: 1 },
        { video: "a", query: "", start: 1, end: 2 },
        { video: "a", query: "x", start: -1, end: 2 },
      ],
    });
    const joined = issues.join("\n");
    expect(joined).toContain("videos[2].id");
    expect(joined).toContain("queries[3].query");
    expect(joined).toContain("queries[4].start");
    // cross-field checks run once the shape is valid
    const cross = issuesOf({
      videos: [{ id: "a" }, { id: "a" }],
      queries: [
        { video: "zzz", query: "x", start: 1, end: 2 },
        { video: "a", query: "x", start: 5, end: 2 },
        { video: "a", query: "x", start: 1 },
      ],
    }).join("\n");
    expect(cross).toContain('videos[1].id: duplicate video id "a"');
    expect(cross).toContain('queries[0].video: unknown video id "zzz"');
    expect(cross).toContain("queries[1].end: end (2) must be after start (5)");
    expect(cross).toContain("queries[2].end: start and end must be given together");
  });

  it("validateAnnotations reports instead of throwing", () => {
    expect(validateAnnotations(good).ok).toBe(true);
    const bad = validateAnnotations({ videos: [], queries: [{ video: "x", query: "q" }] });
    expect(bad).toEqual({ ok: false, issues: ['queries[0].video: unknown video id "x"'] });
  });
});

describe("reading and writing a dataset folder", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fmt-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips through writeDataset / readDataset", async () => {
    const ds = path.join(dir, "ds");
    await writeDataset(ds, parseAnnotations(good));
    const loaded = await readDataset(ds);
    expect(loaded.dataset).toEqual(parseAnnotations(good));
    expect(loaded.videoPath("v001")).toBe(path.join(ds, "videos/v001.mp4"));
    await expect(readDataset(ds, { checkFiles: true })).rejects.toThrow(/file not found: videos\/v001\.mp4/);
    mkdirSync(path.join(ds, "videos"));
    writeFileSync(path.join(ds, "videos/v001.mp4"), "");
    writeFileSync(path.join(ds, "videos/v002.mp4"), "");
    await expect(readDataset(ds, { checkFiles: true })).resolves.toBeTruthy();
  });

  it("refuses to write an invalid dataset", async () => {
    await expect(
      writeDataset(path.join(dir, "bad"), { videos: [], queries: [{ video: "x", query: "q" }] }),
    ).rejects.toThrow(DatasetFormatError);
  });

  it("reports unreadable and non-JSON files with their path", async () => {
    const f = path.join(dir, "broken.json");
    writeFileSync(f, "{ videos: ");
    await expect(readAnnotationsFile(f)).rejects.toThrow(/broken\.json[\s\S]*not valid JSON/);
    await expect(readAnnotationsFile(path.join(dir, "missing.json"))).rejects.toThrow(/cannot read file/);
  });
});
