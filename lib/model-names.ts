/**
 * Model versions as people read them. A version string says how a model was built
 * ("relevance-mil-x5-slots-ctx2-ll3-shapes2320v-s1": the architecture, its inputs, the
 * training corpus and the seed); pages show "Relevance scorer · trained on Shapes, seed 1"
 * and keep the full string for a tooltip. Pure, shared by the server and the browser.
 */
const FAMILIES: [prefix: string, name: string][] = [
  ["locvtp", "LocVTP clip and text encoder"],
  ["relevance", "Relevance scorer"],
  ["cpl-cnm", "Single-Gaussian baseline"],
  ["cpl-supervised", "Supervised upper bound"],
  ["cpl", "CPL grounder"],
];

export interface ModelName {
  /** e.g. "Relevance scorer" */
  name: string;
  /** e.g. "trained on Shapes, seed 1", or "untrained" */
  detail: string;
  /** the version string it came from */
  version: string;
}

function describeOne(version: string): ModelName {
  const v = version.trim();
  const family = FAMILIES.find(([prefix]) => v === prefix || v.startsWith(`${prefix}-`));
  const name = family?.[1] ?? v.split(/[-+#@]/)[0] ?? v;
  if (/untrained|random/.test(v)) return { name, detail: "untrained, random weights", version };
  const corpus = /-(shapes)\d*v?(?=-|$)/.exec(v) ? "Shapes" : /-library(?=-|$)/.test(v) ? "your library" : null;
  const seed = /-s(\d+)$/.exec(v.split("#")[0])?.[1];
  const parts = [corpus ? `trained on ${corpus}` : "trained", seed ? `seed ${seed}` : null].filter(Boolean);
  return { name, detail: parts.join(", "), version };
}

/**
 * One or more models joined with "+" (a grounder carrying the scorer), optionally with
 * the grounding method after "#": each part named.
 */
export function describeModelVersion(version: string): ModelName[] {
  const [models, method] = version.split("#");
  const parts = models.split("+").filter(Boolean).map(describeOne);
  if (method && parts.length)
    parts[parts.length - 1] = {
      ...parts[parts.length - 1],
      detail: `${parts[parts.length - 1].detail}; ${method} grounding`,
    };
  return parts;
}

/** "Relevance scorer (trained on Shapes, seed 1) + LocVTP clip and text encoder (…)" */
export function modelLabel(version: string | null | undefined): string {
  if (!version) return "—";
  return describeModelVersion(version)
    .map((m) => `${m.name} (${m.detail})`)
    .join(" + ");
}
