"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "./api";
import {
  getModels,
  getModelVersion,
  type ModelsOverview,
  type ModelVersion,
  type ModelVersionDetail,
} from "./models-api";
import { isRunning, overviewBusy, statusChange } from "./models-format";
import { usePolling } from "./usePolling";

/** How often a running training or a switch is asked about. */
export const MODELS_POLL_MS = 2000;

export interface Loaded<T> {
  value: T | null;
  error: string | null;
  /** fetches again now (after an action); resolves when the answer is in */
  reload: () => Promise<void>;
}

/**
 * GET /api/models, polled every 2 s while a version trains or evaluates, has just become
 * ready (the server may activate it on its own), or the library is re-embedded for a
 * switch; left alone otherwise. `announce` gets a sentence when a
 * version's status changes between two answers (for a polite live region).
 */
export function useModelsOverview(announce?: (message: string) => void): Loaded<ModelsOverview> {
  const [value, setValue] = useState<ModelsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const previous = useRef<ModelsOverview | null>(null);
  const announceRef = useRef(announce);
  useEffect(() => {
    announceRef.current = announce;
  });

  const apply = useCallback((next: ModelsOverview) => {
    const before = previous.current;
    previous.current = next;
    setValue(next);
    setBusy(overviewBusy(next, Date.now()));
    setError(null);
    const changes = before ? overviewChanges(before, next) : [];
    if (changes.length > 0) announceRef.current?.(changes.join(" "));
  }, []);
  const fail = useCallback((err: unknown) => {
    if (err instanceof DOMException && err.name === "AbortError") return;
    setError(errorMessage(err, "The model versions could not be loaded."));
  }, []);
  const load = useCallback(() => getModels().then(apply, fail), [apply, fail]);

  useEffect(() => {
    const ac = new AbortController();
    getModels(ac.signal).then(apply, fail);
    return () => ac.abort();
  }, [apply, fail]);

  usePolling(() => load(), MODELS_POLL_MS, busy);
  const reload = useCallback(() => load(), [load]);
  return { value, error, reload };
}

/** What changed between two answers, in sentences: a status change per version, a switch finished. */
function overviewChanges(before: ModelsOverview, after: ModelsOverview): string[] {
  const out: string[] = [];
  const old = new Map<number, ModelVersion>(before.versions.map((v) => [v.version, v]));
  for (const v of after.versions) {
    const was = old.get(v.version);
    if (was && was.status !== v.status) {
      const message = statusChange(v.version, was.status, v.status, v.error);
      if (message) out.push(message);
    }
  }
  if (before.active.version !== after.active.version)
    out.push(`Search now answers with version ${after.active.version}.`);
  return out;
}

/** GET /api/models/:version, polled every 2 s while it trains or evaluates (and not after). */
export function useModelVersion(version: number): Loaded<ModelVersionDetail> & { notFound: boolean } {
  const [value, setValue] = useState<ModelVersionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);

  const apply = useCallback((next: ModelVersionDetail) => {
    setValue(next);
    setError(null);
  }, []);
  const fail = useCallback(
    (err: unknown) => {
      if (err instanceof DOMException && err.name === "AbortError") return;
      // versions are whole numbers: an unknown one is answered 404, a malformed one 400
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setNotFound(true);
      else setError(errorMessage(err, `Version ${version} could not be loaded.`));
    },
    [version],
  );
  const load = useCallback(() => getModelVersion(version).then(apply, fail), [version, apply, fail]);

  useEffect(() => {
    const ac = new AbortController();
    getModelVersion(version, ac.signal).then(apply, fail);
    return () => ac.abort();
  }, [version, apply, fail]);

  usePolling(() => load(), MODELS_POLL_MS, value !== null && isRunning(value.status));
  const reload = useCallback(() => load(), [load]);
  return { value, error, reload, notFound };
}
