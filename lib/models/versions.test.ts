import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SUPERVISED_SCORER_DIR } from "@/ml/config";
import { prepareVersionDir, storedVersions, versionDir, versionDirExists } from "./versions";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A DATA_DIR and a shipped models folder with two components and the evaluation-only upper bound. */
function setup() {
  const root = mkdtempSync(path.join(os.tmpdir(), "versions-"));
  dirs.push(root);
  const modelsDir = path.join(root, "shipped");
  for (const c of ["locvtp", "relevance", SUPERVISED_SCORER_DIR]) {
    mkdirSync(path.join(modelsDir, c), { recursive: true });
    writeFileSync(path.join(modelsDir, c, "weights.bin"), c);
  }
  return { dataDir: path.join(root, "data"), ml: { modelsDir } } as Parameters<typeof versionDir>[0];
}

describe("model version folders", () => {
  it("version 1 is the shipped folder, N the numbered folder under DATA_DIR/models", () => {
    const config = setup();
    expect(versionDir(config, 1)).toBe(config.ml.modelsDir);
    expect(versionDir(config, 12)).toBe(path.join(config.dataDir, "models", "12"));
    expect(() => versionDir(config, 0)).toThrow(/not a model version/);
  });

  it("a new version starts as a complete copy of its parent, without the parent's checkpoints", async () => {
    const config = setup();
    const two = await prepareVersionDir(config, 2, 1);
    expect(readFileSync(path.join(two, "relevance", "weights.bin"), "utf8")).toBe("relevance");
    expect(readFileSync(path.join(two, "locvtp", "weights.bin"), "utf8")).toBe("locvtp");
    // the upper bound trained with timestamps is evaluation only: no version carries it
    expect(existsSync(path.join(config.ml.modelsDir, SUPERVISED_SCORER_DIR, "weights.bin"))).toBe(true);
    expect(existsSync(path.join(two, SUPERVISED_SCORER_DIR))).toBe(false);
    expect(existsSync(path.join(two, "baselines"))).toBe(true);
    expect(versionDirExists(config, 2)).toBe(true);
    mkdirSync(path.join(two, "checkpoints"));
    writeFileSync(path.join(two, "relevance", "weights.bin"), "retrained");
    const three = await prepareVersionDir(config, 3, 2);
    expect(readFileSync(path.join(three, "relevance", "weights.bin"), "utf8")).toBe("retrained");
    expect(existsSync(path.join(three, "checkpoints"))).toBe(false);
    expect((await storedVersions(config)).sort()).toEqual([2, 3]);
  });

  it("keeps a folder already prepared (a resumed run), and never writes version 1", async () => {
    const config = setup();
    const two = await prepareVersionDir(config, 2, 1);
    writeFileSync(path.join(two, "relevance", "weights.bin"), "half-trained");
    await prepareVersionDir(config, 2, 1);
    expect(readFileSync(path.join(two, "relevance", "weights.bin"), "utf8")).toBe("half-trained");
    await expect(prepareVersionDir(config, 1, 1)).rejects.toThrow(/never written/);
    await expect(prepareVersionDir(config, 5, 4)).rejects.toThrow(/version 4 are missing/);
  });
});
