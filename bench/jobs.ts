// The benchmark's one job, done by our engines and by TF.js the same way: an LSTM forward pass
// and BPTT with loss = sum of all h_t, producing the gradients of W and b. Shared by the Node
// run (bench/run.mjs) and the Chromium page (bench/benchPage.ts).
import type * as TF from '@tensorflow/tfjs';
import { gaussianSource, initParams } from '../engine/init';
import type { Engine, Shape } from '../engine/types';
import peakWasm from './peak.wat';
import peakRelaxedWasm from './peak.wat?relaxed';

export const SIZES: Record<'S' | 'M' | 'L', Shape> = {
  S: { T: 64, B: 1, D: 8, H: 32 },
  M: { T: 128, B: 16, D: 32, H: 128 },
  L: { T: 256, B: 32, D: 64, H: 256 },
};
export const SWEEP_T = [16, 32, 64, 128, 256].map((T) => ({ T, B: 1, D: 8, H: 32 }));
export const SWEEP_H = [16, 32, 64, 128, 256].map((H) => ({ T: 64, B: 1, D: 8, H }));
/** Repetitions (after one warm-up) per size; L gets one un-warmed run, since a run takes seconds. */
export const REPS: Record<string, number> = { S: 10, M: 3, L: 1 };
/** Time growth per size step (S->M->L): the work grows 16x from M to L; SwiftShader's did ~35x. */
export function sizeGrowth(backend: string): number {
  return backend.includes('webgl') ? 40 : 16;
}

/**
 * Floating-point operations in one job: the forward product z = [x; h]·Wᵀ and, in BPTT, the
 * products for d[x; h] and for dW, each T·B·(D+H)·4H multiply-adds (2 flops). The gate math
 * (~30 flops per unit and step) is under 2% at M and left out.
 */
export function jobFlops(shape: Shape): number {
  const { T, B, D, H } = shape;
  return 3 * 2 * T * B * (D + H) * 4 * H;
}

export interface SimdPeak {
  /** f32x4.mul + f32x4.add: the peak of the mul + add build of gemm.wat. */
  gflops: number;
  bestMs: number;
  flopsPerCall: number;
  /** f32x4.relaxed_madd (one FMA): the peak of the relaxed build; null where the runtime has no relaxed SIMD. */
  fmaGflops: number | null;
}

/**
 * The single-thread WebAssembly SIMD peak of this runtime on this machine, measured with the
 * matrix products' own instructions (bench/peak.wat: a multiply-add on 12 independent
 * accumulators), as f32x4.mul + f32x4.add and, where relaxed SIMD validates, as
 * f32x4.relaxed_madd. The best of `runs` calls, after calls that let the engine's optimising tier take over.
 */
export function measureSimdPeak(runs = 10): SimdPeak {
  const one = (bytes: Uint8Array<ArrayBuffer>): { gflops: number; bestMs: number } => {
    const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as { peak(n: number): number };
    let sink = 0;
    for (let i = 0; i < 5; i++) sink += peak(PEAK_STEPS / 10);
    let bestMs = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      sink += peak(PEAK_STEPS);
      bestMs = Math.min(bestMs, performance.now() - t0);
    }
    if (!Number.isFinite(sink)) throw new Error('peak: the accumulators overflowed');
    return { gflops: PEAK_FLOPS / bestMs / 1e6, bestMs };
  };
  const plain = one(peakWasm);
  const fma = WebAssembly.validate(peakRelaxedWasm) ? one(peakRelaxedWasm).gflops : null;
  return { ...plain, flopsPerCall: PEAK_FLOPS, fmaGflops: fma };
}
/** The better of two measurements (the benchmarks measure before and after the sizes: load on a shared machine comes and goes). */
export function bestPeak(a: SimdPeak, b: SimdPeak): SimdPeak {
  const plain = a.gflops >= b.gflops ? a : b;
  const fma = a.fmaGflops === null || b.fmaGflops === null ? null : Math.max(a.fmaGflops, b.fmaGflops);
  return { ...plain, fmaGflops: fma };
}
const PEAK_STEPS = 10_000_000;
const PEAK_FLOPS = 96 * PEAK_STEPS;

