import { describe, expect, it } from "vitest";
import { searchQueryString } from "@/app/_lib/api";
import { formatConfidence, levelOf, matchSource, MATCH_SOURCE_LABELS } from "@/app/_lib/confidence";
import { durationRange, isSearchFiltered, parseSearchQuery, searchHref } from "@/app/_lib/moments";

const parse = (s: string) => parseSearchQuery(new URLSearchParams(s));

describe("the results page's view in the URL", () => {
  it("is just the query by default: every video, any length and source, best first, the threshold applied, page 1", () => {
    const q = parse("q=a+cat");
    expect(q).toEqual({
      q: "a cat",
      video: null,
      page: 1,
      weak: false,
      source: null,
      duration: null,
      sort: "confidence",
    });
    expect(searchHref({ ...q, q: "a cat" })).toBe("/search?q=a+cat");
    expect(isSearchFiltered(q)).toBe(false);
  });

  it("reads and writes every part, and round-trips", () => {
    const s = "q=a+cat&video=v1&source=text&duration=medium&sort=time&weak=1&page=3";
    const q = parse(s);
    expect(q).toEqual({
      q: "a cat",
      video: "v1",
      page: 3,
      weak: true,
      source: "text",
      duration: "medium",
      sort: "time",
    });
    expect(searchHref({ ...q, q: "a cat" })).toBe(`/search?${s}`);
    expect(isSearchFiltered(q)).toBe(true);
  });

  it("reads the server's searchParams record the same way", () => {
    expect(parseSearchQuery({ q: ["x", "y"], weak: "1", source: "visual", duration: "long", page: "2" })).toEqual({
      q: "x",
      video: null,
      page: 2,
      weak: true,
      source: "visual",
      duration: "long",
      sort: "confidence",
    });
  });

  it("falls back to the default for anything unknown", () => {
    expect(parse("q=x&source=audio&duration=huge&sort=random&weak=yes&page=-1")).toEqual(parse("q=x"));
  });

  it("maps the length filter to the API's seconds", () => {
    expect(durationRange(null)).toEqual({});
    expect(durationRange("short")).toEqual({ minDuration: undefined, maxDuration: 60 });
    expect(durationRange("medium")).toEqual({ minDuration: 60, maxDuration: 600 });
    expect(durationRange("long")).toEqual({ minDuration: 600, maxDuration: undefined });
  });
});

describe("the search request", () => {
  it("sends only what is set", () => {
    expect(searchQueryString({ q: "a cat", limit: 12 })).toBe("q=a+cat&limit=12&offset=0");
    expect(
      searchQueryString({
        q: "a cat",
        limit: 12,
        offset: 24,
        video: "v1",
        minConfidence: 0,
        source: "text",
        ...durationRange("medium"),
        sort: "time",
      }),
    ).toBe("q=a+cat&limit=12&offset=24&video=v1&minConfidence=0&source=text&minDuration=60&maxDuration=600&sort=time");
    expect(searchQueryString({ q: "a", limit: 1, sort: "confidence" })).toBe("q=a&limit=1&offset=0");
  });
});

describe("confidence in words", () => {
  it("shows the server's words, and marks what is under the page's threshold weak", () => {
    expect(levelOf({ level: "strong", confidence: 0.9 }, 0.3)).toBe("strong");
    expect(levelOf({ level: "possible", confidence: 0.6 }, 0.3)).toBe("possible");
    expect(levelOf({ level: "weak", confidence: 0.2 }, 0.3)).toBe("weak");
    expect(levelOf({ level: "possible", confidence: 0.25 }, 0.3)).toBe("weak");
    expect(levelOf({ level: "possible", confidence: 0.6 }, 0.7)).toBe("weak");
  });

  it("writes the number as a whole percentage", () => {
    expect(formatConfidence(0.823)).toBe("82\u00a0%");
    expect(formatConfidence(1.2)).toBe("100\u00a0%");
    expect(formatConfidence(Number.NaN)).toBe("0\u00a0%");
  });

  it("names what found the moment", () => {
    const label = (m: Parameters<typeof matchSource>[0]) => MATCH_SOURCE_LABELS[matchSource(m)];
    expect(label({ source: "visual", textSource: null, text: null })).toBe("Visual match");
    expect(label({ source: "text", textSource: "subtitles", text: "hi" })).toBe("Subtitles");
    expect(label({ source: "text", textSource: "ocr", text: "EXIT" })).toBe("On-screen text");
    expect(label({ source: "both", textSource: "subtitles", text: "hi" })).toBe("Pictures and subtitles");
    expect(label({ source: "both", textSource: "ocr", text: "EXIT" })).toBe("Pictures and on-screen text");
  });
});
