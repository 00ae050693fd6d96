import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ParamStore } from "../core/params";
import type { CplConfig } from "../cpl/config";
import { cplConfigFor } from "../cpl/train";
import { defaultLocVtpConfig, encoderTag, type LocVtpConfig } from "../locvtp/config";
import { relevanceConfigFor } from "../relevance/config";
import type { RelevanceConfig } from "../relevance/config";
import { verifierVersion, type VerifierRecipe } from "../verifier/train";
import { SUPERVISED_SCORER_DIR } from "../config";
import { CPL_STAGES, CPL_VARIANT, cplSettings, grounderTag, loadRecipe, versionFor } from "./recipe";
import { loadSupervisedScorerRecipe, supervisedScorerVersion } from "./supervised-scorer";

const manifest = <C>(dir: string) => ParamStore.readManifest<C>(path.resolve("models", dir));

describe("the shipped recipe reproduces the shipped models", () => {
  const shipped = loadRecipe("shipped");
  it("pins the versions the shipped weights carry", () => {
    expect(shipped.pinned).toBe(true);
    expect(shipped.recipe.locvtp.version).toBe(manifest("locvtp").version);
    // the shipped scorer is the recipe's, fine-tuned with hard negatives by ml/recipes/relevance-hardneg.json
    const rel = manifest("relevance");
    const hardneg = JSON.parse(readFileSync(path.resolve("ml/recipes/relevance-hardneg.json"), "utf8")) as {
      name: string;
      steps: number;
      seed: number;
    };
    expect(rel.extra?.recipe).toBe(hardneg.name);
    expect(shipped.recipe.relevance.version).toBe(rel.extra?.finetunedFrom);
    expect(rel.version).toBe(
      `${(shipped.recipe.relevance.version ?? "").replace(/-s\d+$/, "")}-hardneg${hardneg.steps}-s${hardneg.seed}`,
    );
    expect(shipped.recipe.cpl.version).toBe(manifest("cpl").version);
    expect(shipped.recipe["single-gaussian"].version).toBe(manifest("baselines/cnm").version);
    expect(shipped.recipe["upper-bound"].version).toBe(manifest("baselines/supervised").version);
  });
  it("the shipped span verifier is ml/recipes/verifier.json's, beside the shipped scorer", () => {
    const recipe = JSON.parse(readFileSync(path.resolve("ml/recipes/verifier.json"), "utf8")) as VerifierRecipe;
    const verifier = manifest<{ hidden: number; slots?: object }>("verifier");
    // the recipe's training split (its first trainVideos) and any further renderings, whole
    const trainVideos = (verifier.extra?.trainVideos as number | undefined) ?? recipe.trainVideos!;
    expect(trainVideos).toBeGreaterThanOrEqual(recipe.trainVideos!);
    expect(verifier.version).toBe(verifierVersion(recipe, trainVideos));
    expect(verifier.config.hidden).toBe(recipe.hidden);
    // it reads the clips' object-slot statistics exactly when its recipe says so
    expect(!!verifier.config.slots).toBe(!!recipe.slots);
    expect(verifier.extra?.recipe).toBe(recipe.name);
    expect(verifier.extra?.relevance).toBe(manifest("relevance").version);
  });
  it("the upper bound in the scorer's architecture is ml/recipes/upper-bound-scorer.json's, from the shipped scorer", () => {
    const recipe = loadSupervisedScorerRecipe(path.resolve("ml/recipes/upper-bound-scorer.json"));
    expect(path.resolve(recipe.out)).toBe(path.resolve("models", SUPERVISED_SCORER_DIR));
    const scorer = manifest<RelevanceConfig>(SUPERVISED_SCORER_DIR);
    expect(scorer.version).toBe(supervisedScorerVersion(recipe));
    expect(scorer.config.members).toBe(recipe.members.length);
    expect(scorer.extra?.recipe).toBe(recipe.name);
    expect(scorer.extra?.locvtp).toBe(manifest("locvtp").version);
    expect(path.resolve(recipe.from)).toBe(path.resolve("models/relevance"));
    expect(scorer.extra?.finetunedFrom).toBe(manifest("relevance").version);
  });
  it("builds the shipped architectures, and the versions its builds describe are the pinned ones", () => {
    const loc = defaultLocVtpConfig();
    expect(loc).toEqual({
      ...manifest<LocVtpConfig>("locvtp").config,
      clip: { ...manifest<LocVtpConfig>("locvtp").config.clip, backboneDir: undefined },
    });
    expect(versionFor(shipped, "locvtp", `locvtp-${encoderTag(loc.clip)}-shapes-s1`)).toBe(
      shipped.recipe.locvtp.version,
    );
    const r = shipped.recipe.relevance;
    expect({ ...relevanceConfigFor(loc), slotLayout: r.slots, members: r.members }).toEqual(
      manifest<RelevanceConfig>("relevance").config,
    );
    expect(r.extraTrain).toEqual(["data/more2/train", "data/more3/train", "data/more4/train"]);
    for (const stage of CPL_STAGES) {
      const s = shipped.recipe[stage];
      const dir = { cpl: "cpl", "single-gaussian": "baselines/cnm", "upper-bound": "baselines/supervised" }[stage];
      expect(cplConfigFor(CPL_VARIANT[stage], cplSettings(s))).toEqual(manifest<CplConfig>(dir).config);
      expect(versionFor(shipped, stage, `cpl-${CPL_VARIANT[stage]}-${grounderTag(s, loc.clip)}-shapes-s1`)).toBe(
        manifest(dir).version,
      );
    }
    expect([
      shipped.recipe.cpl.steps,
      shipped.recipe["single-gaussian"].steps,
      shipped.recipe["upper-bound"].steps,
    ]).toEqual([800, 500, 800]);
  });
  it("refuses to save a model under a pinned version that describes something else", () => {
    expect(() => versionFor(shipped, "relevance", "relevance-mil-x3-slots-ctx2-ll3-shapes640v-s1")).toThrow(
      /pins relevance/,
    );
  });
});

