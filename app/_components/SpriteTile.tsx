import type { SpriteInfo } from "@/app/_lib/api";

interface SpriteTileProps {
  sprite: SpriteInfo;
  url: string;
  /** seconds into the video */
  time: number;
  /**
   * displayed width in px (the height follows the tile's aspect ratio), or "fill": the
   * tile covers its positioned parent (e.g. an aspect-video box)
   */
  width: number | "fill";
  /** "floor": the last tile at or before `time` (a seek preview); "nearest": the closest one */
  pick?: "floor" | "nearest";
  className?: string;
  testId?: string;
}

/** Index of the sprite tile shown for `time` (tile i is the frame at i × interval). */
export function spriteIndex(sprite: SpriteInfo, time: number, pick: "floor" | "nearest" = "floor"): number {
  const at = time / (sprite.interval || 1);
  const i = pick === "nearest" ? Math.round(at) : Math.floor(at);
  return Math.max(0, Math.min(sprite.count - 1, Number.isFinite(i) ? i : 0));
}

/** The sprite-sheet tile for `time`, cut out with background-position. */
export function SpriteTile({ sprite, url, time, width, pick = "floor", className = "", testId }: SpriteTileProps) {
  const { count, columns, tileWidth, tileHeight } = sprite;
  const rows = Math.max(sprite.rows, Math.ceil(count / columns));
  const index = spriteIndex(sprite, time, pick);
  const col = index % columns;
  const row = Math.floor(index / columns);
  const backgroundImage = `url("${url}")`;

  if (width === "fill") {
    // percentages: the sheet is columns × rows boxes; p% puts column c at c / (columns − 1)
    return (
      <div
        aria-hidden="true"
        data-testid={testId}
        data-tile={index}
        className={`absolute inset-0 bg-zinc-800 bg-no-repeat ${className}`}
        style={{
          backgroundImage,
          backgroundSize: `${columns * 100}% ${rows * 100}%`,
          backgroundPosition: `${columns > 1 ? (col / (columns - 1)) * 100 : 0}% ${rows > 1 ? (row / (rows - 1)) * 100 : 0}%`,
        }}
      />
    );
  }

  const scale = width / tileWidth;
  return (
    <div
      aria-hidden="true"
      data-testid={testId}
      data-tile={index}
      className={`shrink-0 bg-zinc-800 bg-no-repeat ${className}`}
      style={{
        width,
        height: Math.round(tileHeight * scale),
        backgroundImage,
        backgroundSize: `${columns * tileWidth * scale}px ${rows * tileHeight * scale}px`,
        backgroundPosition: `${-col * tileWidth * scale}px ${-row * tileHeight * scale}px`,
      }}
    />
  );
}

/** the thumbnail's width in the hover previews above the seek bar and the span editor */
const PREVIEW_WIDTH = 160;

interface SeekPreviewProps {
  /** the pointer over the track: x in px from its left edge, the track's width, the time under it */
  hover: { x: number; width: number; time: number };
  sprite: SpriteInfo | null;
  spriteUrl: string | null;
  /** the time as the track writes it */
  label: string;
  /** its gap above the track */
  className: string;
  testId?: string;
  thumbTestId: string;
  labelTestId?: string;
}

/** What hovering a track shows above the pointer: the sprite tile for that time (where there is a sprite) and the time, kept inside the track. */
export function SeekPreview({
  hover,
  sprite,
  spriteUrl,
  label,
  className,
  testId,
  thumbTestId,
  labelTestId,
}: SeekPreviewProps) {
  const half = (sprite && spriteUrl ? PREVIEW_WIDTH : 56) / 2 + 4;
  return (
    <div
      data-testid={testId}
      aria-hidden="true"
      className={`pointer-events-none absolute bottom-full z-30 flex -translate-x-1/2 flex-col items-center gap-1 ${className}`}
      style={{ left: Math.max(half, Math.min(hover.width - half, hover.x)) }}
    >
      {sprite && spriteUrl && (
        <SpriteTile
          sprite={sprite}
          url={spriteUrl}
          time={hover.time}
          width={PREVIEW_WIDTH}
          testId={thumbTestId}
          className="rounded-md shadow-lg ring-1 ring-white/30"
        />
      )}
      <span
        className="rounded bg-black/85 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white"
        data-testid={labelTestId}
      >
        {label}
      </span>
    </div>
  );
}
