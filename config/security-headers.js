/**
 * Security headers on every response (pages, API, media, static files), set by
 * next.config.js. The CSP fits Next.js without per-request nonces: its App Router
 * streams inline <script> tags with the page's data, so scripts need 'unsafe-inline'
 * ('self' alone would break hydration); everything else is locked to this origin,
 * and no other site may frame the app (clickjacking).
 */

/** @param {{ dev: boolean }} o */
export function contentSecurityPolicy({ dev }) {
  return [
    "default-src 'self'",
    // Next's development server evaluates modules (react-refresh) and talks over a websocket.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** @param {{ dev: boolean }} o */
export function securityHeaders({ dev }) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy({ dev }) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
    // for browsers that predate CSP's frame-ancestors
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}
