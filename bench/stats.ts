/** The statistics the benches print; pure, so the benches that only spawn a server load no database. */

/** The p-th percentile (0–100) of `xs`, nearest rank from below; NaN for none. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}
