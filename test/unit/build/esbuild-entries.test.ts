// The build stops, naming the entry points it cannot find, rather than building the bundles it can
// and leaving a stale one in dist/. esbuild.mjs runs from a copy in out/tmp/ (so node still finds
// the repository's node_modules) in which every entry but one is missing, then in one where a
// single entry is missing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../fixtures/repoRoot';

const ROOT = findRepoRoot(__dirname);

/** A copy of the build script and `files` (paths from the root) in a fresh folder under out/tmp/. */
function buildTree(name: string, files: readonly string[]): string {
  const dir = join(ROOT, 'out', 'tmp', name);
  rmSync(dir, { recursive: true, force: true });
  for (const f of ['esbuild.mjs', 'scripts/wat.mjs', 'scripts/workerText.mjs', ...files]) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

const build = (dir: string) => spawnSync(process.execPath, ['esbuild.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

describe('the build and its entry points', () => {
  it('names every missing entry point and builds nothing', () => {
    const dir = buildTree('entries-none', ['src/extension.ts']);
    const r = build(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim(), 'esbuild.mjs: entry points not found: src/deck/userDeckCompiler.ts, engine/checkpoint/index.ts, cli/index.ts, '
      + 'engine/index.ts, webview/quiz/main.ts, webview/lab/main.ts (moved? update the targets list).');
    assert.equal(existsSync(join(dir, 'dist')), false, 'nothing is written to dist/');
  });

  it('stops on one missing entry point too', () => {
    const dir = buildTree('entries-one', ['src/extension.ts', 'src/deck/userDeckCompiler.ts', 'engine/checkpoint/index.ts', 'cli/index.ts', 'engine/index.ts', 'webview/quiz/main.ts']);
    const r = build(dir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim(), 'esbuild.mjs: entry point not found: webview/lab/main.ts (moved? update the targets list).');
    assert.equal(existsSync(join(dir, 'dist')), false);
  });
});
