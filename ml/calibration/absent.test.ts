import { describe, expect, it } from "vitest";
import { groundTruthFor, vocabularyTokens, type Scenario } from "../data/shapes/world";
import {
  absentQueries,
  allCombinations,
  canonicalSentence,
  combinationPresent,
  outOfVocabularyQueries,
} from "./absent";
import { unknownShare } from "./evidence";

const scenario = {
  objects: [
    { id: 0, shape: "square", colour: "red", x: 0.5, y: 0.5, size: 0.1, angle: 0 },
    { id: 1, shape: "circle", colour: "blue", x: 0.2, y: 0.2, size: 0.1, angle: 0 },
  ],
  events: [
    { kind: "spin", turns: 1, object: 0, start: 1, end: 3, id: 0, sentence: "the red square spins" },
    { kind: "colour", to: "green", object: 1, start: 4, end: 5, id: 1, sentence: "the blue circle turns green" },
  ],
} as unknown as Scenario;

describe("absent-combination queries", () => {
  it("enumerates what an object can do: 5 colours × (circle 13, square 14, triangle 14)", () => {
    const all = allCombinations();
    expect(all).toHaveLength(5 * (13 + 14 + 14));
    expect(all.some((c) => c.shape === "circle" && c.kind === "spin")).toBe(false);
    expect(all.some((c) => c.kind === "colour" && c.to === c.colour)).toBe(false);
  });

  it("a combination is present when a scenario event or an annotated sentence names it", () => {
    const c = (o: object) =>
      ({ colour: "red", shape: "square", kind: "spin", ...o }) as Parameters<typeof combinationPresent>[0];
    expect(combinationPresent(c({}), [scenario], [])).toBe(true);
    expect(combinationPresent(c({ colour: "blue" }), [scenario], [])).toBe(false);
    expect(
      combinationPresent(c({ colour: "blue", shape: "circle", kind: "colour", to: "green" }), [scenario], []),
    ).toBe(true);
    // a colour-less annotation ("the box spins") makes every colour of that shape and action present
    expect(combinationPresent(c({ colour: "white" }), null, ["the box spins"])).toBe(true);
    expect(combinationPresent(c({ colour: "white" }), null, ["the white box grows"])).toBe(false);
  });

  it("generates distinct absent combinations, phrased with synonyms, the same for a seed", () => {
    const qs = absentQueries([scenario], ["the red square spins"], 30, 5);
    expect(qs).toHaveLength(30);
    expect(new Set(qs.map((q) => canonicalSentence(q.combination))).size).toBe(30);
    for (const q of qs) expect(groundTruthFor(scenario, q.sentence)).toEqual([]);
    expect(absentQueries([scenario], [], 30, 5)).toEqual(qs);
    // every combination but the two in the scenario is absent
    expect(absentQueries([scenario], [], 1000, 5)).toHaveLength(allCombinations().length - 2);
  });

  it("out-of-vocabulary queries always hold a word outside the vocabulary", () => {
    const vocab = new Set(vocabularyTokens());
    const qs = outOfVocabularyQueries(["the red square spins", "a blue ball shows up"], vocab, 40, 3);
    expect(qs).toHaveLength(40);
    for (const q of qs) expect(unknownShare(q, vocab)).toBeGreaterThan(0);
    expect(outOfVocabularyQueries(["the red square spins"], vocab, 40, 3)).not.toEqual([]);
  });
});
