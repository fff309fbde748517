// The `gpu` backend: GPU.js kernels, webgl2 or webgl in a browser, GPU.js's `cpu` mode in Node.
//
// Passes (see docs/KERNELS.md for the math):
// - Forward: the input projection of every timestep is one product, XP = [x]·W_xᵀ + b. Each
//   step is then one pass per stage of the cell (RNN: h; LSTM: gates, then c and h; GRU: z and
//   r, then n, then h), each pass doing the recurrent product and that stage's elementwise math.
// - Backward: per step one pass for dL/dz of every gate row (and the total dL/dh_t), one for the
//   carries dL/dh_{t-1} (and dL/dc_{t-1}). dW, db, dbh and dx are products over a chunk of
//   steps, run once per chunk rather than once per step.
//
// Chunks: a step's outputs are written into a texture that holds C consecutive steps (rows
// slot·B + b); each pass computes its own step's rows and columns and copies the rest from the
// texture the previous pass wrote, so the chunk fills up step by step without a texture per
// step. The forward pass reads a chunk back once it is full (T/C readbacks); the backward pass
// keeps everything on the GPU and reads three textures at the end (dW|db|dbh, dx|‖dh‖², dh0|dc0).
//
// GPU.js pitfalls steered around:
// - No allocation per step: every kernel is mutable (it renders into the same texture on every
//   call), and no kernel ever reads its own output: a stage reads the previous stage's texture,
//   and kernels that feed themselves (the RNN step, the carries, the accumulators) alternate
//   between two compiled copies.
// - Kernels are source strings, not functions: GPU.js parses Function.prototype.toString(), and
//   a minifier rewrites function bodies into forms its parser rejects.
// - Every loop bound is a compile-time constant and loopMaxIterations is raised, because GPU.js
//   silently caps dynamic loops at 1000 iterations (G·H reaches 1024 at H = 256).
// - Thread indices are floats: gate blocks are found with Math.floor, never integer division.
import { GPU, type IGPUKernelSettings, type IKernelRunShortcut, type KernelOutput } from 'gpu.js';
import {
  type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions, type ForwardResult,
  type Params, type Shape, type Vec, carriesBack, checkBackwardArgs, checkForwardInputs, dims, f32, truncationWindow,
} from './types';

export type GpuMode = 'webgl2' | 'webgl' | 'cpu';

export interface GpuEngine extends Engine {
  readonly mode: GpuMode;
  /** The WebGL context, where there is one: the backend chooser watches it for loss. */
  readonly context: WebGLRenderingContext | WebGL2RenderingContext | null;
  readonly canvas: HTMLCanvasElement | OffscreenCanvas | null;
  /**
   * WebGL textures this engine's context holds now (0 in cpu mode): the compiled kernels' own
   * outputs. Flat across calls of one shape when nothing leaks.
   */
  liveTextures(): number;
  isContextLost(): boolean;
}

type Tex = KernelOutput;
type Kernel = IKernelRunShortcut;

const SIG = 'function sig(v) { return 1.0 / (1.0 + Math.exp(-v)); }';
// tanh through exp: GLSL ES 1.0 (webgl) has no tanh(); exp overflow gives the right limits.
const TANH = 'function th(v) { if (v > 15.0) { return 1.0; } if (v < -15.0) { return -1.0; } const e = Math.exp(2.0 * v); return (e - 1.0) / (e + 1.0); }';

/**
 * Steps per chunk: enough that readbacks and per-chunk products are few, few enough that the
 * per-pass copy of the chunk (C·B rows) stays small beside the recurrent product (B rows × H).
 */
export function chunkSteps(T: number, B: number, H: number): number {
  return Math.max(1, Math.min(T, Math.floor(H / 16), Math.floor(256 / B)));
}

/**
 * Column layout of a forward row (one step, one batch row): the RNN [h], the LSTM
 * [f i g o | c | h], the GRU [z r | n | h]. HC is where h starts, FW the width.
 */
function layout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 6 * H, HC: 5 * H };
  if (cell === 'gru') return { FW: 4 * H, HC: 3 * H };
  return { FW: H, HC: 0 };
}

