"use client";

import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { createReviewItem, errorMessage, type ReviewItemDto } from "@/app/_lib/api";
import { INPUT, PRIMARY_BUTTON } from "./forms";
import { formatPrecise } from "./SpanEditor";

/**
 * "Describe a moment": a sentence typed for this video becomes a review item; the model
 * proposes its span at once and the annotator checks it on /review.
 */
export function DescribeMoment({ videoId, ready }: { videoId: string; ready: boolean }) {
  const id = useId();
  const [sentence, setSentence] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<ReviewItemDto | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!sentence.trim()) {
      setError("Type the sentence that describes the moment.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setAdded(await createReviewItem({ videoId, sentence: sentence.trim(), source: "described" }));
      setSentence("");
    } catch (err) {
      setError(errorMessage(err, "The moment could not be added."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-h`} className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4" data-testid="describe-moment">
      <h2 id={`${id}-h`} className="mb-1 text-sm font-semibold text-zinc-300">
        Describe a moment
      </h2>
      <p className="mb-3 text-xs text-zinc-400">The model proposes its span; you check and fix it in the review queue.</p>
      <form onSubmit={(e) => void submit(e)} className="space-y-2">
        <label htmlFor={`${id}-s`} className="sr-only">
          Sentence
        </label>
        <input
          id={`${id}-s`}
          value={sentence}
          maxLength={500}
          onChange={(e) => setSentence(e.target.value)}
          placeholder="the red square spins"
          disabled={!ready || busy}
          aria-invalid={error ? true : undefined}
          data-testid="describe-input"
          className={INPUT}
        />
        <button type="submit" disabled={!ready || busy} className={`${PRIMARY_BUTTON} w-full`} data-testid="describe-submit">
          {busy ? "Asking the model…" : "Add for review"}
        </button>
      </form>
      {!ready && <p className="mt-2 text-xs text-zinc-400">Available once the video is processed.</p>}
      {error && (
        <p role="alert" className="mt-2 text-xs text-rose-300">
          {error}
        </p>
      )}
      {added && (
        <p role="status" className="mt-2 text-xs text-emerald-300" data-testid="describe-added">
          Added: the model proposes {formatPrecise(added.prediction.start)}–{formatPrecise(added.prediction.end)}.{" "}
          <Link href="/review" className="font-medium text-indigo-300 underline underline-offset-2 hover:text-indigo-200">
            Review it
          </Link>
        </p>
      )}
    </section>
  );
}
