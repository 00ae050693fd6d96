"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { trackUrl } from "@/app/_lib/api";
import { formatEta, formatPercent } from "@/app/_lib/format";
import { momentHref, type MomentSpan, type ParsedMoment } from "@/app/_lib/moments";
import { useClips } from "@/app/_lib/useClips";
import { ocrPending, useCues } from "@/app/_lib/useCues";
import { useVideo } from "@/app/_lib/useVideo";
import { Alert } from "./Alert";
import { AttachSubtitles } from "./AttachSubtitles";
import { CcBadge } from "./CcBadge";
import { CorrectThis } from "./CorrectThis";
import { DeleteVideoDialog } from "./DeleteVideoDialog";
import { DescribeMoment } from "./DescribeMoment";
import { ArrowLeftIcon, FilmIcon, TrashIcon } from "./icons";
import { ProgressBar } from "./ProgressBar";
import { useCan } from "./SessionProvider";
import { StatusBadge } from "./StatusBadge";
import { Transcript } from "./Transcript";
import { useReprocess } from "./useReprocess";
import { VideoDescriptions } from "./VideoDescriptions";
import { VideoDetails } from "./VideoDetails";
import { VideoPlayer, type PlayerTextTrack, type PlayRequest } from "./VideoPlayer";
import { VideoSearch } from "./VideoSearch";
import { VideoTitle } from "./VideoTitle";

interface VideoViewProps {
  id: string;
  /** from ?t=&end=&q=: play from `start`, highlight `span`, found by the search `query` */
  moment?: ParsedMoment | null;
}

/** Keeps ?t=&end=&q= in step with the highlighted moment, so the address can be shared. */
function replaceMomentInUrl(id: string, span: MomentSpan | null, query: string | null) {
  window.history.replaceState(
    null,
    "",
    span ? momentHref(id, span.start, span.end, query) : `/videos/${encodeURIComponent(id)}`,
  );
}

/** The highlighted moment's search and the other spans it proposed: what "Correct this" files. */
interface Found {
  query: string | null;
  alternatives: MomentSpan[];
}

