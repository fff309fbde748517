// The `gpu` backend: GPU.js kernels, webgl2 or webgl in a browser, GPU.js's `cpu` mode in Node.
//
// Design, and the GPU.js pitfalls it steers around:
// - Pipeline mode: every kernel returns a texture that the next kernel reads; h, c and the
//   backward carries stay on the GPU between timesteps, and results are read back once, after
//   the time loop.
// - Kernels are source strings, not functions: GPU.js parses Function.prototype.toString(), and
//   a minifier rewrites function bodies into forms its parser rejects.
// - Every loop bound is a compile-time constant and loopMaxIterations is raised, because GPU.js
//   silently caps dynamic loops at 1000 iterations (G·H reaches 1024 at H = 256).
// - All kernels are immutable (each call makes a new texture); a texture is deleted by us, once,
//   when no later kernel reads it. `liveTextures()` counts what is outstanding so tests and the
//   benchmark can check that nothing leaks across recomputes.
// - Thread indices are floats: gate blocks are found with Math.floor, never integer division.
// - Whole-sequence inputs (x, h, gates, dh) are uploaded once per call as (rows = T·B) textures
//   and indexed with [t·B + b], so no per-step upload happens.
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
  /** Kernel outputs not yet deleted; 0 between calls when nothing leaks. */
  liveTextures(): number;
  isContextLost(): boolean;
}

type Tex = KernelOutput;

const SIG = 'function sig(v) { return 1.0 / (1.0 + Math.exp(-v)); }';
// tanh through exp: GLSL ES 1.0 (webgl) has no tanh(); exp overflow gives the right limits.
const TANH = 'function th(v) { if (v > 15.0) { return 1.0; } if (v < -15.0) { return -1.0; } const e = Math.exp(2.0 * v); return (e - 1.0) / (e + 1.0); }';

