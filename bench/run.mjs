// `npm run bench`: the lab engine against TF.js 4.22, the same job (LSTM forward + BPTT,
// loss = sum of all h_t, gradients of W and b) in the same run:
//   Node:     ours js, ours wasm, ours gpu (GPU.js cpu mode)   vs  TF.js cpu, TF.js wasm
//   Chromium: ours js, ours wasm, ours gpu (webgl2)  vs  TF.js webgl, TF.js cpu, TF.js wasm
//             (headless, WebGL is SwiftShader; the page runs under the lab's CSP, src/webviewCsp.ts)
// at S (T=64 B=1 D=8 H=32), M (T=128 B=16 D=32 H=128), L (T=256 B=32 D=64 H=256), plus time
// against T and against H, plus memory over 1,000 recomputes. Prints tables with ours / best
// TF.js, GFLOP/s of ours against the single-thread WebAssembly SIMD peak measured in the same
// runtime (bench/peak.wat), and writes bench/results.json (bench/results-node.json,
// bench/results-browser.json when only one runtime runs; out/bench/results.json for a partial
// run). Targets: <= 0.1 at S, <= 0.5 at M; the wasm backend at M: >= 60% of the SIMD peak of the
// build it runs (FMA where relaxed SIMD is used) and <= 0.10× TF.js wasm.
// A backend whose previous size predicts more than 90 s for the next is skipped and says so.
//   node bench/run.mjs            everything
//   node bench/run.mjs --node     Node only
//   node bench/run.mjs --browser  Chromium only
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
// Chromium only: --sizes=M,L picks sizes, --webgl-only times just ours gpu and TF.js webgl,
// --no-sweep and --no-memory leave those parts out, --real-gpu renders through the machine's
// GPU (ANGLE on EGL; bench/device.sh) instead of SwiftShader.
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const benchOptions = {
  sizes: (arg('sizes') ?? 'S,M,L').split(','),
  webglOnly: process.argv.includes('--webgl-only'),
  sweep: !process.argv.includes('--no-sweep'),
  memory: !process.argv.includes('--no-memory'),
  realGpu: process.argv.includes('--real-gpu'),
};
const { realGpu } = benchOptions;
const GL_ARGS = (process.env.RNN_LENS_BENCH_GL ?? '--use-gl=angle --use-angle=gl-egl').split(' ').filter(Boolean);
const LIMIT_MS = 90_000;
const t0 = Date.now();
mkdirSync(outDir, { recursive: true });

const external = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning', plugins: [watPlugin] };
await esbuild.build({ ...external, entryPoints: [join(here, 'kernelsEntry.ts')], outfile: join(outDir, 'kernels.cjs') });
await esbuild.build({ ...external, entryPoints: [join(root, 'test', 'browser', 'harness.ts')], outfile: join(outDir, 'harness.cjs') });
const k = require(join(outDir, 'kernels.cjs'));

const results = { date: new Date().toISOString(), nodeVersion: process.version, cpus: (await import('node:os')).cpus().length };
const log = (s) => console.log(`  ${s}`);

