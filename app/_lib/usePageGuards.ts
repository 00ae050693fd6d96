"use client";

import { useEffect } from "react";

/** While `busy` (uploads or an import running, which leaving would abort), leaving the page asks first. */
export function useConfirmLeave(busy: boolean): void {
  useEffect(() => {
    if (!busy) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [busy]);
}

/** A file dropped beside the page's drop zone must not make the browser navigate away to it. */
export function useBlockStrayDrops(): void {
  useEffect(() => {
    const block = (e: DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files")) e.preventDefault();
    };
    window.addEventListener("dragover", block);
    window.addEventListener("drop", block);
    return () => {
      window.removeEventListener("dragover", block);
      window.removeEventListener("drop", block);
    };
  }, []);
}