/** Kernel sources, parameterised by literal constants so that loops have fixed bounds. */
function sources(cell: Cell, s: Shape, C: number, act: number, resetAfter: boolean) {
  const { B, D, H, K, GH } = dims(cell, s);
  const { HC } = layout(cell, H);
  const R = C * B;
  const ACT = act === 0 ? 'th(a)' : act === 1 ? 'Math.max(a, 0.0)' : 'a';
  const DACT = act === 0 ? '(1.0 - hy * hy)' : act === 1 ? '(hy > 0.0 ? 1.0 : 0.0)' : '1.0';
  // A forward stage writing columns [lo, hi) of slot s; P is the previous stage's chunk, whose
  // row hr (slot sp) holds step t-1.
  const stage = (lo: number, hi: number, body: string): string => `function(P, XP, W, bhn, t, s, sp) {
      const x = this.thread.x; const y = this.thread.y;
      const b = y - s * ${B};
      if (b < 0 || b >= ${B} || x < ${lo} || x >= ${hi}) { return P[y][x]; }
      const hr = sp * ${B} + b;
      const xr = t * ${B} + b;
      ${body} }`;
  const gruNBody = resetAfter
    ? `const u = x - ${2 * H};
      let an = bhn[u];
      for (let k = 0; k < ${H}; k++) { an += W[${2 * H} + u][${D} + k] * P[hr][${HC} + k]; }
      return th(XP[xr][${2 * H} + u] + P[y][${H} + u] * an);`
    : `const u = x - ${2 * H};
      let a = XP[xr][${2 * H} + u];
      for (let k = 0; k < ${H}; k++) { a += W[${2 * H} + u][${D} + k] * P[y][${H} + k] * P[hr][${HC} + k]; }
      return th(a);`;
  return {
    // (x, y) = (column, row) of a rows×cols flat array
    upload: (cols: number) => `function(a) { return a[this.thread.y * ${cols} + this.thread.x]; }`,
    zero: 'function() { return 0.0; }',
    // XP[r][j] = b[j] + W[j, :D]·x[r]
    proj: `function(W, X, bias) {
      const j = this.thread.x; const r = this.thread.y;
      let a = bias[j];
      for (let d = 0; d < ${D}; d++) { a += W[j][d] * X[r][d]; }
      return a; }`,
    rnnStep: stage(0, H, `let a = XP[xr][x];
      for (let k = 0; k < ${H}; k++) { a += W[x][${D} + k] * P[hr][k]; }
      return ${ACT};`),
    lstmGates: stage(0, 4 * H, `let a = XP[xr][x];
      for (let k = 0; k < ${H}; k++) { a += W[x][${D} + k] * P[hr][${HC} + k]; }
      const q = Math.floor(x / ${H});
      if (q == 2) { return th(a); }
      return sig(a);`),
    lstmState: stage(4 * H, 6 * H, `let u = x - ${4 * H};
      if (x >= ${5 * H}) { u = x - ${5 * H}; }
      const c = P[y][u] * P[hr][${4 * H} + u] + P[y][${H} + u] * P[y][${2 * H} + u];
      if (x < ${5 * H}) { return c; }
      return P[y][${3 * H} + u] * th(c);`),
    gruZR: stage(0, 2 * H, `let a = XP[xr][x];
      for (let k = 0; k < ${H}; k++) { a += W[x][${D} + k] * P[hr][${HC} + k]; }
      return sig(a);`),
    gruN: stage(2 * H, 3 * H, gruNBody),
    gruH: stage(3 * H, 4 * H, `const u = x - ${3 * H};
      const z = P[y][u];
      return (1.0 - z) * P[hr][${HC} + u] + z * P[y][${2 * H} + u];`),

    // Backward. FS holds the forward rows, (T+1)·B of them: rows [0, B) h0 (and c0), row
    // (t+1)·B + b step t. The dz chunk is (GH + H) wide: dL/dz in [0, GH), the total dL/dh_t
    // in [GH, GH + H). Q is the carry from step t+1, [dh | dc] for the LSTM.
    dz: `function(Z, FS, DH, Q, W, bhn, t, s) {
      const x = this.thread.x; const y = this.thread.y;
      const b = y - s * ${B};
      if (b < 0 || b >= ${B}) { return Z[y][x]; }
      const fr = (t + 1) * ${B} + b;
      const pr = t * ${B} + b;
      const q = Math.floor(x / ${H});
      const u = x - q * ${H};
      const dht = DH[pr][u] + Q[b][u];
      if (q == ${GH / H}) { return dht; }
      ${cell === 'rnn' ? `const hy = FS[fr][u];
      return dht * ${DACT};` : cell === 'lstm' ? `const f = FS[fr][u]; const i = FS[fr][${H} + u]; const g = FS[fr][${2 * H} + u]; const o = FS[fr][${3 * H} + u];
      const tc = th(FS[fr][${4 * H} + u]);
      if (q == 3) { return dht * tc * o * (1.0 - o); }
      const dct = Q[b][${H} + u] + dht * o * (1.0 - tc * tc);
      if (q == 0) { return dct * FS[pr][${4 * H} + u] * f * (1.0 - f); }
      if (q == 1) { return dct * g * i * (1.0 - i); }
      return dct * i * (1.0 - g * g);` : `const z = FS[fr][u]; const n = FS[fr][${2 * H} + u]; const hv = FS[pr][${HC} + u];
      if (q == 0) { return dht * (n - hv) * z * (1.0 - z); }
      if (q == 2) { return dht * z * (1.0 - n * n); }
      const rg = FS[fr][${H} + u];
      ${resetAfter ? `let an = bhn[u];
      for (let k = 0; k < ${H}; k++) { an += W[${2 * H} + u][${D} + k] * FS[pr][${HC} + k]; }
      return dht * z * (1.0 - n * n) * an * rg * (1.0 - rg);` : `let drh = 0.0;
      for (let j = 0; j < ${H}; j++) {
        const zj = FS[fr][j]; const nj = FS[fr][${2 * H} + j];
        drh += W[${2 * H} + j][${D} + u] * (DH[pr][j] + Q[b][j]) * zj * (1.0 - nj * nj);
      }
      return drh * hv * rg * (1.0 - rg);`}`} }`,
    // dL/dh_{t-1} (and the LSTM's dL/dc_{t-1}) from the dz rows of slot s; keep = 0 at a
    // truncation boundary.
    carry: `function(Z, FS, Q, W, t, s, keep) {
      const x = this.thread.x; const b = this.thread.y;
      if (keep == 0) { return 0.0; }
      const zr = s * ${B} + b;
      const fr = (t + 1) * ${B} + b;
      ${cell === 'gru' ? `const u = x;
      let szr = 0.0;
      for (let j = 0; j < ${2 * H}; j++) { szr += W[j][${D} + u] * Z[zr][j]; }
      let sn = 0.0;
      ${resetAfter
    ? `for (let j = 0; j < ${H}; j++) { sn += W[${2 * H} + j][${D} + u] * Z[zr][${2 * H} + j] * FS[fr][${H} + j]; }
      return Z[zr][${GH} + u] * (1.0 - FS[fr][u]) + sn + szr;`
    : `for (let j = 0; j < ${H}; j++) { sn += W[${2 * H} + j][${D} + u] * Z[zr][${2 * H} + j]; }
      return Z[zr][${GH} + u] * (1.0 - FS[fr][u]) + FS[fr][${H} + u] * sn + szr;`}` : `${cell === 'lstm' ? `if (x >= ${H}) {
        const u = x - ${H};
        const o = FS[fr][${3 * H} + u];
        const tc = th(FS[fr][${4 * H} + u]);
        return (Q[b][${H} + u] + Z[zr][${GH} + u] * o * (1.0 - tc * tc)) * FS[fr][u];
      }` : ''}
      let a = 0.0;
      for (let j = 0; j < ${GH}; j++) { a += W[j][${D} + x] * Z[zr][j]; }
      return a;`} }`,
    // dW accumulator (K+2, GH) over the n valid rows of a chunk starting at step t0: column K
    // holds db, K+1 dbh. The GRU's n rows see r*h_{t-1} (reset-before), or take dz_n*r as their
    // recurrent gradient (reset-after).
    accW: `function(A, Z, X, FS, t0, n) {
      const k = this.thread.x; const j = this.thread.y;
      let a = A[j][k];
      for (let i = 0; i < ${R}; i++) {
        if (i < n) {
          const xr = t0 * ${B} + i;
          let v = 1.0;
          if (k < ${D}) { v = X[xr][k]; } else if (k < ${K}) {
            v = FS[xr][${HC} + k - ${D}];
            ${cell !== 'gru' ? '' : resetAfter ? `if (j >= ${2 * H}) { v = v * FS[xr + ${B}][j - ${H}]; }` : `if (j >= ${2 * H}) { v = v * FS[xr + ${B}][${H} + k - ${D}]; }`}
          }
          ${cell === 'gru' && resetAfter ? `if (k == ${K + 1} && j >= ${2 * H}) { v = FS[xr + ${B}][j - ${H}]; }` : ''}
          a += Z[i][j] * v;
        }
      }
      return a; }`,
    // dx (T·B, D+1) for the n rows of a chunk starting at step t0; column D holds Σ_u dht², the
    // square of that row's share of gradNorm. Other rows are copied from Y.
    dx: `function(Y, Z, W, t0, n) {
      const d = this.thread.x; const y = this.thread.y;
      const i = y - t0 * ${B};
      if (i < 0 || i >= n) { return Y[y][d]; }
      let a = 0.0;
      if (d == ${D}) {
        for (let u = 0; u < ${H}; u++) { const v = Z[i][${GH} + u]; a += v * v; }
        return a;
      }
      for (let j = 0; j < ${GH}; j++) { a += W[j][d] * Z[i][j]; }
      return a; }`,
  };
}

