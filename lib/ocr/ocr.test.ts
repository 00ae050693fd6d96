import { describe, expect, it } from "vitest";
import { changedFraction, frameChanged, thumbnail } from "@/lib/ocr/change";
import { frameTextOf, mergeFrameTexts, textSimilarity } from "@/lib/ocr/cues";
import { ocrFrameSize } from "@/lib/ocr/extract";
import { toWebVtt } from "@/lib/media/subtitles";

const frame = (w: number, h: number, fill: (x: number, y: number) => number) =>
  Uint8Array.from({ length: w * h }, (_, i) => fill(i % w, Math.floor(i / w)));

describe("the change test", () => {
  it("box-averages a frame into a thumbnail", () => {
    // 4×2 frame, left half 0, right half 200 → 2×1 thumbnail [0, 200]; a 2×2 checker averages to 100
    expect([
      ...thumbnail(
        frame(4, 2, (x) => (x < 2 ? 0 : 200)),
        4,
        2,
        2,
        1,
      ),
    ]).toEqual([0, 200]);
    expect([
      ...thumbnail(
        frame(2, 2, (x, y) => ((x + y) % 2 ? 200 : 0)),
        2,
        2,
        1,
        1,
      ),
    ]).toEqual([100]);
  });

  it("reads the first frame, skips a copy with a little noise, reads one where a line of text appeared", () => {
    const bg = frame(640, 360, (x, y) => (x + y) % 50);
    const noisy = bg.map((v, i) => v + (i % 7 === 0 ? 3 : 0));
    const withText = bg.map((v, i) => {
      const x = i % 640;
      const y = Math.floor(i / 640);
      return y > 150 && y < 190 && x > 60 && x < 460 && x % 6 < 3 ? 255 : v;
    });
    const [tb, tn, tt] = [bg, noisy, withText].map((f) => thumbnail(f, 640, 360));
    expect(frameChanged(null, tb)).toBe(true);
    expect(frameChanged(tb, tn)).toBe(false);
    expect(changedFraction(tb, tn, 12)).toBe(0);
    expect(frameChanged(tb, tt)).toBe(true);
    expect(changedFraction(tb, tt, 12)).toBeGreaterThan(0.02);
  });
});

describe("OCR text to cues", () => {
  it("keeps confident, plausible words, one line per OCR line", () => {
    const lines = [
      [
        { text: "Quarterly", confidence: 94 },
        { text: "revenue", confidence: 91 },
        { text: "|", confidence: 88 },
        { text: "gr3w", confidence: 41 },
      ],
      [{ text: "—", confidence: 90 }],
      [
        { text: "I", confidence: 80 },
        { text: "x", confidence: 95 },
        { text: "2024", confidence: 77 },
      ],
    ];
    expect(frameTextOf(lines)).toBe("Quarterly revenue\nI 2024");
    // a shape read as a letter or two is not text
    expect(
      frameTextOf([[{ text: "A", confidence: 90 }], [{ text: "oy", confidence: 85 }], [{ text: "4", confidence: 95 }]]),
    ).toBe("");
  });

  it("measures how much two readings look like one line", () => {
    expect(textSimilarity("Quarterly revenue grew", "quarterly  REVENUE grew!")).toBe(1);
    // the shorter reading's words all in the longer one
    expect(textSimilarity("nue grew by twelve percent", "Quarterly revenue grew by twelve percent")).toBe(0.8);
    // one-word readings must match exactly
    expect(textSimilarity("5", "5 apples")).toBe(0.5);
    expect(textSimilarity("", "")).toBe(1);
  });

  it("follows each line across frames: a caption stays one cue while a counter beside it changes, and survives a misread", () => {
    const frames = [
      { time: 0, text: "" },
      { time: 1, text: "Quarterly revenue grew\n101" },
      { time: 2, text: "Quarterly revenue grew\n102" },
      // a misread frame: the caption is missing once
      { time: 3, text: "103" },
      { time: 4, text: "Quarterly revenue gr3w\n104" },
      { time: 5, text: "Quarterly revenue grew" },
      { time: 6, text: "" },
      { time: 7, text: "" },
      { time: 8, text: "" },
      { time: 9, text: "Thank you" },
    ];
    const cues = mergeFrameTexts(frames, 1, { duration: 9.5 });
    expect(cues.filter((c) => !/^\d+$/.test(c.text))).toEqual([
      { start: 1, end: 6, text: "Quarterly revenue grew" },
      { start: 9, end: 9.5, text: "Thank you" },
    ]);
    expect(cues.filter((c) => /^\d+$/.test(c.text)).map((c) => [c.start, c.end])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });
});

describe("OCR frame size and WebVTT", () => {
  it("reads small videos scaled up, large ones scaled down, in even sizes", () => {
    expect(ocrFrameSize(320, 240)).toEqual({ width: 640, height: 480 });
    expect(ocrFrameSize(1920, 1080)).toEqual({ width: 1280, height: 720 });
    expect(ocrFrameSize(1000, 563)).toEqual({ width: 1000, height: 564 });
  });

  it("writes WebVTT the player reads: times, escaped markup, no empty lines inside a cue", () => {
    expect(
      toWebVtt([
        { start: 1.5, end: 3723.25, text: "a <b> & c\n\nsecond line" },
        { start: 5, end: 5, text: "empty span" },
      ]),
    ).toBe("WEBVTT\n\n1\n00:00:01.500 --> 01:02:03.250\na &lt;b&gt; &amp; c\nsecond line\n");
    expect(toWebVtt([])).toBe("WEBVTT\n\n");
  });
});
