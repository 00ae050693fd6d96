import Link from "next/link";
import { useId } from "react";
import type { Moment } from "@/app/_lib/api";
import { formatScore, formatSpanLength, formatTime } from "@/app/_lib/format";
import { momentHref } from "@/app/_lib/moments";
import { CorrectThis } from "./CorrectThis";
import { wordsPattern } from "@/app/_lib/highlight";
import { Highlighted } from "./Highlighted";
import { CaptionsIcon, EyeIcon, PlayIcon, TextIcon } from "./icons";
import { MomentBar } from "./MomentBar";
import { PosterImage } from "./PosterImage";
import { SpriteTile } from "./SpriteTile";

/**
 * One search result: the frame at the moment, the video, the span on a bar of the whole
 * video, the score, and what matched: subtitles or on-screen text (quoted, with the
 * query's words marked), else the picture itself. The whole card links to the video page,
 * which plays from the span's start. Annotators and admins also get "Correct this": the
 * result filed for review with the query as its sentence.
 */
export function MomentCard({ moment, query }: { moment: Moment; query: string }) {
  const { video, start, end } = moment;
  const { sprite } = video;
  const titleId = useId();
  return (
    <article
      data-testid="search-result"
      data-video-id={moment.videoId}
      data-start={start}
      data-end={end}
      className="group flex w-full flex-col rounded-xl border border-zinc-800 bg-zinc-900/60 transition hover:border-zinc-700 focus-within:border-zinc-600"
    >
      <Link
        href={momentHref(moment.videoId, start, end, query)}
        className="flex flex-1 flex-col rounded-xl focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400"
      >
        <div className="relative aspect-video overflow-hidden rounded-t-xl bg-zinc-800">
          {sprite && video.urls.sprite ? (
            <SpriteTile sprite={sprite} url={video.urls.sprite} time={start} width="fill" pick="nearest" testId="search-result-frame" />
          ) : (
            <PosterImage url={video.urls.poster} sizes="(min-width: 1024px) 33vw, (min-width: 640px) 50vw, 100vw" />
          )}
          <div className="absolute inset-0 flex items-center justify-center bg-black/0 transition group-hover:bg-black/30">
            <span className="flex size-11 items-center justify-center rounded-full bg-black/60 text-white opacity-0 shadow-lg ring-1 ring-white/20 transition group-hover:opacity-100 group-focus-within:opacity-100">
              <PlayIcon className="ml-0.5 size-5" />
            </span>
          </div>
          <span className="absolute right-2 bottom-2 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white" aria-hidden="true">
            {formatTime(start)}
          </span>
        </div>
        <div className="flex flex-1 flex-col gap-2 p-3">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id={titleId} className="truncate text-sm font-medium text-zinc-100 group-hover:text-white" title={video.name}>
              {video.name}
            </h2>
            <span
              className="shrink-0 text-xs tabular-nums text-zinc-400"
              title={moment.similarity != null ? `Similarity ${moment.similarity.toFixed(3)}` : undefined}
              data-testid="search-result-score"
            >
              <span className="text-zinc-400">score </span>
              {formatScore(moment.score)}
            </span>
          </div>
          <p className="text-xs tabular-nums text-zinc-300">
            {formatTime(start)}–{formatTime(end)}
            <span className="text-zinc-400"> · {formatSpanLength(end - start)}</span>
            {video.duration != null && <span className="text-zinc-400"> of {formatTime(video.duration)}</span>}
          </p>
          <MomentBar duration={video.duration} span={moment} alternatives={moment.alternatives} spanTestId="search-span" />
          <MatchedBy moment={moment} query={query} />
        </div>
      </Link>
      <CorrectThis
        videoId={moment.videoId}
        sentence={query}
        span={{ start, end }}
        alternatives={moment.alternatives}
        describedBy={titleId}
        className="border-t border-zinc-800 px-3 py-2"
      />
    </article>
  );
}

const SOURCES = {
  subtitles: { label: "Subtitles", Icon: CaptionsIcon },
  ocr: { label: "On-screen text", Icon: TextIcon },
  visual: { label: "Visual match", Icon: EyeIcon },
} as const;

/** Which evidence found the moment, and the text that matched with the query's words marked. */
function MatchedBy({ moment, query }: { moment: Moment; query: string }) {
  const text = moment.text?.trim() ? moment.text : null;
  const source = text ? (moment.textSource === "ocr" ? "ocr" : "subtitles") : "visual";
  const { label, Icon } = SOURCES[source];
  return (
    <div className="space-y-1 text-xs" data-testid="search-result-match" data-source={source}>
      <p className="flex items-center gap-1.5 font-medium text-zinc-300" data-testid="search-result-source">
        <Icon className="size-3.5 shrink-0 text-zinc-400" />
        {label}
      </p>
      {text && (
        <p className="text-zinc-300" data-testid="search-result-text">
          <span className="line-clamp-2 break-words" title={text}>
            “<Highlighted text={text} pattern={wordsPattern(query)} />”
          </span>
        </p>
      )}
    </div>
  );
}
