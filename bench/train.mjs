// `npm run bench:train`: the trainer against TF.js 4.22 on one training step (forward, BPTT,
// Adam) of an LSTM, T=50 B=32 H=64, on recall (bench/trainJobs.ts), in the same run:
//   Node:     ours js, ours wasm            vs  TF.js cpu, TF.js wasm
//   Chromium: ours js, ours wasm            vs  TF.js webgl (SwiftShader), wasm, cpu  (headless)
// Target: ours / best TF.js <= 0.25 in both. Then memory over 10,000 training steps (heap and
// ArrayBuffers after GC, before and after), and where an LSTM and a tanh RNN stand on the
// learning targets (adding T=30 MSE < 0.05, recall delay 20 accuracy >= 0.9) with TRAIN_DEFAULTS.
// Prints tables and writes out/bench/train-results.json.
//   node bench/train.mjs [--node] [--browser] [--no-learning]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watPlugin } from '../scripts/wat.mjs';
import { outDir, requireExposedGc, root, runBenchPage } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
requireExposedGc(import.meta.url);

const onlyNode = process.argv.includes('--node');
const onlyBrowser = process.argv.includes('--browser');
const learning = !process.argv.includes('--no-learning');
const t0 = Date.now();
mkdirSync(outDir, { recursive: true });
const external = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning', plugins: [watPlugin] };
await esbuild.build({ ...external, entryPoints: [join(here, 'trainEntry.ts')], outfile: join(outDir, 'train.cjs') });
await esbuild.build({ ...external, entryPoints: [join(root, 'test', 'browser', 'harness.ts')], outfile: join(outDir, 'harness.cjs') });
const k = require(join(outDir, 'train.cjs'));
const log = (s) => console.log(`  ${s}`);
const results = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, job: k.JOB };
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

async function nodeRun() {
  console.log('== Node');
  const tf = require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm').setWasmPaths(`${wasmDist}/`);
  const js = k.oursTrainer('js');
  const wasm = k.oursTrainer('wasm');
  const table = {};
  for (const be of ['cpu', 'wasm']) {
    if (!(await tf.setBackend(be))) throw new Error(`TF.js backend ${be} did not start`);
    await tf.ready();
    const job = k.tfJob(tf);
    const reps = be === 'cpu' ? 5 : 10;
    k.merge(table, await k.timeAll({ 'ours-js': () => js.step(1), 'ours-wasm': () => wasm.step(1), [`tf-${be}`]: job.step }, reps, 1000));
    job.dispose();
    log(`tf-${be}: ${table[`tf-${be}`].ms.toFixed(1)} ms; ours wasm ${table['ours-wasm'].ms.toFixed(1)} ms, js ${table['ours-js'].ms.toFixed(1)} ms`);
  }
  return table;
}

async function memoryRun() {
  console.log('== Memory over 10,000 training steps');
  const read = () => k.afterGc(globalThis.gc, () => {
    const m = process.memoryUsage();
    return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
  });
  const out = {};
  for (const backend of ['js', 'wasm']) {
    const cfg = { cell: 'lstm', H: 16, seed: 1, task: { kind: 'recall', delay: 20 }, batch: 8, backend, clip: 1 };
    const t = k.createTrainer(cfg);
    t.step(200);
    const before = await read();
    const s0 = performance.now();
    t.step(10_000);
    const ms = (performance.now() - s0) / 10_000;
    const after = await read();
    out[`${backend} lstm T=23 B=8 H=16`] = { before, after, msPerStep: ms };
    log(`${backend}: heap ${(before.heap / 1e6).toFixed(2)} -> ${(after.heap / 1e6).toFixed(2)} MB, arrayBuffers ${(before.arrayBuffers / 1e6).toFixed(2)} -> ${(after.arrayBuffers / 1e6).toFixed(2)} MB (${ms.toFixed(2)} ms/step)`);
  }
  return out;
}

