"use client";

import { useCallback, useState } from "react";
import { getBatch, isBatchActive, type BatchDto } from "./datasets-api";
import { usePolling } from "./usePolling";
import { POLL_MS } from "./useVideoList";

/** One batch of predictions, polled until it is done or failed. `track` starts following another. */
export function useBatch(): { batch: BatchDto | null; track: (b: BatchDto | null) => void } {
  const [batch, setBatch] = useState<BatchDto | null>(null);
  const id = batch?.id;
  usePolling(
    async () => {
      if (!id) return;
      const fresh = await getBatch(id);
      // a poll for a batch no longer followed must not bring it back
      setBatch((cur) => (cur?.id === fresh.id ? fresh : cur));
    },
    POLL_MS,
    batch !== null && isBatchActive(batch),
  );
  const track = useCallback((b: BatchDto | null) => setBatch(b), []);
  return { batch, track };
}
