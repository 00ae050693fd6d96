/** Real test videos, made with the project's ffmpeg. */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { GENERATED_H264, runFfmpeg } from "@/lib/media/ffmpeg";

export async function makeTestVideo(
  out: string,
  o: { seconds: number; width?: number; height?: number; fps?: number; faststart?: boolean; source?: string } = {
    seconds: 5,
  },
): Promise<string> {
  if (existsSync(out)) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const size = `${o.width ?? 320}x${o.height ?? 240}`;
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    `${o.source ?? "testsrc2"}=size=${size}:rate=${o.fps ?? 25}`,
    "-t",
    String(o.seconds),
    ...GENERATED_H264,
    ...(o.faststart ? ["-movflags", "+faststart"] : []),
    out,
  ]);
  return out;
}
