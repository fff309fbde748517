// Activation benchmark: what RNN Lens costs when VS Code activates it on the bundled deck.
//   node bench/activation.mjs     (npm run bench:activation; needs Chromium and code-server, like the e2e suite)
//   RNN_LENS_E2E_VSIX=other.vsix node bench/activation.mjs    measures another build (e.g. an older one)
//   RNN_LENS_BENCH_RUNS=5 ...     runs (fresh code-server each; default 3)
//   RNN_LENS_BENCH_HOSTS=node     the extension hosts to time (default node,web)
//
// 1. Bytes of JavaScript loaded before activate() returns: the .vsix's `main` file plus every
//    file it require()s while loading (a require deferred into an import() promise is a lazy
//    chunk, listed apart with what loads it). Target: <= 300 KB. The web host's one file too.
// 2. Activation time as VS Code reports it ("Developer: Show Running Extensions": code loading
//    plus the activate() call) in code-server, on a workspace that names no user deck, in the
//    Node extension host and in the web worker host. Target: < 20 ms. Median of the runs.
// Numbers are reported, never asserted; results also go to out/bench/activation.json.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { outDir, root } from './bundle.mjs';

const BYTES_TARGET = 300 * 1024;
const MS_TARGET = 20;

mkdirSync(outDir, { recursive: true });
const entry = join(outDir, 'activation-entry.cjs');
await esbuild.build({
  entryPoints: [join(root, 'bench', 'activationEntry.ts')], outfile: entry, bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning',
});

// The VS Code half packages the .vsix first when it is stale (test/e2e/harness.ts).
const r = spawnSync(process.execPath, [entry], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
if (r.status !== 0) {
  process.stdout.write(r.stdout ?? '');
  console.error(`bench/activation.mjs: the code-server runs failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
const runs = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

// ---------------------------------------------------------------------------------------------
// Bytes, read from the .vsix itself.

const vsixPath = resolve(process.env.RNN_LENS_E2E_VSIX || join(root, 'dist', 'rnn-lens.vsix'));
const files = unzipSync(readFileSync(vsixPath));
const text = (p) => new TextDecoder().decode(files[`extension/${p}`]);
const manifest = JSON.parse(text('package.json'));
const norm = (p) => posix.normalize(p.replace(/^\.\//, ''));

/** Relative require()s of a bundle: eager ones run while it loads; deferred ones sit in an import() promise. */
function requiresOf(file) {
  const src = text(file);
  const dir = posix.dirname(file);
  const all = [...src.matchAll(/\brequire\("(\.{1,2}\/[^"]+)"\)/g)].map((m) => m[1]);
  const deferred = new Set([...src.matchAll(/Promise\.resolve\(\)\.then\(\(\)\s*=>\s*\(?[\w$]*\(?require\("(\.{1,2}\/[^"]+)"\)\)?\)/g)].map((m) => m[1]));
  const resolveRel = (p) => norm(posix.join(dir, p.endsWith('.js') ? p : `${p}.js`));
  return {
    eager: all.filter((p) => !deferred.has(p)).map(resolveRel),
    deferred: [...deferred].map(resolveRel),
  };
}

const size = (p) => files[`extension/${p}`]?.length ?? 0;
const loaded = new Set();
const lazy = new Set();
const visit = (file) => {
  if (loaded.has(file)) return;
  loaded.add(file);
  const { eager, deferred } = requiresOf(file);
  eager.forEach(visit);
  deferred.forEach((d) => lazy.add(d));
};
visit(norm(manifest.main));
for (const f of loaded) lazy.delete(f);
const activationBytes = [...loaded].reduce((n, f) => n + size(f), 0);
const web = manifest.browser ? norm(manifest.browser) : undefined;

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const timing = Object.fromEntries(['node', 'web'].map((host) => {
  const ms = runs.filter((x) => x.host === host && typeof x.activationMs === 'number').map((x) => x.activationMs).sort((a, b) => a - b);
  return [host, { ms, median: ms.length ? ms[Math.floor((ms.length - 1) / 2)] : null }];
}));

console.log(`RNN Lens activation, ${vsixPath}`);
console.log(`  JS loaded at activation (Node host): ${kb(activationBytes)} (${[...loaded].map((f) => `${f} ${size(f)} B`).join(' + ')}); target <= ${kb(BYTES_TARGET)}`);
for (const f of lazy) console.log(`  lazy chunk: ${f} ${kb(size(f))}`);
if (web) console.log(`  web host: ${web} ${kb(size(web))} (one file: the web worker host loads the entry alone)`);
for (const [host, t] of Object.entries(timing)) {
  if (t.ms.length === 0) continue;
  console.log(`  activation time, ${host} host (Running Extensions: code loading + activate()), bundled deck only, ${t.ms.length} fresh code-server runs: ` +
    `${t.ms.join(', ')} ms; median ${t.median} ms; target < ${MS_TARGET} ms`);
}
for (const x of runs) if (x.error) console.log(`  ${x.host} run ${x.run} failed: ${x.error}`);
for (const x of runs) if (!x.error && x.userCards !== 0) console.log(`  warning: ${x.host} run ${x.run} loaded ${x.userCards} user cards (expected none)`);

writeFileSync(join(outDir, 'activation.json'), `${JSON.stringify({
  vsix: vsixPath, activationBytes, activationFiles: [...loaded], lazyChunks: Object.fromEntries([...lazy].map((f) => [f, size(f)])),
  webBytes: web ? size(web) : null, timing, runs,
}, null, 2)}\n`);
