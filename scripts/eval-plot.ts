/**
 * Renders the training curves (docs/models-training.png) from the JSON-lines loss logs:
 * panel 1 LocVTP (total, L_c, L_f, L_t), panel 2 CPL (total, L_rec, L_IVC), panel 3 the
 * baselines' training losses, panel 4 the relevance scorer (total, across, within). Usage: tsx scripts/eval-plot.ts [--out docs/models-training.png]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderPanels, smooth, type Series } from "../ml/plot";

const { values: a } = parseArgs({ options: { out: { type: "string", default: "docs/models-training.png" }, models: { type: "string", default: "models" } } });
const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, number | string>) : []);
const loc = read(`${a.models}/locvtp/train-log.jsonl`).filter((r) => typeof r.step === "number" && r.stage === "locvtp");
const cpl = read(`${a.models}/cpl/train-log.jsonl`).filter((r) => r.stage === "cpl-cpl");
const cnm = read(`${a.models}/baselines/cnm/train-log.jsonl`).filter((r) => r.stage === "cpl-cnm");
const sup = read(`${a.models}/baselines/supervised/train-log.jsonl`).filter((r) => r.stage === "cpl-supervised");
const rel = read(`${a.models}/relevance/train-log.jsonl`).filter((r) => r.stage === "relevance");
const ser = (rows: Record<string, number | string>[], key: string, color: [number, number, number]): Series => ({
  points: smooth(rows.map((r) => [Number(r.step), Number(r[key])] as [number, number]), 8),
  color,
});
const png = renderPanels([
  { series: [ser(loc, "loss", [0, 0, 0]), ser(loc, "lc", [220, 40, 40]), ser(loc, "lf", [40, 90, 230]), ser(loc, "lt", [30, 160, 60])] },
  { series: [ser(cpl, "loss", [0, 0, 0]), ser(cpl, "rec", [220, 40, 40]), ser(cpl, "ivc", [40, 90, 230])] },
  { series: [ser(cnm, "loss", [200, 120, 0]), ser(sup, "loss", [120, 0, 160])] },
  { series: [ser(rel, "loss", [0, 0, 0]), ser(rel, "across", [220, 40, 40]), ser(rel, "within", [40, 90, 230])] },
]);
writeFileSync(a.out!, png);
console.log(`wrote ${a.out} (${png.length} bytes): locvtp ${loc.length} pts, cpl ${cpl.length}, cnm ${cnm.length}, supervised ${sup.length}, relevance ${rel.length}`);
