/** The browser's text helpers (issue 21): highlighting, pairing subtitles with videos, the transcript's active lines. */
import { describe, expect, it } from "vitest";
import { escapeRegExp, includesIgnoringCase, splitMatches, substringPattern, wordsPattern } from "@/app/_lib/highlight";
import { bestFit, isSubtitleFile, subtitleFit } from "@/app/_lib/subtitles";
import { activeCueIndices } from "@/app/_lib/transcript";
import { cuesVersion } from "@/app/_lib/useCues";

const marked = (text: string, re: RegExp | null) =>
  splitMatches(text, re)
    .filter((s) => s.match)
    .map((s) => s.text);

describe("highlighting the query's words", () => {
  it("marks words at a word's start, ignoring case", () => {
    expect(marked("A green giraffe Sings opera, rising", wordsPattern("GREEN sing"))).toEqual(["green", "Sing"]);
  });

  it("marks one- and two-letter words only as whole words", () => {
    expect(marked("a cat at an atlas", wordsPattern("a at"))).toEqual(["a", "at"]);
  });

  it("treats regex specials in the query as plain text", () => {
    expect(() => wordsPattern("(a+b)* [c] \\ $5.00 ^x? {1}|")).not.toThrow();
    expect(marked("price is $5.00 (USD)", wordsPattern("$5.00 (usd)"))).toEqual(["5", "00", "USD"]);
    expect(marked("x.*y and xay", substringPattern(".*"))).toEqual([".*"]);
    expect(new RegExp(escapeRegExp("a/b-c(d)"), "u").test("a/b-c(d)")).toBe(true);
  });

  it("keeps the text whole: the pieces join back to it", () => {
    const text = "Ünïcode and straße, ÜNÏCODE again";
    const pieces = splitMatches(text, wordsPattern("ünïcode"));
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    expect(pieces.filter((p) => p.match)).toHaveLength(2);
    expect(splitMatches(text, wordsPattern("  "))).toEqual([{ text, match: false }]);
  });

  it("filters by a case-insensitive substring", () => {
    expect(includesIgnoringCase("Marmalade simmers", "MARMA")).toBe(true);
    expect(includesIgnoringCase("Marmalade simmers", "jam")).toBe(false);
    expect(includesIgnoringCase("anything", "  ")).toBe(true);
  });
});

describe("subtitle files beside videos", () => {
  it("knows subtitle files by their extension", () => {
    expect(isSubtitleFile("talk.SRT")).toBe(true);
    expect(isSubtitleFile("talk.vtt")).toBe(true);
    expect(isSubtitleFile("talk.mp4")).toBe(false);
    expect(isSubtitleFile("srt")).toBe(false);
  });

  it("pairs talk.srt and talk.en.srt with talk.mp4, nothing else", () => {
    expect(subtitleFit("talk.srt", "talk.mp4")).toBe(2);
    expect(subtitleFit("Talk.vtt", "talk.MKV")).toBe(2);
    expect(subtitleFit("talk.en.srt", "talk.mp4")).toBe(1);
    expect(subtitleFit("talk.pt-BR.srt", "talk.mp4")).toBe(1);
    expect(subtitleFit("talk.srt", "talks.mp4")).toBe(0);
    expect(subtitleFit("talk.director.cut.srt", "talk.mp4")).toBe(0);
    expect(subtitleFit("holiday.final.srt", "holiday.final.mov")).toBe(2);
  });

  it("picks the best fit, the first of equals", () => {
    const videos = ["talk.en.mp4", "talk.mp4", "talk.mov"];
    expect(bestFit("talk.srt", videos, (v) => v)).toBe("talk.mp4");
    expect(bestFit("talk.en.srt", videos, (v) => v)).toBe("talk.en.mp4");
    expect(bestFit("other.srt", videos, (v) => v)).toBeNull();
  });
});

describe("the transcript", () => {
  const cues = [
    { start: 0.5, end: 2, text: "a" },
    { start: 2, end: 3.5, text: "b" },
    { start: 2.5, end: 6, text: "c" },
    { start: 7, end: 8, text: "d" },
  ];

  it("finds the lines showing at a time, several when they overlap", () => {
    expect(activeCueIndices(cues, 0)).toEqual([]);
    expect(activeCueIndices(cues, 0.5)).toEqual([0]);
    expect(activeCueIndices(cues, 2)).toEqual([1]);
    expect(activeCueIndices(cues, 3)).toEqual([1, 2]);
    expect(activeCueIndices(cues, 6.5)).toEqual([]);
    expect(activeCueIndices(cues, 9)).toEqual([]);
  });

  it("versions a list by its content", () => {
    expect(cuesVersion(cues.map((c) => ({ ...c, source: "sidecar" as const })))).toBe(
      cuesVersion(cues.map((c) => ({ ...c, source: "sidecar" as const }))),
    );
    expect(cuesVersion([{ start: 1, end: 2, text: "x", source: "ocr" }])).not.toBe(
      cuesVersion([{ start: 1, end: 2, text: "y", source: "ocr" }]),
    );
    expect(cuesVersion([])).toBe("0-" + (5381).toString(36));
  });
});
