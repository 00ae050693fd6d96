"use client";

import Link from "next/link";
import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/app/_lib/api";
import { trainModels } from "@/app/_lib/models-api";
import { recipeLabel, trainErrorTitle } from "@/app/_lib/models-format";
import { getTrainingData, SENTENCE_SOURCES, type TrainingData } from "@/app/_lib/training-api";
import {
  recipeInfo,
  TRAINABLE_MODEL_INFO,
  TRAINABLE_MODELS,
  TRAINING_RECIPES,
  type TrainableModel,
} from "@/lib/training/recipes";
import { Alert } from "./Alert";
import { PRIMARY_BUTTON } from "./forms";

const num = (n: number) => n.toLocaleString("en");
/** "a short schedule" → "A short schedule. " (nothing for none) */
const asSentence = (s: string | undefined) =>
  s ? `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? "" : "."} ` : "";
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

const CHECK_ROW =
  "flex min-h-11 cursor-pointer items-start gap-3 rounded-lg px-3 py-2 hover:bg-zinc-800/60 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-400 sm:min-h-0";
const CHECKBOX = "mt-0.5 size-4 shrink-0 accent-indigo-500";
const SELECT =
  "h-11 w-full rounded-lg border border-zinc-700 bg-zinc-950 px-3 text-sm text-zinc-100 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none sm:h-9";

interface TrainFormProps {
  /** the recipes the server lists, when it does (else lib/training/recipes.ts's names) */
  recipes: { name: string; description: string | null }[] | null;
  /** the version still training or evaluating, if any: a new run waits for it */
  running: number | null;
  /** a run started: its version, to follow it */
  onStarted: (version: number | null) => void | Promise<void>;
}

/**
 * "Train a new version": the components to retrain, the recipe, and the sentence sources
 * (with what each gives, from GET /api/training/data) → POST /api/models/train. The
 * server's refusals (400 unknown choice, 409 a run in progress, 422 no sentences) are shown
 * with their reason.
 */
