"use client";

import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { errorMessage } from "@/app/_lib/api";
import {
  DESCRIPTIONS_ANCHOR,
  getTrainingData,
  SENTENCE_SOURCES,
  videoTitle,
  type TrainingData as TrainingDataDto,
} from "@/app/_lib/training-api";
import { Alert } from "./Alert";
import { DataTable } from "./DataTable";

const num = (n: number) => n.toLocaleString("en");

/** "12 videos are ready; 9 of them have at least one sentence." */
function readySentence(ready: number, described: number): string {
  if (ready === 0) return "No video is ready yet.";
  if (ready === 1) return `1 video is ready; it has ${described === 1 ? "at least one sentence" : "no sentence yet"}.`;
  if (described === 0) return `${num(ready)} videos are ready; none of them has a sentence yet.`;
  const which =
    described === ready ? "all of them have" : `${num(described)} of them ${described === 1 ? "has" : "have"}`;
  return `${num(ready)} videos are ready; ${which} at least one sentence.`;
}

/**
 * The library's own sentences as training data (GET /api/training/data): how many videos
 * and sentences each source gives, how many videos are ready, and the ready videos no
 * source describes yet (the 50 newest), each linking to its page's “What happens in
 * this video”. Loaded again whenever `refreshKey` changes (a dataset was imported).
 */
export function TrainingData({ refreshKey = 0 }: { refreshKey?: number }) {
  const id = useId();
  const [data, setData] = useState<TrainingDataDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retries, setRetries] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getTrainingData(ctrl.signal).then(
      (value) => {
        setData(value);
        setError(null);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setError(errorMessage(err, "The training data could not be loaded."));
      },
    );
    return () => ctrl.abort();
  }, [refreshKey, retries]);

  if (error && !data) {
    return (
      <Alert tone="error" onRetry={() => setRetries((n) => n + 1)}>
        {error}
      </Alert>
    );
  }
  if (!data) {
    return (
      <div role="status" aria-busy="true" className="h-40 animate-pulse rounded-xl bg-zinc-900">
        <span className="sr-only">Loading the training data…</span>
      </div>
    );
  }

  const { sources, readyVideos, videosWithout } = data;
  const described = readyVideos - videosWithout.total;
  return (
    <div className="space-y-4" data-testid="training-data">
      {error && <Alert tone="error">Could not refresh: {error}</Alert>}
      <DataTable
        testId="training-sources"
        caption="Sentences the models can learn from, by source"
        columns={[
          "Source",
          { key: "videos", label: "Videos", numeric: true },
          { key: "sentences", label: "Sentences", numeric: true },
        ]}
      >
        <tbody className="divide-y divide-zinc-800">
          {SENTENCE_SOURCES.map(({ source, label, hint }) => {
            const row = sources.find((s) => s.source === source) ?? { videos: 0, sentences: 0 };
            return (
              <tr key={source} data-testid="training-source" data-source={source}>
                <th scope="row" className="px-4 py-2 text-left font-normal">
                  <span className="block font-medium text-zinc-100">{label}</span>
                  <span className="block text-xs text-zinc-400">{hint}</span>
                </th>
                <td className="px-4 py-2 text-right tabular-nums text-zinc-300" data-testid="training-videos">
                  {num(row.videos)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums text-zinc-300" data-testid="training-sentences">
                  {num(row.sentences)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </DataTable>
      <p
        className="text-sm text-zinc-300"
        data-testid="training-ready"
        data-ready={readyVideos}
        data-described={described}
      >
        {readySentence(readyVideos, described)}
      </p>

      <section
        aria-labelledby={`${id}-without`}
        className="space-y-2"
        data-testid="training-without"
        data-total={videosWithout.total}
      >
        <h3 id={`${id}-without`} className="text-sm font-semibold text-zinc-200">
          Videos without any sentence <span className="font-normal text-zinc-400">({num(videosWithout.total)})</span>
        </h3>
        {videosWithout.total === 0 ? (
          <p className="text-sm text-zinc-400" data-testid="training-without-none">
            {readyVideos === 0 ? "None: no video is ready yet." : "None: every ready video has at least one sentence."}
          </p>
        ) : (
          <>
            <p className="text-xs text-zinc-400">
              A few sentences under “What happens in this video” on its page let the models learn from it.
              {videosWithout.total > videosWithout.videos.length &&
                ` The ${videosWithout.videos.length} newest are listed.`}
            </p>
            <ul className="divide-y divide-zinc-800 overflow-hidden rounded-xl border border-zinc-800">
              {videosWithout.videos.map((v) => {
                const title = videoTitle(v);
                return (
                  <li key={v.id} data-testid="training-without-video" data-video-id={v.id}>
                    <Link
                      href={`/videos/${encodeURIComponent(v.id)}#${DESCRIPTIONS_ANCHOR}`}
                      title={v.name}
                      className="group flex min-h-11 flex-wrap items-center justify-between gap-x-4 px-4 py-1.5 hover:bg-zinc-900 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-9"
                    >
                      <span
                        className="min-w-0 truncate text-sm font-medium text-indigo-300 group-hover:text-indigo-200"
                        data-testid="training-without-title"
                      >
                        {title}
                      </span>
                      <span className="text-xs text-zinc-400">Describe what happens in it</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
