/** Review settings an admin changes from the evaluation page; stored in `settings`. */
import { getSetting, putSetting } from "@/db/repositories/settings";
import type { Queryable } from "@/db/pool";
import { badRequest } from "../errors";

export interface ReviewSettings {
  /** how many annotators decide each new item (agreement needs two or more) */
  annotationsPerItem: number;
}

export const MAX_ANNOTATIONS_PER_ITEM = 10;
const KEY = "review";
const DEFAULTS: ReviewSettings = { annotationsPerItem: 1 };

export async function getReviewSettings(db: Queryable): Promise<ReviewSettings> {
  return { ...DEFAULTS, ...(await getSetting<Partial<ReviewSettings>>(db, KEY)) };
}

export async function updateReviewSettings(db: Queryable, patch: Partial<ReviewSettings>): Promise<ReviewSettings> {
  const n = patch.annotationsPerItem;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_ANNOTATIONS_PER_ITEM)) {
    throw badRequest(
      `Annotators per item must be a whole number from 1 to ${MAX_ANNOTATIONS_PER_ITEM}.`,
      "invalid_setting",
    );
  }
  const next = { ...(await getReviewSettings(db)), ...patch };
  await putSetting(db, KEY, next);
  return next;
}
