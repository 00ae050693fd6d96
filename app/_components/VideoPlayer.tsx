"use client";

import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from "react";
import type { Clip, VideoDto } from "@/app/_lib/api";
import { formatSpanLength, formatTime, formatTimeLong } from "@/app/_lib/format";
import type { MomentSpan } from "@/app/_lib/moments";
import { clipIndexAt } from "@/app/_lib/useClips";
import { useSpanBoundary } from "@/app/_lib/useSpanBoundary";
import { useMediaState } from "@/app/_lib/useMediaState";
import { ownsKeys } from "@/app/_lib/keys";
import { CaptionsMenu } from "./CaptionsMenu";
import { ClipStrip } from "./ClipStrip";
import {
  CloseIcon,
  FullscreenIcon,
  KeyboardIcon,
  LoopIcon,
  MuteIcon,
  PauseIcon,
  PlayIcon,
  StopAtEndIcon,
  VolumeIcon,
} from "./icons";
import { PlayerHelp } from "./PlayerHelp";
import { Timeline } from "./Timeline";
import { frameSeconds, nextRate, PLAYBACK_RATES, playOrMute } from "../_lib/playback";

/** A WebVTT text track the player offers in its "CC" menu. */
export interface PlayerTextTrack {
  /** stable id ("subtitles", "ocr") */
  id: string;
  /** the <track>'s kind: "subtitles" (spoken words) or "captions" (e.g. text on screen) */
  kind: "subtitles" | "captions";
  label: string;
  src: string;
  srclang: string;
}

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
  /**
   * when on (and loop is off), playback that runs through the span's end pauses there;
   * playing again goes on past it. With `onStopAtEndChange` it shows as a toggle.
   */
  stopAtEnd?: boolean;
  onStopAtEndChange?: (on: boolean) => void;
  onClearSpan?: () => void;
  playRequest?: PlayRequest | null;
  /** other spans to show faint on the timeline (e.g. each annotator's span of a review item) */
  marks?: MomentSpan[];
  /** extra controls for the moment, in its bar under the player (e.g. "Correct this") */
  momentActions?: ReactNode;
  /** text tracks (subtitles, on-screen text) to pick from the "CC" menu; none: no menu */
  textTracks?: PlayerTextTrack[];
  /** the <video> element, for what follows playback beside the player (the transcript) */
  mediaRef?: RefObject<HTMLVideoElement | null>;
}

const NO_TRACKS: PlayerTextTrack[] = [];

// 44 px targets on phones, compact from sm: up
const BUTTON =
  "inline-flex min-h-11 min-w-11 items-center justify-center rounded-md p-1.5 text-zinc-200 hover:bg-white/10 hover:text-white disabled:cursor-not-allowed disabled:opacity-50 sm:min-h-0 sm:min-w-0";
const MOMENT_BUTTON =
  "inline-flex min-h-11 items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium ring-1 transition sm:min-h-0";

function formatRate(r: number): string {
  return `${r}×`;
}

/**
 * <video> with custom controls: play/pause, time, a sprite-previewing timeline, volume,
 * speed and fullscreen; the clip strip sits underneath. Keyboard (when the player has
 * focus, or anywhere while nothing has focus): Space/K play-pause, ←/→ or J/L ±5 s,
 * `,`/`.` one frame, `<`/`>` speed, ↑/↓ volume, M mute, F fullscreen, C captions, ? the
 * list of keys. Text tracks (subtitles, on-screen text) are picked in the "CC" menu.
 * A moment (`span`, e.g. a search result) is highlighted on the timeline, with Play /
 * Stop at the end / Loop controls under the player. A file the browser cannot play says
 * so over the picture.
 */