/** Kernel sources, all parameterised by literal constants so that loops have fixed bounds. */
function sources(cell: Cell, s: Shape, act: number, resetAfter: boolean) {
  const { B, D, H, K, GH } = dims(cell, s);
  const ACT = act === 0 ? 'th(a)' : act === 1 ? 'Math.max(a, 0.0)' : 'a';
  const DACT = act === 0 ? '(1.0 - y * y)' : act === 1 ? '(y > 0.0 ? 1.0 : 0.0)' : '1.0';
  return {
    // (x, y) = (column, row) of a rows×cols flat array
    upload: (cols: number) => `function(a) { return a[this.thread.y * ${cols} + this.thread.x]; }`,
    zero: 'function() { return 0.0; }',
    // XP[r][j] = b[j] + W[j, :D]·x[r]
    proj: `function(W, x, bias) {
      const j = this.thread.x; const r = this.thread.y;
      let s = bias[j];
      for (let d = 0; d < ${D}; d++) { s += W[j][d] * x[r][d]; }
      return s; }`,
    // RNN: h_t = act(XP + W_h h_{t-1})
    rnnStep: `function(XP, W, hp, t) {
      const u = this.thread.x; const b = this.thread.y;
      let a = XP[t * ${B} + b][u];
      for (let k = 0; k < ${H}; k++) { a += W[u][${D} + k] * hp[b][k]; }
      return ${ACT}; }`,
    // LSTM gates (4H, B); the state texture packs [c | h] as (2H, B)
    lstmGates: `function(XP, W, sp, t) {
      const j = this.thread.x; const b = this.thread.y;
      let a = XP[t * ${B} + b][j];
      for (let k = 0; k < ${H}; k++) { a += W[j][${D} + k] * sp[b][${H} + k]; }
      const q = Math.floor(j / ${H});
      if (q == 2) { return th(a); }
      return sig(a); }`,
    lstmState: `function(gt, sp) {
      const x = this.thread.x; const b = this.thread.y;
      let u = x;
      if (x >= ${H}) { u = x - ${H}; }
      const c = gt[b][u] * sp[b][u] + gt[b][${H} + u] * gt[b][${2 * H} + u];
      if (x < ${H}) { return c; }
      return gt[b][${3 * H} + u] * th(c); }`,
    // GRU: z, r from [x; h], then n from [x; r*h], then h
    gruZR: `function(XP, W, hp, t) {
      const j = this.thread.x; const b = this.thread.y;
      let a = XP[t * ${B} + b][j];
      for (let k = 0; k < ${H}; k++) { a += W[j][${D} + k] * hp[b][k]; }
      return sig(a); }`,
    // reset-before: n from [x; r*h]; reset-after: n = tanh(W_n x + b_n + r*(U_n h + bh_n))
    gruN: resetAfter ? `function(XP, W, hp, zr, bhn, t) {
      const u = this.thread.x; const b = this.thread.y;
      let s = bhn[u];
      for (let k = 0; k < ${H}; k++) { s += W[${2 * H} + u][${D} + k] * hp[b][k]; }
      return th(XP[t * ${B} + b][${2 * H} + u] + zr[b][${H} + u] * s); }` : `function(XP, W, hp, zr, bhn, t) {
      const u = this.thread.x; const b = this.thread.y;
      let a = XP[t * ${B} + b][${2 * H} + u];
      for (let k = 0; k < ${H}; k++) { a += W[${2 * H} + u][${D} + k] * zr[b][${H} + k] * hp[b][k]; }
      return th(a); }`,
    gruH: `function(hp, zr, n) {
      const u = this.thread.x; const b = this.thread.y;
      const z = zr[b][u];
      return (1.0 - z) * hp[b][u] + z * n[b][u]; }`,

    // Backward. Every dz kernel writes (G·H + H, B): dL/dz in columns [0, GH), the total
    // dL/dh_t in [GH, GH+H), which the norm kernel reads for gradNorm.
    rnnDz: `function(DH, Hs, carry, t) {
      const x = this.thread.x; const b = this.thread.y;
      let u = x;
      if (x >= ${H}) { u = x - ${H}; }
      const r = t * ${B} + b;
      const d = DH[r][u] + carry[b][u];
      if (x >= ${H}) { return d; }
      const y = Hs[r][u];
      return d * ${DACT}; }`,
    lstmDz: `function(DH, Gs, Cs, CP, carry, dcn, t) {
      const x = this.thread.x; const b = this.thread.y;
      const q = Math.floor(x / ${H});
      const u = x - q * ${H};
      const r = t * ${B} + b;
      const dht = DH[r][u] + carry[b][u];
      if (q == 4) { return dht; }
      const f = Gs[r][u]; const i = Gs[r][${H} + u]; const g = Gs[r][${2 * H} + u]; const o = Gs[r][${3 * H} + u];
      const tc = th(Cs[r][u]);
      if (q == 3) { return dht * tc * o * (1.0 - o); }
      const dct = dcn[b][u] + dht * o * (1.0 - tc * tc);
      if (q == 0) { return dct * CP[r][u] * f * (1.0 - f); }
      if (q == 1) { return dct * g * i * (1.0 - i); }
      return dct * i * (1.0 - g * g); }`,
    lstmDcPrev: `function(DH, Gs, Cs, carry, dcn, t) {
      const u = this.thread.x; const b = this.thread.y;
      const r = t * ${B} + b;
      const dht = DH[r][u] + carry[b][u];
      const o = Gs[r][${3 * H} + u];
      const tc = th(Cs[r][u]);
      return (dcn[b][u] + dht * o * (1.0 - tc * tc)) * Gs[r][u]; }`,
    // GRU: dz_r needs, reset-before, dL/d(r*h) = W_n,h^T dz_n, recomputed inline from dz_n's
    // elementwise formula; reset-after, dz_n * (U_n h + bh_n), that product recomputed.
    gruDz: `function(DH, Gs, HP, W, carry, bhn, t) {
      const x = this.thread.x; const b = this.thread.y;
      const q = Math.floor(x / ${H});
      const u = x - q * ${H};
      const r = t * ${B} + b;
      const dht = DH[r][u] + carry[b][u];
      if (q == 3) { return dht; }
      const z = Gs[r][u]; const n = Gs[r][${2 * H} + u]; const hv = HP[r][u];
      if (q == 0) { return dht * (n - hv) * z * (1.0 - z); }
      if (q == 2) { return dht * z * (1.0 - n * n); }
      const rg = Gs[r][${H} + u];
      ${resetAfter ? `let an = bhn[u];
      for (let k = 0; k < ${H}; k++) { an += W[${2 * H} + u][${D} + k] * HP[r][k]; }
      return dht * z * (1.0 - n * n) * an * rg * (1.0 - rg); }` : `let drh = 0.0;
      for (let j = 0; j < ${H}; j++) {
        const zj = Gs[r][j]; const nj = Gs[r][${2 * H} + j];
        drh += W[${2 * H} + j][${D} + u] * (DH[r][j] + carry[b][j]) * zj * (1.0 - nj * nj);
      }
      return drh * hv * rg * (1.0 - rg); }`}`,
    gruCarry: `function(W, dz, Gs, t) {
      const u = this.thread.x; const b = this.thread.y;
      const r = t * ${B} + b;
      let szr = 0.0;
      for (let j = 0; j < ${2 * H}; j++) { szr += W[j][${D} + u] * dz[b][j]; }
      let sn = 0.0;
      ${resetAfter
    ? `for (let j = 0; j < ${H}; j++) { sn += W[${2 * H} + j][${D} + u] * dz[b][${2 * H} + j] * Gs[r][${H} + j]; }
      return dz[b][${3 * H} + u] * (1.0 - Gs[r][u]) + sn + szr; }`
    : `for (let j = 0; j < ${H}; j++) { sn += W[${2 * H} + j][${D} + u] * dz[b][${2 * H} + j]; }
      return dz[b][${3 * H} + u] * (1.0 - Gs[r][u]) + Gs[r][${H} + u] * sn + szr; }`}`,
    // dL/dh_{t-1} through W_h for the RNN and LSTM
    carry: `function(W, dz) {
      const u = this.thread.x; const b = this.thread.y;
      let s = 0.0;
      for (let j = 0; j < ${GH}; j++) { s += W[j][${D} + u] * dz[b][j]; }
      return s; }`,
    // dW accumulator (K+2, GH): column K holds db, K+1 dbh. The GRU's n rows see r*h_{t-1}
    // (reset-before), or take dz_n*r as their recurrent gradient (reset-after).
    accW: `function(acc, dz, X, HP, Gs, t) {
      const k = this.thread.x; const j = this.thread.y;
      let s = acc[j][k];
      for (let b = 0; b < ${B}; b++) {
        const r = t * ${B} + b;
        let v = 1.0;
        if (k < ${D}) { v = X[r][k]; } else if (k < ${K}) {
          v = HP[r][k - ${D}];
          ${cell !== 'gru' ? '' : resetAfter ? `if (j >= ${2 * H}) { v = v * Gs[r][j - ${H}]; }` : `if (j >= ${2 * H}) { v = v * Gs[r][${H} + k - ${D}]; }`}
        }
        ${cell === 'gru' && resetAfter ? `if (k == ${K + 1} && j >= ${2 * H}) { v = Gs[r][j - ${H}]; }` : ''}
        s += dz[b][j] * v;
      }
      return s; }`,
    dx: `function(W, dz) {
      const d = this.thread.x; const b = this.thread.y;
      let s = 0.0;
      for (let j = 0; j < ${GH}; j++) { s += W[j][d] * dz[b][j]; }
      return s; }`,
    norm: `function(dz) {
      let s = 0.0;
      for (let b = 0; b < ${B}; b++) { for (let u = 0; u < ${H}; u++) { const v = dz[b][${GH} + u]; s += v * v; } }
      return Math.sqrt(s); }`,
  };
}

