/**
 * Renders the training curves (docs/models-training.png) from the JSON-lines loss logs:
 * panel 1 LocVTP (total, L_c, L_f, L_t), panel 2 CPL (total, L_rec, L_IVC), panel 3 the
 * baselines' training losses, panel 4 the relevance scorer's loss, one curve per ensemble member. Usage: tsx scripts/eval-plot.ts [--out docs/models-training.png]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderPanels, smooth, type Series } from "../ml/plot";

const { values: a } = parseArgs({
  options: {
    out: { type: "string", default: "docs/models-training.png" },
    models: { type: "string", default: "models" },
  },
});
const read = (f: string) =>
  existsSync(f)
    ? readFileSync(f, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, number | string>)
    : [];
const loc = read(`${a.models}/locvtp/train-log.jsonl`).filter(
  (r) => typeof r.step === "number" && r.stage === "locvtp",
);
const cpl = read(`${a.models}/cpl/train-log.jsonl`).filter((r) => r.stage === "cpl-cpl");
const cnm = read(`${a.models}/baselines/cnm/train-log.jsonl`).filter((r) => r.stage === "cpl-cnm");
const sup = read(`${a.models}/baselines/supervised/train-log.jsonl`).filter((r) => r.stage === "cpl-supervised");
// an ensemble logs each member apart (train-log-member<m>.jsonl), a single scorer train-log.jsonl
const relLogs = [
  `${a.models}/relevance/train-log.jsonl`,
  ...Array.from({ length: 8 }, (_, m) => `${a.models}/relevance/train-log-member${m}.jsonl`),
];
const rel = relLogs.map((f) => read(f).filter((r) => r.stage === "relevance")).filter((rows) => rows.length > 0);
const MEMBER_COLOURS: [number, number, number][] = [
  [0, 0, 0],
  [220, 40, 40],
  [40, 90, 230],
  [30, 160, 60],
  [200, 120, 0],
  [120, 0, 160],
  [0, 150, 150],
  [150, 150, 0],
];
const ser = (rows: Record<string, number | string>[], key: string, color: [number, number, number]): Series => ({
  points: smooth(
    rows.map((r) => [Number(r.step), Number(r[key])] as [number, number]),
    8,
  ),
  color,
});
const png = renderPanels([
  {
    series: [
      ser(loc, "loss", [0, 0, 0]),
      ser(loc, "lc", [220, 40, 40]),
      ser(loc, "lf", [40, 90, 230]),
      ser(loc, "lt", [30, 160, 60]),
    ],
  },
  { series: [ser(cpl, "loss", [0, 0, 0]), ser(cpl, "rec", [220, 40, 40]), ser(cpl, "ivc", [40, 90, 230])] },
  { series: [ser(cnm, "loss", [200, 120, 0]), ser(sup, "loss", [120, 0, 160])] },
  { series: rel.map((rows, m) => ser(rows, "loss", MEMBER_COLOURS[m % MEMBER_COLOURS.length])) },
]);
writeFileSync(a.out!, png);
console.log(
  `wrote ${a.out} (${png.length} bytes): locvtp ${loc.length} pts, cpl ${cpl.length}, cnm ${cnm.length}, supervised ${sup.length}, relevance ${rel.map((r) => r.length).join("/")}`,
);
