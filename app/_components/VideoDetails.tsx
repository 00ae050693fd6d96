import type { VideoDto } from "@/app/_lib/api";
import { formatBytes, formatContainer, formatDate, formatFps, formatResolution, formatTime } from "@/app/_lib/format";
import { modelLabel } from "@/lib/model-names";

/**
 * The metadata list of the video page. Rows without a value are left out. The model that
 * indexed the video reads as a name ("Relevance scorer (trained on Shapes, seed 1)"), its
 * full version string on hover.
 */
export function VideoDetails({ video, clipCount }: { video: VideoDto; clipCount: number | null }) {
  const rows: [string, string | null, title?: string][] = [
    ["Duration", video.duration != null ? formatTime(video.duration) : null],
    ["Resolution", formatResolution(video.width, video.height)],
    ["Frame rate", formatFps(video.fps)],
    ["Codec", video.codec],
    ["Container", formatContainer(video.container)],
    ["File size", formatBytes(video.bytes)],
    [
      "Clips",
      clipCount != null
        ? `${clipCount}${video.clipSeconds ? ` × ${Math.round(video.clipSeconds * 10) / 10} s` : ""}`
        : null,
    ],
    ["Model", video.modelVersion ? modelLabel(video.modelVersion) : null, video.modelVersion ?? undefined],
    ["Added", formatDate(video.createdAt)],
    ["Indexed", formatDate(video.readyAt)],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm" data-testid="video-details">
      {rows
        .filter((r): r is [string, string, string | undefined] => r[1] !== null && r[1] !== "")
        .map(([k, v, title]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-400">{k}</dt>
            <dd
              className="min-w-0 break-words text-zinc-200"
              title={title}
              data-testid={k === "Model" ? "video-model" : undefined}
            >
              {v}
            </dd>
          </div>
        ))}
      <div className="contents">
        <dt className="text-zinc-400">SHA-256</dt>
        <dd className="truncate font-mono text-xs leading-5 text-zinc-400" title={video.sha256}>
          {video.sha256}
        </dd>
      </div>
    </dl>
  );
}
