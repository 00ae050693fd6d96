/**
 * Files on disk: each video gets a folder `<DATA_DIR>/media/<id>/` holding the original
 * upload and what ingestion derives from it. Deleting a video removes the folder.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Config } from "./config";

export function videoDir(config: Config, id: string): string {
  return path.join(config.mediaDir, id);
}

export function originalPath(config: Config, id: string, originalName: string): string {
  const ext = path
    .extname(originalName)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "")
    .slice(0, 8);
  return path.join(videoDir(config, id), `original${ext || ".bin"}`);
}

export const posterPath = (config: Config, id: string) => path.join(videoDir(config, id), "poster.jpg");
export const spritePath = (config: Config, id: string) => path.join(videoDir(config, id), "sprite.jpg");

export async function ensureDirs(config: Config): Promise<void> {
  await mkdir(config.mediaDir, { recursive: true });
  await mkdir(config.tmpDir, { recursive: true });
}

export async function removeVideoFiles(config: Config, id: string): Promise<void> {
  await rm(videoDir(config, id), { recursive: true, force: true });
}

/** Paths stored in the database are relative to DATA_DIR, so the folder can move. */
export function toStored(config: Config, abs: string): string {
  return path.relative(config.dataDir, abs);
}

export function fromStored(config: Config, stored: string): string {
  return path.resolve(config.dataDir, stored);
}
