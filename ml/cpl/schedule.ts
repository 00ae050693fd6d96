/**
 * CPL's optimisation schedule as the reference code runs it (fairseq's inverse square root):
 * a linear warm-up from `initLr` to `lr` over `warmup` updates, then lr · √warmup / √step; and
 * gradient clipping by the global norm.
 */

export interface LrSchedule {
  kind: "constant" | "inverse-sqrt";
  lr: number;
  /** warm-up updates (inverse-sqrt only) */
  warmup: number;
  /** the learning rate at update 0 of the warm-up (the reference: 1e-7) */
  initLr: number;
}

/** The learning rate of update `step` (1-based). */
export function learningRateAt(step: number, s: LrSchedule): number {
  if (s.kind === "constant" || s.warmup <= 0) return s.lr;
  if (step < s.warmup) return s.initLr + (step * (s.lr - s.initLr)) / s.warmup;
  return (s.lr * Math.sqrt(s.warmup)) / Math.sqrt(step);
}

/**
 * The factor gradients are multiplied by so that their global L2 norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_: maxNorm / (norm + 1e-6) when the norm exceeds it, else 1).
 */
export function clipFactor(norm: number, maxNorm: number): number {
  const f = maxNorm / (norm + 1e-6);
  return f < 1 ? f : 1;
}
