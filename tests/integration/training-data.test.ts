/**
 * The library's sentences as training data, on both databases: descriptions typed for a
 * video (no times), counted beside subtitles, datasets and review items; the videos no
 * source describes; bad input.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteRoute } from "@/app/api/videos/[id]/descriptions/[descriptionId]/route";
import { GET as listRoute, POST as addRoute } from "@/app/api/videos/[id]/descriptions/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { PUT as subtitlesRoute } from "@/app/api/videos/[id]/subtitles/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { GET as dataRoute } from "@/app/api/training/data/route";
import { trainingSentences } from "@/db/repositories/descriptions";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { makeTestVideo } from "../helpers/media";

let h: Harness;
let annotator: TestAccount;
const ids: string[] = [];
const B = "http://test";
const params = (id: string) => ({ params: Promise.resolve({ id }) });

beforeAll(async () => {
  h = await startHarness();
  annotator = await createTestAccount(h.ctx, "annotator", "describer");
  for (const [name, source] of [
    ["one.mp4", "testsrc2"],
    ["two.mp4", "smptebars"],
  ]) {
    const file = await makeTestVideo(path.join(h.dataDir, "fixtures", name), { seconds: 3, source });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFileSync(file))]), name);
    ids.push(
      (
        (await (await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }))).json()) as {
          id: string;
        }
      ).id,
    );
  }
  const get = async (id: string) =>
    ((await (await getRoute(h.request(`${B}/api/videos/${id}`), params(id))).json()) as { video: { status: string } })
      .video;
  for (const id of ids) expect((await waitForStatus(get, id, ["ready", "failed"])).status).toBe("ready");
});

afterAll(async () => {
  await h?.stop();
});

describe(`training data (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  const add = (id: string, sentences: unknown) =>
    addRoute(
      bearerRequest(annotator.token, `${B}/api/videos/${id}/descriptions`, {
        method: "POST",
        body: JSON.stringify({ sentences }),
        headers: { "content-type": "application/json" },
      }),
      params(id),
    );
  const summary = async () =>
    (await (await dataRoute(bearerRequest(annotator.token, `${B}/api/training/data`))).json()) as {
      sources: { source: string; videos: number; sentences: number }[];
      readyVideos: number;
      videosWithout: { videos: { id: string }[]; total: number };
    };

  it("an annotator describes a video in sentences without times; repeats are skipped", async () => {
    const res = await add(ids[0], ["The pattern slides to the right", "  colours   cycle ", ""]);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { added: { sentence: string }[] }).added.map((d) => d.sentence)).toEqual([
      "The pattern slides to the right",
      "colours cycle",
    ]);
    const again = await add(ids[0], ["the pattern SLIDES to the right", "a counter ticks"]);
    expect(((await again.json()) as { added: { sentence: string }[] }).added.map((d) => d.sentence)).toEqual([
      "a counter ticks",
    ]);
    const list = (await (
      await listRoute(h.request(`${B}/api/videos/${ids[0]}/descriptions`), params(ids[0]))
    ).json()) as { descriptions: { id: string; sentence: string }[] };
    expect(list.descriptions.map((d) => d.sentence)).toEqual([
      "The pattern slides to the right",
      "colours cycle",
      "a counter ticks",
    ]);

    const del = await deleteRoute(bearerRequest(annotator.token, `${B}/x`, { method: "DELETE" }), {
      params: Promise.resolve({ id: ids[0], descriptionId: list.descriptions[1].id }),
    });
    expect(del.status).toBe(200);
    const gone = await deleteRoute(bearerRequest(annotator.token, `${B}/x`, { method: "DELETE" }), {
      params: Promise.resolve({ id: ids[0], descriptionId: list.descriptions[1].id }),
    });
    expect(gone.status).toBe(404);
  });

  it("the training data view counts each source and names the videos no source describes", async () => {
    let s = await summary();
    expect(s.sources.find((x) => x.source === "descriptions")).toEqual({
      source: "descriptions",
      videos: 1,
      sentences: 2,
    });
    expect(s.readyVideos).toBe(2);
    expect(s.videosWithout).toEqual({ videos: [{ id: ids[1], name: "two.mp4", title: null }], total: 1 });
    // subtitles count too, and then no video is left without sentences
    const srt = "1\n00:00:00,500 --> 00:00:02,000\nthe bars stand still\n";
    expect((await subtitlesRoute(h.request(`${B}/x`, { method: "PUT", body: srt }), params(ids[1]))).status).toBe(200);
    s = await summary();
    expect(s.sources.find((x) => x.source === "subtitles")).toEqual({ source: "subtitles", videos: 1, sentences: 1 });
    expect(s.videosWithout.total).toBe(0);
    const pairs = await trainingSentences(h.ctx.db, ["descriptions", "subtitles"]);
    expect(pairs.map((p) => [ids.indexOf(p.videoId), p.sentence]).sort()).toEqual(
      [
        [0, "a counter ticks"],
        [0, "The pattern slides to the right"],
        [1, "the bars stand still"],
      ].sort(),
    );
  });

  it("bad input is a 4xx that says what is wrong", async () => {
    expect((await add(ids[0], [])).status).toBe(400);
    expect((await add(ids[0], ["x".repeat(501)])).status).toBe(400);
    expect((await add(ids[0], "not a list")).status).toBe(400);
    expect((await add(randomUUID(), ["a sentence"])).status).toBe(404);
    const viewer = await createTestAccount(h.ctx, "viewer", "reader");
    const res = await addRoute(
      bearerRequest(viewer.token, `${B}/x`, {
        method: "POST",
        body: '{"sentences":["x"]}',
        headers: { "content-type": "application/json" },
      }),
      params(ids[0]),
    );
    expect(res.status).toBe(403);
  });
});
