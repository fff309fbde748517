// The benches' way to load the extension's pure TypeScript modules in Node: esbuild bundles a
// list of re-exports (paths relative to the repository root) into out/bench/NAME.cjs, which
// is required and returned.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'out', 'bench');

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
