/**
 * Pick the fastest tfjs backend that actually works on this machine:
 * tfjs-node-gpu → tfjs-node → wasm → cpu (TFJS_BACKEND overrides the order's start).
 * The node bindings are optionalDependencies whose native libtensorflow may be missing;
 * a failed import must be a clean fallback, never a crash. tf.setBackend() resolves to
 * false (not a throw) when a backend fails to initialise, so the result is checked.
 */
import * as tf from "@tensorflow/tfjs";
import os from "node:os";
import type { BackendInfo } from "../types";

type Candidate = { name: string; backend: string; load: () => Promise<void> };

const dynamicImport = (m: string): Promise<unknown> => import(/* webpackIgnore: true */ m);

const CANDIDATES: Candidate[] = [
  {
    name: "tfjs-node-gpu",
    backend: "tensorflow",
    load: async () => void (await dynamicImport("@tensorflow/tfjs-node-gpu")),
  },
  { name: "tfjs-node", backend: "tensorflow", load: async () => void (await dynamicImport("@tensorflow/tfjs-node")) },
  {
    name: "wasm",
    backend: "wasm",
    load: async () => {
      // a literal import so bundlers include it (the node bindings stay dynamic: optional)
      const wasm = (await import("@tensorflow/tfjs-backend-wasm")) as unknown as {
        setThreadsCount?: (n: number) => void;
      };
      // Only the threaded build honours this; it is a harmless no-op otherwise.
      try {
        wasm.setThreadsCount?.(Math.max(1, os.cpus().length));
      } catch {
        /* already initialised */
      }
    },
  },
  { name: "cpu", backend: "cpu", load: async () => {} },
];

let initPromise: Promise<BackendInfo> | undefined;

/**
 * One sentence on why `chosen` is in use: the override put it first, or every candidate before
 * it in the order failed (each named with its reason's first words).
 */
export function explainChoice(chosen: string, tried: BackendInfo["tried"], override?: string | null): string {
  const skipped = tried.filter((t) => !t.ok);
  const overridden = !!override && candidateOrder(override)[0] !== CANDIDATES[0].name;
  const head = overridden
    ? `TFJS_BACKEND=${override} put ${candidateOrder(override)[0]} first`
    : `the order is ${CANDIDATES.map((c) => c.name).join(" → ")}`;
  if (skipped.length === 0) return `${head}; ${chosen} is the first candidate and it initialised`;
  // a missing optional package's message ends in the importing file's path: the package is what matters
  const short = (r?: string) => (r ?? "failed").replace(/ imported from .*$/, "").slice(0, 100);
  const why = skipped.map((t) => `${t.name}: ${short(t.reason)}`).join("; ");
  return `${head}; ${chosen} is the first that initialised (skipped ${why})`;
}

