/**
 * Which one-word edits does the span verifier confuse with the true sentence on an event's own
 * span? Per event kind and edit type, how often the true sentence's logit beats the edit's.
 *
 *   npx tsx ml/experiments/verifier-breakdown.ts [VERIFIER_DIR=models/verifier] [DATASET=data/shapes/val]
 */
import { initBackend } from "../core/backend";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { parseSentence } from "../data/shapes/world";
import { editSentences } from "../relevance/hard-negatives";
import { sentenceAttributes } from "../verifier/attributes";
import { spanInput } from "../verifier/inputs";
import { verifierVideos } from "../verifier/data";
import { loadVerifier } from "../verifier/load";
import { groundTruthFor } from "../data/shapes/world";
import { iou } from "../data/metrics";

await initBackend();
const dir = process.argv[2] ?? "models/verifier";
const dataset = process.argv[3] ?? "data/shapes/val";
const loaded = await loadVerifier(dir);
if (!loaded) throw new Error(`no verifier in ${dir}`);
const model = loaded.model;
const loc = await loadLocVtp("models/locvtp");
const rel = (await loadRelevance("models/relevance"))!;
const videos = await verifierVideos(
  dataset,
  { locvtp: loc.model, relevance: rel.model },
  { quiet: true, slots: !!model.cfg.slots },
);
// per edit type: how often the true sentence's logit beats the edit's on the event's own span
const stats = new Map<string, { wins: number; n: number }>();
for (const v of videos) {
  const { clips, clipSeconds, scenario: sc } = v;
  for (const ev of sc.events) {
    const x = spanInput(clips, clipSeconds, ev.start, ev.end);
    const p = parseSentence(ev.sentence);
    const truthAttrs = sentenceAttributes(ev.sentence);
    if (!p || !truthAttrs) continue;
    const edits = editSentences(ev.sentence).filter(
      (e) => !groundTruthFor(sc, e).some((t) => iou(t, { start: ev.start, end: ev.end }) >= 0.5),
    );
    if (!edits.length) continue;
    const logits = model.logits([x, ...edits.map(() => x)], [truthAttrs, ...edits.map((e) => sentenceAttributes(e)!)]);
    edits.forEach((e, i) => {
      const q = parseSentence(e)!;
      let type =
        q.kind !== p.kind
          ? q.kind === "move" && p.kind === "move"
            ? "direction"
            : "action"
          : q.shape !== p.shape
            ? "shape"
            : q.colour !== p.colour && q.to !== p.to
              ? "swap"
              : q.colour !== p.colour
                ? "colour"
                : q.direction !== p.direction
                  ? "direction"
                  : "target";
      type = `${p.kind}:${type}`;
      const s = stats.get(type) ?? { wins: 0, n: 0 };
      s.n++;
      if (logits[0] > logits[i + 1]) s.wins++;
      stats.set(type, s);
    });
  }
}
for (const [k, s] of [...stats].sort())
  console.log(`${k.padEnd(22)} ${((100 * s.wins) / s.n).toFixed(1).padStart(6)} % of ${s.n}`);
