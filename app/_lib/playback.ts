/**
 * Starts playback; when the browser refuses sound without a user gesture (autoplay
 * policy), plays muted instead and says so through `onMuted`.
 */
export function playOrMute(v: HTMLVideoElement, onMuted?: () => void): void {
  v.play().catch((err: unknown) => {
    if (!(err instanceof DOMException && err.name === "NotAllowedError") || v.muted) return;
    v.muted = true;
    onMuted?.();
    v.play().catch(() => undefined);
  });
}

/** The speeds the player offers (the speed menu, and `<` / `>` step through them). */
export const PLAYBACK_RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

/** The next speed up (+1) or down (−1) from `rate`, staying within 0.25×–2×. */
export function nextRate(rate: number, direction: 1 | -1): number {
  if (direction > 0) return PLAYBACK_RATES.find((r) => r > rate + 1e-9) ?? PLAYBACK_RATES[PLAYBACK_RATES.length - 1];
  return [...PLAYBACK_RATES].reverse().find((r) => r < rate - 1e-9) ?? PLAYBACK_RATES[0];
}

/** When the frame rate is unknown: one frame is 1/30 s. */
const FALLBACK_FPS = 30;

/** One frame of a video, seconds: from its frame rate (the server's probe), else 1/30 s. */
export function frameSeconds(fps: number | null | undefined): number {
  return 1 / (fps != null && Number.isFinite(fps) && fps > 0 && fps <= 1000 ? fps : FALLBACK_FPS);
}