/**
 * What the wasm backend's GFLOP/s at each size is against: the peak of the build it ran (FMA for
 * the relaxed build), and its time against TF.js's wasm backend in the same runtime.
 */
export function wasmSummary(
  table: Record<string, Record<string, Timing>>, peak: SimdPeak, relaxedSimd: boolean, key = 'ours-wasm',
): Record<string, { ms: number; gflops: number; percentOfPeak: number; peakUsed: 'mul+add' | 'fma'; percentOfMulAddPeak: number; xTfWasm: number | null }> {
  const out: ReturnType<typeof wasmSummary> = {};
  const fma = relaxedSimd && peak.fmaGflops !== null;
  const ref = fma ? peak.fmaGflops! : peak.gflops;
  for (const [size, row] of Object.entries(table)) {
    const ours = row[key];
    const shape = (SIZES as Record<string, Shape>)[size];
    if (!ours || ours.ms === null || !shape) continue;
    const gflops = jobFlops(shape) / ours.ms / 1e6;
    const tfw = row['tf-wasm']?.ms ?? null;
    out[size] = {
      ms: ours.ms, gflops, percentOfPeak: (100 * gflops) / ref, peakUsed: fma ? 'fma' : 'mul+add',
      percentOfMulAddPeak: (100 * gflops) / peak.gflops, xTfWasm: tfw === null ? null : ours.ms / tfw,
    };
  }
  return out;
}

export interface JobData {
  shape: Shape;
  W: Float32Array;
  b: Float32Array;
  x: Float32Array;
  ones: Float32Array;
}

export function makeData(shape: Shape): JobData {
  const { T, B, D, H } = shape;
  const { W, b } = initParams('lstm', D, H, { scheme: 'xavier', seed: 1 });
  const g = gaussianSource(2);
  const x = Float32Array.from({ length: T * B * D }, () => g());
  return { shape, W, b, x, ones: new Float32Array(T * B * H).fill(1) };
}

export function oursJob(engine: Engine, d: JobData): { dW: ArrayLike<number>; db: ArrayLike<number> } {
  const f = engine.forward('lstm', d.shape, d, d.x);
  const g = engine.backward('lstm', d.shape, d, d.x, f, d.ones);
  return { dW: g.dW, db: g.db };
}

/** The same LSTM in TF.js ops (fused W over [x_t, h_{t-1}], gates f, i, g, o), gradients by tf.grads. */
export function tfJob(tf: typeof TF, d: JobData): { dW: Float32Array; db: Float32Array } {
  const { T, B, D, H } = d.shape;
  const grads = tf.tidy(() => {
    const W = tf.tensor2d(d.W, [4 * H, D + H]);
    const b = tf.tensor1d(d.b);
    const xs = tf.unstack(tf.tensor3d(d.x, [T, B, D])) as TF.Tensor2D[];
    const loss = (w: TF.Tensor, bias: TF.Tensor): TF.Scalar => {
      const wt = w.transpose();
      let h: TF.Tensor2D = tf.zeros([B, H]);
      let c: TF.Tensor2D = tf.zeros([B, H]);
      let L: TF.Scalar = tf.scalar(0);
      for (let t = 0; t < T; t++) {
        const z = tf.concat([xs[t], h], 1).matMul(wt as TF.Tensor2D).add(bias);
        const [zf, zi, zg, zo] = tf.split(z, 4, 1);
        c = tf.sigmoid(zf).mul(c).add(tf.sigmoid(zi).mul(tf.tanh(zg)));
        h = tf.sigmoid(zo).mul(tf.tanh(c));
        L = L.add(h.sum());
      }
      return L;
    };
    return tf.grads(loss)([W, b]);
  });
  const dW = grads[0].dataSync() as Float32Array;
  const db = grads[1].dataSync() as Float32Array;
  tf.dispose(grads);
  return { dW, db };
}

export interface Timing {
  /** Median of the samples, ms; null where skipped. */
  ms: number | null;
  reps: number;
  samples?: number[];
  skipped?: string;
}

