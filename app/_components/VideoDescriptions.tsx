"use client";

import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiError, errorMessage } from "@/app/_lib/api";
import {
  addDescriptions,
  DESCRIPTIONS_ANCHOR,
  descriptionLines,
  descriptionsProblem,
  listDescriptions,
  removeDescription,
  skippedLines,
  type DescriptionDto,
} from "@/app/_lib/training-api";
import { PRIMARY_BUTTON } from "./forms";
import { ChevronDownIcon, CloseIcon } from "./icons";
import { useCan } from "./SessionProvider";

/** Sentences shown before "Show all". */
const SHOWN = 8;

/** DescribeMoment's textarea style (forms.tsx's INPUT, growing with its lines). */
const TEXTAREA =
  "block min-h-9 w-full resize-y rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm leading-5 text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none read-only:opacity-60 aria-[invalid=true]:border-rose-500/70";

const QUIET_BUTTON =
  "inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2 text-sm font-medium text-indigo-300 hover:bg-zinc-800 hover:text-indigo-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-8";

type Message = { tone: "ok" | "error"; text: string } | null;

/** What an Add did: the sentences the server added and the lines it skipped as repeats. */
interface Outcome {
  added: string[];
  skipped: string[];
}

const quoted = (s: string) => `“${s.length > 80 ? `${s.slice(0, 79)}…` : s}”`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "What happens in this video": sentences about the whole video, typed without times,
 * that teach the models what the library's videos show (weak captions, issue 22). Anyone
 * who may watch sees the list (nothing when it is empty); annotators and admins remove a
 * sentence, and open the editor with one button: one sentence per line, "Add" says what
 * was added and what was skipped as a repeat. Unlike "Describe a moment", nothing here
 * gets a span or goes to the review queue.
 */
