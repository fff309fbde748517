// The benchmark's Chromium half, the page's own script, served under the lab's CSP (with
// 'wasm-unsafe-eval'; bench/run.mjs adds connect-src so that TF.js can fetch its .wasm): our js,
// wasm and gpu (webgl2) backends beside TF.js's webgl, cpu and wasm backends, the same job at
// S, M, L and across T and H, the single-thread WebAssembly SIMD peak, then the memory check
// over 1,000 recomputes. Results go into #out as JSON for bench/run.mjs.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { relError } from '../webview/kernels/compare';
import { jsEngine } from '../webview/kernels/fast';
import { createGpuEngine } from '../webview/kernels/gpu';
import { wasmEngine } from '../webview/kernels/wasm';
import type { Shape } from '../webview/kernels/types';
import {
  type JobData, SIZES, SWEEP_H, SWEEP_T, type Timing, afterGc, makeData, measureSimdPeak, mergeTables, oursJob, runSizes, sizeGrowth, tfJob,
} from './jobs';
import { reportToPage } from '../test/browser/pageReport';

const log = (s: string): void => console.log(`[bench:chromium] ${s}`);
type Table = Record<string, Record<string, Timing>>;

async function main(): Promise<Record<string, unknown>> {
  // Let the page finish loading before the long synchronous runs start.
  await new Promise((r) => setTimeout(r, 0));
  const out: Record<string, unknown> = { userAgent: navigator.userAgent };
  const gpu = createGpuEngine('webgl2');
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

  const sizes = Object.entries(SIZES) as [string, Shape][];
  const sweeps = [
    ...SWEEP_T.map((s) => [`T=${s.T}`, s] as [string, Shape]),
    ...SWEEP_H.map((s) => [`H=${s.H}`, s] as [string, Shape]),
  ];
  const limit = 90_000;
  // Two phases, one per TF.js backend (switching is async); ours runs in both, interleaved with
  // TF.js, and its samples are pooled.
  const table: Table = {};
  const sweep: Table = {};
  const oursJs = (d: JobData) => void oursJob(jsEngine, d);
  // Throws here if the page's CSP refused to compile WebAssembly: the lab's policy must allow it.
  const wasm = wasmEngine();
  const oursWasm = (d: JobData) => void oursJob(wasm, d);
  out.simdPeak = measureSimdPeak();
  log(`single-thread wasm SIMD peak (f32x4 mul + add): ${JSON.stringify(out.simdPeak)}`);
  // TF.js's wasm backend fetches its binary (the SIMD build: no threads without cross-origin isolation).
  setWasmPaths(`${location.origin}/tfjs/`);
  for (const be of ['webgl', 'cpu', 'wasm'] as const) {
    if (!(await tf.setBackend(be))) {
      out[`tf-${be}`] = 'failed to initialise';
      log(`tf-${be}: failed to initialise`);
      continue;
    }
    await tf.ready();
    const fns: Record<string, (d: JobData) => void> = { 'ours-js': oursJs, 'ours-wasm': oursWasm };
    if (be === 'webgl') fns['ours-gpu:webgl2'] = (d: JobData) => void oursJob(gpu, d);
    fns[`tf-${be}`] = (d: JobData) => void tfJob(tf, d);
    mergeTables(table, runSizes(fns, sizes, limit, sizeGrowth, log));
    mergeTables(sweep, runSizes(fns, sweeps, limit, 4, log));
    // The jobs must be the same job: our gradients against TF.js's at S.
    const d = makeData(SIZES.S);
    const b = tfJob(tf, d);
    for (const [name, eng] of [['js', jsEngine], ['wasm', wasm]] as const) {
      const a = oursJob(eng, d);
      out[`agreement-S-ours-${name}-vs-tf-${be}`] = { dW: relError(a.dW, b.dW), db: relError(a.db, b.db) };
    }
  }
  out.sizes = table;
  out.sweep = sweep;

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
  out.memory = mem;
  log(`memory: ${JSON.stringify(mem)}`);
  return out;
}

reportToPage(main);
