// Process bookkeeping: every process group the e2e harness starts is killed on close, on test
// failure and when this process exits for any reason (node:test runs each file in its own
// process); every temp dir goes with it unless RNN_LENS_E2E_KEEP=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const groups = new Set<number>();
/** Temp dirs of sessions not closed yet: removed on exit too, unless RNN_LENS_E2E_KEEP=1. */
const tempDirs = new Set<string>();

/** A fresh temp dir, removed by removeTemp() or when this process exits. */
export function makeTemp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTemp(dir: string): void {
  tempDirs.delete(dir);
  if (process.env.RNN_LENS_E2E_KEEP === '1') console.error(`[e2e] kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  for (const dir of [...tempDirs]) removeTemp(dir);
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // process.exit runs the 'exit' hook above; Playwright closes its Chromium on exit itself.
  process.once(sig, () => process.exit(130));
}

/** Starts `cmd` as the leader of its own process group, stdout and stderr appended to `logFile`. */
export function spawnGroup(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  // detached = own process group, so code-server's children (extension host, pty host,
  // file watcher) die with it: process.kill(-pid).
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) groups.add(child.pid);
  const write = (buf: Buffer) => appendFileSync(logFile, buf);
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  child.on('exit', () => {
    if (child.pid) groups.delete(child.pid);
  });
  return child;
}

/** SIGTERM to the whole group, SIGKILL after 5 s, and SIGKILL to whatever of it is left. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  killGroup(pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') killGroup(pid, 'SIGKILL');
  // Children that ignored SIGTERM (or outlived the leader) go too.
  killGroup(pid, 'SIGKILL');
  groups.delete(pid);
}