type Kernel = IKernelRunShortcut;

/** The kernels every cell uses: uploads, the input projection, and the backward products. */
interface SharedKernels {
  upX: Kernel; upW: Kernel; upH: Kernel; upG: Kernel; upState: Kernel; upBH: Kernel;
  zeroBH: Kernel; zeroAcc: Kernel; proj: Kernel; carry: Kernel; accW: Kernel; dx: Kernel; norm: Kernel;
}
interface RnnKernels extends SharedKernels { cell: 'rnn'; step: Kernel; dz: Kernel }
interface LstmKernels extends SharedKernels { cell: 'lstm'; gates: Kernel; state: Kernel; dz: Kernel; dcPrev: Kernel }
interface GruKernels extends SharedKernels { cell: 'gru'; zr: Kernel; n: Kernel; h: Kernel; dz: Kernel; gcarry: Kernel }
/** One shape's compiled kernels, by cell. */
type Kernels = RnnKernels | LstmKernels | GruKernels;

function isTexture(t: unknown): t is { delete(): void; toArray(): unknown } {
  return typeof t === 'object' && t !== null && typeof (t as { delete?: unknown }).delete === 'function'
    && typeof (t as { toArray?: unknown }).toArray === 'function';
}

/** Rows of a 2D kernel output (texture or CPU arrays) as arrays of numbers. */
function rowsOf(t: Tex): ArrayLike<number>[] {
  const v = isTexture(t) ? t.toArray() : t;
  return v as unknown as ArrayLike<number>[];
}

