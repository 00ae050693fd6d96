"use client";

import Link from "next/link";
import { modelLabel } from "@/lib/model-names";
import { useEffect, useState } from "react";
import {
  ApiError,
  errorMessage,
  getReviewItem,
  type AnnotationDto,
  type ReviewItemDetail,
  type TimeSpan,
} from "@/app/_lib/api";
import { formatDate, formatSpanLength } from "@/app/_lib/format";
import { sourceLabel } from "@/app/_lib/review";
import { useClips } from "@/app/_lib/useClips";
import { useVideo } from "@/app/_lib/useVideo";
import { Alert } from "./Alert";
import { DataTable } from "./DataTable";
import { EmptyNote } from "./EmptyNote";
import { ArrowLeftIcon, FilmIcon } from "./icons";
import { MomentBar } from "./MomentBar";
import { useSession } from "./SessionProvider";
import { formatPrecise } from "./SpanEditor";
import { VideoPlayer, type PlayRequest } from "./VideoPlayer";

type Loaded =
  | { kind: "loading" }
  | { kind: "notFound" }
  | { kind: "error"; message: string }
  | { kind: "ready"; detail: ReviewItemDetail };

/** GET /api/review/items/:id, shown. */
export function ReviewItemView({ id }: { id: string }) {
  const [state, setState] = useState<Loaded>({ kind: "loading" });

  useEffect(() => {
    const ac = new AbortController();
    getReviewItem(id, ac.signal)
      .then((detail) => setState({ kind: "ready", detail }))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === "AbortError") return;
        // ids are UUIDs: a malformed one is answered 400, an unknown one 404
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setState({ kind: "notFound" });
        else setState({ kind: "error", message: errorMessage(err, "The item could not be loaded.") });
      });
    return () => ac.abort();
  }, [id]);

  if (state.kind === "loading") {
    return (
      <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading the item">
        <div className="h-9 w-2/3 animate-pulse rounded bg-zinc-800" />
        <div className="aspect-video w-full animate-pulse rounded-xl bg-zinc-900" />
      </div>
    );
  }
  if (state.kind === "notFound") {
    return (
      <div className="flex flex-col items-center py-24 text-center" data-testid="item-not-found">
        <FilmIcon className="size-12 text-zinc-500" />
        <h1 className="mt-4 text-xl font-semibold">Review item not found</h1>
        <p className="mt-1 text-sm text-zinc-400">Its video may have been deleted, or the link is wrong.</p>
        <Link href="/evaluation" className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
          Back to the evaluation
        </Link>
      </div>
    );
  }
  if (state.kind === "error") return <Alert tone="error">{state.message}</Alert>;
  return <ItemDetail detail={state.detail} />;
}

const DECISIONS: Record<AnnotationDto["decision"], string> = {
  accept: "Accepted",
  correct: "Corrected",
  reject: "Rejected",
};

/** One span the player can show: the model's, or an annotator's. */
interface Track {
  key: string;
  label: string;
  span: TimeSpan;
  kind: "prediction" | "annotation";
  undone: boolean;
}

function who(a: AnnotationDto, me: string | null): string {
  if (!a.annotatorId) return "A deleted user";
  if (a.annotatorId === me) return "You";
  return `Annotator ${a.annotatorId.slice(0, 8)}`;
}

