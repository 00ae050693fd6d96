/**
 * Preloaded into the web server process (`node --import ./lib/http/server-preload.mjs
 * next start …`): two things Next.js's route handlers cannot do themselves.
 *
 * - TRACE/TRACK: Next builds a fetch Request for every route call, and fetch refuses
 *   these methods, so Next answers 500. Here they are handled as OPTIONS and the answer
 *   turned into 405 with the route's `Allow` (the route's own OPTIONS lists it).
 * - Content-Length: Next drops it from every route handler response (it may have been
 *   decoded by fetch). A response that sets `x-content-length` (lib/http/files.ts) gets it
 *   back as Content-Length, so HEAD and 206 responses say their size.
 * - The client's address: route handlers cannot see the socket, and X-Forwarded-For is
 *   whatever the client sends. The socket's address is put in `x-moments-client-address`
 *   (overwriting anything a client sent under that name) for the sign-in rate limiter.
 */
import http from "node:http";

export const CONTENT_LENGTH_HEADER = "x-content-length";
const REFUSED = new Set(["TRACE", "TRACK"]);
export const CLIENT_ADDRESS_HEADER = "x-moments-client-address";

/** Installs both patches on `httpModule` (node:http); idempotent. */
export function installServerPatches(httpModule = http) {
  const proto = httpModule.ServerResponse.prototype;
  if (proto.__momentsPatched) return;
  Object.defineProperty(proto, "__momentsPatched", { value: true });

  const writeHead = proto.writeHead;
  proto.writeHead = function patchedWriteHead(...args) {
    if (this.__momentsRefused) {
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      // The route's OPTIONS said 204 + Allow; a page answers OPTIONS otherwise. Only "not found" stays.
      if (status !== 404) {
        args[0] = 405;
        if (typeof args[1] === "string") args.splice(1, 1);
        if (!this.hasHeader("allow")) this.setHeader("allow", "GET, HEAD");
      }
    }
    const declared = this.getHeader(CONTENT_LENGTH_HEADER);
    if (declared !== undefined) {
      this.removeHeader(CONTENT_LENGTH_HEADER);
      // A compressed body has another length; leave those chunked.
      if (!this.hasHeader("content-encoding") && !this.hasHeader("content-length"))
        this.setHeader("content-length", String(declared));
    }
    return writeHead.apply(this, args);
  };

  const emit = httpModule.Server.prototype.emit;
  httpModule.Server.prototype.emit = function patchedEmit(event, req, res, ...rest) {
    if (event === "request" && req) req.headers[CLIENT_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
    if (event === "request" && req && REFUSED.has(req.method)) {
      req.method = "OPTIONS";
      res.__momentsRefused = true;
    }
    return emit.call(this, event, req, res, ...rest);
  };
}

installServerPatches();
