import { describe, expect, it } from "vitest";
import { Rng, hashSeed } from "./rng";

describe("Rng", () => {
  it("keeps the streams that trained the models and rendered the Shapes splits", () => {
    // raw seed (weights init, training batches)
    const a = new Rng(9);
    expect([a.next(), a.next(), a.next()]).toEqual([0.19872891809791327, 0.8512107962742448, 0.1417661067098379]);
    // hashed seed (the Shapes world: scenarios, splits, noise)
    const b = Rng.hashed(9);
    expect([b.next(), b.next(), b.next()]).toEqual([0.3234344667289406, 0.4291151266079396, 0.48069650307297707]);
    expect(hashSeed(1, 0x5b117)).toBe(544874445);
  });

  it("is deterministic in the seed", () => {
    const a = Rng.hashed(3, 4);
    const b = Rng.hashed(3, 4);
    for (let i = 0; i < 50; i++) expect(a.next()).toBe(b.next());
  });
});
