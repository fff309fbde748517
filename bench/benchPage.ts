// The benchmark's Chromium half, the page's own script, served under the lab's CSP (with
// 'wasm-unsafe-eval'; bench/run.mjs adds connect-src so that TF.js can fetch its .wasm): our js,
// wasm and gpu (webgl2) backends beside TF.js's webgl, cpu and wasm backends, the same job at
// S, M, L and across T and H, the single-thread WebAssembly SIMD peak, then the memory check
// over 1,000 recomputes and 10,000 training steps on the gpu backend. Results go into #out as
// JSON for bench/run.mjs.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { relError } from '../engine/compare';
import { jsEngine } from '../engine/backends/js';
import { createGpuEngine, defaultGpuEngine, setDefaultGpuCanvas } from '../engine/backends/gpu';
import { createTrainer } from '../engine/train';
import { createWasmEngine, wasmEngine } from '../engine/backends/wasm';
import type { Shape } from '../engine/types';
import {
  type JobData, SIZES, SWEEP_H, SWEEP_T, type Timing, afterGc, bestPeak, makeData, measureSimdPeak, mergeTables, oursJob, runSizes, sizeGrowth,
  tfJob, wasmSummary,
} from './jobs';
import { reportToPage } from '../test/browser/pageReport';

const log = (s: string): void => console.log(`[bench:chromium] ${s}`);

/** Set by bench/run.mjs at build time: which sizes, and whether to time only the WebGL backends. */
declare const BENCH_OPTIONS: { sizes: string[]; webglOnly: boolean; sweep: boolean; memory: boolean; realGpu: boolean };
type Table = Record<string, Record<string, Timing>>;

