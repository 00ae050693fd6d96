/**
 * Only same-site paths are followed after sign-in: `//evil.example`, `/\evil.example` or
 * `https://…` would be an open redirect, and so would `/<tab>/evil.example`, because
 * browsers drop tabs and line breaks from URLs. Any control character or backslash → "/".
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  return next;
}
