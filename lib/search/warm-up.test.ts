import { afterEach, describe, expect, it, vi } from "vitest";
import type { Context } from "../context";
import { startWarmUp } from "./warm-up";

afterEach(() => vi.restoreAllMocks());

describe("search models' warm-up at start", () => {
  it("a failure (database down) is logged, never thrown or left unhandled", async () => {
    const warned = new Promise<string>((resolve) =>
      vi.spyOn(console, "warn").mockImplementation((line: string) => resolve(line)),
    );
    const down = {
      config: { ml: { quiet: false } },
      db: { query: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")) },
    } as unknown as Context;
    expect(() => startWarmUp(down)).not.toThrow();
    expect(await warned).toMatch(/could not be loaded at start \(the first search tries again\): connect ECONNREFUSED/);
  });
});