async function nodeRun() {
  console.log('== Node');
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const sizes = Object.entries(k.SIZES);
  const sweeps = [...k.SWEEP_T.map((s) => [`T=${s.T}`, s]), ...k.SWEEP_H.map((s) => [`H=${s.H}`, s])];
  const gpu = k.createGpuEngine('cpu');
  const oursJs = (d) => k.oursJob(k.jsEngine, d);
  const wasmEngine = k.wasmEngine();
  const oursWasm = (d) => k.oursJob(wasmEngine, d);
  // Two phases, one per TF.js backend (switching is async); ours runs in both, interleaved with
  // TF.js, and its samples are pooled.
  const table = {};
  const sweep = {};
  const agreement = {};
  // The wasm summary takes ours-wasm from the phase it ran interleaved with TF.js wasm.
  let wasmPhase = {};
  let simdPeak = k.measureSimdPeak();
  log(`wasm backend: ${JSON.stringify(wasmEngine.info)}`);
  log(`single-thread wasm SIMD peak: ${JSON.stringify(simdPeak)}`);
  for (const be of ['cpu', 'wasm']) {
    await tf.setBackend(be);
    await tf.ready();
    const fns = { 'ours-js': oursJs, 'ours-wasm': oursWasm, ...(be === 'cpu' ? { 'ours-gpu:cpu': (d) => k.oursJob(gpu, d) } : {}), [`tf-${be}`]: (d) => k.tfJob(tf, d) };
    const phase = k.runSizes(fns, sizes, LIMIT_MS, k.sizeGrowth, log);
    if (be === 'wasm') wasmPhase = phase;
    k.mergeTables(table, phase);
    k.mergeTables(sweep, k.runSizes(fns, sweeps, LIMIT_MS, 4, log));
    const d = k.makeData(k.SIZES.S);
    const b = k.tfJob(tf, d);
    for (const [name, eng] of [['js', k.jsEngine], ['wasm', wasmEngine]]) {
      const a = k.oursJob(eng, d);
      agreement[`S: ours-${name} vs tf-${be}`] = { dW: k.relError(a.dW, b.dW), db: k.relError(a.db, b.db) };
    }
  }
  simdPeak = k.bestPeak(simdPeak, k.measureSimdPeak());
  log(`SIMD peak, the better of before and after the sizes: ${JSON.stringify(simdPeak)}`);
  // Memory: heap and ArrayBuffer bytes (typed arrays, wasm memories) once GC has settled, before
  // and after 1,000 recomputes.
  const memory = {};
  const heap = () => k.afterGc(globalThis.gc, () => {
    const m = process.memoryUsage();
    return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
  });
  const s = k.makeData(k.SIZES.S);
  const small = k.makeData({ T: 8, B: 1, D: 4, H: 16 });
  const batched = k.makeData({ T: 32, B: 4, D: 16, H: 64 });
  for (const [name, eng, d] of [['ours-js S', k.jsEngine, s], ['ours-wasm T=32 B=4 D=16 H=64', wasmEngine, batched], ['ours-gpu:cpu T=8 H=16', gpu, small]]) {
    for (let i = 0; i < 50; i++) k.oursJob(eng, d);
    const before = await heap();
    for (let i = 0; i < 1000; i++) k.oursJob(eng, d);
    const after = await heap();
    memory[name] = {
      heapBefore: before.heap, heapAfter: after.heap, arrayBuffersBefore: before.arrayBuffers, arrayBuffersAfter: after.arrayBuffers,
      liveAfter: eng.liveTextures ? eng.liveTextures() : undefined,
    };
  }
  return { wasm: wasmEngine.info, simdPeak, sizes: table, wasmSummary: k.wasmSummary(wasmPhase, simdPeak, wasmEngine.info.relaxedSimd), sweep, agreement, memory };
}

async function browserRun() {
  console.log(realGpu ? `== Chromium (headless, ${GL_ARGS.join(' ')})`
    : '== Chromium (headless; WebGL is SwiftShader, a CPU emulation: its timings say nothing about a real GPU)');
  const h = require(join(outDir, 'harness.cjs'));
  if (!existsSync(h.CHROMIUM)) return { skipped: `${h.CHROMIUM} not found` };
  const script = join(outDir, 'bench-page.js');
  await h.buildPageScript(join(here, 'benchPage.ts'), script, { BENCH_OPTIONS: JSON.stringify(benchOptions) });
  // The lab's CSP, plus connect-src for TF.js's wasm backend, which fetches its binary.
  const tfWasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const tfWasmFiles = Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']
    .map((f) => [`/tfjs/${f}`, join(tfWasmDir, f)]));
  const server = await h.servePage({
    files: { '/main.js': script, ...tfWasmFiles }, compileWasm: true, extraDirectives: (origin) => [`connect-src ${origin}`],
  });
  const extra = ['--enable-precise-memory-info', '--js-flags=--expose-gc'];
  const browser = realGpu
    ? await h.launchChromium([...extra, '--ignore-gpu-blocklist', '--enable-gpu', ...GL_ARGS], h.CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-swiftshader'))
    : await h.launchChromium(extra);
  try {
    const r = await runBenchPage(browser, server.url, log, 900_000);
    return r;
  } finally {
    await browser.close();
    await server.close();
  }
}

const fmt = (t) => (t === undefined ? '-' : t.ms === null ? 'skip' : t.ms >= 100 ? t.ms.toFixed(0) : t.ms.toFixed(2));

