/** One generic cached loader: every model folder is read once per process. */
import path from "node:path";

/**
 * Wraps `load(dir, options)` so that each folder (by absolute path, with the same options) loads
 * once; concurrent callers share the promise, and a failed load is forgotten so a later call can
 * retry.
 */
export function cachedLoader<T, O extends object = Record<string, never>>(
  load: (dir: string, options: Partial<O>) => Promise<T>,
): (dir: string, options?: Partial<O>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (dir: string, options: Partial<O> = {}) => {
    const key = `${path.resolve(dir)}\u0000${JSON.stringify(options)}`;
    let p = cache.get(key);
    if (!p) {
      p = load(dir, options);
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return p;
  };
}