const median = (xs: number[]): number => {
  const ys = [...xs].sort((a, b) => a - b);
  return ys[Math.floor(ys.length / 2)];
};

/** Median of `reps` timed calls after a warm-up (see runSizes). */
export function timeIt(fn: () => void, reps: number, warm: boolean): Timing {
  if (warm) warmUp(fn);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), reps, samples };
}

/**
 * At least half a second of calls (at most 50): a single warm-up call leaves both our loops and
 * TF.js's kernels in V8's baseline tiers, which measured 10x slower than steady state at S.
 */
function warmUp(fn: () => void): void {
  const w0 = performance.now();
  for (let i = 0; i < 50 && (i === 0 || performance.now() - w0 < 500); i++) fn();
}

/**
 * `read()` after garbage collection has settled: collect, pause, collect, pause. Buffers are
 * freed off the main thread after a collection, so a reading taken at once still counts what
 * the sweeper has not reached (Node's arrayBuffers, Chromium's heap both read high that way).
 */
export async function afterGc<T>(gc: (() => void) | undefined, read: () => T): Promise<T> {
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 100));
  gc?.();
  await pause();
  gc?.();
  await pause();
  return read();
}

/**
 * Times every backend at every size. The repetitions of the backends at one size are
 * interleaved (A, B, C, A, B, C, ...) because this machine is shared: load that comes and goes
 * then hits every backend alike instead of whichever ran during the spike. A backend is skipped
 * at a size when its previous size predicts more than `limitMs` (time × growth).
 */
export function runSizes(
  backends: Record<string, (d: JobData) => void>, sizes: [string, Shape][], limitMs: number,
  growth: number | ((backend: string) => number), log: (s: string) => void,
): Record<string, Record<string, Timing>> {
  const out: Record<string, Record<string, Timing>> = {};
  const last: Record<string, number> = {};
  for (const [name, shape] of sizes) {
    const d = makeData(shape);
    out[name] = {};
    const active: string[] = [];
    for (const be of Object.keys(backends)) {
      const prev = last[be];
      const g = typeof growth === 'number' ? growth : growth(be);
      if (prev !== undefined && prev * g > limitMs) {
        out[name][be] = { ms: null, reps: 0, skipped: `predicted > ${Math.round(limitMs / 1000)} s from the previous size (${Math.round(prev)} ms)` };
        log(`${name} ${be}: skipped`);
      } else {
        active.push(be);
      }
    }
    const samples: Record<string, number[]> = Object.fromEntries(active.map((be) => [be, []]));
    const fail = (be: string, e: unknown): void => {
      out[name][be] = { ms: null, reps: 0, skipped: `failed: ${String(e)}` };
      log(`${name} ${be}: failed ${String(e)}`);
      active.splice(active.indexOf(be), 1);
    };
    if (name !== 'L') {
      for (const be of [...active]) {
        try {
          warmUp(() => backends[be](d));
        } catch (e) {
          fail(be, e);
        }
      }
    }
    const reps = REPS[name] ?? 3;
    for (let i = 0; i < reps; i++) {
      for (const be of [...active]) {
        try {
          const t0 = performance.now();
          backends[be](d);
          samples[be].push(performance.now() - t0);
        } catch (e) {
          fail(be, e);
        }
      }
    }
    for (const be of active) {
      const ms = median(samples[be]);
      out[name][be] = { ms, reps, samples: samples[be] };
      last[be] = ms;
      log(`${name} ${be}: ${ms.toFixed(2)} ms`);
    }
  }
  return out;
}

/** Merges a phase's table into another; a backend timed in both phases pools its samples. */
export function mergeTables(into: Record<string, Record<string, Timing>>, from: Record<string, Record<string, Timing>>): void {
  for (const [size, row] of Object.entries(from)) {
    const dst = (into[size] ??= {});
    for (const [be, t] of Object.entries(row)) {
      const old = dst[be];
      if (old?.samples && t.samples) {
        const all = [...old.samples, ...t.samples];
        dst[be] = { ms: median(all), reps: all.length, samples: all };
      } else if (!old || old.ms === null) {
        dst[be] = t;
      }
    }
  }
}
