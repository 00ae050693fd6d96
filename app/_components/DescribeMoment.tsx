"use client";

import Link from "next/link";
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { createReviewItem, errorMessage, type ReviewItemDto } from "@/app/_lib/api";
import { predictSentences, sentenceLines } from "@/app/_lib/datasets-api";
import { useBatch } from "@/app/_lib/useBatch";
import { BatchProgress } from "./BatchProgress";
import { PRIMARY_BUTTON } from "./forms";
import { formatPrecise } from "./SpanEditor";

/** The server's limit on one sentence. */
const MAX_SENTENCE = 500;
/** Sentences one submission may hold (the server allows far more; a video rarely needs as many). */
const MAX_SENTENCES = 200;

/** forms.tsx's INPUT, growing with its lines. */
const TEXTAREA =
  "block min-h-9 w-full resize-y rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm leading-5 text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 aria-[invalid=true]:border-rose-500/70";

/** The batch's name in the batch list: the first sentence and how many more. */
function batchName(sentences: string[]): string {
  const first = sentences[0].length > 80 ? `${sentences[0].slice(0, 79)}…` : sentences[0];
  return `Described: “${first}” and ${sentences.length - 1} more`;
}

/**
 * "Describe a moment": a sentence typed for this video becomes a review item; the model
 * proposes its span at once and the annotator checks it on /review. Several sentences,
 * one per line, become a batch of predictions that runs in the background.
 */
export function DescribeMoment({ videoId, ready }: { videoId: string; ready: boolean }) {
  const id = useId();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<ReviewItemDto | null>(null);
  const { batch, track } = useBatch();
  const sentences = sentenceLines(text);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    if (sentences.length === 0) {
      setError("Type the sentence that describes the moment.");
      return;
    }
    const long = sentences.findIndex((s) => s.length > MAX_SENTENCE);
    if (long >= 0) {
      setError(
        sentences.length === 1
          ? `The sentence is longer than ${MAX_SENTENCE} characters.`
          : `Sentence ${long + 1} is longer than ${MAX_SENTENCE} characters.`,
      );
      return;
    }
    if (sentences.length > MAX_SENTENCES) {
      setError(`At most ${MAX_SENTENCES} sentences at once; this is ${sentences.length}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (sentences.length === 1) {
        setAdded(await createReviewItem({ videoId, sentence: sentences[0], source: "described" }));
        track(null);
      } else {
        track(
          await predictSentences({
            items: sentences.map((sentence) => ({ videoId, sentence })),
            name: batchName(sentences),
          }),
        );
        setAdded(null);
      }
      setText("");
    } catch (err) {
      setError(
        errorMessage(
          err,
          sentences.length === 1 ? "The moment could not be added." : "The sentences could not be queued.",
        ),
      );
    } finally {
      setBusy(false);
    }
  };

  // Enter files what was typed, as the one-line field did; Shift+Enter starts another line
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== "Enter" || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    void submit();
  };

  const many = sentences.length > 1;
  return (
    <section
      aria-labelledby={`${id}-h`}
      className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="describe-moment"
    >
      <h2 id={`${id}-h`} className="mb-1 text-sm font-semibold text-zinc-300">
        Describe a moment
      </h2>
      <p className="mb-3 text-xs text-zinc-400">
        One moment, with its time: the model proposes its span; you check and fix it in the review queue.
      </p>
      <form onSubmit={(e) => void submit(e)} className="space-y-2">
        <label htmlFor={`${id}-s`} className="sr-only">
          Sentences, one per line
        </label>
        <textarea
          id={`${id}-s`}
          value={text}
          rows={many ? Math.min(8, sentences.length + 1) : 2}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="What happens in the moment, in one sentence"
          disabled={!ready || busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
          data-testid="describe-input"
          className={TEXTAREA}
        />
        <p id={`${id}-hint`} className="text-xs text-zinc-400">
          One sentence per line: Shift+Enter starts another. Several lines become a batch that runs in the background.
        </p>
        <button
          type="submit"
          disabled={!ready || busy}
          className={`${PRIMARY_BUTTON} w-full max-sm:min-h-11`}
          data-testid="describe-submit"
        >
          {busy
            ? many
              ? "Queuing…"
              : "Asking the model…"
            : many
              ? `Add ${sentences.length} for review`
              : "Add for review"}
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
          <Link
            href="/review"
            className="font-medium text-indigo-300 underline underline-offset-2 hover:text-indigo-200"
          >
            Review it
          </Link>
        </p>
      )}
      {batch && (
        <div className="mt-3 space-y-1" data-testid="describe-batch">
          <p role="status" className="text-xs text-zinc-300">
            {batch.total} sentences queued for prediction
            {batch.status === "done" ? ": done." : "."}
          </p>
          <BatchProgress batch={batch} showName={false} />
        </div>
      )}
    </section>
  );
}
