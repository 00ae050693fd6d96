/** Generates the fixture media with the same ffmpeg the server uses. */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { ffmpegBinaries } from "../lib/media/ffmpeg";
import {
  FIXTURE_DIR,
  LOOSE_SUBTITLES,
  NOT_A_VIDEO,
  TEXT_SUBTITLES,
  TEXT_SUBTITLES_SRT,
  VIDEO_FIXTURES,
} from "./fixtures";
import { PLAYER_FIXTURES } from "./player-fixtures";

export default function globalSetup(): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const { ffmpeg } = ffmpegBinaries();
  for (const { file, args } of [...VIDEO_FIXTURES, ...PLAYER_FIXTURES]) {
    const r = spawnSync(
      ffmpeg,
      ["-hide_banner", "-loglevel", "error", "-y", ...args, "-movflags", "+faststart", file],
      { encoding: "utf8", timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`ffmpeg could not generate ${file}: ${r.stderr || r.error?.message}`);
  }
  writeFileSync(NOT_A_VIDEO, "This is a plain text file, not a video.\n".repeat(50));
  writeFileSync(TEXT_SUBTITLES, TEXT_SUBTITLES_SRT);
  writeFileSync(LOOSE_SUBTITLES, "1\n00:00:01,000 --> 00:00:02,000\nNobody's video\n");
}