async function tryCandidates(order: Candidate[], override?: string | null): Promise<BackendInfo> {
  const tried: BackendInfo["tried"] = [];
  for (const c of order) {
    try {
      await c.load();
      if (!tf.findBackendFactory(c.backend)) throw new Error(`backend "${c.backend}" not registered after import`);
      const ok = await tf.setBackend(c.backend);
      if (!ok) throw new Error(`tf.setBackend("${c.backend}") returned false`);
      await tf.ready();
      if (tf.getBackend() !== c.backend) throw new Error(`active backend is ${tf.getBackend()}`);
      tried.push({ name: c.name, ok: true });
      if (c.backend === "wasm") registerWasmExtras();
      return { name: c.backend, candidate: c.name, why: explainChoice(c.name, tried, override), tried };
    } catch (e) {
      tried.push({ name: c.name, ok: false, reason: (e as Error).message.split("\n")[0].slice(0, 200) });
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${JSON.stringify(tried)}`);
}

/** Order of candidates given a TFJS_BACKEND override (accepts a candidate or backend name). */
export function candidateOrder(override: string | undefined): string[] {
  const names = CANDIDATES.map((c) => c.name);
  if (!override) return names;
  const o = override.toLowerCase();
  const first = CANDIDATES.filter((c) => c.name === o || c.backend === o).map((c) => c.name);
  if (first.length === 0) return names;
  // The override goes first; the rest stay as fallbacks so a bad override still works.
  return [...first, ...names.filter((n) => !first.includes(n))];
}

/** How the app wants the backend chosen (lib/config.ts: TFJS_BACKEND, ML_QUIET). */
export interface BackendOptions {
  /** a backend or candidate name to try first (the others stay fallbacks) */
  tfjsBackend?: string | null;
  /** no log line */
  quiet?: boolean;
}

/**
 * Memoised: the first call picks the backend (with its options), later calls return the same
 * info. The app calls it first with its configuration; the model loaders call it bare.
 */
export function initBackend(o: BackendOptions = {}): Promise<BackendInfo> {
  if (!initPromise) {
    const order = candidateOrder(o.tfjsBackend ?? undefined).map((n) => CANDIDATES.find((c) => c.name === n)!);
    initPromise = tryCandidates(order, o.tfjsBackend).then((info) => {
      if (!o.quiet) console.log(`[ml] tfjs backend: ${info.candidate} (${info.why})`);
      return info;
    });
    initPromise.catch(() => (initPromise = undefined));
  }
  return initPromise;
}

interface WasmBackendLike {
  disposeData(dataId: object): void;
  readSync(dataId: object): Float32Array | Int32Array;
  makeOutput(shape: number[], dtype: string): { dataId: object; shape: number[]; dtype: string };
  typedArrayFromHeap(t: { dataId: object; shape: number[]; dtype: string }): Float32Array;
}

let extrasRegistered = false;
/**
 * The wasm backend lacks UnsortedSegmentSum, which the gradient of tf.gather (embedding
 * lookups) needs. A plain-JS kernel on the wasm heap fills the gap so training can use the
 * ~3x faster wasm matmul instead of falling back to the pure-JS cpu backend.
 */
export function registerWasmExtras(): void {
  if (extrasRegistered) return;
  extrasRegistered = true;
  registerFastTransposedMatMul();
  if (tf.getKernel("UnsortedSegmentSum", "wasm")) return;
  tf.registerKernel({
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmBackendLike;
      const x = inputs.x as unknown as { dataId: object; shape: number[]; dtype: string };
      const seg = inputs.segmentIds as unknown as { dataId: object; shape: number[] };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const xv = b.readSync(x.dataId);
      const ids = b.readSync(seg.dataId);
      const inner = ids.length ? xv.length / ids.length : 0;
      const outShape = [numSegments, ...x.shape.slice(seg.shape.length)];
      const out = b.makeOutput(outShape, x.dtype);
      const ov = b.typedArrayFromHeap(out);
      ov.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id < 0 || id >= numSegments) continue;
        const o = id * inner;
        const xo = i * inner;
        for (let j = 0; j < inner; j++) ov[o + j] += xv[xo + j];
      }
      return out as unknown as tf.TensorInfo;
    },
  });
}

type Info = { dataId: object; shape: number[]; dtype: string };
/**
 * tfjs-backend-wasm 4.22's BatchMatMul with transposeA/transposeB runs 10–20× slower than
 * an explicit Transpose followed by a plain product (measured here: [768,512]ᵀ·[768,128]
 * 60 ms vs 3.8 ms), and every matmul gradient uses those flags — it was ~80 % of a
 * training step. Wrap the kernel: transpose the flagged operands, then the fast path.
 */
function registerFastTransposedMatMul(): void {
  const mm = tf.getKernel("BatchMatMul", "wasm");
  const tr = tf.getKernel("Transpose", "wasm");
  if (!mm || !tr) return;
  const plain = mm.kernelFunc;
  const transpose = tr.kernelFunc;
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({
    ...mm,
    kernelFunc: (args) => {
      const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return plain(args);
      const b = args.backend as unknown as WasmBackendLike;
      const temp: Info[] = [];
      const swapLast = (x: Info): Info => {
        const perm = x.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        const y = transpose({
          inputs: { x: x as unknown as tf.TensorInfo },
          backend: args.backend,
          attrs: { perm },
        }) as unknown as Info;
        temp.push(y);
        return y;
      };
      const a0 = args.inputs.a as unknown as Info;
      const b0 = args.inputs.b as unknown as Info;
      const out = plain({
        ...args,
        inputs: {
          a: (attrs.transposeA ? swapLast(a0) : a0) as unknown as tf.TensorInfo,
          b: (attrs.transposeB ? swapLast(b0) : b0) as unknown as tf.TensorInfo,
        },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      for (const t of temp) b.disposeData(t.dataId);
      return out;
    },
  });
}
