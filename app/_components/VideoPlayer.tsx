"use client";

import { useRef, type KeyboardEvent } from "react";
import type { Clip, VideoDto } from "@/app/_lib/api";
import { formatTime } from "@/app/_lib/format";
import { clipIndexAt } from "@/app/_lib/useClips";
import { useMediaState } from "@/app/_lib/useMediaState";
import { ClipStrip } from "./ClipStrip";
import { FullscreenIcon, MuteIcon, PauseIcon, PlayIcon, VolumeIcon } from "./icons";
import { Timeline } from "./Timeline";

interface VideoPlayerProps {
  video: VideoDto;
  clips: Clip[] | null;
  /** shown where the clip strip goes while there are no clips */
  clipsPlaceholder?: string;
}

const BUTTON = "rounded-md p-1.5 text-zinc-200 hover:bg-white/10 hover:text-white";

/**
 * <video> with custom controls: play/pause, time, a sprite-previewing timeline, mute and
 * fullscreen; the clip strip sits underneath. Keyboard (when the player has focus):
 * Space/K play-pause, ←/→ or J/L ±5 s, M mute, F fullscreen.
 */
export function VideoPlayer({ video, clips, clipsPlaceholder }: VideoPlayerProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [media, controls] = useMediaState(videoRef, video.duration ?? 0);
  const activeClip = clips ? clipIndexAt(clips, media.currentTime) : -1;

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
