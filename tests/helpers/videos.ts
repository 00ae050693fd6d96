import { randomUUID } from "node:crypto";
import type { Queryable } from "@/db/pool";
import { insertVideo, type NewVideo } from "@/db/repositories/videos";

/**
 * A queued video row with no file behind it (a 1-second 2×2 H.264 MP4 as far as the row
 * says), for tests of what the API does with rows rather than with media. `v` sets any
 * field; returns the id.
 */
export async function insertVideoRow(db: Queryable, v: Partial<NewVideo> = {}): Promise<string> {
  const id = v.id ?? randomUUID();
  await insertVideo(db, {
    originalName: "video.mp4",
    storedPath: `media/${id}/original.mp4`,
    sha256: randomUUID(),
    bytes: 1,
    duration: 1,
    fps: 25,
    width: 2,
    height: 2,
    codec: "h264",
    container: "mp4",
    addedBy: null,
    ...v,
    id,
  });
  return id;
}