export function TrainForm({ recipes, running, onStarted }: TrainFormProps) {
  const id = useId();
  const recipeList = recipes ?? TRAINING_RECIPES.map((name) => ({ name, description: null }));
  const recipeNames = recipeList.map((r) => r.name);
  const [models, setModels] = useState<TrainableModel[]>(() =>
    TRAINABLE_MODELS.filter((m) => TRAINABLE_MODEL_INFO[m].default),
  );
  const [recipe, setRecipe] = useState<string>(recipeNames[0] ?? "quick");
  const [data, setData] = useState<TrainingData | null>(null);
  const [dataError, setDataError] = useState<string | null>(null);
  // null until the counts are in: then every source that has sentences
  const [sources, setSources] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null);
  const [started, setStarted] = useState<number | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    getTrainingData(ac.signal).then(
      (d) => {
        setData(d);
        setSources((cur) => cur ?? d.sources.filter((s) => s.sentences > 0).map((s) => s.source));
      },
      (err: unknown) => {
        if (!ac.signal.aborted) setDataError(errorMessage(err, "The training data could not be loaded."));
      },
    );
    return () => ac.abort();
  }, []);

  const counts = (source: string) => data?.sources.find((s) => s.source === source) ?? { videos: 0, sentences: 0 };
  const chosenSentences = (sources ?? []).reduce((sum, s) => sum + counts(s).sentences, 0);
  const localProblem =
    models.length === 0
      ? "Choose at least one model to retrain."
      : data && sources !== null && sources.length === 0
        ? "Choose at least one source of sentences."
        : data && sources !== null && chosenSentences === 0
          ? "The chosen sources have no sentences yet: type a few under “What happens in this video” on a video's page."
          : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setStarted(null);
    if (localProblem) {
      setProblem({ title: "Not yet", message: localProblem });
      return;
    }
    setBusy(true);
    try {
      const job = await trainModels({ models, recipe, ...(sources !== null ? { sources } : {}) });
      setStarted(job.version);
      await onStarted(job.version);
    } catch (err) {
      setProblem({
        title: err instanceof ApiError ? trainErrorTitle(err.status, err.code) : trainErrorTitle(-1),
        message: errorMessage(err, "Training could not start."),
      });
    } finally {
      setBusy(false);
    }
  };

  const toggle = <T extends string>(list: T[], value: T, on: boolean): T[] =>
    on ? [...new Set([...list, value])] : list.filter((x) => x !== value);

  const recipeHint = (name: string) =>
    recipeList.find((r) => r.name === name)?.description ?? recipeInfo(name)?.hint ?? undefined;

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-5" data-testid="train-form" noValidate>
      <div className="grid gap-5 lg:grid-cols-3">
        <fieldset className="space-y-1">
          <legend className="mb-1 text-sm font-medium text-zinc-200">Models to retrain</legend>
          {TRAINABLE_MODELS.map((m) => (
            <label key={m} className={CHECK_ROW}>
              <input
                type="checkbox"
                className={CHECKBOX}
                checked={models.includes(m)}
                onChange={(e) => setModels((cur) => toggle(cur, m, e.target.checked))}
                data-testid="train-model"
                value={m}
                aria-describedby={`${id}-model-${m}`}
              />
              <span className="min-w-0">
                <span className="block text-sm text-zinc-100">{TRAINABLE_MODEL_INFO[m].label}</span>
                <span id={`${id}-model-${m}`} className="block text-xs text-zinc-400">
                  {TRAINABLE_MODEL_INFO[m].hint}
                </span>
              </span>
            </label>
          ))}
        </fieldset>

        <div className="space-y-1.5">
          <label htmlFor={`${id}-recipe`} className="block text-sm font-medium text-zinc-200">
            Recipe
          </label>
          <select
            id={`${id}-recipe`}
            value={recipe}
            onChange={(e) => setRecipe(e.target.value)}
            aria-describedby={`${id}-recipe-hint`}
            className={SELECT}
            data-testid="train-recipe"
          >
            {recipeNames.map((r) => (
              <option key={r} value={r}>
                {recipeLabel(r)}
              </option>
            ))}
          </select>
          <p id={`${id}-recipe-hint`} className="text-xs text-zinc-400">
            {asSentence(recipeHint(recipe))}Training starts from the active version&rsquo;s weights and runs in the
            background; this page can be left.
          </p>
        </div>

        <fieldset className="space-y-1" aria-describedby={`${id}-sources-hint`}>
          <legend className="mb-1 text-sm font-medium text-zinc-200">Sentences to learn from</legend>
          <p id={`${id}-sources-hint`} className="px-3 text-xs text-zinc-400">
            Sentences say what happens in a video, without times.{" "}
            <Link href="/datasets" className="font-medium text-indigo-300 hover:text-indigo-200">
              Training data
            </Link>
          </p>
          {dataError && (
            <p className="px-3 text-xs text-amber-200">{dataError} The server&rsquo;s default sources are used.</p>
          )}
          {!data && !dataError && (
            <p className="px-3 text-xs text-zinc-400" role="status">
              Counting the sentences…
            </p>
          )}
          {data &&
            SENTENCE_SOURCES.map(({ source, label }) => {
              const c = counts(source);
              return (
                <label key={source} className={CHECK_ROW}>
                  <input
                    type="checkbox"
                    className={CHECKBOX}
                    checked={sources?.includes(source) ?? false}
                    onChange={(e) => setSources((cur) => toggle(cur ?? [], source, e.target.checked))}
                    data-testid="train-source"
                    value={source}
                    data-sentences={c.sentences}
                    aria-describedby={`${id}-source-${source}`}
                  />
                  <span className="min-w-0">
                    <span className="block text-sm text-zinc-100">{label}</span>
                    <span id={`${id}-source-${source}`} className="block text-xs text-zinc-400">
                      {c.sentences === 0
                        ? "no sentences yet"
                        : `${plural(c.sentences, "sentence")} from ${plural(c.videos, "video")}`}
                    </span>
                  </span>
                </label>
              );
            })}
        </fieldset>
      </div>

      {problem && (
        <Alert tone="error" title={problem.title}>
          <span data-testid="train-error">{problem.message}</span>
        </Alert>
      )}

      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <button
          type="submit"
          disabled={busy || running !== null}
          className={`${PRIMARY_BUTTON} min-h-11 sm:min-h-0`}
          data-testid="train-submit"
          aria-describedby={`${id}-status`}
        >
          {busy ? "Starting…" : "Start training"}
        </button>
        <p id={`${id}-status`} className="text-sm text-zinc-400" role="status" data-testid="train-status">
          {started !== null && running === started ? (
            <>
              Version {started} is training.{" "}
              <Link
                href={`/models/${started}`}
                className="font-medium text-indigo-300 hover:text-indigo-200"
                data-testid="train-follow"
              >
                Follow its progress
              </Link>
            </>
          ) : running !== null ? (
            <>
              <Link
                href={`/models/${running}`}
                className="font-medium text-indigo-300 hover:text-indigo-200"
                data-testid="train-follow"
              >
                Version {running}
              </Link>{" "}
              is still training; a new run can start when it is done.
            </>
          ) : data && sources !== null && models.length > 0 && chosenSentences > 0 ? (
            `${plural(chosenSentences, "sentence")}; about a tenth are set aside to evaluate on.`
          ) : null}
        </p>
      </div>
    </form>
  );
}
