import Link from "next/link";
import { useId } from "react";
import type { Moment } from "@/app/_lib/api";
import { MATCH_SOURCE_LABELS, matchSource, type Level, type MatchSource } from "@/app/_lib/confidence";
import { formatSpanLength, formatTime } from "@/app/_lib/format";
import { momentHref, searchHref, type MomentSpan } from "@/app/_lib/moments";
import { ConfidenceBadge } from "./ConfidenceBadge";
import { CorrectThis } from "./CorrectThis";
import { wordsPattern } from "@/app/_lib/highlight";
import { Highlighted } from "./Highlighted";
import { CaptionsIcon, EyeIcon, PlayIcon, SearchIcon, SimilarIcon, TextIcon } from "./icons";
import { MomentBar } from "./MomentBar";
import { PosterImage } from "./PosterImage";
import { SpriteTile } from "./SpriteTile";

interface MomentCardProps {
  moment: Moment;
  query: string;
  /** the confidence in words as shown (the page marks what is under the usual threshold weak) */
  level: Level;
  /** the video's other spans (its other moments and grounded candidates), drawn faint on the bar */
  others?: MomentSpan[];
  /** the card's title is an h2 in a flat list, an h3 under its video's heading */
  headingLevel?: 2 | 3;
  /** the results are already this video's only: no "Search in this video" */
  scoped?: boolean;
  /** "More like this": the page opens the similar moments (and returns focus to `opener`) */
  onMoreLikeThis?: (moment: Moment, opener: HTMLButtonElement) => void;
}

export const CARD_ACTION =
  "inline-flex min-h-11 items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0";

/**
 * One search result: the frame at the moment, the video, the span on a bar of the whole
 * video (the video's other spans faint), how sure the match is in words, and what found
 * it: subtitles or on-screen text (quoted, with the query's words marked), the picture
 * itself, or both. The card links to the video page, which plays from the span's start.
 * Below: "More like this", "Search in this video", and for annotators and admins "Correct
 * this" (the result filed for review with the query as its sentence).
 */
export function MomentCard({
  moment,
  query,
  level,
  others,
  headingLevel = 2,
  scoped = false,
  onMoreLikeThis,
}: MomentCardProps) {
  const { video, start, end } = moment;
  const { sprite } = video;
  const titleId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const weak = level === "weak";
  return (
    <article
      data-testid="search-result"
      data-video-id={moment.videoId}
      data-start={start}
      data-end={end}
      data-level={level}
      data-confidence={moment.confidence}
      className={`group flex w-full flex-col rounded-xl border bg-zinc-900/60 transition focus-within:border-zinc-600 ${
        weak ? "border-dashed border-zinc-700 hover:border-zinc-600" : "border-zinc-800 hover:border-zinc-700"
      }`}
    >
      <Link
        href={momentHref(moment.videoId, start, end, query)}
        className="flex flex-1 flex-col rounded-xl focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400"
      >
        <div
          className={`relative aspect-video overflow-hidden rounded-t-xl bg-zinc-800 ${weak ? "opacity-75 group-hover:opacity-100" : ""}`}
        >
          {sprite && video.urls.sprite ? (
            <SpriteTile
              sprite={sprite}
              url={video.urls.sprite}
              time={start}
              width="fill"
              pick="nearest"
              testId="search-result-frame"
            />
          ) : (
            <PosterImage url={video.urls.poster} sizes="(min-width: 1024px) 33vw, (min-width: 640px) 50vw, 100vw" />
          )}
          <div className="absolute inset-0 flex items-center justify-center bg-black/0 transition group-hover:bg-black/30">
            <span className="flex size-11 items-center justify-center rounded-full bg-black/60 text-white opacity-0 shadow-lg ring-1 ring-white/20 transition group-hover:opacity-100 group-focus-within:opacity-100">
              <PlayIcon className="ml-0.5 size-5" />
            </span>
          </div>
          <span
            className="absolute right-2 bottom-2 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white"
            aria-hidden="true"
          >
            {formatTime(start)}
          </span>
        </div>
        <div className="flex flex-1 flex-col gap-2 p-3">
          <div className="flex items-start justify-between gap-3">
            <Heading
              id={titleId}
              className="min-w-0 truncate text-sm font-medium text-zinc-100 group-hover:text-white"
              title={video.name}
            >
              {video.name}
            </Heading>
            <ConfidenceBadge level={level} confidence={moment.confidence} />
          </div>
          <p className="text-xs tabular-nums text-zinc-300">
            {formatTime(start)}–{formatTime(end)}
            <span className="text-zinc-400"> · {formatSpanLength(end - start)}</span>
            {video.duration != null && <span className="text-zinc-400"> of {formatTime(video.duration)}</span>}
          </p>
          <MomentBar
            duration={video.duration}
            span={moment}
            alternatives={others ?? moment.alternatives}
            spanTestId="search-span"
          />
          <MatchedBy moment={moment} query={query} />
        </div>
      </Link>
      <div
        className="flex flex-wrap items-center gap-2 border-t border-zinc-800 px-3 py-2"
        data-testid="search-result-actions"
      >
        {onMoreLikeThis && (
          <button
            type="button"
            onClick={(e) => onMoreLikeThis(moment, e.currentTarget)}
            aria-describedby={titleId}
            aria-haspopup="dialog"
            data-testid="more-like-this"
            className={CARD_ACTION}
          >
            <SimilarIcon className="size-3.5" />
            More like this
          </button>
        )}
        {!scoped && (
          <Link
            href={searchHref({ q: query, video: moment.videoId })}
            aria-describedby={titleId}
            data-testid="search-in-video"
            className={CARD_ACTION}
          >
            <SearchIcon className="size-3.5" />
            Search in this video
          </Link>
        )}
        <CorrectThis
          videoId={moment.videoId}
          sentence={query}
          span={{ start, end }}
          alternatives={moment.alternatives}
          describedBy={titleId}
        />
      </div>
    </article>
  );
}

const SOURCE_ICONS: Record<MatchSource, typeof EyeIcon> = {
  visual: EyeIcon,
  subtitles: CaptionsIcon,
  ocr: TextIcon,
  "both-subtitles": CaptionsIcon,
  "both-ocr": TextIcon,
};

/** Which evidence found the moment, and the text that matched with the query's words marked. */
function MatchedBy({ moment, query }: { moment: Moment; query: string }) {
  const text = moment.text?.trim() ? moment.text : null;
  const source = matchSource(moment);
  const Icon = SOURCE_ICONS[source];
  return (
    <div className="space-y-1 text-xs" data-testid="search-result-match" data-source={source}>
      <p className="flex items-center gap-1.5 font-medium text-zinc-300" data-testid="search-result-source">
        {source.startsWith("both-") && <EyeIcon className="size-3.5 shrink-0 text-zinc-400" />}
        <Icon className="size-3.5 shrink-0 text-zinc-400" />
        {MATCH_SOURCE_LABELS[source]}
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
