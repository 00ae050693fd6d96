/**
 * A small pre-trained-style per-frame backbone, written to a folder as a user would bring one
 * (LOCVTP_BACKBONE_DIR): a tfjs layers model (a strided convolution, global pooling and a dense
 * layer; any frame size) saved as model.json + weights.bin. @tensorflow/tfjs has no file
 * writer without tfjs-node, so the save handler writes the two files itself, in the format
 * tfjs' own file:// handler uses.
 */
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes a backbone giving `dim` values per frame into `dir`; `seed` makes its weights (another seed: another backbone). */
export async function makeTestBackbone(dir: string, o: { dim: number; seed: number }): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const init = (k: number) => tf.initializers.glorotUniform({ seed: o.seed * 100 + k });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [null, null, 3],
        filters: 8,
        kernelSize: 4,
        strides: 4,
        activation: "relu",
        kernelInitializer: init(1),
      }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: o.dim, activation: "tanh", kernelInitializer: init(2) }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(
        path.join(dir, "model.json"),
        JSON.stringify({
          format: "layers-model",
          generatedBy: "momentsearch tests",
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
        }),
      );
      const data = artifacts.weightData as ArrayBuffer;
      writeFileSync(path.join(dir, "weights.bin"), Buffer.from(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  model.dispose();
  return dir;
}
