/**
 * Preloaded (`node --import`) into every process `npm start` launches: when the launcher
 * is gone — killed with SIGKILL, so it could not stop its children — this process exits
 * too, instead of living on as an orphan that holds the port and a dead database's pool.
 * Linux reparents an orphan (its ppid changes), which a one-second check notices. The
 * launcher names itself in MOMENTS_LAUNCHER_PID, so a launcher that died before this
 * preload ran is noticed as well; processes this one forks (which inherit the preload)
 * watch their own parent.
 */
const launcher = Number(process.env.MOMENTS_LAUNCHER_PID) || process.ppid;
delete process.env.MOMENTS_LAUNCHER_PID;

function checkLauncher() {
  if (process.ppid !== launcher) {
    console.error(`[${process.pid}] the launcher (pid ${launcher}) is gone; exiting`);
    process.exit(1);
  }
}

checkLauncher();
setInterval(checkLauncher, 1000).unref();
