/**
 * A full page load at `path`, after signing in, out or setting up: the root layout
 * renders the header from the session cookie, and the client router's cache holds pages
 * rendered for the previous user; a soft navigation would keep both.
 */
export function loadPage(path: string): void {
  window.location.assign(path);
}
