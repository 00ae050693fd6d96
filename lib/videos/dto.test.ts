import { describe, expect, it } from "vitest";
import { estimateSecondsLeft, fileStem } from "@/lib/videos/dto";

describe("what the library shows of a video", () => {
  it("hides the file's extension, keeping dots inside the name", () => {
    expect(fileStem("holiday.mp4")).toBe("holiday");
    expect(fileStem("holiday.final.MOV")).toBe("holiday.final");
    expect(fileStem("no extension")).toBe("no extension");
    expect(fileStem("Mr. Smith goes home")).toBe("Mr. Smith goes home");
    expect(fileStem(".mp4")).toBe(".mp4");
  });

  it("estimates the time left from the rate so far", () => {
    // 25 % in 10 s → 30 s more; 80 % in 40 s → 10 s more
    expect(estimateSecondsLeft(25, 10)).toBe(30);
    expect(estimateSecondsLeft(80, 40)).toBe(10);
    expect(estimateSecondsLeft(99.9, 100)).toBe(1);
    // too early to say, done, or no time elapsed
    expect(estimateSecondsLeft(3, 10)).toBeNull();
    expect(estimateSecondsLeft(100, 10)).toBeNull();
    expect(estimateSecondsLeft(50, 0)).toBeNull();
  });
});
