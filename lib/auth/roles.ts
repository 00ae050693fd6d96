/**
 * The role table: what each role may do. Pure data, imported by the server's guard and
 * by the browser (to hide controls a role cannot use), so the two never disagree.
 */
export const ROLES = ["viewer", "annotator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Each permission names the least role that holds it; every higher role holds it too. */
export const PERMISSIONS = {
  /** list and watch videos: metadata, file, poster, sprite, clips */
  "videos:read": "viewer",
  search: "viewer",
  /** one's own profile, password and API tokens */
  account: "viewer",
  "videos:upload": "annotator",
  /** subtitles, review items and span corrections */
  "videos:annotate": "annotator",
  "videos:delete": "admin",
  "users:manage": "admin",
  /** the full health report, settings */
  "system:admin": "admin",
  "models:train": "admin",
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

export const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", annotator: "Annotator", admin: "Admin" };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "search and watch",
  annotator: "search, watch, upload, review and annotate",
  admin: "everything: users, delete, settings, training",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** The lesser of two roles: a token never holds more than its owner. */
export function lesserRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return roleRank(role) >= roleRank(PERMISSIONS[permission]);
}
