/**
 * Making a version the one that answers: the evaluation gate (lib/models/gate.ts), then the
 * background re-embedding of the library with its encoder (lib/models/reembed.ts), which ends
 * in the atomic switch. Re-activating an earlier version (rollback) is the same request.
 * Cancelling stops a pending re-embedding (search stays on the active version) or a training run.
 */
import * as modelVersions from "@/db/repositories/model-versions";
import type { ModelVersion } from "@/db/repositories/model-versions";
import type { Context } from "../context";
import { AppError, conflict, notFound } from "../errors";
import { modelsOf } from "../models";
import { configuredFeaturizer, describeFeaturizer, modelsFeaturizer } from "@/ml/features/featurizer";
import { gateDecision, type GateDecision } from "./gate";
import { versionDir, versionDirExists } from "./versions";

async function findVersion(ctx: Context, version: number): Promise<ModelVersion> {
  const v = await modelVersions.getVersion(ctx.db, version);
  if (!v) throw notFound(`No model version ${version}.`);
  return v;
}

/** The gate's verdict on making `version` active instead of the active version. */
export async function gateFor(ctx: Context, version: number): Promise<GateDecision> {
  const [candidate, state] = await Promise.all([findVersion(ctx, version), modelVersions.getState(ctx.db)]);
  const active = await findVersion(ctx, state.active);
  return gateDecision(candidate, active);
}

export interface ActivationStarted {
  pending: { version: number };
  gate: GateDecision;
  /** the gate refused and `force` overrode it */
  forced: boolean;
}

/**
 * Starts making `version` active: checks it can be (it is 'ready', its weights load), asks the
 * gate unless `force`, marks it pending and queues the re-embedding. 404: no such version;
 * 409: already active, not ready, its weights missing, trained on another frame featurizer
 * than the configured one (force does not override it), or the gate refuses.
 */
export async function requestActivation(
  ctx: Context,
  version: number,
  o: { force?: boolean } = {},
): Promise<ActivationStarted> {
  const v = await findVersion(ctx, version);
  const state = await modelVersions.getState(ctx.db);
  if (state.active === version) throw conflict(`Version ${version} is already active.`, "already_active");
  if (v.status !== "ready")
    throw conflict(
      `Version ${version} is ${v.status}; only a version that finished training and evaluation can be activated.`,
      "not_ready",
    );
  if (!versionDirExists(ctx.config, version))
    throw conflict(`The weights of version ${version} are missing from the models folder.`, "weights_missing");
  featurizerMatches(ctx, version);
  const gate = await gateFor(ctx, version);
  if (!gate.pass && !o.force)
    throw conflict(`${gate.reason} Activate it explicitly (force) to use it anyway.`, "gate_refused");
  // the weights must load before the library is re-embedded with them
  await modelsOf(ctx.config, version)
    .clipEncoder()
    .catch((err: Error) => {
      throw new AppError(409, "weights_unloadable", `The models of version ${version} do not load: ${err.message}`);
    });
  if (state.pending !== version) await modelVersions.beginPending(ctx.db, version);
  await (await ctx.queue()).enqueueReembed(version);
  return { pending: { version }, gate, forced: !gate.pass };
}

/**
 * 409 unless `version`'s clip encoder reads the featurizer this installation is configured
 * with (the built-in low-level stage, or the frame backbone in LOCVTP_BACKBONE_DIR): the
 * library would be re-embedded, and searched, with features its users did not choose, or from
 * a backbone that is not there.
 */
function featurizerMatches(ctx: Context, version: number): void {
  let configured: string;
  let trained: string;
  try {
    configured = configuredFeaturizer(ctx.config.ml.backboneDir);
    trained = modelsFeaturizer(versionDir(ctx.config, version), ctx.config.ml.backboneDir);
  } catch (err) {
    throw new AppError(409, "backbone_unavailable", `The frame backbone cannot be read: ${(err as Error).message}.`);
  }
  if (trained !== configured)
    throw conflict(
      `Version ${version} was trained on ${describeFeaturizer(trained)}, but this installation is configured with ${describeFeaturizer(configured)} (LOCVTP_BACKBONE_DIR); configure that featurizer again, or train a version on this one.`,
      "backbone_mismatch",
    );
}

/**
 * What training calls once a version is evaluated: activates it when the gate passes, and
 * otherwise leaves it 'ready' for an admin to decide. Never throws for the gate's refusal.
 */
export async function activateIfNotWorse(
  ctx: Context,
  version: number,
): Promise<{ started: boolean; gate: GateDecision }> {
  const gate = await gateFor(ctx, version);
  if (!gate.pass) return { started: false, gate };
  await requestActivation(ctx, version);
  return { started: true, gate };
}

export type Cancelled = { version: number; cancelled: "training" | "re-embedding" };

/**
 * Cancels what is running for `version`: its pending re-embedding (the staged vectors are
 * dropped; search stays on the active version), or its training run (status 'cancelled'; the
 * training job sees it at its next progress report and stops). 404: no such version; 409:
 * nothing to cancel.
 */
export async function cancelVersion(ctx: Context, version: number): Promise<Cancelled> {
  const v = await findVersion(ctx, version);
  if (await modelVersions.cancelPending(ctx.db, version)) return { version, cancelled: "re-embedding" };
  if (v.status === "training" || v.status === "evaluating") {
    if (await modelVersions.setStatus(ctx.db, version, "cancelled", { from: ["training", "evaluating"] }))
      return { version, cancelled: "training" };
  }
  throw conflict(`Version ${version} has nothing running to cancel (it is ${v.status}).`, "nothing_to_cancel");
}