export function VideoPlayer({
  video,
  clips,
  clipsPlaceholder,
  span = null,
  loop = false,
  onLoopChange,
  stopAtEnd = false,
  onStopAtEndChange,
  onClearSpan,
  playRequest = null,
  marks,
  momentActions,
  textTracks = NO_TRACKS,
  mediaRef,
}: VideoPlayerProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  // the element, for the page (e.g. its transcript)
  useImperativeHandle(mediaRef, () => videoRef.current as HTMLVideoElement, []);
  const [media, controls] = useMediaState(videoRef, video.duration ?? 0, { expectsPicture: (video.width ?? 0) > 0 });
  const activeClip = clips ? clipIndexAt(clips, media.currentTime) : -1;
  // muted by us because the browser refused to autoplay with sound
  const [autoMuted, setAutoMuted] = useState(false);
  const [help, setHelp] = useState(false);
  // the text track showing (its id), or null; the last one shown, for the C key
  const [caption, setCaption] = useState<string | null>(null);
  const [lastCaption, setLastCaption] = useState<string | null>(null);
  const [captionNews, setCaptionNews] = useState("");
  const shownCaption = caption !== null && textTracks.some((t) => t.id === caption) ? caption : null;
  const { seek } = controls;
  const frame = frameSeconds(video.fps);

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

  // the picked text track shows, the others are off (a new <track> starts "disabled": set it again)
  const tracksKey = textTracks.map((t) => `${t.id} ${t.src}`).join("\n");
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    const apply = () => {
      for (const el of Array.from(v.querySelectorAll("track"))) {
        const mode: TextTrackMode = el.dataset.trackId === shownCaption ? "showing" : "disabled";
        if (el.track.mode !== mode) el.track.mode = mode;
      }
    };
    apply();
    v.textTracks.addEventListener("addtrack", apply);
    return () => v.textTracks.removeEventListener("addtrack", apply);
  }, [shownCaption, tracksKey]);

  const pickCaption = (id: string | null) => {
    setCaption(id);
    if (id !== null) setLastCaption(id);
    setCaptionNews(`Captions: ${textTracks.find((t) => t.id === id)?.label ?? "off"}`);
  };

  /** C: off when on; else the last track shown (or the first). */
  const toggleCaptions = (): boolean => {
    if (textTracks.length === 0) return false;
    if (shownCaption !== null) pickCaption(null);
    else pickCaption(textTracks.some((t) => t.id === lastCaption) ? lastCaption : textTracks[0].id);
    return true;
  };

  useSpanBoundary(videoRef, media, { span, loop, stopAtEnd, playFrom, seek });

  const toggleLoop = () => {
    const on = !loop;
    onLoopChange?.(on);
    // turning it on from outside the moment starts the moment
    if (on && span && (media.currentTime < span.start - 0.25 || media.currentTime >= span.end)) playFrom(span.start);
  };

  const toggleStopAtEnd = () => onStopAtEndChange?.(!stopAtEnd);

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

  // the file cannot be played here: the message says why, and nothing offers to play it
  const failed = media.error !== null;

  /** The player's keys; false when `key` is not one of them. `fromPage`: pressed while nothing had focus. */
  const handleKey = (key: string, fromPage: boolean): boolean => {
    switch (key) {
      case " ":
        if (fromPage) return false; // Space scrolls the page there
        if (!failed) controls.toggle();
        return true;
      case "k":
      case "K":
        if (!failed) controls.toggle();
        return true;
      case "ArrowLeft":
      case "ArrowRight":
      case "ArrowUp":
      case "ArrowDown":
        if (fromPage) return false; // so do the arrows
        if (key === "ArrowLeft") controls.seek(media.currentTime - 5);
        else if (key === "ArrowRight") controls.seek(media.currentTime + 5);
        else controls.setVolume((media.muted ? 0 : media.volume) + (key === "ArrowUp" ? 0.05 : -0.05));
        return true;
      case "j":
      case "J":
        controls.seek(media.currentTime - 5);
        return true;
      case "l":
      case "L":
        controls.seek(media.currentTime + 5);
        return true;
      case ",":
      case ".":
        controls.stepFrame(key === "." ? 1 : -1, frame);
        return true;
      case "<":
      case ">":
        controls.setPlaybackRate(nextRate(media.playbackRate, key === ">" ? 1 : -1));
        return true;
      case "m":
      case "M":
        controls.toggleMute();
        return true;
      case "f":
      case "F":
        fullscreen();
        return true;
      case "c":
      case "C":
        return toggleCaptions();
      case "?":
        setHelp((h) => !h);
        return true;
      default:
        return false;
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    // a slider or a select inside the player uses its own keys
    if (ownsKeys(e.target)) return;
    if (e.key === " " && e.target instanceof HTMLButtonElement) return; // the button's own click
    if (handleKey(e.key, false)) e.preventDefault();
  };

  // the same keys while nothing has focus (the page itself): letters, `,` `.` `<` `>` and `?`
  const handleKeyRef = useRef(handleKey);
  useLayoutEffect(() => {
    handleKeyRef.current = handleKey;
  });
  useEffect(() => {
    const onPageKey = (e: globalThis.KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.target !== document.body && e.target !== document.documentElement) return;
      if (document.querySelector("dialog[open], [aria-modal='true']")) return;
      if (handleKeyRef.current(e.key, true)) e.preventDefault();
    };
    document.addEventListener("keydown", onPageKey);
    return () => document.removeEventListener("keydown", onPageKey);
  }, []);

  return (
    <div className="space-y-3">
      <div
        ref={frameRef}
        onKeyDown={onKeyDown}
        data-testid="player-frame"
        className="group/player relative overflow-hidden rounded-xl bg-black ring-1 ring-zinc-800 [&:fullscreen]:flex [&:fullscreen]:flex-col [&:fullscreen]:justify-center [&:fullscreen]:rounded-none"
      >
        <div className="relative [:fullscreen>&]:flex [:fullscreen>&]:flex-1 [:fullscreen>&]:flex-col">
          <video
            ref={videoRef}
            data-testid="player"
            data-error={failed || undefined}
            src={video.urls.file}
            poster={video.urls.poster ?? undefined}
            preload="metadata"
            playsInline
            tabIndex={0}
            aria-label={`Video: ${video.name}`}
            aria-keyshortcuts={`Space K J L ArrowLeft ArrowRight ArrowUp ArrowDown , . < > M F${textTracks.length ? " C" : ""} ?`}
            onClick={failed ? undefined : controls.toggle}
            className="aspect-video max-h-[70vh] w-full bg-black object-contain [:fullscreen_&]:max-h-none [:fullscreen_&]:flex-1"
          >
            {textTracks.map((t) => (
              <track
                key={`${t.id} ${t.src}`}
                kind={t.kind}
                label={t.label}
                src={t.src}
                srcLang={t.srclang}
                data-track-id={t.id}
              />
            ))}
          </video>
          <span className="sr-only" aria-live="polite" data-testid="captions-news">
            {captionNews}
          </span>
          {autoMuted && media.muted && !failed && (
            <button
              type="button"
              onClick={unmute}
              data-testid="unmute-hint"
              className="absolute top-3 left-3 inline-flex min-h-11 items-center gap-1.5 rounded-full bg-black/75 px-3 py-1.5 text-xs font-medium text-white ring-1 ring-white/20 hover:bg-black/90 sm:min-h-0"
            >
              <MuteIcon className="size-4" />
              Sound is off — unmute
            </button>
          )}
          {failed && (
            <div
              role="alert"
              data-testid="player-error"
              className="absolute inset-0 flex flex-col items-center justify-center gap-2 overflow-y-auto bg-zinc-950/95 px-6 py-4 text-center"
            >
              <p className="max-w-lg text-sm font-medium text-rose-200 sm:text-base">
                This video&rsquo;s file cannot be played in the browser: {media.error}
              </p>
              {media.errorDetail && (
                <p className="max-w-lg font-mono text-xs break-words text-zinc-400" data-testid="player-error-detail">
                  {media.errorDetail}
                </p>
              )}
              <p className="text-sm text-zinc-300">
                <a
                  href={video.urls.file}
                  download
                  className="inline-block py-2 font-medium text-indigo-300 underline underline-offset-2 hover:text-indigo-200"
                >
                  Download the original
                </a>{" "}
                to watch it in a desktop player.
              </p>
            </div>
          )}
        </div>
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
          <div className="flex items-center gap-1 sm:gap-2">
            <button
              type="button"
              onClick={controls.toggle}
              aria-label={media.paused ? "Play" : "Pause"}
              data-testid="play-button"
              disabled={failed}
              className={BUTTON}
            >
              {media.paused ? <PlayIcon /> : <PauseIcon />}
            </button>
            <span className="text-xs whitespace-nowrap tabular-nums text-zinc-200" data-testid="time-display">
              {formatTime(media.currentTime)} <span className="text-zinc-400">/ {formatTime(media.duration)}</span>
            </span>
            {media.waiting && <span className="hidden text-xs text-zinc-300 sm:inline">Buffering…</span>}
            <span className="ml-auto hidden text-xs text-zinc-300 lg:inline" aria-live="off">
              {clips && activeClip >= 0 && `Clip ${activeClip + 1} of ${clips.length}`}
            </span>
            <button
              type="button"
              onClick={controls.toggleMute}
              aria-label={media.muted ? "Unmute" : "Mute"}
              aria-pressed={media.muted}
              data-testid="mute-button"
              className={`${BUTTON} ml-auto lg:ml-0`}
            >
              {media.muted ? <MuteIcon /> : <VolumeIcon />}
            </button>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={media.muted ? 0 : media.volume}
              onChange={(e) => controls.setVolume(Number(e.target.value))}
              aria-label="Volume"
              aria-valuetext={`${Math.round((media.muted ? 0 : media.volume) * 100)}%`}
              data-testid="volume-slider"
              className="hidden h-6 w-20 cursor-pointer accent-indigo-400 sm:block"
            />
            <label className="sr-only" htmlFor={`${video.id}-speed`}>
              Playback speed
            </label>
            <select
              id={`${video.id}-speed`}
              value={String(media.playbackRate)}
              onChange={(e) => controls.setPlaybackRate(Number(e.target.value))}
              data-testid="speed-select"
              title="Playback speed"
              className="min-h-11 cursor-pointer rounded-md bg-transparent px-1.5 text-xs font-medium tabular-nums text-zinc-200 hover:bg-white/10 sm:min-h-0 sm:py-1.5 [&>option]:bg-zinc-900"
            >
              {!PLAYBACK_RATES.some((r) => r === media.playbackRate) && (
                <option value={String(media.playbackRate)}>{formatRate(media.playbackRate)}</option>
              )}
              {PLAYBACK_RATES.map((r) => (
                <option key={r} value={String(r)}>
                  {formatRate(r)}
                </option>
              ))}
            </select>
            {textTracks.length > 0 && (
              <CaptionsMenu
                choices={textTracks.map((t) => ({ id: t.id, label: t.label }))}
                active={shownCaption}
                onSelect={pickCaption}
                buttonClassName={BUTTON}
              />
            )}
            <button
              type="button"
              onClick={() => setHelp(true)}
              aria-label="Keyboard shortcuts (?)"
              aria-haspopup="dialog"
              data-testid="player-help-button"
              className={`${BUTTON} hidden sm:inline-flex`}
            >
              <KeyboardIcon />
            </button>
            <button type="button" onClick={fullscreen} aria-label="Full screen" className={BUTTON}>
              <FullscreenIcon />
            </button>
          </div>
        </div>
        {help && <PlayerHelp fps={video.fps} onClose={() => setHelp(false)} />}
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
              <span className="text-zinc-400"> · {formatSpanLength(span.end - span.start)}</span>
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
              loop
                ? "bg-amber-400/15 text-amber-100 ring-amber-400/60"
                : "text-zinc-200 ring-zinc-700 hover:bg-zinc-800"
            }`}
          >
            <LoopIcon className="size-4" />
            Loop this moment
          </button>
          {onStopAtEndChange && (
            <button
              type="button"
              onClick={toggleStopAtEnd}
              aria-pressed={stopAtEnd && !loop}
              disabled={loop}
              title={loop ? "Looping: the moment starts again at its end" : undefined}
              data-testid="stop-at-end-toggle"
              className={`${MOMENT_BUTTON} disabled:cursor-not-allowed disabled:opacity-60 ${
                stopAtEnd && !loop
                  ? "bg-amber-400/15 text-amber-100 ring-amber-400/60"
                  : "text-zinc-200 ring-zinc-700 hover:bg-zinc-800"
              }`}
            >
              <StopAtEndIcon className="size-4" />
              Stop at the end
            </button>
          )}
          {momentActions}
          {onClearSpan && (
            <button
              type="button"
              onClick={onClearSpan}
              aria-label="Clear the moment"
              className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-md p-1 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 sm:min-h-0 sm:min-w-0"
            >
              <CloseIcon className="size-4" />
            </button>
          )}
        </div>
      )}
      <section aria-labelledby="clips-heading" className="space-y-2">
        <h2 id="clips-heading" className="text-sm font-semibold text-zinc-300">
          Clips {clips && <span className="font-normal text-zinc-400">({clips.length})</span>}
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
          <p className="rounded-lg border border-dashed border-zinc-800 px-4 py-6 text-center text-sm text-zinc-400">
            {clipsPlaceholder ?? "This video has no clips."}
          </p>
        )}
      </section>
    </div>
  );
}
