"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { Clip, VideoDto } from "@/app/_lib/api";
import { formatSpanLength, formatTime, formatTimeLong } from "@/app/_lib/format";
import type { MomentSpan } from "@/app/_lib/moments";
import { clipIndexAt } from "@/app/_lib/useClips";
import { useMediaState } from "@/app/_lib/useMediaState";
import { ClipStrip } from "./ClipStrip";
import { CloseIcon, FullscreenIcon, LoopIcon, MuteIcon, PauseIcon, PlayIcon, VolumeIcon } from "./icons";
import { Timeline } from "./Timeline";
import { playOrMute } from "../_lib/playback";

/** "Seek to `at` and play": each new object is one request. */
export interface PlayRequest {
  at: number;
}

interface VideoPlayerProps {
  video: VideoDto;
  clips: Clip[] | null;
  /** shown where the clip strip goes while there are no clips */
  clipsPlaceholder?: string;
  /** the moment to highlight on the timeline, with its own controls under the player */
  span?: MomentSpan | null;
  /** when on, playback that reaches the span's end jumps back to its start */
  loop?: boolean;
  onLoopChange?: (on: boolean) => void;
  onClearSpan?: () => void;
  playRequest?: PlayRequest | null;
  /** other spans to show faint on the timeline (e.g. each annotator's span of a review item) */
  marks?: MomentSpan[];
  /** extra controls for the moment, in its bar under the player (e.g. "Correct this") */
  momentActions?: ReactNode;
}

const BUTTON = "rounded-md p-1.5 text-zinc-200 hover:bg-white/10 hover:text-white";
const MOMENT_BUTTON = "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium ring-1 transition";

/**
 * <video> with custom controls: play/pause, time, a sprite-previewing timeline, mute and
 * fullscreen; the clip strip sits underneath. Keyboard (when the player has focus):
 * Space/K play-pause, ←/→ or J/L ±5 s, M mute, F fullscreen. A moment (`span`, e.g. a
 * search result) is highlighted on the timeline, with Play / Loop controls under the player.
 */
