// One shape's compiled kernels: what they are, how they are built, how they are freed.
import type { GPU, IGPUKernelSettings, IKernelRunShortcut, KernelOutput } from 'gpu.js';
import { type Cell, type Shape, dims } from '../../types';
import type { GlContext } from './gl';
import { backLayout, backSteps, chunkSteps, layout, zWidth } from './layout';
import { sources } from './programs';
import { SIG, TANH } from './programs/glsl';

export type Tex = KernelOutput;
export type Kernel = IKernelRunShortcut;

/** One shape's compiled kernels. Pairs alternate so that no kernel reads its own output. */
export interface Kernels {
  C: number;
  /** Steps per backward chunk: the dz textures that one dW and one dx pass read. */
  CB: number;
  /** W as it is, one float per texel: only the GRU's backward reads it. */
  upW: Kernel | null; upW4: Kernel; upWT4: Kernel; upX: Kernel;
  /** The forward: the LSTM's by-gate projection, gates (four outputs) and state per step; the RNN's and GRU's stages. */
  fwd: { cell: 'lstm'; proj: Kernel; upS: Kernel; zeroG: Kernel; gates: [Kernel, Kernel]; state: [Kernel, Kernel] }
    | { cell: 'rnn' | 'gru'; proj: Kernel; upInit: Kernel; stages: Kernel[][] };
  upFS: Kernel; upIN: Kernel; upDH: Kernel; upQ: Kernel; zeroAcc: Kernel;
  /** dL/dc_T where step T-1's dz pass reads it: only the LSTM's. */
  upZP: Kernel | null;
  /** One per step of a backward chunk, each rendering its own step's dz texture. */
  dz: Kernel[]; carry: Kernel; accW: Kernel; dx: Kernel;
  /** A copy of the dW sums for the next chunk's pass to read (a kernel never reads its own output). */
  copyAcc: Kernel;
}

/** The compiled kernels of a shape, from the engine's cache (built on first use). */
export type KernelsFor = (cell: Cell, shape: Shape, act: number, resetAfter: boolean) => Kernels;

export function allKernels(ks: Kernels): Kernel[] {
  const f = ks.fwd;
  const fwd = f.cell === 'lstm' ? [f.proj, f.upS, f.zeroG, ...f.gates, ...f.state] : [f.proj, f.upInit, ...f.stages.flat()];
  return [...(ks.upW ? [ks.upW] : []), ks.upW4, ks.upWT4, ks.upX, ...fwd, ks.upFS, ks.upIN, ks.upDH, ks.upQ, ...(ks.upZP ? [ks.upZP] : []), ks.zeroAcc,
    ...ks.dz, ks.carry, ks.accW, ks.dx, ks.copyAcc];
}

/** A kernel map's four outputs (quadReturn), in order. */
export type Quad = [Tex, Tex, Tex, Tex];
export function quad(r: Tex): Quad {
  const m = r as unknown as { result: Tex; o1: Tex; o2: Tex; o3: Tex };
  return [m.result, m.o1, m.o2, m.o3];
}

/**
 * Shapes whose kernels stay compiled. Each holds its textures (at the benchmark's L, the backward's
 * forward rows alone are 42 MB as RGBA32F), so the least recently used shape beyond these is destroyed.
 */
export const CACHED_SHAPES = 2;

