import type * as http from "node:http";
export const CONTENT_LENGTH_HEADER: string;
export function installServerPatches(httpModule?: typeof http): void;
