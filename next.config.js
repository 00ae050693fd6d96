import { securityHeaders } from "./config/security-headers.js";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded by Node at run time, not bundled: tfjs's wasm backend must resolve its .wasm
  // files from node_modules (bundled, setBackend('wasm') silently fails), and the others
  // carry native binaries or their own workers.
  serverExternalPackages: [
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-node-gpu",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pg-boss",
    "fluent-ffmpeg",
    "ffmpeg-static",
    "@ffmpeg-installer/ffmpeg",
    "@ffprobe-installer/ffprobe",
    "argon2",
  ],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit); skipping it here keeps the
  // first `npm start` fast on small machines.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders({ dev: process.env.NODE_ENV === "development" }) }];
  },
};

export default nextConfig;
