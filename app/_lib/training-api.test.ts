import { describe, expect, it } from "vitest";
import { descriptionLines, descriptionsProblem, skippedLines, videoTitle } from "@/app/_lib/training-api";

describe("the video page's “What happens in this video” editor", () => {
  it("sends the lines as the server stores them: whitespace collapsed, blanks dropped, exact repeats once", () => {
    expect(
      descriptionLines("  a red disc  rolls\n\n\tthe square turns blue \r\na red disc rolls\nA red disc rolls\n"),
    ).toEqual(["a red disc rolls", "the square turns blue", "A red disc rolls"]);
    expect(descriptionLines(" \n\n")).toEqual([]);
  });

  it("says what the server would refuse before sending it", () => {
    expect(descriptionsProblem([])).toMatch(/at least one sentence/);
    expect(descriptionsProblem(Array.from({ length: 51 }, (_, i) => `sentence ${i}`))).toBe(
      "At most 50 sentences at once; this is 51.",
    );
    expect(descriptionsProblem(["x".repeat(501)])).toBe("The sentence is longer than 500 characters.");
    expect(descriptionsProblem(["ok", "x".repeat(501)])).toBe("Line 2 is longer than 500 characters.");
    expect(descriptionsProblem(["ok", "x".repeat(500)])).toBeNull();
  });

  it("names the lines the server skipped as repeats (of the video's sentences, or of another line in any case)", () => {
    const sent = ["a red disc rolls", "the square turns blue", "A red disc rolls"];
    expect(skippedLines(sent, [{ sentence: "a red disc rolls" }])).toEqual([
      "the square turns blue",
      "A red disc rolls",
    ]);
    expect(
      skippedLines(
        sent,
        sent.map((sentence) => ({ sentence })),
      ),
    ).toEqual([]);
  });
});

describe("the training data's videos without sentences", () => {
  it("show the title, else the file name without its extension", () => {
    expect(videoTitle({ name: "holiday.final.mp4", title: null })).toBe("holiday.final");
    expect(videoTitle({ name: "holiday.mp4", title: "Beach day" })).toBe("Beach day");
  });
});