/** One shape's compiled kernels. Pairs alternate so that no kernel reads its own output. */
interface Kernels {
  C: number;
  upW: Kernel; upX: Kernel; upInit: Kernel; proj: Kernel;
  /** The forward stages of one step, in order; the RNN's one stage alternates between two copies. */
  stages: Kernel[][];
  upFS: Kernel; upDH: Kernel; upQ: Kernel; zeroZ: Kernel; zeroAcc: Kernel; zeroDx: Kernel;
  dz: [Kernel, Kernel]; carry: [Kernel, Kernel]; accW: [Kernel, Kernel]; dx: [Kernel, Kernel];
}

function allKernels(ks: Kernels): Kernel[] {
  return [ks.upW, ks.upX, ks.upInit, ks.proj, ...ks.stages.flat(), ks.upFS, ks.upDH, ks.upQ, ks.zeroZ, ks.zeroAcc, ks.zeroDx,
    ...ks.dz, ...ks.carry, ...ks.accW, ...ks.dx];
}

/**
 * Shapes whose kernels stay compiled. Each holds its textures (at the benchmark's L, the forward
 * rows alone are 200 MB as RGBA32F), so the least recently used shape beyond these is destroyed.
 */
const CACHED_SHAPES = 2;

function isTexture(t: unknown): t is { delete(): void; toArray(): unknown } {
  return typeof t === 'object' && t !== null && typeof (t as { delete?: unknown }).delete === 'function'
    && typeof (t as { toArray?: unknown }).toArray === 'function';
}

