/**
 * Generates a private Shapes training corpus with the project's generator (ml/data/shapes),
 * for when the shared data/shapes corpus is not there yet. Usage:
 *   tsx ml/train/gen-corpus.ts <out> <videos> <seed> [concurrency]
 */
import { generateShapesDataset } from "../data/shapes/generate";
const [out = "data/shapes-ml", n = "500", seed = "777001", conc = "2"] = process.argv.slice(2);
const r = await generateShapesDataset({
  videos: Number(n),
  seed: Number(seed),
  out,
  concurrency: Number(conc),
  onProgress: (p) => {
    if (p.done % 25 === 0) console.log(`${p.done}/${p.total}`);
  },
});
console.log(JSON.stringify(r.splits), r.seconds);
