"use client";

import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, getReviewSettings, putReviewSettings } from "@/app/_lib/api";
import { Alert } from "./Alert";
import { CARD, Field, PRIMARY_BUTTON, Success } from "./forms";

const MIN = 1;
const MAX = 10;

/**
 * Admins: how many annotators each new review item wants (GET/PUT /api/review/settings).
 * Items already created keep the number they were made with.
 */
export function ReviewSettingsPanel() {
  // null: loading
  const [saved, setSaved] = useState<number | null>(null);
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    getReviewSettings(ac.signal)
      .then((s) => {
        setSaved(s.annotationsPerItem);
        setValue(String(s.annotationsPerItem));
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err, "The review settings could not be loaded."));
      });
    return () => ac.abort();
  }, []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(false);
    setError(null);
    const n = Number(value);
    if (!Number.isInteger(n) || n < MIN || n > MAX) {
      setProblem(`A whole number from ${MIN} to ${MAX}.`);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const s = await putReviewSettings({ annotationsPerItem: n });
      setSaved(s.annotationsPerItem);
      setValue(String(s.annotationsPerItem));
      setDone(true);
    } catch (err) {
      setError(errorMessage(err, "The setting could not be saved."));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="review-settings-heading" className={CARD} data-testid="review-settings">
      <h2 id="review-settings-heading" className="text-lg font-semibold">
        Review settings
      </h2>
      <p className="mt-1 text-sm text-zinc-400">
        With more than one annotator per item, each item stays in the queue until that many have decided it, and their
        spans give the agreement above.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 flex flex-wrap items-start gap-3">
        {error && (
          <Alert tone="error" className="w-full">
            {error}
          </Alert>
        )}
        {done && (
          <Success testId="review-settings-saved">
            Saved: new items want {saved} annotator{saved === 1 ? "" : "s"}.
          </Success>
        )}
        <Field
          label="Annotators per item"
          type="number"
          inputMode="numeric"
          min={MIN}
          max={MAX}
          step={1}
          value={value}
          disabled={saved === null}
          onChange={(e) => {
            setValue(e.target.value);
            setDone(false);
          }}
          hint="Applies to items created from now on."
          error={problem}
          className="w-56"
          data-testid="annotators-per-item"
        />
        <button
          type="submit"
          disabled={busy || saved === null}
          className={`${PRIMARY_BUTTON} mt-7`}
          data-testid="review-settings-save"
        >
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </section>
  );
}
