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