function printTable(title, table) {
  const cols = [...new Set(Object.values(table).flatMap((r) => Object.keys(r)))];
  const ours = cols.filter((c) => c.startsWith('ours'));
  const tfs = cols.filter((c) => c.startsWith('tf'));
  const head = ['case', ...cols.map((c) => `${c} ms`), ...ours.map((c) => `${c.slice(5)}/bestTF`)];
  const rows = [head];
  for (const [size, r] of Object.entries(table)) {
    const best = Math.min(...tfs.map((c) => r[c]?.ms ?? Infinity));
    rows.push([size, ...cols.map((c) => fmt(r[c])),
      ...ours.map((c) => (r[c]?.ms != null && Number.isFinite(best) ? (r[c].ms / best).toFixed(3) : '-'))]);
    for (const c of cols) if (r[c]?.skipped) rows.push([`  (${c} at ${size}: ${r[c].skipped})`]);
  }
  const widths = head.map((_, i) => Math.max(...rows.filter((x) => x.length > 1).map((x) => String(x[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const row of rows) {
    if (row.length === 1) console.log(row[0]);
    else console.log(row.map((c, i) => String(c).padStart(widths[i])).join('  '));
  }
}

/** GFLOP/s of each of our backends at S, M and L (bench/jobs.ts jobFlops), and its share of the SIMD peaks. */
function printGflops(title, table, peak) {
  const fma = peak.fmaGflops == null ? 'no relaxed SIMD here' : `FMA (f32x4.relaxed_madd) ${peak.fmaGflops.toFixed(1)}`;
  console.log(`\n${title} (single-thread wasm SIMD peak measured here: mul + add ${peak.gflops.toFixed(1)} GFLOP/s, ${fma}; % of mul + add)`);
  for (const [size, r] of Object.entries(table)) {
    const flops = k.jobFlops(k.SIZES[size]);
    const cells = Object.entries(r).filter(([c, t]) => c.startsWith('ours') && t.ms != null)
      .map(([c, t]) => `${c.slice(5)} ${(flops / t.ms / 1e6).toFixed(2)} (${((100 * flops) / t.ms / 1e6 / peak.gflops).toFixed(0)}%)`);
    console.log(`  ${size} (${(flops / 1e9).toFixed(3)} GFLOP per job): ${cells.join(', ')}`);
  }
}

/** The wasm backend against the peak of the build it ran, and against TF.js's wasm backend. */
function printWasmSummary(title, info, summary) {
  // (medians of the wasm phase alone: the samples interleaved with TF.js wasm's)
  console.log(`\n${title}: relaxed SIMD ${info.relaxedSimd ? 'used' : 'not available (mul + add build)'}, `
    + `threads ${info.threads} (shared memory ${info.sharedMemoryAvailable ? 'available' : 'not available: not cross-origin isolated'})`);
  for (const [size, s] of Object.entries(summary)) {
    console.log(`  ${size}: ${s.ms.toFixed(2)} ms, ${s.gflops.toFixed(2)} GFLOP/s, ${s.percentOfPeak.toFixed(0)}% of the ${s.peakUsed} peak`
      + `${s.peakUsed === 'fma' ? ` (${s.percentOfMulAddPeak.toFixed(0)}% of mul + add)` : ''}, ${s.xTfWasm == null ? '-' : s.xTfWasm.toFixed(3)}× TF.js wasm`);
  }
}

if (!onlyBrowser) results.node = await nodeRun();
if (!onlyNode) results.chromium = await browserRun();

console.log('\n==== LSTM forward + BPTT (loss = sum h_t; dW, db), median ms; ratio = ours / best TF.js in the same runtime');
if (results.node) {
  printTable('Node: S, M, L', results.node.sizes);
  printGflops('Node: GFLOP/s', results.node.sizes, results.node.simdPeak);
  printWasmSummary('Node: wasm backend', results.node.wasm, results.node.wasmSummary);
  printTable('Node: against T (B=1 D=8 H=32) and against H (T=64 B=1 D=8)', results.node.sweep);
  console.log('\nNode gradient agreement with TF.js (relative):', JSON.stringify(results.node.agreement));
  console.log('Node memory over 1,000 recomputes:', JSON.stringify(results.node.memory));
}
if (results.chromium && !results.chromium.skipped) {
  console.log(`\nChromium renderer: ${results.chromium.renderer}`);
  printTable('Chromium: S, M, L', results.chromium.sizes);
  printGflops('Chromium: GFLOP/s', results.chromium.sizes, results.chromium.simdPeak);
  printWasmSummary('Chromium: wasm backend', results.chromium.wasm, results.chromium.wasmSummary);
  if (results.chromium.wasmMulAddSummary) printWasmSummary('Chromium: wasm backend, mul + add build', { ...results.chromium.wasm, relaxedSimd: false }, results.chromium.wasmMulAddSummary);
  if (Object.keys(results.chromium.sweep).length > 0) printTable('Chromium: against T and against H', results.chromium.sweep);
  const agree = Object.fromEntries(Object.entries(results.chromium).filter(([key]) => key.startsWith('agreement')));
  console.log('\nChromium gradient agreement with TF.js (relative):', JSON.stringify(agree));
  if (results.chromium.memory) {
    console.log(`Chromium memory over 1,000 recomputes and 10,000 gpu training steps (gc forced: ${results.chromium.gcForced}):`,
      JSON.stringify(results.chromium.memory));
  }
} else if (results.chromium) {
  console.log(`\nChromium: skipped (${results.chromium.skipped})`);
}
results.seconds = (Date.now() - t0) / 1000;
// A partial run (some sizes, some backends, another GL) writes beside the build, not over the full results.
const partial = realGpu || benchOptions.webglOnly || !benchOptions.sweep || !benchOptions.memory || benchOptions.sizes.join() !== 'S,M,L';
const resultsFile = partial ? join(outDir, 'results.json')
  : join(here, onlyNode ? 'results-node.json' : onlyBrowser ? 'results-browser.json' : 'results.json');
results.options = benchOptions;
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}
`);
console.log(`
wrote ${resultsFile} (${results.seconds.toFixed(0)} s)`);
