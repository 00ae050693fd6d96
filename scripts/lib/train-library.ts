/**
 * `npm run train -- --library [--models relevance,cpl | locvtp,cpl] [--recipe quick] [--sources descriptions,subtitles]`:
 * the Models page's training run from the command line. It records the version and queues the
 * `train-model` job like POST /api/models/train, then follows it to the end: the running app's
 * workers train it when `npm start` is up; otherwise a worker runs in this process. Ctrl-C
 * cancels the run.
 */
import cliProgress from "cli-progress";
import * as modelVersions from "@/db/repositories/model-versions";
import type { SentenceSource } from "@/db/repositories/descriptions";
import { resolveOwner } from "@/lib/auth/accounts";
import { AppError } from "@/lib/errors";
import { startWorker, type Worker } from "@/lib/ingest/worker";
import {
  DEFAULT_TRAINING_RECIPE,
  SENTENCE_SOURCES,
  TRAINABLE_MODELS,
  startTraining,
  type TrainableModel,
} from "@/lib/training/service";
import { withCliContext } from "./cli-context";

const list = (s: string | undefined) =>
  s
    ?.split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export async function trainLibrary(o: { models?: string; recipe?: string; sources?: string }): Promise<number> {
  const models = list(o.models) ?? ["relevance"];
  const bad = models.find((m) => !(TRAINABLE_MODELS as readonly string[]).includes(m));
  if (bad) {
    console.error(`--models: "${bad}" is not one of ${TRAINABLE_MODELS.join(", ")}`);
    return 2;
  }
  const sources = list(o.sources);
  const badSource = sources?.find((s) => !(SENTENCE_SOURCES as readonly string[]).includes(s));
  if (badSource) {
    console.error(`--sources: "${badSource}" is not one of ${SENTENCE_SOURCES.join(", ")}`);
    return 2;
  }
  return withCliContext(async (ctx, { ownsDatabase }) => {
    const owner = await resolveOwner(ctx).catch(() => null);
    let started;
    try {
      started = await startTraining(
        ctx,
        {
          models: models as TrainableModel[],
          recipe: o.recipe ?? DEFAULT_TRAINING_RECIPE,
          sources: sources as SentenceSource[] | undefined,
        },
        owner,
      );
    } catch (err) {
      if (err instanceof AppError) {
        console.error(err.message);
        return 2;
      }
      throw err;
    }
    const { version } = started.job;
    console.log(
      `version ${version}: ${models.join(", ")} with the ${o.recipe ?? DEFAULT_TRAINING_RECIPE} recipe; ${ownsDatabase ? "training in this process" : "the running app's workers train it"}`,
    );
    let worker: Worker | undefined;
    if (ownsDatabase) worker = await startWorker(ctx, { log: () => undefined });
    const cancel = () => {
      console.log("\ncancelling…");
      void modelVersions.setStatus(ctx.db, version, "cancelled", { from: ["training", "evaluating"] });
    };
    process.once("SIGINT", cancel);
    const bar = new cliProgress.SingleBar(
      { format: "{phase} [{bar}] {percentage}% | {info}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0, { phase: "queued", info: "" });
    let v = await modelVersions.getVersionDetail(ctx.db, version);
    while (v && (v.status === "training" || v.status === "evaluating")) {
      const last = v.curve[v.curve.length - 1];
      bar.update(Math.round(v.progress * 100), {
        phase: (v.phase ?? v.status).padEnd(10),
        info: `${last ? `${last.model} step ${last.step} loss ${last.loss.toFixed(3)}` : ""}${v.etaSeconds ? ` | eta ${Math.round(v.etaSeconds)} s` : ""}`,
      });
      await new Promise((r) => setTimeout(r, 1000));
      v = await modelVersions.getVersionDetail(ctx.db, version);
    }
    bar.stop();
    process.off("SIGINT", cancel);
    await worker?.stop();
    if (!v) return 1;
    console.log(`version ${version}: ${v.status}${v.error ? `: ${v.error}` : ""}`);
    if (v.metrics) console.log(JSON.stringify(v.metrics, null, 2));
    const state = await modelVersions.getState(ctx.db);
    if (state.pending === version)
      console.log(`version ${version} passed the gate: the library is re-embedded with it in the background.`);
    return v.status === "ready" || v.status === "active" ? 0 : 1;
  });
}
