// `npm run bench` (last) or `node bench/charlm.mjs [--node | --browser]`: training steps per second of a
// character LSTM language model on a 50,000-character text built from the repository's committed
// docs (README.md, docs/*.md, examples/README.md, in that order, repeated and cut), H = 128,
// embedding 64, B = 32, T = 64, Adam (bench/charlmJobs.ts), in one run:
//   Node:     ours js, ours wasm   vs  TF.js 4.22 cpu, TF.js wasm
//   Chromium: ours js, ours wasm   vs  TF.js webgl (SwiftShader here: a CPU emulation), TF.js wasm
// Not a test: it prints a table and writes out/bench/charlm-results.json.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watPlugin } from '../scripts/wat.mjs';
import { outDir, root, runBenchPage } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const onlyNode = process.argv.includes('--node');
const onlyBrowser = process.argv.includes('--browser');
const t0 = Date.now();
mkdirSync(outDir, { recursive: true });
const external = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning', plugins: [watPlugin] };
await esbuild.build({ ...external, entryPoints: [join(here, 'charlmEntry.ts')], outfile: join(outDir, 'charlm.cjs') });
const k = require(join(outDir, 'charlm.cjs'));
const log = (s) => console.log(`  ${s}`);
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

const sources = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`), 'examples/README.md'];
const text = k.benchText(sources.map((f) => readFileSync(join(root, f), 'utf8')));
const results = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, job: k.CHAR_JOB, sources, vocab: new Set(Array.from(text)).size };

async function nodeRun() {
  console.log('== Node');
  const tf = require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm').setWasmPaths(`${wasmDist}/`);
  const js = k.oursCharLM(text, 'js');
  const wasm = k.oursCharLM(text, 'wasm');
  const table = {};
  for (const be of ['cpu', 'wasm']) {
    if (!(await tf.setBackend(be))) throw new Error(`TF.js backend ${be} did not start`);
    await tf.ready();
    const job = k.tfCharJob(tf, text);
    const fns = { [`tf-${be}`]: job.step };
    // Ours once per TF.js backend would double its samples for nothing: time it beside the first.
    if (be === 'cpu') Object.assign(fns, { 'ours-js': () => js.step(1), 'ours-wasm': () => wasm.step(1) });
    Object.assign(table, await k.timeAll(fns, 5, 1000));
    job.dispose();
    table[`tf-${be}`].embedding = job.embedding;
    log(`tf-${be} (${job.embedding}): ${table[`tf-${be}`].ms.toFixed(0)} ms/step`);
  }
  log(`ours: js ${table['ours-js'].ms.toFixed(0)} ms/step, wasm ${table['ours-wasm'].ms.toFixed(0)} ms/step`);
  return table;
}

async function browserRun() {
  console.log('== Chromium (headless; WebGL is SwiftShader, a CPU emulation)');
  const hb = join(outDir, 'harness.cjs');
  await esbuild.build({ ...external, entryPoints: [join(root, 'test', 'browser', 'harness.ts')], outfile: hb });
  const h = require(hb);
  if (!existsSync(h.CHROMIUM)) return { skipped: `${h.CHROMIUM} not found` };
  const script = join(outDir, 'charlm-page.js');
  await esbuild.build({
    entryPoints: [join(here, 'charlmPage.ts')], outfile: script, bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"', CHARLM_TEXT: JSON.stringify(text) }, plugins: [watPlugin],
  });
  const files = { '/main.js': script };
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) files[`/${f}`] = join(wasmDist, f);
  const server = await h.servePage({ files, compileWasm: true, extraDirectives: (origin) => [`connect-src ${origin}`] });
  const browser = await h.launchChromium();
  try {
    return (await runBenchPage(browser, server.url, log, 540_000)).table;
  } finally {
    await browser.close();
    await server.close();
  }
}

function printTable(title, table) {
  console.log(`\n${title}`);
  console.log(`  ${'contender'.padEnd(12)} ${'ms/step'.padStart(9)} ${'steps/s'.padStart(8)}`);
  for (const [n, r] of Object.entries(table)) {
    r.stepsPerSecond = 1000 / r.ms;
    console.log(`  ${n.padEnd(12)} ${r.ms.toFixed(0).padStart(9)} ${r.stepsPerSecond.toFixed(2).padStart(8)}`);
  }
}

if (!onlyBrowser) results.nodeSteps = await nodeRun();
if (!onlyNode) results.chromiumSteps = await browserRun();
const { H, E, B, T } = k.CHAR_JOB;
console.log(`\n==== Char LSTM LM training, ${Array.from(text).length} characters, V=${results.vocab}, E=${E} H=${H} B=${B} T=${T}, Adam; median ms (Node: 5 runs each; Chromium: 4 per TF.js backend, ours pooled over both)`);
if (results.nodeSteps) printTable('Node', results.nodeSteps);
if (results.chromiumSteps && !results.chromiumSteps.skipped) printTable('Chromium', results.chromiumSteps);
else if (results.chromiumSteps) console.log(`\nChromium: skipped (${results.chromiumSteps.skipped})`);
results.seconds = (Date.now() - t0) / 1000;
writeFileSync(join(outDir, 'charlm-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote out/bench/charlm-results.json (${results.seconds.toFixed(0)} s)`);