/** Rows of a 2D kernel output (texture or CPU arrays) as arrays of numbers. */
function rowsOf(t: Tex): ArrayLike<number>[] {
  const v = isTexture(t) ? t.toArray() : t;
  return v as unknown as ArrayLike<number>[];
}

/**
 * The bias the input projection adds, b + bh on every row where bh simply adds, and the
 * reset-after GRU's bh_n (zeros elsewhere), which sits inside r ⊙ (U_n h + bh_n).
 */
function biases(params: Params, GH: number, H: number, resetAfter: boolean): { outer: Float32Array; bhn: Float32Array } {
  const outer = Float32Array.from(params.b);
  const bhn = new Float32Array(H);
  const { bh } = params;
  if (bh !== undefined) {
    for (let j = 0; j < GH; j++) {
      if (resetAfter && j >= 2 * H) bhn[j - 2 * H] = bh[j];
      else outer[j] += bh[j];
    }
  }
  return { outer, bhn };
}

function makeCanvas(): HTMLCanvasElement | OffscreenCanvas | null {
  if (typeof document !== 'undefined') return document.createElement('canvas');
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  return null;
}

/** The forward arrays of a cell, by the columns of its layout: [array, first column]. */
function forwardColumns(cell: Cell, H: number, h: Float32Array, c: Float32Array | undefined, gs: Float32Array[]): [Float32Array, number][] {
  if (cell === 'lstm') return [[gs[0], 0], [gs[1], H], [gs[2], 2 * H], [gs[3], 3 * H], [c!, 4 * H], [h, 5 * H]];
  if (cell === 'gru') return [[gs[0], 0], [gs[1], H], [gs[2], 2 * H], [h, 3 * H]];
  return [[h, 0]];
}