describe("recipes", () => {
  it("restating the recipe's own values overrides nothing (the documented commands keep the pins)", () => {
    expect(loadRecipe("shipped", { data: "data/shapes", seed: 1, "cpl.steps": 800 })).toMatchObject({
      name: "shipped",
      pinned: true,
    });
  });
  it("an override makes another recipe: named apart, nothing pinned, models named after it", () => {
    const r = loadRecipe("shipped", { "relevance.members": 3, seed: 2 });
    expect(r).toMatchObject({ name: "shipped-custom", pinned: false });
    expect(r.recipe.relevance.members).toBe(3);
    expect(r.recipe.relevance.version).toBeUndefined();
    expect(versionFor(r, "relevance", "anything")).toBe("relevance-shipped-custom-s2");
    expect(versionFor(loadRecipe("shipped", { seed: 2 }, "mine"), "upper-bound", "x")).toBe("cpl-supervised-mine-s2");
  });
  it("reads a recipe file by path with its defaults, and names what is wrong", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "recipe-"));
    writeFileSync(path.join(dir, "tiny.json"), JSON.stringify({ locvtp: { steps: 5 } }));
    const r = loadRecipe(path.join(dir, "tiny.json"));
    expect(r.name).toBe("tiny");
    expect(r.recipe.locvtp).toMatchObject({ steps: 5, batch: 32 });
    expect(r.recipe.cpl).toMatchObject({ epochs: 12, head: "pointer" });
    expect(versionFor(r, "cpl", "x")).toBe("cpl-cpl-tiny-s1");
    writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ cpl: { head: "round" }, extra: 1 }));
    expect(() => loadRecipe(path.join(dir, "bad.json"))).toThrow(/cpl\.head/);
    expect(() => loadRecipe("nope")).toThrow(/no recipe "nope"/);
  });
  it("the smoke recipe parses", () => {
    expect(loadRecipe("smoke").recipe.relevance.members).toBe(2);
  });
});
