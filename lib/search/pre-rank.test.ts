import { describe, expect, it } from "vitest";
import { preRank } from "./pre-rank";
import { fixedRanker } from "./test-fixtures";

const prefixes = (scores: Record<string, number | null>) => async (ids: string[], dims: number) =>
  new Map(
    ids.map((id) => [
      id,
      scores[id] === null || scores[id] === undefined ? [] : [Float32Array.from({ length: dims }, () => scores[id]!)],
    ]),
  );

describe("stage 2: pre-rank", () => {
  it("keeps the first pass's best; videos it cannot score keep their order after the scored ones", async () => {
    const pool = ["a", "b", "c", "d", "e"];
    const kept = await preRank("q", pool, {
      keep: 4,
      ranker: fixedRanker(),
      relevancePrefixes: prefixes({ a: 0.1, b: null, c: 0.9, d: 0.5, e: null }),
    });
    expect(kept).toEqual(["c", "d", "a", "b"]);
  });
  it("asks for nothing when the pool already fits, or without a ranker", async () => {
    let asked = 0;
    const count = async (ids: string[], dims: number) => {
      asked++;
      return prefixes({})(ids, dims);
    };
    expect(await preRank("q", ["a", "b"], { keep: 2, ranker: fixedRanker(), relevancePrefixes: count })).toEqual([
      "a",
      "b",
    ]);
    expect(await preRank("q", ["a", "b", "c"], { keep: 2, ranker: null, relevancePrefixes: count })).toEqual([
      "a",
      "b",
    ]);
    expect(asked).toBe(0);
  });
});