/**
 * A GPU.js engine in the given mode. 'webgl2' and 'webgl' need a browser and throw where the
 * context cannot be made; 'cpu' runs anywhere GPU.js may eval (Node; not a strict-CSP webview).
 */
export function createGpuEngine(mode: GpuMode): GpuEngine {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  let context: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  let gpu: GPU;
  let glTextures = 0;
  if (mode === 'cpu') {
    gpu = new GPU({ mode: 'cpu' });
  } else {
    canvas = makeCanvas();
    if (!canvas) throw new Error(`${mode} needs a canvas (no DOM here)`);
    const attrs = { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false };
    const gl = (canvas as HTMLCanvasElement).getContext(mode, attrs) as WebGLRenderingContext | WebGL2RenderingContext | null;
    if (!gl) throw new Error(`${mode} is not available here`);
    // Count the context's textures, so that a leak shows up as growth across calls.
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
    context = gl;
    gpu = new GPU({ mode, canvas, context });
  }
  const cache = new Map<string, Kernels>();

  function kernelsFor(cell: Cell, shape: Shape, act: number, resetAfter: boolean): Kernels {
    const key = `${cell}:${shape.T}:${shape.B}:${shape.D}:${shape.H}:${act}:${resetAfter}`;
    const hit = cache.get(key);
    if (hit) {
      // Most recently used last, so that eviction takes the oldest.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    if (cache.size >= CACHED_SHAPES) {
      const [oldest, ks] = cache.entries().next().value as [string, Kernels];
      cache.delete(oldest);
      for (const k of allKernels(ks)) k.destroy();
    }
    const { T, B, D, H, K, GH } = dims(cell, shape);
    const C = chunkSteps(T, B, H);
    const { FW } = layout(cell, H);
    const src = sources(cell, shape, C, act, resetAfter);
    const mk = (source: string, output: number[]): Kernel => {
      // loopMaxIterations is a kernel setting GPU.js reads at build time, missing from its typings.
      const settings: IGPUKernelSettings & { loopMaxIterations: number } = {
        output, pipeline: true, immutable: false, precision: 'single', tactic: 'precision', loopMaxIterations: 1_000_000,
        dynamicArguments: false, dynamicOutput: false,
      };
      const k = gpu.createKernel(source, settings);
      // Helper functions go in by source text for the same reason the kernels do.
      k.addFunction(SIG as unknown as never);
      k.addFunction(TANH as unknown as never);
      return k;
    };
    const pair = (source: string, output: number[]): [Kernel, Kernel] => [mk(source, output), mk(source, output)];
    const chunk = [FW, C * B];
    const stages = cell === 'rnn' ? [[mk(src.rnnStep, chunk)], [mk(src.rnnStep, chunk)]]
      : cell === 'lstm' ? [[mk(src.lstmGates, chunk), mk(src.lstmState, chunk)]]
        : [[mk(src.gruZR, chunk), mk(src.gruN, chunk), mk(src.gruH, chunk)]];
    const CW = cell === 'lstm' ? 2 * H : H;
    const ks: Kernels = {
      C,
      upW: mk(src.upload(K), [K, GH]),
      upX: mk(src.upload(D), [D, T * B]),
      upInit: mk(src.upload(FW), chunk),
      proj: mk(src.proj, [GH, T * B]),
      stages,
      upFS: mk(src.upload(FW), [FW, (T + 1) * B]),
      upDH: mk(src.upload(H), [H, T * B]),
      upQ: mk(src.upload(CW), [CW, B]),
      zeroZ: mk(src.zero, [GH + H, C * B]),
      zeroAcc: mk(src.zero, [K + 2, GH]),
      zeroDx: mk(src.zero, [D + 1, T * B]),
      dz: pair(src.dz, [GH + H, C * B]),
      carry: pair(src.carry, [CW, B]),
      accW: pair(src.accW, [K + 2, GH]),
      dx: pair(src.dx, [D + 1, T * B]),
    };
    cache.set(key, ks);
    return ks;
  }

  const run = (k: Kernel, ...args: unknown[]): Tex => (k as unknown as (...a: unknown[]) => Tex)(...args);
  const actCode = (a: string | undefined): number => (a === 'relu' ? 1 : a === 'linear' ? 2 : 0);

  function forward(cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
    const { activation, resetAfter } = checkForwardInputs(cell, shape, params, xIn, opts);
    const { T, B, D, H, G, GH, BH } = dims(cell, shape);
    const { FW, HC } = layout(cell, H);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { C } = ks;
    const { outer, bhn } = biases(params, GH, H, resetAfter);
    const h0 = f32(opts.h0, BH).slice();
    const c0 = cell === 'lstm' ? f32(opts.c0, BH).slice() : undefined;
    const W = run(ks.upW, f32(params.W, GH * (D + H)));
    const XP = run(ks.proj, W, run(ks.upX, f32(xIn, T * B * D)), outer);
    // h0 (and c0) sit in the slot that step 0 reads as its predecessor, C-1.
    const init = new Float32Array(C * B * FW);
    for (let b = 0; b < B; b++) {
      const row = ((C - 1) * B + b) * FW;
      init.set(h0.subarray(b * H, b * H + H), row + HC);
      if (c0) init.set(c0.subarray(b * H, b * H + H), row + 4 * H);
    }
    let P = run(ks.upInit, init);
    const h = new Float32Array(T * BH);
    const c = cell === 'lstm' ? new Float32Array(T * BH) : undefined;
    const gs = Array.from({ length: G }, () => new Float32Array(cell === 'rnn' ? 0 : T * BH));
    const cols = forwardColumns(cell, H, h, c, gs);
    for (let t = 0; t < T; t++) {
      const s = t % C;
      const sp = (s + C - 1) % C;
      for (const k of ks.stages[t % ks.stages.length]) {
        P = run(k, P, XP, W, bhn, t, s, sp);
      }
      if (s === C - 1 || t === T - 1) {
        // The chunk is full (or the sequence ends): read its slots back, once.
        const rows = rowsOf(P);
        const t0 = t - s;
        for (let r = 0; r < (s + 1) * B; r++) {
          const row = rows[r];
          const o = t0 * BH + r * H;
          for (const [dst, col] of cols) for (let u = 0; u < H; u++) dst[o + u] = row[col + u];
        }
      }
    }
    if (cell === 'lstm') return { h, c, gates: { f: gs[0], i: gs[1], g: gs[2], o: gs[3] }, h0, c0, activation };
    if (cell === 'gru') return { h, gates: { z: gs[0], r: gs[1], n: gs[2] }, h0, activation, resetAfter };
    return { h, gates: {}, h0, activation };
  }

  function backward(
    cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
  ): BackwardResult {
    const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
    const { T, B, D, H, K, GH, BH } = dims(cell, shape);
    const { FW, HC } = layout(cell, H);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { C } = ks;
    const { bhn } = biases(params, GH, H, resetAfter);
    const win = truncationWindow(T, opts.truncate);
    // The forward rows as one texture: rows [0, B) hold h0 (and c0), rows (t+1)·B + b step t.
    const fs = new Float32Array((T + 1) * B * FW);
    const put = (src: Vec, n: number, rowOff: number, col: number): void => {
      const v = f32(src, n);
      for (let r = 0; r < n / H; r++) fs.set(v.subarray(r * H, r * H + H), (rowOff + r) * FW + col);
    };
    put(opts.h0 ?? fwd.h0, BH, 0, HC);
    put(fwd.h, T * BH, B, HC);
    if (cell === 'lstm') {
      put(opts.c0 ?? fwd.c0 ?? new Float32Array(BH), BH, 0, 4 * H);
      put(fwd.c!, T * BH, B, 4 * H);
    }
    const names = cell === 'lstm' ? (['f', 'i', 'g', 'o'] as const) : cell === 'gru' ? (['z', 'r', 'n'] as const) : [];
    names.forEach((name, q) => {
      const g = fwd.gates[name];
      if (!g) throw new RangeError(`fwd.gates.${name} is missing`);
      put(g, T * BH, B, q * H);
    });
    const W = run(ks.upW, f32(params.W, GH * K));
    const X = run(ks.upX, f32(xIn, T * B * D));
    const FS = run(ks.upFS, fs);
    const DH = run(ks.upDH, dhIn ? f32(dhIn, T * BH) : new Float32Array(T * BH));
    const CW = cell === 'lstm' ? 2 * H : H;
    const q0 = new Float32Array(CW * B);
    const dhT = f32(opts.dhT, BH);
    const dcT = cell === 'lstm' ? f32(opts.dcT, BH) : undefined;
    for (let b = 0; b < B; b++) {
      q0.set(dhT.subarray(b * H, b * H + H), b * CW);
      if (dcT) q0.set(dcT.subarray(b * H, b * H + H), b * CW + H);
    }
    let Q = run(ks.upQ, q0);
    // The dz chunk alternates with the other copy; at a chunk's first step it copies stale rows
    // that later steps of the chunk overwrite.
    let Z = run(ks.zeroZ);
    let zi = 0;
    let acc = run(ks.zeroAcc);
    let dxAll = run(ks.zeroDx);
    let ci = 0;
    for (let t = T - 1; t >= 0; t--) {
      const s = t % C;
      Z = run(ks.dz[zi], Z, FS, DH, Q, W, bhn, t, s);
      Q = run(ks.carry[zi], Z, FS, Q, W, t, s, t === 0 || carriesBack(t, win) ? 1 : 0);
      zi = 1 - zi;
      if (s === 0) {
        const t0 = t;
        const n = (Math.min(T, t0 + C) - t0) * B;
        acc = run(ks.accW[ci], acc, Z, X, FS, t0, n);
        dxAll = run(ks.dx[ci], dxAll, Z, W, t0, n);
        ci = 1 - ci;
      }
    }
    const dW = new Float32Array(GH * K);
    const db = new Float32Array(GH);
    const dbh = new Float32Array(GH);
    const accRows = rowsOf(acc);
    for (let j = 0; j < GH; j++) {
      const row = accRows[j];
      for (let q = 0; q < K; q++) dW[j * K + q] = row[q];
      db[j] = row[K];
      dbh[j] = row[K + 1];
    }
    const dx = new Float32Array(T * B * D);
    const gradNorm = new Float32Array(T);
    const dxRows = rowsOf(dxAll);
    for (let r = 0; r < T * B; r++) {
      const row = dxRows[r];
      for (let d = 0; d < D; d++) dx[r * D + d] = row[d];
      gradNorm[Math.floor(r / B)] += row[D];
    }
    for (let t = 0; t < T; t++) gradNorm[t] = Math.sqrt(gradNorm[t]);
    const dh0 = new Float32Array(BH);
    const dc0 = new Float32Array(BH);
    const qRows = rowsOf(Q);
    for (let b = 0; b < B; b++) {
      for (let u = 0; u < H; u++) {
        dh0[b * H + u] = qRows[b][u];
        if (cell === 'lstm') dc0[b * H + u] = qRows[b][H + u];
      }
    }
    const res: BackwardResult = { dW, db, dx, dh0, gradNorm };
    if (params.bh !== undefined) res.dbh = dbh;
    if (cell === 'lstm') res.dc0 = dc0;
    return res;
  }

  return {
    name: `gpu:${mode}`,
    mode,
    context,
    canvas,
    forward,
    backward,
    liveTextures: () => glTextures,
    isContextLost: () => (context ? context.isContextLost() : false),
    dispose() {
      cache.clear();
      try {
        void gpu.destroy();
      } catch {
        // A lost context cannot be destroyed twice; nothing else holds it.
      }
    },
  };
}

let defaultGpu: GpuEngine | null = null;

/** The engine `backend: 'gpu'` uses: webgl2, then webgl, in a browser; GPU.js 'cpu' in Node. */
export function defaultGpuEngine(): GpuEngine {
  if (defaultGpu && !defaultGpu.isContextLost()) return defaultGpu;
  const modes: GpuMode[] = typeof document !== 'undefined' || typeof OffscreenCanvas !== 'undefined'
    ? ['webgl2', 'webgl'] : ['cpu'];
  let lastError: unknown = null;
  for (const m of modes) {
    try {
      defaultGpu = createGpuEngine(m);
      return defaultGpu;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`no GPU.js backend is available: ${String(lastError)}`);
}
