"use client";

import Link from "next/link";
import { useState } from "react";
import { createReviewItem, errorMessage, type TimeSpan } from "@/app/_lib/api";
import { FlagIcon } from "./icons";
import { useCan } from "./SessionProvider";

interface CorrectThisProps {
  videoId: string;
  /** the search that found the moment: the item's sentence */
  sentence: string;
  span: TimeSpan;
  /** the grounder's other candidates for it (keys 1–5 on /review) */
  alternatives?: TimeSpan[];
  /** the element naming what is flagged (e.g. the card's video name), read after the button's own name */
  describedBy?: string;
  className?: string;
}

type State = { kind: "idle" } | { kind: "busy" } | { kind: "filed" } | { kind: "error"; message: string };

/**
 * "Correct this": an annotator or admin files a search result as a review item (source
 * "flagged", the result's span as the prediction), to accept, fix or reject on /review.
 * Hidden for viewers; the server checks the role again.
 */
export function CorrectThis({
  videoId,
  sentence,
  span,
  alternatives = [],
  describedBy,
  className = "",
}: CorrectThisProps) {
  const allowed = useCan("videos:annotate");
  const [state, setState] = useState<State>({ kind: "idle" });
  if (!allowed || !sentence.trim()) return null;

  const file = async () => {
    setState({ kind: "busy" });
    try {
      await createReviewItem({
        videoId,
        sentence: sentence.trim(),
        source: "flagged",
        start: span.start,
        end: span.end,
        alternatives: alternatives.map((a) => ({ start: a.start, end: a.end })),
      });
      setState({ kind: "filed" });
    } catch (err) {
      setState({ kind: "error", message: errorMessage(err, "The moment could not be filed for review.") });
    }
  };

  if (state.kind === "filed") {
    return (
      <p
        role="status"
        data-testid="correct-this-filed"
        className={`flex flex-wrap items-center gap-x-1.5 text-xs text-emerald-300 ${className}`}
      >
        Filed for review.{" "}
        <Link href="/review" className="font-medium text-indigo-300 underline underline-offset-2 hover:text-indigo-200">
          Open the review queue
        </Link>
      </p>
    );
  }

  return (
    <div className={`flex flex-wrap items-center gap-x-2 gap-y-1 ${className}`}>
      <button
        type="button"
        onClick={() => void file()}
        disabled={state.kind === "busy"}
        aria-describedby={describedBy}
        data-testid="correct-this"
        className="inline-flex min-h-11 items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800 hover:text-zinc-100 disabled:cursor-not-allowed disabled:opacity-60 sm:min-h-0"
      >
        <FlagIcon className="size-3.5" />
        {state.kind === "busy" ? "Filing…" : "Correct this"}
      </button>
      {state.kind === "error" && (
        <p role="alert" className="text-xs text-rose-300" data-testid="correct-this-error">
          {state.message}
        </p>
      )}
    </div>
  );
}
