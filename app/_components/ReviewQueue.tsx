"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  ApiError,
  decideReviewItem,
  errorMessage,
  nextReviewItem,
  skipReviewItem,
  undoReviewDecision,
  type AnnotationDto,
  type DecisionBody,
  type ReviewItemDto,
} from "@/app/_lib/api";
import { Alert } from "./Alert";
import { CheckIcon } from "./icons";
import { forgetDraft, ReviewWorkspace, type Draft } from "./ReviewWorkspace";

/** What was decided in this tab, newest last: undo shows the item again. */
interface Decided {
  item: ReviewItemDto;
  annotation: AnnotationDto;
}

const DECISION_WORDS: Record<DecisionBody["decision"], string> = {
  accept: "Accepted",
  correct: "Corrected",
  reject: "Rejected",
};

/**
 * The review queue: the caller's claimed item (GET /api/review/next; the server keeps
 * the claim, so a reload shows the same item), decided at once on the server, with undo.
 */
export function ReviewQueue() {
  // undefined: loading; null: nothing left
  const [item, setItem] = useState<ReviewItemDto | null | undefined>(undefined);
  // what the workspace starts from: the prediction, or an undone decision's span
  const [initial, setInitial] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // bumped whenever an item is (re)shown: the workspace starts fresh
  const [epoch, setEpoch] = useState(0);
  const history = useRef<Decided[]>([]);
  const busyRef = useRef(false);

  const loadNext = useCallback(async () => {
    try {
      const next = await nextReviewItem();
      setItem(next);
      setInitial(null);
      setEpoch((n) => n + 1);
      setError(null);
    } catch (err) {
      setError(errorMessage(err, "The next item could not be loaded."));
      setItem((i) => (i === undefined ? null : i));
    }
  }, []);

  useEffect(() => {
    let live = true;
    nextReviewItem()
      .then((next) => {
        if (live) setItem(next);
      })
      .catch((err: unknown) => {
        if (!live) return;
        setError(errorMessage(err, "The next item could not be loaded."));
        setItem(null);
      });
    return () => {
      live = false;
    };
  }, []);

  /** One request at a time: a key held down must not decide two items. */
  const exclusive = useCallback(async (fn: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      await fn();
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, []);

  const decide = useCallback(
    (current: ReviewItemDto, body: DecisionBody) =>
      exclusive(async () => {
        try {
          const annotation = await decideReviewItem(current.id, body);
          history.current.push({ item: current, annotation });
          forgetDraft(current.id);
          setNotice(`${DECISION_WORDS[body.decision]} “${annotation.sentence}”. Ctrl+Z undoes it.`);
          setError(null);
          await loadNext();
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) {
            // decided elsewhere (another tab) or taken by another annotator after the claim ran out
            setNotice(null);
            setError(`${err.message} Showing your next item.`);
            await loadNext();
            return;
          }
          setError(errorMessage(err, "The decision could not be saved."));
        }
      }),
    [exclusive, loadNext],
  );

  const undo = useCallback(
    () =>
      exclusive(async () => {
        try {
          const annotation = await undoReviewDecision();
          let known: Decided | null = null;
          for (let i = history.current.length - 1; i >= 0; i--) {
            if (history.current[i].annotation.id !== annotation.id) continue;
            known = history.current.splice(i, 1)[0];
            break;
          }
          setError(null);
          setNotice(`Undid the ${annotation.decision} of “${annotation.sentence}”.`);
          if (known) {
            // the item as it was, with the span that was sent
            setItem({ ...known.item, sentence: annotation.sentence });
            setInitial({ span: annotation.span ?? known.item.prediction, sentence: annotation.sentence });
            setEpoch((n) => n + 1);
          } else {
            // decided before this page was loaded: the server hands it back in turn
            await loadNext();
          }
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) {
            setNotice(null);
            setError("There is no decision of yours to undo.");
            return;
          }
          setError(errorMessage(err, "The undo could not be saved."));
        }
      }),
    [exclusive, loadNext],
  );

  const skip = useCallback(
    (current: ReviewItemDto) =>
      exclusive(async () => {
        try {
          await skipReviewItem(current.id);
          forgetDraft(current.id);
          setError(null);
          setNotice(`Skipped “${current.sentence}”; it comes back after the rest of the queue.`);
          await loadNext();
        } catch (err) {
          setError(errorMessage(err, "The item could not be skipped."));
        }
      }),
    [exclusive, loadNext],
  );

  if (item === undefined) {
    return (
      <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading the next item">
        <div className="h-10 w-2/3 animate-pulse rounded bg-zinc-800" />
        <div className="aspect-video w-full animate-pulse rounded-xl bg-zinc-900" />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      {error && <Alert tone="error">{error}</Alert>}
      {notice && (
        <p
          role="status"
          data-testid="review-notice"
          className="rounded-md bg-zinc-800/70 px-3 py-2 text-sm text-zinc-300"
        >
          {notice}
        </p>
      )}
      {item === null ? (
        <Empty onUndo={() => void undo()} busy={busy} />
      ) : (
        <ReviewWorkspace
          key={`${item.id}-${epoch}`}
          item={item}
          initial={initial}
          busy={busy}
          onDecide={(body) => void decide(item, body)}
          onUndo={() => void undo()}
          onSkip={() => void skip(item)}
        />
      )}
    </div>
  );
}

function Empty({ onUndo, busy }: { onUndo: () => void; busy: boolean }) {
  // Ctrl+Z still works on the empty page
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "z") {
        e.preventDefault();
        onUndo();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [onUndo]);

  return (
    <div className="flex flex-col items-center py-20 text-center" data-testid="review-empty">
      <CheckIcon className="size-12 text-emerald-500/70" />
      <h2 className="mt-4 text-xl font-semibold">Nothing left to review</h2>
      <p className="mt-2 max-w-md text-sm text-zinc-400">
        Every item is decided. Open a video and describe a moment in it: the model proposes the span, and it comes here
        for you to check.
      </p>
      <div className="mt-6 flex items-center gap-4 text-sm font-medium">
        <Link href="/" className="text-indigo-300 hover:text-indigo-200">
          Describe a moment
        </Link>
        <Link href="/evaluation" className="text-indigo-300 hover:text-indigo-200">
          See the evaluation
        </Link>
        <button
          type="button"
          onClick={onUndo}
          disabled={busy}
          className="text-zinc-300 hover:text-zinc-100 disabled:opacity-50"
        >
          Undo the last decision
        </button>
      </div>
    </div>
  );
}
