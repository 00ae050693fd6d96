/**
 * The ML command lines (train, eval, pack-features, train:benchmark) under this process's
 * configuration (lib/config.ts): the TensorFlow.js backend, the models folder, the frame
 * backbone, and how corpora are decoded.
 */
import { loadConfig, type Config } from "@/lib/config";
import { initBackend, type BackendInfo } from "@/ml";
import type { LoadCorpusOptions } from "@/ml/data/corpus";
import { resolveFfmpeg } from "@/ml/features/ffmpeg";

export function mlConfig(): Config["ml"] {
  return loadConfig().ml;
}

export function initMlBackend(): Promise<BackendInfo> {
  return initBackend(mlConfig());
}

/** Decoding concurrency, and the configured ffmpeg (else ml/ resolves the bundled one when it first decodes). */
export function corpusOptions(
  config: Config = loadConfig(),
): Pick<LoadCorpusOptions, "concurrency" | "binaries" | "cacheDir"> {
  return {
    concurrency: config.ml.decodeConcurrency,
    binaries: config.ffmpeg.ffmpegPath ? resolveFfmpeg(config.ffmpeg) : undefined,
    cacheDir: config.ml.featureCacheDir,
  };
}
