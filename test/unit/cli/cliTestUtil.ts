// Running the `rnn-lens` command line as a user does (`node dist/cli.js ...`, built by
// esbuild.mjs, which `npm test` runs before the unit suite), for the CLI tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../fixtures/repoRoot';

const ROOT = findRepoRoot(__dirname);
const CLI = join(ROOT, 'dist', 'cli.js');

/** The CLI run in `cwd`. */
export function cliIn(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`node esbuild.mjs\` first`);
  // A run killed at the limit has no exit status, so a hang fails the test instead of stalling it.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CLI run in the repository. */
export const cli = (...args: string[]) => cliIn(ROOT, ...args);

/** A failure the way the CLI promises one: a single line on stderr, no stack trace. */
export function assertOneLineError(r: ReturnType<typeof cli>, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0], /^rnn-lens: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.err, /\n\s+at /);
}
