import { describe, expect, it } from "vitest";
import { finetuneRecipeNames, loadFinetuneRecipe } from "./finetune";
import { loadRecipe } from "./recipe";

describe("fine-tuning recipes", () => {
  it("quick, library, library-contrast and tiny are the fine-tuning recipes; the Shapes-corpus ones are not", () => {
    expect(finetuneRecipeNames()).toEqual(["library", "library-contrast", "quick", "tiny"]);
  });
  it("library-contrast is library's schedule with the captions' hard negatives instead of colour relabelling", () => {
    const library = loadFinetuneRecipe("library");
    const contrast = loadFinetuneRecipe("library-contrast");
    const { augment, hardNegatives, ...schedule } = contrast.relevance;
    expect(augment).toEqual([]);
    expect(hardNegatives).toEqual({ perSentence: 4, weight: 1 });
    expect(library.relevance.hardNegatives).toBeUndefined();
    expect({ ...library.relevance, augment: undefined }).toEqual({ ...schedule, augment: undefined });
    expect([contrast.locvtp, contrast.cpl, contrast.heldOut, contrast.seed]).toEqual([
      library.locvtp,
      library.cpl,
      library.heldOut,
      library.seed,
    ]);
  });
  it("quick is far shorter than library, and overrides apply", () => {
    const quick = loadFinetuneRecipe("quick");
    const library = loadFinetuneRecipe("library");
    expect(quick.relevance.steps * 5).toBeLessThanOrEqual(library.relevance.steps);
    expect(quick.heldOut).toBe(0.1);
    expect(loadFinetuneRecipe("quick", { "relevance.steps": 3, "cpl.steps": 2 })).toMatchObject({
      relevance: { steps: 3 },
      cpl: { steps: 2 },
    });
    expect(() => loadFinetuneRecipe("quick", { "relevance.videos": 0 })).toThrow(/relevance\.videos/);
  });
  it("each kind of recipe is refused by the other's loader with the command that takes it", () => {
    expect(() => loadRecipe("quick")).toThrow(/npm run train -- --library --recipe quick/);
    expect(() => loadFinetuneRecipe("shipped")).toThrow(/not on a library/);
  });
});
