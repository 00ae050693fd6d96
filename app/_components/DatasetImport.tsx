"use client";

import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent, type RefObject } from "react";
import { errorMessage } from "@/app/_lib/api";
import { ANNOTATIONS_ACCEPT, droppedFiles, mergeFiles, sortDatasetFiles, VIDEO_ACCEPT } from "@/app/_lib/dataset-files";
import {
  FORMAT_CHOICES,
  FORMAT_NAMES,
  importDataset,
  MAX_ANNOTATIONS_BYTES,
  type BatchDto,
  type FormatChoice,
  type ImportRequest,
  type ImportResponse,
} from "@/app/_lib/datasets-api";
import { formatBytes } from "@/app/_lib/format";
import { useBlockStrayDrops, useConfirmLeave } from "@/app/_lib/usePageGuards";
import { UPLOAD_ACTIVE, useUploads, type UploadItem } from "@/app/_lib/useUploads";
import { Alert } from "./Alert";
import { BatchProgress } from "./BatchProgress";
import { CARD, Field, PRIMARY_BUTTON, SECONDARY_BUTTON, SelectField } from "./forms";
import { CloseIcon, UploadIcon } from "./icons";
import { UploadRow } from "./UploadRow";

/** Chosen videos listed by name before "and N more". */
const LISTED = 6;

type Phase = "idle" | "uploading" | "importing";

/** An import waiting for its videos' uploads: the rows added after `before` for `files`. */
interface Pending {
  request: Omit<ImportRequest, "videoIds">;
  videos: File[];
  files: File[];
  before: Set<string>;
}

/** What the server names a dataset without a name: the file's name, unless that is just "annotations". */
function defaultName(annotations: File | null): string {
  const stem = annotations?.name.replace(/\.[^.]*$/, "");
  return stem && stem.toLowerCase() !== "annotations" ? stem : "the name in the file, or the date";
}

/** The library video a picked file became (its newest successful upload on this page). */
function uploadedAs(items: UploadItem[], file: File): string | null {
  const row = items.find((i) => i.file === file && i.video && i.status !== "error");
  return row?.video?.id ?? null;
}

interface DatasetImportProps {
  /** the batches as the page polls them: the outcome shows its batch's live progress */
  batches: BatchDto[] | null;
  onImported: (r: ImportResponse) => void;
}

/**
 * Import a dataset: the annotations file, its videos (files, a folder, or dropped),
 * uploaded first with the upload queue, then POST /api/datasets with what each file
 * became. Videos already in the library are matched by file name, so the videos may be
 * left out.
 */
