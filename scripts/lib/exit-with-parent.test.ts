/** Children of `npm start` do not outlive it, even when it is killed with SIGKILL. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const PRELOAD = path.resolve("scripts/lib/exit-with-parent.mjs");

/** Running, and not a zombie waiting for whoever adopted it to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

it("a launched process exits when its launcher is killed with SIGKILL", async () => {
  // the launcher: starts a long-running child with the preload and prints the child's pid
  const launcherCode = `
    const { spawn } = require("node:child_process");
    const c = spawn(process.execPath, ["--import", ${JSON.stringify(PRELOAD)}, "-e", "setInterval(() => {}, 1000)"], { stdio: "ignore", env: { ...process.env, MOMENTS_LAUNCHER_PID: String(process.pid) } });
    console.log(c.pid);
    setInterval(() => {}, 1000);`;
  const launcher = spawn(process.execPath, ["-e", launcherCode], { stdio: ["ignore", "pipe", "inherit"] });
  const childPid = await new Promise<number>((resolve) =>
    launcher.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  expect(alive(childPid)).toBe(true);
  launcher.kill("SIGKILL");
  await expect.poll(() => alive(childPid), { timeout: 15_000, interval: 100 }).toBe(false);
});