function ItemDetail({ detail }: { detail: ReviewItemDetail }) {
  const { item, annotations, agreement } = detail;
  const me = useSession().user?.id ?? null;
  const { video, loading, notFound, error } = useVideo(item.videoId);
  const { clips, error: clipsError } = useClips(item.videoId, video?.status === "ready");
  const [selected, setSelected] = useState("prediction");
  const [loop, setLoop] = useState(false);
  const [playRequest, setPlayRequest] = useState<PlayRequest | null>(null);

  // newest first from the server or not: show them in the order they were made
  const ordered = [...annotations].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const tracks: Track[] = [
    { key: "prediction", label: "The model’s prediction", span: item.prediction, kind: "prediction", undone: false },
    ...ordered
      .filter((a): a is AnnotationDto & { span: TimeSpan } => a.span !== null)
      .map((a) => ({
        key: a.id,
        label: `${who(a, me)} · ${DECISIONS[a.decision].toLowerCase()}${a.undone ? " (undone)" : ""}`,
        span: a.span,
        kind: "annotation" as const,
        undone: a.undone,
      })),
  ];
  const current = tracks.find((t) => t.key === selected) ?? tracks[0];
  const marks = tracks.filter((t) => t !== current && !t.undone).map((t) => t.span);
  const judged = annotations.filter((a) => !a.undone && a.span !== null).length;
  const duration = video?.duration ?? detail.video.duration;

  const show = (t: Track) => {
    setSelected(t.key);
    setPlayRequest({ at: t.span.start });
  };

  return (
    <div className="space-y-6" data-testid="item-view" data-item-id={item.id}>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
        <Link href="/evaluation" className="inline-flex items-center gap-1.5 text-zinc-400 hover:text-zinc-200">
          <ArrowLeftIcon className="size-4" />
          Evaluation
        </Link>
        <Link href="/review" className="font-medium text-indigo-300 hover:text-indigo-200">
          Review queue
        </Link>
      </div>

      <div className="space-y-2">
        <p className="text-xs font-medium tracking-wide text-zinc-400 uppercase">Review item</p>
        <h1 className="text-2xl font-semibold tracking-tight break-words sm:text-3xl" data-testid="item-sentence">
          {item.sentence}
        </h1>
        <p className="text-sm text-zinc-400">
          <Link
            href={`/videos/${encodeURIComponent(item.videoId)}`}
            className="text-zinc-200 underline decoration-zinc-500 underline-offset-2 hover:text-white"
          >
            {detail.video.name}
          </Link>{" "}
          · {sourceLabel(item.source).toLowerCase()} · model{" "}
          <span className="text-zinc-300" title={item.modelVersion} data-model-version={item.modelVersion}>
            {modelLabel(item.modelVersion)}
          </span>{" "}
          ·{" "}
          <span data-testid="item-status" data-status={item.status}>
            {item.status === "decided" ? "decided" : "open"}, {item.annotations} of {item.annotationsWanted} annotation
            {item.annotationsWanted === 1 ? "" : "s"}
          </span>
          {formatDate(item.createdAt) && <> · added {formatDate(item.createdAt)}</>}
        </p>
      </div>

      <dl className="grid grid-cols-2 gap-3 sm:max-w-xl">
        <div className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4">
          <dt className="text-xs font-medium text-zinc-400">Agreement (mean pairwise IoU)</dt>
          <dd
            className="mt-1 text-2xl font-semibold tabular-nums text-zinc-100"
            data-testid="item-agreement"
            data-agreement={agreement ?? ""}
          >
            {agreement == null ? "—" : `${(agreement * 100).toFixed(1)}%`}
          </dd>
          <dd className="mt-1 text-xs text-zinc-400">
            {agreement == null
              ? "Needs two accepted or corrected spans"
              : `Between ${judged} accepted or corrected spans`}
          </dd>
        </div>
        <div className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4">
          <dt className="text-xs font-medium text-zinc-400">The model&rsquo;s span</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums text-zinc-100">
            {formatPrecise(item.prediction.start)}–{formatPrecise(item.prediction.end)}
          </dd>
          <dd className="mt-1 text-xs text-zinc-400">
            {formatSpanLength(item.prediction.end - item.prediction.start)}
          </dd>
        </div>
      </dl>

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div>
          {video ? (
            <VideoPlayer
              video={video}
              clips={clips}
              span={current.span}
              marks={marks}
              loop={loop}
              onLoopChange={setLoop}
              playRequest={playRequest}
              clipsPlaceholder={clipsError ?? (clips === null ? "Loading clips…" : "This video has no clips.")}
            />
          ) : loading ? (
            <div
              className="aspect-video w-full animate-pulse rounded-xl bg-zinc-900"
              role="status"
              aria-busy="true"
              aria-label="Loading the video"
            />
          ) : (
            <Alert tone="error" title={notFound ? "The video is gone" : "The video could not be loaded"}>
              {notFound ? "It may have been deleted." : error}
            </Alert>
          )}
        </div>

        <section
          aria-labelledby="item-spans-heading"
          className="h-fit space-y-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
        >
          <div>
            <h2 id="item-spans-heading" className="text-sm font-semibold text-zinc-300">
              Spans
            </h2>
            <p className="mt-1 text-xs text-zinc-400">
              Pick one to play it; it is highlighted on the player&rsquo;s timeline (solid), the others show faint.
            </p>
          </div>
          <ul className="space-y-1.5">
            {tracks.map((t) => {
              const active = t === current;
              return (
                <li key={t.key}>
                  <button
                    type="button"
                    onClick={() => show(t)}
                    aria-pressed={active}
                    data-testid="item-span-option"
                    data-kind={t.kind}
                    data-start={t.span.start}
                    data-end={t.span.end}
                    className={`w-full space-y-1.5 rounded-lg p-2.5 text-left ring-1 transition ${
                      active
                        ? "bg-amber-400/10 ring-amber-400/50"
                        : "bg-zinc-800/40 ring-transparent hover:bg-zinc-800 hover:ring-zinc-700"
                    } ${t.undone ? "opacity-90" : ""}`}
                  >
                    <span className="flex items-baseline justify-between gap-2 text-xs">
                      <span className={active ? "font-medium text-amber-100" : "text-zinc-200"}>{t.label}</span>
                      <span className="tabular-nums text-zinc-400">
                        {formatPrecise(t.span.start)}–{formatPrecise(t.span.end)}
                      </span>
                    </span>
                    <MomentBar duration={duration} span={t.span} />
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      </div>

      <section aria-labelledby="item-annotations-heading" className="space-y-3">
        <h2 id="item-annotations-heading" className="text-lg font-semibold tracking-tight">
          Annotations <span className="text-sm font-normal text-zinc-400">({annotations.length})</span>
        </h2>
        {annotations.length === 0 ? (
          <EmptyNote testId="item-no-annotations">Nobody has decided this item yet.</EmptyNote>
        ) : (
          <DataTable
            testId="item-annotations"
            label="Annotations table"
            caption="Every decision on this item, oldest first, undone ones included"
            columns={["Annotator", "Decision", "Span", "When", "State"]}
          >
            <tbody className="divide-y divide-zinc-800">
              {ordered.map((a) => (
                <tr
                  key={a.id}
                  data-testid="item-annotation"
                  data-annotation-id={a.id}
                  data-annotator-id={a.annotatorId ?? ""}
                  data-decision={a.decision}
                  data-undone={a.undone}
                  className={a.undone ? "text-zinc-400" : "text-zinc-200"}
                >
                  <th scope="row" className="px-4 py-2 text-left font-normal">
                    {!a.annotatorId ? "A deleted user" : a.annotatorId === me ? "You" : "Annotator"}
                    {a.annotatorId && <span className="block font-mono text-xs text-zinc-400">{a.annotatorId}</span>}
                  </th>
                  <td className="px-4 py-2">
                    {DECISIONS[a.decision]}
                    {a.notInVideo && <span className="text-zinc-400"> · not in the video</span>}
                    {a.sentence !== item.sentence && (
                      <span className="block text-xs text-zinc-400">as “{a.sentence}”</span>
                    )}
                  </td>
                  <td className="px-4 py-2 tabular-nums whitespace-nowrap" data-testid="item-annotation-span">
                    {a.span ? `${formatPrecise(a.span.start)}–${formatPrecise(a.span.end)}` : "—"}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{formatDate(a.createdAt) ?? "—"}</td>
                  <td className="px-4 py-2">
                    {a.undone ? (
                      <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-xs text-zinc-300 ring-1 ring-zinc-700">
                        Undone
                      </span>
                    ) : (
                      <span className="rounded bg-emerald-500/10 px-1.5 py-0.5 text-xs text-emerald-300 ring-1 ring-emerald-500/30">
                        Live
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </section>
    </div>
  );
}