export function VideoPlayer({
  video,
  clips,
  clipsPlaceholder,
  span = null,
  loop = false,
  onLoopChange,
  onClearSpan,
  playRequest = null,
  marks,
  momentActions,
}: VideoPlayerProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [media, controls] = useMediaState(videoRef, video.duration ?? 0);
  const activeClip = clips ? clipIndexAt(clips, media.currentTime) : -1;
  // muted by us because the browser refused to autoplay with sound
  const [autoMuted, setAutoMuted] = useState(false);
  const { seek } = controls;

  /** Seek and play; if the browser blocks autoplay with sound, play muted instead. */
  const playFrom = useCallback(
    (t: number) => {
      const v = videoRef.current;
      if (!v) return;
      seek(t);
      playOrMute(v, () => setAutoMuted(true));
    },
    [seek],
  );

  // a new play request: once the metadata is in (seeking earlier is unreliable), seek and play
  const handled = useRef<PlayRequest | null>(null);
  useEffect(() => {
    const v = videoRef.current;
    if (!v || !playRequest || handled.current === playRequest) return;
    const go = () => {
      handled.current = playRequest;
      playFrom(playRequest.at);
    };
    if (v.readyState >= HTMLMediaElement.HAVE_METADATA) {
      go();
      return;
    }
    v.addEventListener("loadedmetadata", go, { once: true });
    if (v.preload !== "auto") v.preload = "auto";
    return () => v.removeEventListener("loadedmetadata", go);
  }, [playRequest, playFrom]);

  // loop: playback that runs from inside the span past its end goes back to the start
  // (a jump past the end — a seek — does not count)
  const lastTime = useRef(media.currentTime);
  useEffect(() => {
    const prev = lastTime.current;
    const now = media.currentTime;
    lastTime.current = now;
    if (!loop || !span) return;
    const ended = !!videoRef.current?.ended;
    const fromInside = prev >= span.start - 0.25;
    const crossed = !media.paused && fromInside && prev < span.end && now >= span.end - 0.02 && now - prev < 1.5;
    // a span that runs to the very end: the video stops ("ended") instead of crossing it
    const endedInside = ended && fromInside && now >= span.end - 0.25;
    if (crossed || endedInside) playFrom(span.start);
  }, [media.currentTime, media.paused, loop, span, playFrom]);

  const toggleLoop = () => {
    const on = !loop;
    onLoopChange?.(on);
    // turning it on from outside the moment starts the moment
    if (on && span && (media.currentTime < span.start - 0.25 || media.currentTime >= span.end)) playFrom(span.start);
  };

  const unmute = () => {
    setAutoMuted(false);
    if (media.muted) controls.toggleMute();
  };

  const fullscreen = () => {
    const el = frameRef.current;
    if (!el) return;
    if (document.fullscreenElement) void document.exitFullscreen();
    else void el.requestFullscreen?.().catch(() => undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const onButton = e.target instanceof HTMLButtonElement;
    switch (e.key) {
      case " ":
      case "k":
        if (onButton && e.key === " ") return; // the button's own click
        controls.toggle();
        break;
      case "ArrowLeft":
      case "j":
        controls.seek(media.currentTime - 5);
        break;
      case "ArrowRight":
      case "l":
        controls.seek(media.currentTime + 5);
        break;
      case "m":
        controls.toggleMute();
        break;
      case "f":
        fullscreen();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="space-y-3">
      <div
        ref={frameRef}
        onKeyDown={onKeyDown}
        className="group/player relative overflow-hidden rounded-xl bg-black ring-1 ring-zinc-800 [&:fullscreen]:flex [&:fullscreen]:flex-col [&:fullscreen]:justify-center [&:fullscreen]:rounded-none"
      >
        <video
          ref={videoRef}
          data-testid="player"
          src={video.urls.file}
          poster={video.urls.poster ?? undefined}
          preload="metadata"
          playsInline
          tabIndex={0}
          aria-label={`Video: ${video.name}`}
          onClick={controls.toggle}
          className="aspect-video max-h-[70vh] w-full bg-black object-contain [:fullscreen>&]:max-h-none [:fullscreen>&]:flex-1"
        />
        {autoMuted && media.muted && (
          <button
            type="button"
            onClick={unmute}
            data-testid="unmute-hint"
            className="absolute top-3 left-3 inline-flex items-center gap-1.5 rounded-full bg-black/75 px-3 py-1.5 text-xs font-medium text-white ring-1 ring-white/20 hover:bg-black/90"
          >
            <MuteIcon className="size-4" />
            Sound is off — unmute
          </button>
        )}
        {media.error && (
          <div role="alert" className="absolute inset-x-0 top-0 bg-black/80 px-4 py-3 text-sm text-rose-200">
            {media.error}{" "}
            <a href={video.urls.file} download className="underline underline-offset-2">
              Download the original
            </a>
          </div>
        )}
        <div className="bg-gradient-to-t from-black/90 to-black/40 px-3 pt-1 pb-2">
          <Timeline
            duration={media.duration}
            currentTime={media.currentTime}
            bufferedEnd={media.bufferedEnd}
            sprite={video.sprite}
            spriteUrl={video.urls.sprite}
            onSeek={controls.seek}
            span={span}
            marks={marks}
          />
          <div className="flex items-center gap-2">
            <button
              type="button"
              onClick={controls.toggle}
              aria-label={media.paused ? "Play" : "Pause"}
              data-testid="play-button"
              className={BUTTON}
            >
              {media.paused ? <PlayIcon /> : <PauseIcon />}
            </button>
            <span className="text-xs tabular-nums text-zinc-300" data-testid="time-display">
              {formatTime(media.currentTime)} <span className="text-zinc-500">/ {formatTime(media.duration)}</span>
            </span>
            {media.waiting && <span className="text-xs text-zinc-400">Buffering…</span>}
            <span className="ml-auto hidden text-xs text-zinc-400 sm:inline" aria-live="off">
              {clips && activeClip >= 0 && `Clip ${activeClip + 1} of ${clips.length}`}
            </span>
            <button
              type="button"
              onClick={controls.toggleMute}
              aria-label={media.muted ? "Unmute" : "Mute"}
              aria-pressed={media.muted}
              className={`${BUTTON} ml-auto sm:ml-0`}
            >
              {media.muted ? <MuteIcon /> : <VolumeIcon />}
            </button>
            <button type="button" onClick={fullscreen} aria-label="Full screen" className={BUTTON}>
              <FullscreenIcon />
            </button>
          </div>
        </div>
      </div>
      {span && (
        <div
          data-testid="player-moment"
          className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-amber-400/25 bg-amber-400/5 px-3 py-2"
        >
          <p className="mr-auto flex items-center gap-2 text-sm text-zinc-300">
            <span className="size-2.5 rounded-sm bg-amber-400" aria-hidden="true" />
            <span>
              Moment{" "}
              <span className="font-medium tabular-nums text-amber-100" aria-hidden="true">
                {formatTime(span.start)}–{formatTime(span.end)}
              </span>
              <span className="sr-only">
                from {formatTimeLong(span.start)} to {formatTimeLong(span.end)}
              </span>
              <span className="text-zinc-500"> · {formatSpanLength(span.end - span.start)}</span>
            </span>
          </p>
          <button
            type="button"
            onClick={() => playFrom(span.start)}
            className={`${MOMENT_BUTTON} text-zinc-200 ring-zinc-700 hover:bg-zinc-800`}
            data-testid="play-moment"
          >
            <PlayIcon className="size-3.5" />
            Play moment
          </button>
          <button
            type="button"
            onClick={toggleLoop}
            aria-pressed={loop}
            data-testid="loop-toggle"
            className={`${MOMENT_BUTTON} ${
              loop ? "bg-amber-400/15 text-amber-100 ring-amber-400/60" : "text-zinc-200 ring-zinc-700 hover:bg-zinc-800"
            }`}
          >
            <LoopIcon className="size-4" />
            Loop this moment
          </button>
          {momentActions}
          {onClearSpan && (
            <button type="button" onClick={onClearSpan} aria-label="Clear the moment" className="rounded-md p-1 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-200">
              <CloseIcon className="size-4" />
            </button>
          )}
        </div>
      )}
      <section aria-labelledby="clips-heading" className="space-y-2">
        <h2 id="clips-heading" className="text-sm font-semibold text-zinc-300">
          Clips {clips && <span className="font-normal text-zinc-500">({clips.length})</span>}
        </h2>
        {clips && clips.length > 0 ? (
          <ClipStrip
            clips={clips}
            activeIndex={activeClip}
            sprite={video.sprite}
            spriteUrl={video.urls.sprite}
            onSeek={controls.seek}
          />
        ) : (
          <p className="rounded-lg border border-dashed border-zinc-800 px-4 py-6 text-center text-sm text-zinc-500">
            {clipsPlaceholder ?? "This video has no clips."}
          </p>
        )}
      </section>
    </div>
  );
}
