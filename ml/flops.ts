/** Analytic FLOP counts (multiply-add = 2 FLOPs) of the grounder, for the benchmark. */
import type { CplConfig } from "./cpl/config";

function layerFlops(tokens: number, d: number, ffn: number): number {
  return tokens * (4 * d * d + 2 * d * ffn) * 2;
}

/** One query: M words against an nTokens video. `loss` adds R×K reconstruction passes. */
export function cplFlops(cfg: CplConfig, M: number, method: "vote" | "loss", vocab = 100, R = 3): number {
  const { hidden: d, ffn, nTokens: N, K } = cfg;
  let f = 0;
  f += cfg.encLayers * (layerFlops(M, d, ffn) + 4 * M * M * d);
  f += N * (cfg.inDim + (cfg.simChannel ? 2 : 0)) * d * 2; // video input projection
  if (cfg.simChannel) f += N * cfg.inDim * 2; // query–token cosines
  const tk = cfg.temporalKernel ?? 0;
  if (tk > 1) f += N * tk * d * d * 2; // temporal convolution
  const L = N + 1;
  // decoder: self-attn block + cross-attn q/o on the video side, k/v on the words, FFN
  f += cfg.decLayers * (layerFlops(L, d, ffn) + L * 2 * d * d * 2 + M * 2 * d * d * 2 + 4 * L * L * d + 4 * L * M * d);
  // head: FC to 2K numbers, or to K pointer vectors + their scores over the N tokens
  f += (cfg.head ?? "fc") === "pointer" ? d * K * d * 2 + K * N * d * 2 : d * 2 * K * 2;
  if (method === "loss") {
    const P = R * K;
    f +=
      cfg.recLayers *
      (N * 2 * d * d * 2 * R + P * (layerFlops(M, d, ffn) + M * 2 * d * d * 2 + 4 * M * M * d + 4 * M * N * d));
    f += P * M * d * vocab * 2;
  }
  return f;
}