function copyCols(t: Tex, dst: Float32Array, dstOff: number, col0: number, cols: number): void {
  const rows = rowsOf(t);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let k = 0; k < cols; k++) dst[dstOff + r * cols + k] = row[col0 + k];
  }
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

/**
 * A GPU.js engine in the given mode. 'webgl2' and 'webgl' need a browser and throw where the
 * context cannot be made; 'cpu' runs anywhere GPU.js may eval (Node; not a strict-CSP webview).
 */
export function createGpuEngine(mode: GpuMode): GpuEngine {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  let context: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  let gpu: GPU;
  if (mode === 'cpu') {
    gpu = new GPU({ mode: 'cpu' });
  } else {
    canvas = makeCanvas();
    if (!canvas) throw new Error(`${mode} needs a canvas (no DOM here)`);
    const attrs = { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false };
    context = (canvas as HTMLCanvasElement).getContext(mode, attrs) as WebGLRenderingContext | WebGL2RenderingContext | null;
    if (!context) throw new Error(`${mode} is not available here`);
    gpu = new GPU({ mode, canvas, context });
  }
  const cache = new Map<string, Kernels>();
  const live = new Set<Tex>();

  function kernelsFor(cell: Cell, shape: Shape, act: number, resetAfter: boolean): Kernels {
    const key = `${cell}:${shape.T}:${shape.B}:${shape.D}:${shape.H}:${act}:${resetAfter}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const { T, B, D, H, K, GH } = dims(cell, shape);
    const src = sources(cell, shape, act, resetAfter);
    const mk = (source: string, output: number[]): Kernel => {
      // loopMaxIterations is a kernel setting GPU.js reads at build time, missing from its typings.
      const settings: IGPUKernelSettings & { loopMaxIterations: number } = {
        output, pipeline: true, immutable: true, precision: 'single', tactic: 'precision', loopMaxIterations: 1_000_000,
        dynamicArguments: false, dynamicOutput: false,
      };
      const k = gpu.createKernel(source, settings);
      // Helper functions go in by source text for the same reason the kernels do.
      k.addFunction(SIG as unknown as never);
      k.addFunction(TANH as unknown as never);
      return k;
    };
    const shared: SharedKernels = {
      upX: mk(src.upload(D), [D, T * B]),
      upW: mk(src.upload(K), [K, GH]),
      upH: mk(src.upload(H), [H, T * B]),
      upG: mk(src.upload(GH), [GH, T * B]),
      upState: mk(src.upload(cell === 'lstm' ? 2 * H : H), [cell === 'lstm' ? 2 * H : H, B]),
      upBH: mk(src.upload(H), [H, B]),
      zeroBH: mk(src.zero, [H, B]),
      zeroAcc: mk(src.zero, [K + 2, GH]),
      proj: mk(src.proj, [GH, T * B]),
      carry: mk(src.carry, [H, B]),
      accW: mk(src.accW, [K + 2, GH]),
      dx: mk(src.dx, [D, B]),
      norm: mk(src.norm, [1]),
    };
    const ks: Kernels = cell === 'rnn'
      ? { ...shared, cell, step: mk(src.rnnStep, [H, B]), dz: mk(src.rnnDz, [2 * H, B]) }
      : cell === 'lstm'
        ? {
          ...shared, cell, gates: mk(src.lstmGates, [4 * H, B]), state: mk(src.lstmState, [2 * H, B]),
          dz: mk(src.lstmDz, [5 * H, B]), dcPrev: mk(src.lstmDcPrev, [H, B]),
        }
        : {
          ...shared, cell, zr: mk(src.gruZR, [2 * H, B]), n: mk(src.gruN, [H, B]), h: mk(src.gruH, [H, B]),
          dz: mk(src.gruDz, [4 * H, B]), gcarry: mk(src.gruCarry, [H, B]),
        };
    cache.set(key, ks);
    return ks;
  }

  const run = (k: IKernelRunShortcut, ...args: unknown[]): Tex => {
    const out = (k as unknown as (...a: unknown[]) => Tex)(...args);
    live.add(out);
    return out;
  };
  const free = (...ts: (Tex | undefined)[]): void => {
    for (const t of ts) {
      if (t === undefined || !live.has(t)) continue;
      live.delete(t);
      if (isTexture(t)) t.delete();
    }
  };
  const actCode = (a: string | undefined): number => (a === 'relu' ? 1 : a === 'linear' ? 2 : 0);

  function forward(cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
    const { activation, resetAfter } = checkForwardInputs(cell, shape, params, xIn, opts);
    const { T, B, D, H, G, GH, BH } = dims(cell, shape);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { outer, bhn } = biases(params, GH, H, resetAfter);
    const h0 = f32(opts.h0, BH).slice();
    const c0 = cell === 'lstm' ? f32(opts.c0, BH).slice() : undefined;
    const all: Tex[] = [];
    try {
      const W = run(ks.upW, f32(params.W, GH * (D + H)));
      const X = run(ks.upX, f32(xIn, T * B * D));
      all.push(W, X);
      const XP = run(ks.proj, W, X, outer);
      all.push(XP);
      let state: Tex;
      if (cell === 'lstm') {
        const packed = new Float32Array(2 * BH);
        for (let b = 0; b < B; b++) {
          packed.set(c0!.subarray(b * H, b * H + H), b * 2 * H);
          packed.set(h0.subarray(b * H, b * H + H), b * 2 * H + H);
        }
        state = run(ks.upState, packed);
      } else {
        state = run(ks.upState, h0);
      }
      all.push(state);
      // Per-step outputs are kept until the loop ends, then read back in one sweep.
      const steps: Tex[][] = [];
      for (let t = 0; t < T; t++) {
        if (ks.cell === 'rnn') {
          state = run(ks.step, XP, W, state, t);
          steps.push([state]);
        } else if (ks.cell === 'lstm') {
          const g = run(ks.gates, XP, W, state, t);
          state = run(ks.state, g, state);
          steps.push([g, state]);
        } else {
          const zr = run(ks.zr, XP, W, state, t);
          const n = run(ks.n, XP, W, state, zr, bhn, t);
          state = run(ks.h, state, zr, n);
          steps.push([zr, n, state]);
        }
        all.push(...steps[t]);
      }
      const h = new Float32Array(T * BH);
      const c = cell === 'lstm' ? new Float32Array(T * BH) : undefined;
      const gs = Array.from({ length: G }, () => new Float32Array(cell === 'rnn' ? 0 : T * BH));
      for (let t = 0; t < T; t++) {
        const o = t * BH;
        if (cell === 'rnn') {
          copyCols(steps[t][0], h, o, 0, H);
        } else if (cell === 'lstm') {
          for (let q = 0; q < 4; q++) copyCols(steps[t][0], gs[q], o, q * H, H);
          copyCols(steps[t][1], c!, o, 0, H);
          copyCols(steps[t][1], h, o, H, H);
        } else {
          copyCols(steps[t][0], gs[0], o, 0, H);
          copyCols(steps[t][0], gs[1], o, H, H);
          copyCols(steps[t][1], gs[2], o, 0, H);
          copyCols(steps[t][2], h, o, 0, H);
        }
      }
      if (cell === 'lstm') return { h, c, gates: { f: gs[0], i: gs[1], g: gs[2], o: gs[3] }, h0, c0, activation };
      if (cell === 'gru') return { h, gates: { z: gs[0], r: gs[1], n: gs[2] }, h0, activation, resetAfter };
      return { h, gates: {}, h0, activation };
    } finally {
      free(...all);
    }
  }

  function backward(
    cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
  ): BackwardResult {
    const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
    const { T, B, D, H, K, GH, BH } = dims(cell, shape);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { bhn } = biases(params, GH, H, resetAfter);
    const k = truncationWindow(T, opts.truncate);
    const h0 = f32(opts.h0 ?? fwd.h0, BH);
    const h = f32(fwd.h, T * BH);
    // h_{t-1} for every t as one (T·B, H) array: row t·B+b is h0[b] at t = 0.
    const hp = new Float32Array(T * BH);
    hp.set(h0, 0);
    hp.set(h.subarray(0, (T - 1) * BH), BH);
    const all: Tex[] = [];
    const keep = (t: Tex): Tex => {
      all.push(t);
      return t;
    };
    try {
      const W = keep(run(ks.upW, f32(params.W, GH * K)));
      const X = keep(run(ks.upX, f32(xIn, T * B * D)));
      const HP = keep(run(ks.upH, hp));
      const DH = keep(run(ks.upH, dhIn ? f32(dhIn, T * BH) : new Float32Array(T * BH)));
      let Hs: Tex = HP;
      let Gs: Tex = HP;
      let Cs: Tex = HP;
      let CP: Tex = HP;
      if (cell === 'rnn') {
        Hs = keep(run(ks.upH, h));
      } else {
        const gp = new Float32Array(T * B * GH);
        const names = cell === 'lstm' ? (['f', 'i', 'g', 'o'] as const) : (['z', 'r', 'n'] as const);
        names.forEach((name, q) => {
          const src = fwd.gates[name];
          if (!src) throw new RangeError(`fwd.gates.${name} is missing`);
          for (let r = 0; r < T * B; r++) for (let u = 0; u < H; u++) gp[r * GH + q * H + u] = src[r * H + u];
        });
        Gs = keep(run(ks.upG, gp));
      }
      if (cell === 'lstm') {
        const c = f32(fwd.c, T * BH);
        const cp = new Float32Array(T * BH);
        cp.set(f32(opts.c0 ?? fwd.c0, BH), 0);
        cp.set(c.subarray(0, (T - 1) * BH), BH);
        Cs = keep(run(ks.upH, c));
        CP = keep(run(ks.upH, cp));
      }
      let carry = run(ks.upBH, f32(opts.dhT, BH));
      let dcn = cell === 'lstm' ? run(ks.upBH, f32(opts.dcT, BH)) : undefined;
      let acc = run(ks.zeroAcc);
      const perStep: { dx: Tex; norm: Tex }[] = new Array(T);
      for (let t = T - 1; t >= 0; t--) {
        let dz: Tex;
        if (ks.cell === 'rnn') dz = run(ks.dz, DH, Hs, carry, t);
        else if (ks.cell === 'lstm') dz = run(ks.dz, DH, Gs, Cs, CP, carry, dcn, t);
        else dz = run(ks.dz, DH, Gs, HP, W, carry, bhn, t);
        const nextAcc = run(ks.accW, acc, dz, X, HP, Gs, t);
        free(acc);
        acc = nextAcc;
        perStep[t] = { dx: run(ks.dx, W, dz), norm: run(ks.norm, dz) };
        const back = t === 0 || carriesBack(t, k);
        let nextCarry: Tex;
        let nextDcn: Tex | undefined;
        if (back) {
          nextCarry = ks.cell === 'gru' ? run(ks.gcarry, W, dz, Gs, t) : run(ks.carry, W, dz);
          if (ks.cell === 'lstm') nextDcn = run(ks.dcPrev, DH, Gs, Cs, carry, dcn, t);
        } else {
          nextCarry = run(ks.zeroBH);
          if (cell === 'lstm') nextDcn = run(ks.zeroBH);
        }
        free(dz, carry, dcn);
        carry = nextCarry;
        dcn = nextDcn;
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
      for (let t = 0; t < T; t++) {
        copyCols(perStep[t].dx, dx, t * B * D, 0, D);
        const nv = perStep[t].norm;
        gradNorm[t] = (isTexture(nv) ? (nv.toArray() as ArrayLike<number>) : (nv as ArrayLike<number>))[0];
        free(perStep[t].dx, perStep[t].norm);
      }
      const dh0 = new Float32Array(BH);
      copyCols(carry, dh0, 0, 0, H);
      const res: BackwardResult = { dW, db, dx, dh0, gradNorm };
      if (params.bh !== undefined) res.dbh = dbh;
      if (cell === 'lstm') {
        const dc0 = new Float32Array(BH);
        copyCols(dcn!, dc0, 0, 0, H);
        res.dc0 = dc0;
      }
      free(acc, carry, dcn);
      return res;
    } finally {
      free(...all);
    }
  }

  return {
    name: `gpu:${mode}`,
    mode,
    context,
    canvas,
    forward,
    backward,
    liveTextures: () => live.size,
    isContextLost: () => (context ? context.isContextLost() : false),
    dispose() {
      for (const t of [...live]) free(t);
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