export function DatasetImport({ batches, onImported }: DatasetImportProps) {
  const id = useId();
  const uploads = useUploads();
  const annotationsInput = useRef<HTMLInputElement>(null);
  const videosInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const annotationsButton = useRef<HTMLButtonElement>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);
  const dragDepth = useRef(0);

  const [annotations, setAnnotations] = useState<File | null>(null);
  const [videos, setVideos] = useState<File[]>([]);
  const [ignored, setIgnored] = useState(0);
  const [format, setFormat] = useState<FormatChoice>("auto");
  const [name, setName] = useState("");
  const [captions, setCaptions] = useState(false);
  const [review, setReview] = useState(true);
  const [dragging, setDragging] = useState(false);

  const [pending, setPending] = useState<Pending | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ImportResponse | null>(null);
  /** the uploads that failed in the last import, by file name */
  const [refused, setRefused] = useState<{ name: string; message: string }[]>([]);
  /** the pending import whose request was sent (an effect must send it once) */
  const sent = useRef<Pending | null>(null);

  // the rows of this import's uploads; once none is still sending, the annotations go
  const uploading = pending
    ? uploads.items.filter((i) => !pending.before.has(i.key) && pending.files.includes(i.file))
    : [];
  const settled =
    pending !== null && uploading.length >= pending.files.length && !uploading.some((i) => UPLOAD_ACTIVE.has(i.status));
  const phase: Phase = !pending ? "idle" : settled ? "importing" : "uploading";
  const busy = phase !== "idle";

  const addFiles = (files: File[]) => {
    const sorted = sortDatasetFiles(files);
    if (sorted.annotations && !annotations) {
      setAnnotations(sorted.annotations);
      setFieldError(null);
    }
    setVideos((cur) => mergeFiles(cur, sorted.videos));
    setIgnored(sorted.ignored + (sorted.annotations && annotations ? 1 : 0));
  };

  const chooseAnnotations = (file: File | null) => {
    setAnnotations(file);
    setFieldError(null);
  };

  useEffect(() => {
    if (!pending || !settled || sent.current === pending) return;
    sent.current = pending;
    const videoIds: Record<string, string> = {};
    const notUploaded: { name: string; message: string }[] = [];
    for (const f of pending.videos) {
      const videoId = uploadedAs(uploads.items, f);
      if (videoId) videoIds[f.name] = videoId;
      else
        notUploaded.push({
          name: f.name,
          message: uploads.items.find((i) => i.file === f)?.error ?? "It was not uploaded.",
        });
    }
    void importDataset({ ...pending.request, videoIds }).then(
      (r) => {
        setRefused(notUploaded);
        setOutcome(r);
        setPending(null);
        onImported(r);
      },
      (err: unknown) => {
        setError(errorMessage(err, "The dataset could not be imported."));
        setPending(null);
      },
    );
  }, [pending, settled, uploads.items, onImported]);

  // a folder picker: webkitdirectory is not in React's types (every current browser has it)
  useEffect(() => {
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  // show the outcome's heading to keyboard and screen reader users once it arrives
  useEffect(() => {
    if (outcome) outcomeHeading.current?.focus();
  }, [outcome]);

  // leaving the page would abort the uploads or the import: ask first
  useConfirmLeave(busy);

  useBlockStrayDrops();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!annotations) {
      setFieldError("Choose the annotations file.");
      annotationsButton.current?.focus();
      return;
    }
    if (annotations.size > MAX_ANNOTATIONS_BYTES) {
      setFieldError(
        `The annotations file is ${formatBytes(annotations.size)}; the server accepts at most ${formatBytes(MAX_ANNOTATIONS_BYTES)}.`,
      );
      annotationsButton.current?.focus();
      return;
    }
    setError(null);
    setOutcome(null);
    setRefused([]);
    const request = { annotations, format, name: name.trim() || undefined, captions, review };
    // files uploaded by an earlier try on this page are not sent again
    const toUpload = videos.filter((f) => !uploadedAs(uploads.items, f));
    setPending({ request, videos, files: toUpload, before: new Set(uploads.items.map((i) => i.key)) });
    if (toUpload.length) uploads.add(toUpload);
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    if (busy) return;
    addFiles(await droppedFiles(e.dataTransfer));
  };
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes("Files");

  const uploaded = uploading.filter((i) => !UPLOAD_ACTIVE.has(i.status)).length;
  const totalBytes = videos.reduce((n, f) => n + f.size, 0);

  return (
    <div className="space-y-5">
      <form
        onSubmit={submit}
        noValidate
        aria-labelledby={`${id}-h`}
        data-testid="dataset-import"
        data-dragging={dragging || undefined}
        onDragEnter={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          dragDepth.current++;
          setDragging(true);
        }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? "none" : "copy";
        }}
        onDragLeave={() => {
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        }}
        onDrop={(e) => void onDrop(e)}
        className={`space-y-5 rounded-xl border p-4 transition sm:p-6 ${dragging ? "border-indigo-400 bg-indigo-500/10" : "border-zinc-800 bg-zinc-900/60"}`}
      >
        <div>
          <h2 id={`${id}-h`} className="text-base font-semibold text-zinc-100">
            Import a dataset
          </h2>
          <p className="mt-1 text-sm text-zinc-400">
            The annotations file and its videos; drop a dataset folder (
            <code className="text-zinc-300">annotations.json</code> + <code className="text-zinc-300">videos/</code>)
            anywhere on this form. Videos already in the library are matched by file name, so they can be left out.
          </p>
        </div>

        {/* the annotations file */}
        <div className="space-y-1.5">
          <p id={`${id}-ann`} className="text-sm font-medium text-zinc-300">
            Annotations file
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <button
              ref={annotationsButton}
              type="button"
              onClick={() => annotationsInput.current?.click()}
              disabled={busy}
              aria-describedby={`${id}-ann-file ${id}-ann-hint${fieldError ? ` ${id}-ann-error` : ""}`}
              className={`${SECONDARY_BUTTON} max-sm:min-h-11`}
              data-testid="dataset-annotations-button"
            >
              Choose annotations file
            </button>
            <span
              id={`${id}-ann-file`}
              className="min-w-0 truncate text-sm text-zinc-200"
              data-testid="dataset-annotations-name"
            >
              {annotations ? (
                <>
                  {annotations.name} <span className="text-zinc-400">({formatBytes(annotations.size)})</span>
                </>
              ) : (
                <span className="text-zinc-400">No file chosen</span>
              )}
            </span>
            {annotations && !busy && (
              <button
                type="button"
                onClick={() => chooseAnnotations(null)}
                className="rounded-md p-1 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 max-sm:min-h-11 max-sm:min-w-11"
                aria-label={`Remove ${annotations.name}`}
              >
                <CloseIcon className="mx-auto size-4" />
              </button>
            )}
          </div>
          <input
            ref={annotationsInput}
            type="file"
            accept={ANNOTATIONS_ACCEPT}
            className="sr-only"
            tabIndex={-1}
            aria-labelledby={`${id}-ann`}
            data-testid="dataset-annotations-input"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0] ?? null;
              e.currentTarget.value = "";
              if (file) chooseAnnotations(file);
            }}
          />
          <p id={`${id}-ann-hint`} className="text-xs text-zinc-400">
            <code>annotations.json</code> of the shared moment format, Charades-STA text (
            <code>&lt;video&gt; &lt;start&gt; &lt;end&gt;##&lt;sentence&gt;</code> per line), or ActivityNet Captions
            JSON.
          </p>
          {fieldError && (
            <p id={`${id}-ann-error`} className="text-xs text-rose-300" role="alert">
              {fieldError}
            </p>
          )}
        </div>

        <SelectField
          label="Format"
          value={format}
          onChange={(e) => setFormat(e.target.value as FormatChoice)}
          disabled={busy}
          hint="Auto-detect tells them apart by their content."
          className="max-w-sm"
          data-testid="dataset-format"
        >
          {FORMAT_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>

        {/* the videos */}
        <div className="space-y-2">
          <p id={`${id}-vid`} className="text-sm font-medium text-zinc-300">
            Videos <span className="font-normal text-zinc-400">(optional)</span>
          </p>
          <div
            className={`rounded-xl border-2 border-dashed px-4 py-5 ${dragging ? "border-indigo-400" : "border-zinc-700"}`}
            data-testid="dataset-drop-zone"
          >
            <div className="flex flex-wrap items-center gap-3">
              <UploadIcon className="size-5 shrink-0 text-zinc-400" />
              <p className="mr-auto text-sm text-zinc-300">
                {dragging ? "Drop to add" : "Drag video files or a dataset folder here, or"}
              </p>
              <button
                type="button"
                onClick={() => videosInput.current?.click()}
                disabled={busy}
                className={`${SECONDARY_BUTTON} max-sm:min-h-11`}
                aria-describedby={`${id}-vid-chosen`}
              >
                Choose video files
              </button>
              <button
                type="button"
                onClick={() => folderInput.current?.click()}
                disabled={busy}
                className={`${SECONDARY_BUTTON} max-sm:min-h-11`}
                aria-describedby={`${id}-vid-chosen`}
              >
                Choose a folder
              </button>
            </div>
            <input
              ref={videosInput}
              type="file"
              multiple
              accept={VIDEO_ACCEPT}
              className="sr-only"
              tabIndex={-1}
              aria-label="Choose video files"
              data-testid="dataset-videos-input"
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                e.currentTarget.value = "";
                if (files.length) addFiles(files);
              }}
            />
            <input
              ref={folderInput}
              type="file"
              multiple
              className="sr-only"
              tabIndex={-1}
              aria-label="Choose a folder"
              data-testid="dataset-folder-input"
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                e.currentTarget.value = "";
                if (files.length) addFiles(files);
              }}
            />
            <div
              id={`${id}-vid-chosen`}
              className="mt-3 text-sm"
              data-testid="dataset-videos-chosen"
              data-count={videos.length}
            >
              {videos.length === 0 ? (
                <p className="text-zinc-400">
                  No videos chosen: the annotations are matched to videos already in the library.
                </p>
              ) : (
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-zinc-200">
                      {videos.length} video{videos.length === 1 ? "" : "s"} chosen{" "}
                      <span className="text-zinc-400">({formatBytes(totalBytes)})</span>
                    </p>
                    <p className="truncate text-xs text-zinc-400" title={videos.map((f) => f.name).join(", ")}>
                      {videos
                        .slice(0, LISTED)
                        .map((f) => f.name)
                        .join(", ")}
                      {videos.length > LISTED && ` and ${videos.length - LISTED} more`}
                    </p>
                  </div>
                  {!busy && (
                    <button
                      type="button"
                      onClick={() => {
                        setVideos([]);
                        setIgnored(0);
                      }}
                      className="rounded-md px-2 py-1 text-xs font-medium text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 max-sm:min-h-11"
                    >
                      Clear videos
                    </button>
                  )}
                </div>
              )}
              {ignored > 0 && (
                <p className="mt-1 text-xs text-zinc-400">
                  {ignored} other file{ignored === 1 ? " was" : "s were"} left out (neither a video nor the
                  annotations).
                </p>
              )}
            </div>
          </div>
        </div>

        <Field
          label="Name (optional)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
          disabled={busy}
          placeholder={defaultName(annotations)}
          className="max-w-sm"
          data-testid="dataset-name"
        />

        <div className="space-y-3">
          <Checkbox
            checked={captions}
            onChange={setCaptions}
            disabled={busy}
            label="Make timed sentences searchable"
            hint="Each sentence with a span becomes a caption of its video, found by search like subtitles."
            testId="dataset-captions"
          />
          <Checkbox
            checked={review}
            onChange={setReview}
            disabled={busy}
            label="Queue predictions for review"
            hint="The model proposes a span for every sentence in the background; each becomes an item of the review queue."
            testId="dataset-review"
          />
        </div>

        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            disabled={busy}
            className={`${PRIMARY_BUTTON} max-sm:min-h-11`}
            data-testid="dataset-submit"
          >
            {phase === "uploading"
              ? `Uploading videos… ${uploaded} of ${uploading.length || pending?.files.length || 0}`
              : phase === "importing"
                ? "Importing…"
                : "Import dataset"}
          </button>
          <p className="sr-only" aria-live="polite">
            {phase === "uploading" ? "Uploading the videos" : phase === "importing" ? "Importing the annotations" : ""}
          </p>
        </div>
      </form>

      {error && (
        <Alert tone="error" title="The import failed">
          <span data-testid="dataset-import-error">{error}</span>
        </Alert>
      )}

      {outcome && <ImportOutcome outcome={outcome} batches={batches} refused={refused} headingRef={outcomeHeading} />}

      {uploads.items.length > 0 && (
        <section aria-labelledby={`${id}-up`} className="space-y-3">
          <div className="flex items-center justify-between">
            <h3 id={`${id}-up`} className="text-sm font-semibold text-zinc-300">
              Video uploads <span className="font-normal text-zinc-400">({uploads.items.length})</span>
            </h3>
            {!busy && (
              <button
                type="button"
                onClick={uploads.clearFinished}
                className="rounded-md px-2 py-1 text-xs font-medium text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 max-sm:min-h-11"
              >
                Clear finished
              </button>
            )}
          </div>
          <ul className="space-y-2">
            {uploads.items.map((item) => (
              <UploadRow
                key={item.key}
                item={item}
                onCancel={uploads.cancel}
                onRetry={uploads.retry}
                onDismiss={uploads.dismiss}
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface CheckboxProps {
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  label: string;
  hint: string;
  testId: string;
}

function Checkbox({ checked, onChange, disabled, label, hint, testId }: CheckboxProps) {
  const id = useId();
  return (
    <div className="flex gap-3">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 shrink-0 accent-indigo-500 max-sm:size-5"
        data-testid={testId}
      />
      <div>
        <label htmlFor={id} className="cursor-pointer text-sm font-medium text-zinc-200">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-zinc-400">
          {hint}
        </p>
      </div>
    </div>
  );
}

interface ImportOutcomeProps {
  outcome: ImportResponse;
  batches: BatchDto[] | null;
  refused: { name: string; message: string }[];
  headingRef: RefObject<HTMLHeadingElement | null>;
}

/** What the import did: the dataset, its matched and missing videos, skipped lines, and its batch's live progress. */
function ImportOutcome({ outcome, batches, refused, headingRef }: ImportOutcomeProps) {
  const id = useId();
  const { dataset, videos, skipped } = outcome;
  const matched = videos.filter((v) => v.videoId);
  const missing = videos.filter((v) => !v.videoId);
  const cues = videos.reduce((n, v) => n + v.captions, 0);
  const batch = outcome.batch ? (batches?.find((b) => b.id === outcome.batch!.id) ?? outcome.batch) : null;
  return (
    <section
      aria-labelledby={`${id}-h`}
      className={`${CARD} space-y-4`}
      data-testid="dataset-outcome"
      data-dataset-id={dataset.id}
      data-matched={matched.length}
      data-missing={missing.length}
    >
      <div>
        <h3 id={`${id}-h`} ref={headingRef} tabIndex={-1} className="text-base font-semibold text-zinc-100">
          Imported &ldquo;<span data-testid="dataset-outcome-name">{dataset.name}</span>&rdquo;
        </h3>
        <p role="status" className="mt-1 text-sm text-zinc-300" data-testid="dataset-outcome-summary">
          {FORMAT_NAMES[dataset.format] ?? dataset.format} · {dataset.queries}{" "}
          {dataset.queries === 1 ? "query" : "queries"} ({dataset.timedQueries} timed) · {matched.length} of{" "}
          {videos.length} video{videos.length === 1 ? "" : "s"} matched
          {cues > 0 && ` · ${cues} searchable caption${cues === 1 ? "" : "s"}`}
        </p>
      </div>

      {missing.length > 0 && (
        <div className="space-y-1.5" data-testid="dataset-outcome-missing">
          <h4 className="text-sm font-medium text-amber-300">
            {missing.length} video{missing.length === 1 ? " was" : "s were"} not found;{" "}
            {missing.length === 1 ? "its" : "their"} sentences are kept without predictions
          </h4>
          <ul className="max-h-48 space-y-1 overflow-y-auto text-xs text-zinc-300">
            {missing.map((v) => (
              <li key={v.datasetId} className="break-words">
                <span className="font-mono text-zinc-100">{v.datasetId}</span>: {v.error ?? "not in the library"}
              </li>
            ))}
          </ul>
        </div>
      )}

      {refused.length > 0 && (
        <div className="space-y-1.5">
          <h4 className="text-sm font-medium text-rose-300">
            {refused.length} file{refused.length === 1 ? " was" : "s were"} not uploaded
          </h4>
          <ul className="space-y-1 text-xs text-zinc-300">
            {refused.map((r) => (
              <li key={r.name} className="break-words">
                <span className="text-zinc-100">{r.name}</span>: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      {skipped.length > 0 && (
        <details
          className="rounded-lg border border-zinc-800 bg-zinc-950/60 text-xs"
          data-testid="dataset-outcome-skipped"
        >
          <summary className="cursor-pointer rounded-lg px-3 py-2 font-medium text-zinc-300 hover:text-zinc-100 max-sm:min-h-11 max-sm:py-3">
            {skipped.length} {skipped.length === 1 ? "entry" : "entries"} skipped
          </summary>
          <ul className="max-h-48 space-y-1 overflow-y-auto border-t border-zinc-800 px-3 py-2 text-zinc-300">
            {skipped.map((s, i) => (
              <li key={i}>
                <span className="text-zinc-100">{s.where}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}

      {batch ? (
        <BatchProgress batch={batch} showName={false} />
      ) : (
        <p className="text-xs text-zinc-400" data-testid="dataset-outcome-no-batch">
          No predictions queued{matched.length === 0 ? ": none of its videos is in the library" : ""}. Use
          &ldquo;Predict for review&rdquo; in the list below when you want them.
        </p>
      )}
    </section>
  );
}