export function VideoDescriptions({ videoId }: { videoId: string }) {
  const id = useId();
  const canEdit = useCan("videos:annotate");
  const [list, setList] = useState<DescriptionDto[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [showAll, setShowAll] = useState(false);
  // /datasets' "describe it" links here with the anchor: the editor opens, ready to type
  // (this component mounts on the client only, once the video has loaded)
  const [open, setOpen] = useState(
    () => canEdit && typeof window !== "undefined" && window.location.hash === `#${DESCRIPTIONS_ANCHOR}`,
  );
  const focusEditor = useRef(open);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removal, setRemoval] = useState<Message>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    listDescriptions(videoId, ctrl.signal).then(
      (d) => {
        setList(d);
        setLoadError(null);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setLoadError(errorMessage(err, "The sentences could not be loaded."));
      },
    );
    return () => ctrl.abort();
  }, [videoId, reloads]);

  // the textarea takes the focus when it opens (the button, or the anchor)
  const textareaRef = useCallback((el: HTMLTextAreaElement | null) => {
    if (el && focusEditor.current) {
      focusEditor.current = false;
      el.focus();
    }
  }, []);

  const lines = descriptionLines(text);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const problem = descriptionsProblem(lines);
    if (problem) {
      setFormError(problem);
      return;
    }
    setBusy(true);
    setFormError(null);
    setOutcome(null);
    setRemoval(null);
    try {
      const added = await addDescriptions(videoId, lines);
      setList((cur) => [...(cur ?? []), ...added.filter((a) => !cur?.some((c) => c.id === a.id))]);
      if ((list?.length ?? 0) + added.length > SHOWN) setShowAll(true);
      setOutcome({ added: added.map((a) => a.sentence), skipped: skippedLines(lines, added) });
      setText("");
    } catch (err) {
      setFormError(errorMessage(err, "The sentences could not be added."));
    } finally {
      setBusy(false);
    }
  };

  // Enter starts another line (one sentence per line); Ctrl+Enter or ⌘+Enter adds them
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.nativeEvent.isComposing) return;
    e.preventDefault();
    void submit();
  };

  const remove = async (d: DescriptionDto) => {
    if (removing) return;
    setRemoving(d.id);
    setRemoval(null);
    setOutcome(null);
    const current = list ?? [];
    const at = current.findIndex((x) => x.id === d.id);
    // the focus goes on to the next sentence's button, else the previous one's, else "Add sentences"
    const next = current[at + 1] ?? current[at - 1] ?? null;
    const moveFocus = () => {
      const target = (next && removeButtons.current.get(next.id)) ?? toggleRef.current;
      target?.focus();
    };
    try {
      await removeDescription(videoId, d.id);
      setList((cur) => (cur ?? []).filter((x) => x.id !== d.id));
      setRemoval({ tone: "ok", text: `Removed ${quoted(d.sentence)}.` });
      moveFocus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        // someone else removed it: the list catches up
        setList((cur) => (cur ?? []).filter((x) => x.id !== d.id));
        setRemoval({ tone: "ok", text: `${quoted(d.sentence)} was removed already.` });
        moveFocus();
      } else {
        setRemoval({ tone: "error", text: errorMessage(err, `${quoted(d.sentence)} could not be removed.`) });
      }
    } finally {
      setRemoving(null);
    }
  };

  // viewers see the sentences, or nothing at all
  if (!canEdit && (list === null || list.length === 0)) return null;

  const shown = list && !showAll ? list.slice(0, SHOWN) : list;
  const hidden = list ? list.length - (shown?.length ?? 0) : 0;

  return (
    <section
      id={DESCRIPTIONS_ANCHOR}
      aria-labelledby={`${id}-h`}
      aria-describedby={`${id}-about`}
      className="scroll-mt-4 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="video-descriptions"
    >
      <h2 id={`${id}-h`} className="mb-1 text-sm font-semibold text-zinc-300">
        What happens in this video
      </h2>
      <p id={`${id}-about`} className="mb-3 text-xs text-zinc-400">
        Sentences about the whole video, no times needed: they teach the models what this library&apos;s videos show.
      </p>

      {list === null && !loadError && (
        <div role="status" aria-busy="true" className="h-10 animate-pulse rounded-lg bg-zinc-800/60">
          <span className="sr-only">Loading the sentences…</span>
        </div>
      )}
      {loadError && (
        <p role="alert" className="text-xs text-rose-300">
          {loadError}{" "}
          <button
            type="button"
            onClick={() => setReloads((n) => n + 1)}
            className="inline-flex min-h-11 items-center font-medium underline underline-offset-2 sm:min-h-0"
          >
            Retry
          </button>
        </p>
      )}
      {list && list.length === 0 && (
        <p className="text-xs text-zinc-400" data-testid="descriptions-empty">
          None yet.
        </p>
      )}
      {shown && shown.length > 0 && (
        <ul
          className="space-y-1"
          aria-label="Sentences about this video"
          data-testid="description-list"
          data-count={list?.length}
        >
          {shown.map((d) => (
            <li
              key={d.id}
              className="flex items-start gap-1 text-sm text-zinc-200"
              data-testid="description"
              data-description-id={d.id}
            >
              <span className="min-w-0 flex-1 py-1 break-words" data-testid="description-sentence">
                {d.sentence}
              </span>
              {canEdit && (
                <button
                  type="button"
                  ref={(el) => {
                    if (el) removeButtons.current.set(d.id, el);
                    else removeButtons.current.delete(d.id);
                  }}
                  onClick={() => void remove(d)}
                  aria-label={`Remove “${d.sentence}”`}
                  aria-disabled={removing !== null || undefined}
                  title="Remove"
                  data-testid="description-remove"
                  className="inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-zinc-400 hover:bg-zinc-800 hover:text-rose-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 aria-disabled:opacity-50 sm:size-7"
                >
                  <CloseIcon className="size-4" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {hidden > 0 && (
        <button
          type="button"
          onClick={() => setShowAll(true)}
          className={`${QUIET_BUTTON} mt-1`}
          data-testid="descriptions-show-all"
        >
          Show all {list?.length}
        </button>
      )}

      {canEdit && (
        <>
          <div role="status" className="text-xs empty:hidden" data-testid="descriptions-result">
            {removal?.tone === "ok" && <p className="mt-2 text-emerald-300">{removal.text}</p>}
            {outcome && (
              <p
                className={`mt-2 ${outcome.added.length > 0 ? "text-emerald-300" : "text-zinc-300"}`}
                data-testid="descriptions-added"
                data-count={outcome.added.length}
              >
                {outcome.added.length > 0
                  ? `Added ${plural(outcome.added.length, "sentence", "sentences")}.`
                  : "Nothing added."}
              </p>
            )}
            {outcome && outcome.skipped.length > 0 && (
              <p className="mt-2 text-amber-200" data-testid="descriptions-skipped" data-count={outcome.skipped.length}>
                Skipped {outcome.skipped.length} already there: {outcome.skipped.map(quoted).join(", ")}.
              </p>
            )}
          </div>
          {removal?.tone === "error" && (
            <p role="alert" className="mt-2 text-xs text-rose-300">
              {removal.text}
            </p>
          )}
          <button
            ref={toggleRef}
            type="button"
            onClick={() => {
              if (!open) focusEditor.current = true;
              setOpen(!open);
            }}
            aria-expanded={open}
            aria-controls={`${id}-form`}
            className={`${QUIET_BUTTON} mt-2 -ml-2`}
            data-testid="descriptions-toggle"
          >
            <ChevronDownIcon
              className={`size-4 transition-transform motion-reduce:transition-none ${open ? "rotate-180" : ""}`}
            />
            Add sentences
          </button>
          {open && (
            <form
              id={`${id}-form`}
              onSubmit={(e) => void submit(e)}
              className="mt-2 space-y-2"
              data-testid="descriptions-form"
            >
              <label htmlFor={`${id}-s`} className="block text-xs font-medium text-zinc-300">
                One sentence per line
              </label>
              <textarea
                ref={textareaRef}
                id={`${id}-s`}
                value={text}
                rows={Math.min(8, Math.max(3, lines.length + 1))}
                onChange={(e) => {
                  setText(e.target.value);
                  if (formError) setFormError(null);
                }}
                onKeyDown={onKeyDown}
                readOnly={busy}
                aria-invalid={formError ? true : undefined}
                aria-describedby={`${id}-hint${formError ? ` ${id}-err` : ""}`}
                data-testid="descriptions-input"
                className={TEXTAREA}
              />
              <p id={`${id}-hint`} className="text-xs text-zinc-400">
                Each line one thing the video shows; repeats are skipped. Ctrl+Enter (⌘+Enter) adds them.
              </p>
              {formError && (
                <p id={`${id}-err`} role="alert" className="text-xs text-rose-300">
                  {formError}
                </p>
              )}
              <button
                type="submit"
                aria-disabled={busy || undefined}
                className={`${PRIMARY_BUTTON} w-full max-sm:min-h-11 aria-disabled:opacity-60`}
                data-testid="descriptions-add"
              >
                {busy ? "Adding…" : "Add"}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
