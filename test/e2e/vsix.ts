// Packaging the extension for the e2e suite: the same `npm run package` a release runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './common';

const VSIX = join(ROOT, 'dist', 'rnn-lens.vsix');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Everything `npm run package` reads: a .vsix newer than all of it is current. */
const PACKAGE_INPUTS = ['src', 'webview', 'cards', 'media', 'l10n', 'package.json', 'package.nls.json', 'esbuild.mjs', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'];

/**
 * Packages the extension once per change: every test file runs in its own process, so "once per
 * run" means reusing dist/rnn-lens.vsix while it is newer than every input of the package.
 * RNN_LENS_E2E_VSIX=path tests a given .vsix instead.
 */
export function ensureVsix(): string {
  if (process.env.RNN_LENS_E2E_VSIX) return resolve(process.env.RNN_LENS_E2E_VSIX);
  const inputs = Math.max(...PACKAGE_INPUTS.map((p) => newestMtime(join(ROOT, p))));
  if (existsSync(VSIX) && statSync(VSIX).mtimeMs > inputs) return VSIX;
  console.error('[e2e] packaging the extension: npm run package ...');
  const r = spawnSync('nice', ['-n', '5', 'npm', 'run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(VSIX)) {
    throw new Error(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return VSIX;
}
