import { describe, expect, it } from "vitest";
import { contentType, parseRange } from "@/lib/http/files";
import { overallStatus, type FileOutcome } from "@/lib/videos/multipart";
import { formatBytes, sanitizeName } from "@/lib/videos/service";

describe("parseRange", () => {
  it("reads explicit, open-ended and suffix ranges", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=990-2000", 1000)).toEqual({ start: 990, end: 999 });
  });
  it("no header means the whole file; unsatisfiable or malformed ranges are invalid", () => {
    expect(parseRange(null, 1000)).toBeNull();
    expect(parseRange("bytes=1000-", 1000)).toBe("invalid");
    expect(parseRange("bytes=5-1", 1000)).toBe("invalid");
    expect(parseRange("items=0-1", 1000)).toBe("invalid");
    expect(parseRange("bytes=-0", 1000)).toBe("invalid");
  });
});

describe("overallStatus", () => {
  const r = (status: number): FileOutcome => ({ name: "f", status });
  it("is the file's own status for one file", () => {
    expect(overallStatus([r(415)])).toBe(415);
    expect(overallStatus([r(200)])).toBe(200);
  });
  it("is 201 when all succeeded and something was added, 207 when mixed", () => {
    expect(overallStatus([r(201), r(200)])).toBe(201);
    expect(overallStatus([r(200), r(200)])).toBe(200);
    expect(overallStatus([r(201), r(415)])).toBe(207);
    expect(overallStatus([r(415), r(415)])).toBe(415);
    expect(overallStatus([r(415), r(413)])).toBe(207);
  });
});

describe("names and sizes", () => {
  it("keeps a readable base name and drops paths and control characters", () => {
    expect(sanitizeName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeName("C:\\Users\\me\\holiday.mp4")).toBe("holiday.mp4");
    expect(sanitizeName("a\u0000b\n.mp4")).toBe("ab.mp4");
    expect(sanitizeName("   ")).toBe("video");
  });
  it("formats byte counts in binary units", () => {
    expect(formatBytes(2 * 1024 ** 3)).toBe("2 GiB");
    expect(formatBytes(100_000)).toBe("97.7 KiB");
    expect(formatBytes(12)).toBe("12 B");
  });
  it("maps stored file extensions to content types", () => {
    expect(contentType("/x/original.mp4")).toBe("video/mp4");
    expect(contentType("/x/poster.jpg")).toBe("image/jpeg");
    expect(contentType("/x/original.bin")).toBe("application/octet-stream");
  });
});