async function main(): Promise<Record<string, unknown>> {
  // Let the page finish loading before the long synchronous runs start.
  await new Promise((r) => setTimeout(r, 0));
  const out: Record<string, unknown> = { userAgent: navigator.userAgent };
  const canvas = (): HTMLCanvasElement => document.createElement('canvas');
  // The trainer's backend 'gpu' (the memory check) makes its own engine, on a canvas of this page.
  setDefaultGpuCanvas(canvas);
  const gpu = createGpuEngine('webgl2', canvas);
  // Count real WebGL textures, not just our own bookkeeping: wrap the context's create/delete.
  const gl = gpu.context as WebGL2RenderingContext;
  let glTextures = 0;
  const create = gl.createTexture.bind(gl);
  const del = gl.deleteTexture.bind(gl);
  gl.createTexture = () => {
    glTextures++;
    return create();
  };
  gl.deleteTexture = (t: WebGLTexture | null) => {
    if (t) glTextures--;
    del(t);
  };
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  out.renderer = dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : null;
  log(`renderer: ${String(out.renderer)}`);
  if (BENCH_OPTIONS.realGpu && /swiftshader|llvmpipe|software/i.test(String(out.renderer))) {
    throw new Error(`--real-gpu, but WebGL renders on the CPU (${String(out.renderer)}): no GPU reached Chromium`);
  }

  const sizes = (Object.entries(SIZES) as [string, Shape][]).filter(([name]) => BENCH_OPTIONS.sizes.includes(name));
  const sweeps = !BENCH_OPTIONS.sweep ? [] : [
    ...SWEEP_T.map((s) => [`T=${s.T}`, s] as [string, Shape]),
    ...SWEEP_H.map((s) => [`H=${s.H}`, s] as [string, Shape]),
  ];
  const limit = 90_000;
  // Two phases, one per TF.js backend (switching is async); ours runs in both, interleaved with
  // TF.js, and its samples are pooled.
  const table: Table = {};
  const sweep: Table = {};
  // The wasm summary takes ours-wasm from the phase it ran interleaved with TF.js wasm.
  let wasmPhase: Table = {};
  const oursJs = (d: JobData) => void oursJob(jsEngine, d);
  // Throws here if the page's CSP refused to compile WebAssembly: the lab's policy must allow it.
  const wasm = wasmEngine();
  const oursWasm = (d: JobData) => void oursJob(wasm, d);
  // Where relaxed SIMD validates, the mul + add build is timed beside it (in the wasm phase): what FMA gives.
  const mulAdd = wasm.info.relaxedSimd ? createWasmEngine({ relaxedSimd: false }) : undefined;
  out.wasm = wasm.info;
  log(`wasm backend: ${JSON.stringify(wasm.info)}`);
  let simdPeak = measureSimdPeak();
  log(`single-thread wasm SIMD peak: ${JSON.stringify(simdPeak)}`);
  // TF.js's wasm backend fetches its binary (the SIMD build: no threads without cross-origin isolation).
  setWasmPaths(`${location.origin}/tfjs/`);
  for (const be of BENCH_OPTIONS.webglOnly ? ['webgl'] as const : ['webgl', 'cpu', 'wasm'] as const) {
    if (!(await tf.setBackend(be))) {
      out[`tf-${be}`] = 'failed to initialise';
      log(`tf-${be}: failed to initialise`);
      continue;
    }
    await tf.ready();
    const fns: Record<string, (d: JobData) => void> = BENCH_OPTIONS.webglOnly ? {} : { 'ours-js': oursJs, 'ours-wasm': oursWasm };
    if (be === 'webgl') fns['ours-gpu:webgl2'] = (d: JobData) => void oursJob(gpu, d);
    if (be === 'wasm' && mulAdd && !BENCH_OPTIONS.webglOnly) fns['ours-wasm:mul+add'] = (d: JobData) => void oursJob(mulAdd, d);
    fns[`tf-${be}`] = (d: JobData) => void tfJob(tf, d);
    const phase = runSizes(fns, sizes, limit, sizeGrowth, log);
    if (be === 'wasm') wasmPhase = phase;
    mergeTables(table, phase);
    mergeTables(sweep, runSizes(fns, sweeps, limit, 4, log));
    // The jobs must be the same job: our gradients against TF.js's at S.
    const d = makeData(SIZES.S);
    const b = tfJob(tf, d);
    for (const [name, eng] of [['js', jsEngine], ['wasm', wasm]] as const) {
      const a = oursJob(eng, d);
      out[`agreement-S-ours-${name}-vs-tf-${be}`] = { dW: relError(a.dW, b.dW), db: relError(a.db, b.db) };
    }
  }
  simdPeak = bestPeak(simdPeak, measureSimdPeak());
  out.simdPeak = simdPeak;
  log(`SIMD peak, the better of before and after the sizes: ${JSON.stringify(simdPeak)}`);
  out.sizes = table;
  out.sweep = sweep;
  out.wasmSummary = wasmSummary(wasmPhase, simdPeak, wasm.info.relaxedSimd);
  if (mulAdd) out.wasmMulAddSummary = wasmSummary(wasmPhase, simdPeak, false, 'ours-wasm:mul+add');
  if (!BENCH_OPTIONS.memory) return out;

  // Memory: 1,000 recomputes. The gpu backend at a small shape (SwiftShader makes each call
  // slow), js at S. Heap once GC has settled (the page has gc() from --js-flags=--expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc;
  out.gcForced = typeof gc === 'function';
  const heap = (): Promise<number | null> => afterGc(gc, () => {
    const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return m ? m.usedJSHeapSize : null;
  });
  const small = makeData({ T: 8, B: 1, D: 4, H: 16 });
  const s = makeData(SIZES.S);
  oursJob(gpu, small);
  const mem: Record<string, unknown> = {};
  const g0 = glTextures, l0 = gpu.liveTextures(), h0 = await heap();
  for (let i = 0; i < 1000; i++) oursJob(gpu, small);
  mem['gpu:webgl2 T=8 H=16'] = {
    glTexturesBefore: g0, glTexturesAfter: glTextures, liveBefore: l0, liveAfter: gpu.liveTextures(), heapBefore: h0, heapAfter: await heap(),
  };
  for (let i = 0; i < 50; i++) oursJob(jsEngine, s);
  const j0 = await heap();
  for (let i = 0; i < 1000; i++) oursJob(jsEngine, s);
  mem['js S'] = { heapBefore: j0, heapAfter: await heap() };
  const batched = makeData({ T: 32, B: 4, D: 16, H: 64 });
  for (let i = 0; i < 50; i++) oursJob(wasm, batched);
  const w0 = await heap();
  for (let i = 0; i < 1000; i++) oursJob(wasm, batched);
  mem['wasm T=32 B=4 D=16 H=64'] = { heapBefore: w0, heapAfter: await heap() };
  // 10,000 training steps on the gpu backend (the trainer's engine is defaultGpuEngine, its own
  // context): its textures and the heap must stay flat.
  const trainer = createTrainer({ cell: 'lstm', H: 16, seed: 1, task: { kind: 'recall', delay: 4 }, batch: 1, backend: 'gpu' });
  trainer.step(100);
  const eng = defaultGpuEngine();
  const tx0 = eng.liveTextures(), th0 = await heap();
  for (let i = 0; i < 10; i++) trainer.step(1000);
  mem['gpu:webgl2 trainer LSTM H=16 recall delay 4, 10,000 steps'] = {
    liveBefore: tx0, liveAfter: eng.liveTextures(), heapBefore: th0, heapAfter: await heap(), steps: trainer.steps,
  };
  out.memory = mem;
  log(`memory: ${JSON.stringify(mem)}`);
  return out;
}

reportToPage(main);