/** Builds every kernel one shape needs on `gpu` (its context, where it has one, bounds CB). */
export function compileKernels(gpu: GPU, context: GlContext | null, cell: Cell, shape: Shape, act: number, resetAfter: boolean): Kernels {
const { T, B, D, H, K, GH } = dims(cell, shape);
const B4 = Math.ceil(B / 4);
const H4 = Math.ceil(H / 4);
const C = chunkSteps(T, B);
const { FW } = layout(cell, H);
const CB = backSteps(T, context);
const src = sources(cell, shape, CB, act, resetAfter);
// loopMaxIterations and returnType are kernel settings GPU.js reads at build time, missing
// from its typings.
const settings = (output: number[], scalar: boolean): IGPUKernelSettings & { loopMaxIterations: number; returnType: string } => ({
  output, pipeline: true, immutable: false, precision: 'single', tactic: 'precision', loopMaxIterations: 1_000_000,
  dynamicArguments: false, dynamicOutput: false, returnType: scalar ? 'Number' : 'Array(4)',
});
const helpers = (k: Kernel): Kernel => {
  // Helper functions go in by source text for the same reason the kernels do.
  k.addFunction(SIG as unknown as never);
  k.addFunction(TANH as unknown as never);
  return k;
};
const mk = (source: string, output: number[], scalar = false): Kernel => helpers(gpu.createKernel(source, settings(output, scalar)));
// Four outputs per pixel: the result and the sub-kernels o1..o3 (quadReturn, quad).
const mkQuad = (source: string, output: number[]): Kernel => helpers(gpu.createKernelMap(
  { o1: 'function o1(v) { return v; }', o2: 'function o2(v) { return v; }', o3: 'function o3(v) { return v; }' } as unknown as never,
  source as unknown as never, settings(output, false),
) as unknown as Kernel);
const chunk = [FW, C * B4];
const fwd: Kernels['fwd'] = cell === 'lstm'
  ? {
    cell, proj: mkQuad(src.lstmProj, [H, T * B4]), upS: mk(src.upload4(FW), chunk), zeroG: mkQuad(src.zeroQuad, [H, C * B4]),
    gates: [mkQuad(src.lstmGates, [H, C * B4]), mkQuad(src.lstmGates, [H, C * B4])],
    state: [mk(src.lstmState, chunk), mk(src.lstmState, chunk)],
  }
  : {
    cell, proj: mk(src.proj, [GH, T * B4]), upInit: mk(src.upload4(FW), chunk),
    stages: cell === 'rnn' ? [[mk(src.rnnStep, chunk)], [mk(src.rnnStep, chunk)]]
      : [[mk(src.gruZR, chunk), mk(src.gruN, chunk), mk(src.gruH, chunk)]],
  };
const BFW = backLayout(cell, H).FW;
const ZW = zWidth(cell, GH, H);
const accOut = [Math.ceil((K + 2) / 4), Math.ceil(GH / 4)];
const dxOut = [Math.ceil((D + 1) / 4), CB * B4];
const ks: Kernels = {
  C,
  CB,
  upW: cell === 'gru' ? mk(src.upload(K), [K, GH], true) : null,
  upW4: mk(src.upload4(Math.ceil(D / 4) + H4), [Math.ceil(D / 4) + H4, GH]),
  upWT4: mk(src.upload4(Math.ceil(GH / 4)), [Math.ceil(GH / 4), K]),
  upX: mk(src.upload4(D), [D, T * B4]),
  fwd,
  upFS: mk(src.upload4(BFW), [BFW, (T + 1) * B4]),
  upIN: mk(src.upload4(K + 2), [K + 2, T * B4]),
  upDH: mk(src.upload4(H), [H, T * B4]),
  upQ: mkQuad(src.uploadQuad(H4, B4), [H4, B4]),
  upZP: cell === 'lstm' ? mk(src.upload4(ZW), [ZW, B4]) : null,
  zeroAcc: mkQuad(src.zeroQuad, accOut),
  dz: Array.from({ length: CB }, () => mk(src.dz, [ZW, B4])),
  carry: mkQuad(src.carry, [H4, B4]),
  accW: mkQuad(src.accW, accOut),
  dx: mkQuad(src.dx, dxOut),
  copyAcc: mkQuad(src.copyQuad, accOut),
};
  return ks;
}

/** Runs a kernel: GPU.js types a kernel as a settings object, not as the function it is. */
export const run = (k: Kernel, ...args: unknown[]): Tex => (k as unknown as (...a: unknown[]) => Tex)(...args);
/** The activation as the kernels' literal code: 0 tanh, 1 relu, 2 linear. */
export const actCode = (a: string | undefined): number => (a === 'relu' ? 1 : a === 'linear' ? 2 : 0);