export function VideoView({ id, moment = null }: VideoViewProps) {
  const router = useRouter();
  // (polled while its on-screen text is being read too: the transcript shows the progress)
  const { video, loading, notFound, error, reload } = useVideo(id, { untilTextRead: true });
  const { clips, error: clipsError } = useClips(id, video?.status === "ready");
  const [confirming, setConfirming] = useState(false);
  const canDelete = useCan("videos:delete");
  const canAnnotate = useCan("videos:annotate");
  const [span, setSpan] = useState<MomentSpan | null>(moment?.span ?? null);
  const [found, setFound] = useState<Found>({ query: moment?.query ?? null, alternatives: [] });
  const [loop, setLoop] = useState(false);
  // a moment from a search result plays to its end and stops there (loop and this are toggles)
  const [stopAtEnd, setStopAtEnd] = useState(true);
  const [playRequest, setPlayRequest] = useState<PlayRequest | null>(moment ? { at: moment.start } : null);
  // (hooks before the early returns: a placeholder until the video is loaded)
  const reprocess = useReprocess(video ?? { id, title: "", status: "queued" }, () => void reload());
  const mediaRef = useRef<HTMLVideoElement>(null);
  // subtitles attached from this page: the transcript and the tracks load again
  const [attached, setAttached] = useState(0);
  const cues = useCues(id, video?.hasText ?? false, `${video?.ocr.status === "done"}:${attached}`);
  // the version changes with the text, so the browser fetches a track again when it changed
  const src = (kind: "subtitles" | "ocr") => `${trackUrl(id, kind)}?v=${cues.versions[kind]}`;
  const textTracks: PlayerTextTrack[] = [];
  if (cues.subtitles.length)
    textTracks.push({ id: "subtitles", kind: "subtitles", label: "Subtitles", srclang: "en", src: src("subtitles") });
  if (cues.ocr.length)
    textTracks.push({ id: "ocr", kind: "captions", label: "On-screen text", srclang: "en", src: src("ocr") });

  // a link to another moment of this same video: follow it
  const momentKey = moment ? `${moment.start}-${moment.span?.end ?? ""}-${moment.query ?? ""}` : "";
  const [seenMoment, setSeenMoment] = useState(momentKey);
  if (seenMoment !== momentKey) {
    setSeenMoment(momentKey);
    setSpan(moment?.span ?? null);
    setFound({ query: moment?.query ?? null, alternatives: [] });
    setLoop(false);
    if (moment) setPlayRequest({ at: moment.start });
  }

  const pickMoment = (next: MomentSpan, by: { query: string; alternatives: MomentSpan[] }) => {
    setSpan(next);
    setFound(by);
    setPlayRequest({ at: next.start });
    replaceMomentInUrl(id, next, by.query);
  };

  const clearSpan = () => {
    setSpan(null);
    setFound({ query: null, alternatives: [] });
    setLoop(false);
    replaceMomentInUrl(id, null, null);
  };

  if (loading) {
    return (
      <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading the video">
        <div className="h-8 w-1/3 animate-pulse rounded bg-zinc-800" />
        <div className="aspect-video w-full animate-pulse rounded-xl bg-zinc-900" />
      </div>
    );
  }

  if (notFound) {
    return (
      <div className="flex flex-col items-center py-24 text-center" data-testid="video-not-found">
        <FilmIcon className="size-12 text-zinc-500" />
        <h1 className="mt-4 text-xl font-semibold">Video not found</h1>
        <p className="mt-1 text-sm text-zinc-400">It may have been deleted, or the link is wrong.</p>
        <Link
          href="/"
          className="mt-6 inline-flex min-h-11 items-center text-sm font-medium text-indigo-300 hover:text-indigo-200"
        >
          Back to the library
        </Link>
      </div>
    );
  }

  if (!video) {
    return (
      <Alert tone="error" title="The video could not be loaded" onRetry={() => void reload()}>
        {error}
      </Alert>
    );
  }

  const busy = video.status === "queued" || video.status === "processing";

  return (
    <div className="space-y-6">
      <Link
        href="/"
        className="inline-flex min-h-11 items-center gap-1.5 text-sm text-zinc-300 hover:text-zinc-100 sm:min-h-0"
      >
        <ArrowLeftIcon className="size-4" />
        Library
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-2">
          <VideoTitle video={video} onRenamed={reload} />
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={video.status} />
            {video.hasText && <CcBadge />}
          </div>
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          {canAnnotate && (
            <AttachSubtitles
              videoId={video.id}
              onAttached={() => {
                setAttached((n) => n + 1);
                void reload();
              }}
            />
          )}
          {reprocess.allowed && (
            <button
              type="button"
              onClick={reprocess.request}
              disabled={reprocess.busy}
              data-testid="reprocess-button"
              className="inline-flex min-h-11 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-zinc-100 ring-1 ring-zinc-600 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-60 sm:min-h-0"
            >
              {reprocess.busy ? "Starting…" : reprocess.needsConfirm ? "Reprocess…" : "Reprocess"}
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              onClick={() => setConfirming(true)}
              data-testid="delete-button"
              className="inline-flex min-h-11 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-rose-300 ring-1 ring-rose-500/40 hover:bg-rose-500/10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0"
            >
              <TrashIcon className="size-4" />
              Delete
            </button>
          )}
        </div>
      </div>
      {reprocess.error && <Alert tone="error">{reprocess.error}</Alert>}
      {reprocess.dialog}

      {error && <Alert tone="error">Live updates paused: {error}</Alert>}
      {busy && (
        <div className="space-y-2 rounded-xl border border-sky-500/20 bg-sky-500/5 p-4" data-testid="processing-panel">
          <div className="flex justify-between text-sm">
            <span className="text-sky-200">
              {video.status === "queued" ? "Waiting to be processed…" : "Processing…"}
            </span>
            <span className="tabular-nums text-sky-300">
              {formatPercent(video.progress)}
              {video.status === "processing" && video.etaSeconds != null && (
                <span data-testid="video-eta"> · {formatEta(video.etaSeconds)}</span>
              )}
            </span>
          </div>
          <ProgressBar value={video.progress} label={`Processing ${video.title}`} tone="processing" size="md" />
          <p className="text-xs text-zinc-400">
            You can watch the video meanwhile; clips and thumbnails appear when it is done.
          </p>
        </div>
      )}
      {video.status === "failed" && (
        <Alert tone="error" title="Processing failed">
          {video.error ?? "The video could not be processed."}
        </Alert>
      )}
      {video.warning && <Alert tone="warning">{video.warning}</Alert>}

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <VideoPlayer
          video={video}
          clips={clips}
          textTracks={textTracks}
          mediaRef={mediaRef}
          span={span}
          loop={loop}
          onLoopChange={setLoop}
          stopAtEnd={stopAtEnd}
          onStopAtEndChange={setStopAtEnd}
          onClearSpan={clearSpan}
          playRequest={playRequest}
          momentActions={
            canAnnotate && span && found.query ? (
              // keyed: another moment or search starts unfiled
              <CorrectThis
                key={`${span.start}-${span.end}-${found.query}`}
                videoId={video.id}
                sentence={found.query}
                span={span}
                alternatives={found.alternatives}
              />
            ) : null
          }
          clipsPlaceholder={
            clipsError ??
            (busy
              ? "Clips appear once processing finishes."
              : video.status === "failed"
                ? "No clips: processing failed."
                : clips === null
                  ? "Loading clips…"
                  : "This video has no clips.")
          }
        />
        <div className="space-y-6">
          <VideoSearch
            videoId={video.id}
            duration={video.duration}
            ready={video.status === "ready"}
            activeSpan={span}
            onPick={pickMoment}
          />
          {(cues.subtitles.length > 0 ||
            cues.ocr.length > 0 ||
            cues.error ||
            ocrPending(video) ||
            (video.status === "ready" && video.ocr.status === "failed")) && (
            <Transcript
              video={video}
              subtitles={cues.subtitles}
              ocr={cues.ocr}
              mediaRef={mediaRef}
              error={cues.error}
            />
          )}
          {/* (after the search box: its Tab stops come after it) */}
          <VideoDescriptions videoId={video.id} />
          {canAnnotate && <DescribeMoment videoId={video.id} ready={video.status === "ready"} />}
          <aside
            aria-labelledby="details-heading"
            className="h-fit rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
          >
            <h2 id="details-heading" className="mb-3 text-sm font-semibold text-zinc-300">
              Details
            </h2>
            <VideoDetails video={video} clipCount={clips ? clips.length : null} />
            <a
              href={video.urls.file}
              download
              className="mt-4 inline-flex min-h-11 items-center text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
            >
              Download original
            </a>
          </aside>
        </div>
      </div>

      {canDelete && (
        <DeleteVideoDialog
          video={video}
          open={confirming}
          onClose={() => setConfirming(false)}
          onDeleted={() => {
            setConfirming(false);
            router.replace("/");
            router.refresh();
          }}
        />
      )}
    </div>
  );
}
