/** One generic cached loader: every model folder is read once per process. */
import path from "node:path";

/**
 * Wraps `load(dir)` so that each folder (by absolute path) loads once; concurrent callers share
 * the promise, and a failed load is forgotten so a later call can retry.
 */
export function cachedLoader<T>(load: (dir: string) => Promise<T>): (dir: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (dir: string) => {
    const key = path.resolve(dir);
    let p = cache.get(key);
    if (!p) {
      p = load(dir);
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return p;
  };
}
