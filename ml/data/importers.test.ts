import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importActivityNetCaptions, parseActivityNetCaptions } from "./importers/activitynet";
import { importCharadesSta, parseCharadesDurationsCsv, parseCharadesSta } from "./importers/charades";

const dir = mkdtempSync(path.join(os.tmpdir(), "imp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Charades-STA", () => {
  const text = [
    "3MSZA 24.3 30.4##person turn a light on.",
    "3MSZA 0 5.1##person opening a door .\r",
    "",
    "AO8RW 0.0 6.9##a person is putting a book on a shelf.",
    "AO8RW 9.0 8.0##reversed span",
    "AO8RW 30.0 40.0##runs past the end",
  ].join("\n");

  it("parses lines into videos and timed queries, reporting unusable spans", async () => {
    const file = path.join(dir, "charades_sta_test.txt");
    writeFileSync(file, text);
    const { dataset, skipped } = await importCharadesSta(file, { name: "charades", durations: { AO8RW: 33.5 } });
    expect(dataset.name).toBe("charades");
    expect(dataset.videos).toEqual([
      { id: "3MSZA", file: "videos/3MSZA.mp4" },
      { id: "AO8RW", file: "videos/AO8RW.mp4", duration: 33.5 },
    ]);
    expect(dataset.queries).toEqual([
      { video: "3MSZA", query: "person turn a light on.", start: 24.3, end: 30.4 },
      { video: "3MSZA", query: "person opening a door .", start: 0, end: 5.1 },
      { video: "AO8RW", query: "a person is putting a book on a shelf.", start: 0, end: 6.9 },
      { video: "AO8RW", query: "runs past the end", start: 30, end: 33.5 },
    ]);
    expect(skipped).toEqual([{ where: "line 5", reason: "end 8 not after start 9" }]);
  });

  it("throws with the line number on a line that is not Charades-STA", () => {
    expect(() => parseCharadesSta("3MSZA 24.3 30.4##ok\nthis is not it\n")).toThrow(/line 2/);
    expect(() => parseCharadesSta("X a b##words")).toThrow(/not numbers/);
  });

  it("reads durations from the Charades CSV (quoted fields with commas)", () => {
    const csv =
      "id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length\n" +
      '46GP8,HR43,Kitchen,6,7,Yes,"A person cooks, then eats.",food,"Person, cooking.",c092 11.90 21.20,24.83\r\n' +
      'N11GT,P0MG,Stairs,6,7,Yes,"walks ""up""",stairs,desc,,34.5\n';
    expect([...parseCharadesDurationsCsv(csv)]).toEqual([
      ["46GP8", 24.83],
      ["N11GT", 34.5],
    ]);
    expect(() => parseCharadesDurationsCsv("a,b\n1,2\n")).toThrow(/"id" and "length"/);
  });
});

describe("ActivityNet Captions", () => {
  const json = {
    v_QOlSCBRmfWY: {
      duration: 82.73,
      timestamps: [
        [0.83, 19.86],
        [17.37, 60.81],
        [56.26, 85.0],
      ],
      sentences: [" An indoor climbing gym is shown.", "A woman climbs a wall.", " She reaches the top."],
    },
    v_ehGHCYKzyZ8: {
      duration: 61.72,
      timestamps: [
        [0, 10],
        [30, 20],
      ],
      sentences: ["One.", "Reversed."],
    },
  };

  it("converts every sentence to a timed query and keeps the paragraph as captions", async () => {
    const file = path.join(dir, "val_1.json");
    writeFileSync(file, JSON.stringify(json));
    const { dataset, skipped } = await importActivityNetCaptions(file, { videoExt: "webm" });
    expect(dataset.videos[0]).toEqual({
      id: "v_QOlSCBRmfWY",
      file: "videos/v_QOlSCBRmfWY.webm",
      duration: 82.73,
      captions: ["An indoor climbing gym is shown.", "A woman climbs a wall.", "She reaches the top."],
    });
    expect(dataset.queries).toHaveLength(4);
    expect(dataset.queries[2]).toEqual({
      video: "v_QOlSCBRmfWY",
      query: "She reaches the top.",
      start: 56.26,
      end: 82.73,
    });
    expect(skipped).toEqual([{ where: "v_ehGHCYKzyZ8[1]", reason: "span [30, 20] is empty within duration 61.72" }]);
  });

  it("rejects files of the wrong shape", () => {
    expect(() => parseActivityNetCaptions("[1,2]")).toThrow(/object keyed by video id/);
    expect(() => parseActivityNetCaptions("{bad")).toThrow(/not valid JSON/);
    expect(() =>
      parseActivityNetCaptions(JSON.stringify({ v: { duration: 5, timestamps: [[0, 1]], sentences: [] } })),
    ).toThrow(/1 timestamps but 0 sentences/);
    expect(() => parseActivityNetCaptions(JSON.stringify({ v: { timestamps: [], sentences: [] } }))).toThrow(
      /duration/,
    );
  });
});
