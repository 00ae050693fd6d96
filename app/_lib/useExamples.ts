"use client";

import { useEffect, useState } from "react";
import { searchExamples } from "./api";

/** One request per page load: the examples change only when the library's datasets do. */
let cached: Promise<string[]> | null = null;

function load(): Promise<string[]> {
  cached ??= searchExamples().catch(() => {
    cached = null; // try again next time
    return [];
  });
  return cached;
}

/**
 * The example searches the library can answer (GET /api/search/examples): sentences from
 * its annotated datasets that are known to find a correct moment first. `null` while
 * loading; [] when there are none (or the server has no such list).
 */
export function useExamples(): string[] | null {
  const [examples, setExamples] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((e) => {
      if (live) setExamples(e);
    });
    return () => {
      live = false;
    };
  }, []);
  return examples;
}