function learningRun() {
  console.log('== Learning (TRAIN_DEFAULTS, wasm, seed 1; held-out metrics every 100 steps, up to 3,000 steps)');
  const out = {};
  const tasks = [
    ['adding T=30', { kind: 'adding', T: 30 }, (m) => m.loss < 0.05],
    ['recall delay=20', { kind: 'recall', delay: 20 }, (m) => m.accuracy >= 0.9],
    ['recall delay=60', { kind: 'recall', delay: 60 }, (m) => m.accuracy >= 0.9],
  ];
  for (const cell of ['lstm', 'rnn']) {
    for (const [name, task, done] of tasks) {
      const t = k.createTrainer({ cell, seed: 1, task, backend: 'wasm', ...k.TRAIN_DEFAULTS });
      const s0 = performance.now();
      let m = t.evaluate(8);
      let reached = null;
      while (t.steps < 3000) {
        t.step(100);
        m = t.evaluate(8);
        if (done(m)) {
          reached = t.steps;
          break;
        }
      }
      out[`${cell} ${name}`] = { reached, steps: t.steps, loss: m.loss, accuracy: m.accuracy, seconds: (performance.now() - s0) / 1000 };
      log(`${cell} ${name}: ${reached ? `target at ${reached} steps` : 'target not reached'}; held-out loss ${m.loss.toFixed(4)}${m.accuracy !== undefined ? `, accuracy ${m.accuracy.toFixed(3)}` : ''}`);
    }
  }
  return out;
}

async function browserRun() {
  console.log('== Chromium (headless; WebGL is SwiftShader, a CPU emulation)');
  const h = require(join(outDir, 'harness.cjs'));
  if (!existsSync(h.CHROMIUM)) return { skipped: `${h.CHROMIUM} not found` };
  const script = join(outDir, 'train-page.js');
  // The harness's page build, plus the .wat loader the wasm backend needs.
  await esbuild.build({
    entryPoints: [join(here, 'trainPage.ts')], outfile: script, bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' }, plugins: [watPlugin],
  });
  const files = { '/main.js': script };
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) files[`/${f}`] = join(wasmDist, f);
  // The lab's policy (WebAssembly may compile), and TF.js fetching its .wasm files from this page.
  const server = await h.servePage({ files, compileWasm: true, extraDirectives: (origin) => [`connect-src ${origin}`] });
  const browser = await h.launchChromium();
  try {
    const r = await runBenchPage(browser, server.url, log, 540_000);
    return r.table;
  } finally {
    await browser.close();
    await server.close();
  }
}

function printTable(title, table) {
  const names = Object.keys(table);
  const tfs = names.filter((n) => n.startsWith('tf-'));
  const best = Math.min(...tfs.map((n) => table[n].ms));
  const bestName = tfs.find((n) => table[n].ms === best);
  console.log(`\n${title}`);
  console.log(`  ${'contender'.padEnd(12)} ${'ms/step'.padStart(9)} ${'samples'.padStart(8)}  ratio to best TF.js (${bestName})`);
  for (const n of names) {
    const r = table[n];
    console.log(`  ${n.padEnd(12)} ${r.ms.toFixed(2).padStart(9)} ${String(r.samples.length).padStart(8)}  ${(r.ms / best).toFixed(3)}`);
  }
}

if (!onlyBrowser) results.nodeStep = await nodeRun();
if (!onlyNode) results.chromiumStep = await browserRun();
if (!onlyBrowser) results.memory = await memoryRun();
if (!onlyBrowser && learning) results.learning = learningRun();

console.log(`\n==== One training step (forward, BPTT, Adam): LSTM T=${k.JOB.T} B=${k.JOB.B} H=${k.JOB.H}, recall; median ms; target ours/bestTF <= 0.25`);
if (results.nodeStep) printTable('Node', results.nodeStep);
if (results.chromiumStep && !results.chromiumStep.skipped) printTable('Chromium', results.chromiumStep);
else if (results.chromiumStep) console.log(`\nChromium: skipped (${results.chromiumStep.skipped})`);
results.seconds = (Date.now() - t0) / 1000;
writeFileSync(join(outDir, 'train-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote out/bench/train-results.json (${results.seconds.toFixed(0)} s)`);
