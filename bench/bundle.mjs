// The benches' way to load the extension's pure TypeScript modules in Node: esbuild bundles a
// list of re-exports (paths relative to the repository root) into out/bench/NAME.cjs, which
// is required and returned.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'out', 'bench');

/**
 * Heap growth needs a forced GC to mean anything: a bench that reads memory calls this first,
 * and runs again under --expose-gc (this process then exits with the child's status).
 */
export function requireExposedGc(scriptUrl) {
  if (typeof globalThis.gc === 'function') return;
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(scriptUrl), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** Bundles `exports` (lines such as "export { lintDeck } from './src/deck/lint';") and loads them. */
export async function bundleModules(name, exports) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.cjs`);
  await esbuild.build({
    stdin: { contents: exports.join('\n'), resolveDir: root, sourcefile: `${name}-entry.ts`, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** The bundle bundleModules(name) wrote, for a worker thread to load without building again. */
export function loadBundle(name) {
  return createRequire(import.meta.url)(join(outDir, `${name}.cjs`));
}

/**
 * Opens a bench page in `browser`, forwards its `[bench:chromium]` lines to `log`, waits until it
 * sets its title to "done", and returns the JSON it wrote into #out (or throws its error).
 */
export async function runBenchPage(browser, url, log, timeoutMs) {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('[bench:chromium] ')) log(m.text().slice(17));
    else if (m.type() === 'error') log(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => globalThis.document.title === 'done', undefined, { timeout: timeoutMs, polling: 1000 });
  const r = JSON.parse((await page.textContent('#out')) ?? '{}');
  if (r.error) throw new Error(`bench page failed: ${r.error}\n${r.stack}`);
  return r;
}
