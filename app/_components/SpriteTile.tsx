import type { SpriteInfo } from "@/app/_lib/api";

interface SpriteTileProps {
  sprite: SpriteInfo;
  url: string;
  /** seconds into the video */
  time: number;
  /** displayed width in px; the height follows the tile's aspect ratio */
  width: number;
  className?: string;
  testId?: string;
}

/** The sprite-sheet tile nearest to `time`, cut out with background-position. */
export function SpriteTile({ sprite, url, time, width, className = "", testId }: SpriteTileProps) {
  const { count, columns, tileWidth, tileHeight, interval } = sprite;
  const rows = Math.max(sprite.rows, Math.ceil(count / columns));
  const index = Math.max(0, Math.min(count - 1, Math.floor(time / (interval || 1))));
  const scale = width / tileWidth;
  const col = index % columns;
  const row = Math.floor(index / columns);
  return (
    <div
      aria-hidden="true"
      data-testid={testId}
      data-tile={index}
      className={`shrink-0 bg-zinc-800 bg-no-repeat ${className}`}
      style={{
        width,
        height: Math.round(tileHeight * scale),
        backgroundImage: `url("${url}")`,
        backgroundSize: `${columns * tileWidth * scale}px ${rows * tileHeight * scale}px`,
        backgroundPosition: `${-col * tileWidth * scale}px ${-row * tileHeight * scale}px`,
      }}
    />
  );
}
