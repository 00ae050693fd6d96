import Link from "next/link";
import type { ReactNode } from "react";
import type { VideoDto } from "@/app/_lib/api";
import { formatBytes, formatContainer, formatDate, formatFps, formatResolution, formatTime } from "@/app/_lib/format";
import { videoModelVersion } from "@/app/_lib/models-format";
import { modelLabel } from "@/lib/model-names";
import { useCan } from "./SessionProvider";

/**
 * The metadata list of the video page. Rows without a value are left out. The model that
 * indexed the video reads as a name ("Relevance scorer (trained on Shapes, seed 1)"), its
 * full version string on hover; the model version its clip vectors came from (issue 22) links
 * to that version for admins.
 */
export function VideoDetails({ video, clipCount }: { video: VideoDto; clipCount: number | null }) {
  const canSeeModels = useCan("models:train");
  // the model version the clip vectors came from (GET /api/videos/:id's clipsModelVersion)
  const registryVersion = videoModelVersion(video);
  // the encoder's name ("LocVTP … + Relevance scorer …"), beside the registry's version number
  const modelName = typeof video.modelVersion === "string" ? video.modelVersion : null;
  const rows: [string, ReactNode, title?: string][] = [
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
    ["Model", modelName ? modelLabel(modelName) : null, modelName ?? undefined],
    [
      "Model version",
      registryVersion === null ? null : canSeeModels ? (
        <Link href={`/models/${registryVersion}`} className="font-medium text-indigo-300 hover:text-indigo-200">
          Version {registryVersion}
        </Link>
      ) : (
        `Version ${registryVersion}`
      ),
    ],
    ["Added", formatDate(video.createdAt)],
    ["Indexed", formatDate(video.readyAt)],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm" data-testid="video-details">
      {rows
        .filter((r) => r[1] !== null && r[1] !== "")
        .map(([k, v, title]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-400">{k}</dt>
            <dd
              className="min-w-0 break-words text-zinc-200"
              title={title}
              data-testid={k === "Model" ? "video-model" : k === "Model version" ? "video-model-version" : undefined}
              data-version={k === "Model version" ? (registryVersion ?? undefined) : undefined}
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
