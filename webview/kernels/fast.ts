// The `js` backend: float32 storage, plain loops arranged for speed. It is the Node default and
// the webview's fallback when WebGL is missing (GPU.js's own CPU mode needs 'unsafe-eval').
//
// Where the time goes and why the loops look like this:
// - The input half of every pre-activation, X·W_x^T + b, does not depend on the recurrence,
//   so it is one matrix product over all T·B rows before the time loop.
// - Inside the time loop only W_h·h_{t-1} remains. Every product is written as A·Bᵀ over
//   contiguous rows (gemmABt), using transposed copies of W where needed, so inner loops are
//   unit-stride dot products and each load of A feeds four multiply-adds.
// - Backward keeps every step's dL/dz (T·B × G·H) and forms dW, db and dx as products at the
//   end instead of T rank-B updates interleaved with the recurrence.
// - Buffers are allocated once per call; the hot loops allocate nothing.
// - Where the arrays live and how the two products run is a Workspace: plain arrays and the
//   loops below here, WebAssembly memory and SIMD products in the wasm backend (wasm.ts).
import {
  type Activation, type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions,
  type ForwardResult, type Params, type Shape, type Vec, carriesBack, checkBackwardInputs, checkInputs, checkState, dims,
  truncationWindow,
} from './types';

function f32(v: Vec | undefined, n: number): Float32Array {
  if (v instanceof Float32Array && v.length === n) return v;
  const out = new Float32Array(n);
  if (v !== undefined) for (let i = 0; i < n; i++) out[i] = v[i];
  return out;
}

/** Where forward and backward keep their arrays and which two matrix products they call. */
export interface Workspace {
  /** Called first by every forward and backward with an upper bound on the floats it allocates. */
  reserve(floats: number): void;
  /** n zeroed floats. */
  alloc(n: number): Float32Array;
  /** v (n values) as float32 for the loops to read, never to write. */
  input(v: Vec | undefined, n: number): Float32Array;
  abt: typeof gemmABt;
  atb: typeof gemmAtB;
  /** An array handed back to the caller, who may keep it. */
  result(a: Float32Array): Float32Array;
}

/** The js backend's workspace: ordinary arrays, the caller's own where they are float32 already. */
const plainWorkspace: Workspace = {
  reserve: () => undefined,
  alloc: (n) => new Float32Array(n),
  input: f32,
  abt: gemmABt,
  atb: gemmAtB,
  result: (a) => a,
};

/** A writable float32 copy of v, or zeros. */
function copyIn(ws: Workspace, v: Vec | undefined, n: number): Float32Array {
  const out = ws.alloc(n);
  if (v !== undefined) out.set(v);
  return out;
}

/** Four accumulators let V8 overlap the multiply-adds; a single running sum is latency-bound. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < n; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}

/**
 * C[i, c0 + k] = A[i]·B[k] (+= when acc) for rows of length n: A times B-transposed, the one
 * product shape every step of the engine reduces to. All reads are contiguous; a 2×4 block of
 * outputs is kept in registers so each 6 loads feed 8 multiply-adds (typed-array loads, with
 * their bounds checks, are what a scalar JS inner loop is limited by).
 */
export function gemmABt(
  A: Float32Array, aOff: number, lda: number, aRows: number,
  Bm: Float32Array, bOff: number, ldb: number, bRows: number, n: number,
  C: Float32Array, cOff: number, ldc: number, acc: boolean,
): void {
  let i = 0;
  // 4×4 output blocks: 8 loads feed 16 multiply-adds.
  for (; i + 3 < aRows; i += 4) {
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let q = 0; q < n; q++) {
        const y0 = Bm[b0 + q], y1 = Bm[b1 + q], y2 = Bm[b2 + q], y3 = Bm[b3 + q];
        let x = A[a0 + q];
        s00 += x * y0; s01 += x * y1; s02 += x * y2; s03 += x * y3;
        x = A[a1 + q];
        s10 += x * y0; s11 += x * y1; s12 += x * y2; s13 += x * y3;
        x = A[a2 + q];
        s20 += x * y0; s21 += x * y1; s22 += x * y2; s23 += x * y3;
        x = A[a3 + q];
        s30 += x * y0; s31 += x * y1; s32 += x * y2; s33 += x * y3;
      }
      if (acc) {
        C[c0 + k] += s00; C[c0 + k + 1] += s01; C[c0 + k + 2] += s02; C[c0 + k + 3] += s03;
        C[c1 + k] += s10; C[c1 + k + 1] += s11; C[c1 + k + 2] += s12; C[c1 + k + 3] += s13;
        C[c2 + k] += s20; C[c2 + k + 1] += s21; C[c2 + k + 2] += s22; C[c2 + k + 3] += s23;
        C[c3 + k] += s30; C[c3 + k + 1] += s31; C[c3 + k + 2] += s32; C[c3 + k + 3] += s33;
      } else {
        C[c0 + k] = s00; C[c0 + k + 1] = s01; C[c0 + k + 2] = s02; C[c0 + k + 3] = s03;
        C[c1 + k] = s10; C[c1 + k + 1] = s11; C[c1 + k + 2] = s12; C[c1 + k + 3] = s13;
        C[c2 + k] = s20; C[c2 + k + 1] = s21; C[c2 + k + 2] = s22; C[c2 + k + 3] = s23;
        C[c3 + k] = s30; C[c3 + k + 1] = s31; C[c3 + k + 2] = s32; C[c3 + k + 3] = s33;
      }
    }
    for (; k < bRows; k++) {
      const bk = bOff + k * ldb;
      const v0 = dot(A, a0, Bm, bk, n), v1 = dot(A, a1, Bm, bk, n);
      const v2 = dot(A, a2, Bm, bk, n), v3 = dot(A, a3, Bm, bk, n);
      C[c0 + k] = acc ? C[c0 + k] + v0 : v0;
      C[c1 + k] = acc ? C[c1 + k] + v1 : v1;
      C[c2 + k] = acc ? C[c2 + k] + v2 : v2;
      C[c3 + k] = acc ? C[c3 + k] + v3 : v3;
    }
  }
  for (; i + 1 < aRows; i += 2) {
    const a0 = aOff + i * lda, a1 = a0 + lda;
    const c0 = cOff + i * ldc, c1 = c0 + ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < n; q++) {
        const x0 = A[a0 + q], x1 = A[a1 + q];
        const y0 = Bm[b0 + q], y1 = Bm[b1 + q], y2 = Bm[b2 + q], y3 = Bm[b3 + q];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      if (acc) {
        C[c0 + k] += s00; C[c0 + k + 1] += s01; C[c0 + k + 2] += s02; C[c0 + k + 3] += s03;
        C[c1 + k] += s10; C[c1 + k + 1] += s11; C[c1 + k + 2] += s12; C[c1 + k + 3] += s13;
      } else {
        C[c0 + k] = s00; C[c0 + k + 1] = s01; C[c0 + k + 2] = s02; C[c0 + k + 3] = s03;
        C[c1 + k] = s10; C[c1 + k + 1] = s11; C[c1 + k + 2] = s12; C[c1 + k + 3] = s13;
      }
    }
    for (; k < bRows; k++) {
      const v0 = dot(A, a0, Bm, bOff + k * ldb, n);
      const v1 = dot(A, a1, Bm, bOff + k * ldb, n);
      C[c0 + k] = acc ? C[c0 + k] + v0 : v0;
      C[c1 + k] = acc ? C[c1 + k] + v1 : v1;
    }
  }
  for (; i < aRows; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let k = 0;
    for (; k + 3 < bRows; k += 4) {
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < n; q++) {
        const a = A[ai + q];
        s0 += a * Bm[b0 + q];
        s1 += a * Bm[b1 + q];
        s2 += a * Bm[b2 + q];
        s3 += a * Bm[b3 + q];
      }
      if (acc) {
        C[ci + k] += s0; C[ci + k + 1] += s1; C[ci + k + 2] += s2; C[ci + k + 3] += s3;
      } else {
        C[ci + k] = s0; C[ci + k + 1] = s1; C[ci + k + 2] = s2; C[ci + k + 3] = s3;
      }
    }
    for (; k < bRows; k++) {
      const v = dot(A, ai, Bm, bOff + k * ldb, n);
      C[ci + k] = acc ? C[ci + k] + v : v;
    }
  }
}

/**
 * C[j, c] (+)= Σ_r A[r, j]·B[r, c] for j < m, c < n: Aᵀ times B over rows r, the shape of the
 * weight gradient dZᵀ·[X | H_prev]. Reading both operands along rows needs no transposed
 * copies; rows go in chunks so a 4-column strip of A stays in cache across the column blocks
 * of B, and a 4×4 block of C is kept in registers (8 loads per 16 multiply-adds).
 */
export function gemmAtB(
  A: Float32Array, aOff: number, lda: number, Bm: Float32Array, bOff: number, ldb: number,
  rows: number, m: number, n: number, C: Float32Array, cOff: number, ldc: number, acc: boolean,
): void {
  if (!acc) for (let j = 0; j < m; j++) C.fill(0, cOff + j * ldc, cOff + j * ldc + n);
  for (let r0 = 0; r0 < rows; r0 += 128) {
    const r1 = r0 + 128 < rows ? r0 + 128 : rows;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const c0 = cOff + j * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
      let c = 0;
      for (; c + 3 < n; c += 4) {
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          const y0 = Bm[pb], y1 = Bm[pb + 1], y2 = Bm[pb + 2], y3 = Bm[pb + 3];
          let x = A[pa];
          s00 += x * y0; s01 += x * y1; s02 += x * y2; s03 += x * y3;
          x = A[pa + 1];
          s10 += x * y0; s11 += x * y1; s12 += x * y2; s13 += x * y3;
          x = A[pa + 2];
          s20 += x * y0; s21 += x * y1; s22 += x * y2; s23 += x * y3;
          x = A[pa + 3];
          s30 += x * y0; s31 += x * y1; s32 += x * y2; s33 += x * y3;
          pa += lda; pb += ldb;
        }
        C[c0 + c] += s00; C[c0 + c + 1] += s01; C[c0 + c + 2] += s02; C[c0 + c + 3] += s03;
        C[c1 + c] += s10; C[c1 + c + 1] += s11; C[c1 + c + 2] += s12; C[c1 + c + 3] += s13;
        C[c2 + c] += s20; C[c2 + c + 1] += s21; C[c2 + c + 2] += s22; C[c2 + c + 3] += s23;
        C[c3 + c] += s30; C[c3 + c + 1] += s31; C[c3 + c + 2] += s32; C[c3 + c + 3] += s33;
      }
      for (; c < n; c++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          const y = Bm[pb];
          s0 += A[pa] * y; s1 += A[pa + 1] * y; s2 += A[pa + 2] * y; s3 += A[pa + 3] * y;
          pa += lda; pb += ldb;
        }
        C[c0 + c] += s0; C[c1 + c] += s1; C[c2 + c] += s2; C[c3 + c] += s3;
      }
    }
    for (; j < m; j++) {
      const cj = cOff + j * ldc;
      for (let c = 0; c < n; c++) {
        let s0 = 0;
        let pa = aOff + r0 * lda + j, pb = bOff + r0 * ldb + c;
        for (let r = r0; r < r1; r++) {
          s0 += A[pa] * Bm[pb];
          pa += lda; pb += ldb;
        }
        C[cj + c] += s0;
      }
    }
  }
}

/** (rows × cols, row stride ld, from off) -> (cols × rows), contiguous. */
function transpose(ws: Workspace, M: Float32Array, off: number, ld: number, rows: number, cols: number): Float32Array {
  const out = ws.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    const m = off + r * ld;
    for (let c = 0; c < cols; c++) out[c * rows + r] = M[m + c];
  }
  return out;
}

// exp without the Math.exp call: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its degree-7 Taylor
// polynomial (relative error < 1e-8, far below float32 rounding), 2^k from a table. The
// argument is clamped to ±87, where sigmoid and tanh are already saturated in float32.
const POW2 = new Float64Array(257);
for (let e = 0; e < 257; e++) POW2[e] = Math.pow(2, e - 128);
const ROUND = 6755399441055744; // 1.5·2^52: (t + ROUND) - ROUND rounds t to the nearest integer.

function fexp(v: number): number {
  const x = v > 87 ? 87 : v < -87 ? -87 : v;
  const t = x * 1.4426950408889634;
  const k = (t + ROUND) - ROUND;
  const r = (t - k) * 0.6931471805599453;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return p * POW2[k + 128];
}

function sigmoid(v: number): number {
  return 1 / (1 + fexp(-v));
}

/** tanh(v) = 1 - 2/(e^{2v} + 1): absolute error ~1e-9, cheaper than Math.tanh. */
function ftanh(v: number): number {
  return 1 - 2 / (fexp(2 * v) + 1);
}

/** XP[r, j] = b[j] + W[j, :D]·x[r] for all r = t·B + b at once. */
function inputProjection(
  ws: Workspace, W: Float32Array, b: Float32Array, x: Float32Array, rows: number, GH: number, D: number, K: number,
): Float32Array {
  const XP = ws.alloc(rows * GH);
  ws.abt(x, 0, D, rows, W, 0, K, GH, D, XP, 0, GH, false);
  for (let r = 0; r < rows; r++) for (let j = 0; j < GH; j++) XP[r * GH + j] += b[j];
  return XP;
}

/** Floats forward allocates from its workspace at most (alignment aside): W, b, x, h0, c0, the
 * input projection, h, c and four gates, one step's pre-activations, r*h. */
function forwardFloats(cell: Cell, shape: Shape): number {
  const { T, B, D, K, GH, BH } = dims(cell, shape);
  return GH * K + GH + T * B * D + 2 * BH + T * B * GH + 6 * T * BH + B * GH + BH;
}

/** Floats backward allocates from its workspace at most (alignment aside): W, its two transposed
 * halves and dW; x and dx; dh, h, c, four gates and the GRU's r*h; dZ; six (B, H) state buffers and
 * h0, c0. */
function backwardFloats(cell: Cell, shape: Shape): number {
  const { T, B, D, K, GH, BH } = dims(cell, shape);
  return 3 * GH * K + 2 * T * B * D + 8 * T * BH + T * B * GH + 8 * BH;
}

export function forwardIn(ws: Workspace, cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
  checkInputs(cell, shape, params, xIn);
  checkState('h0', opts.h0, shape.B * shape.H);
  checkState('c0', opts.c0, shape.B * shape.H);
  const { T, B, D, H, K, GH, BH } = dims(cell, shape);
  const activation: Activation = opts.activation ?? 'tanh';
  ws.reserve(forwardFloats(cell, shape));
  const W = ws.input(params.W, GH * K);
  const bias = ws.input(params.b, GH);
  const x = ws.input(xIn, T * B * D);
  const h0 = copyIn(ws, opts.h0, BH);
  const c0 = cell === 'lstm' ? copyIn(ws, opts.c0, BH) : undefined;
  const XP = inputProjection(ws, W, bias, x, T * B, GH, D, K);
  const h = ws.alloc(T * BH);
  const c = cell === 'lstm' ? ws.alloc(T * BH) : undefined;
  const g0 = cell === 'rnn' ? h : ws.alloc(T * BH);
  const g1 = cell === 'rnn' ? h : ws.alloc(T * BH);
  const g2 = cell === 'rnn' ? h : ws.alloc(T * BH);
  const g3 = cell === 'lstm' ? ws.alloc(T * BH) : h;
  // Pre-activations of one step, (B, G·H), and the GRU's r*h_{t-1}.
  const A = ws.alloc(B * GH);
  const rh = ws.alloc(BH);
  // Rows of W whose h-columns multiply h_{t-1} directly (the GRU's n rows see r*h_{t-1}).
  const viaH = cell === 'gru' ? 2 * H : GH;

  for (let t = 0; t < T; t++) {
    const hp = t === 0 ? h0 : h;
    const hpo = t === 0 ? 0 : (t - 1) * BH;
    const xpo = t * B * GH;
    A.set(XP.subarray(xpo, xpo + B * GH));
    ws.abt(hp, hpo, H, B, W, D, K, viaH, H, A, 0, GH, true);
    const o = t * BH;
    if (cell === 'rnn') {
      for (let bb = 0; bb < B; bb++) {
        for (let u = 0; u < H; u++) {
          const a = A[bb * GH + u];
          h[o + bb * H + u] = activation === 'tanh' ? ftanh(a) : activation === 'relu' ? (a > 0 ? a : 0) : a;
        }
      }
    } else if (cell === 'lstm') {
      const cp = t === 0 ? c0! : c!;
      for (let bb = 0; bb < B; bb++) {
        const ao = bb * GH;
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          const f = sigmoid(A[ao + u]);
          const i = sigmoid(A[ao + H + u]);
          const g = ftanh(A[ao + 2 * H + u]);
          const og = sigmoid(A[ao + 3 * H + u]);
          const ct = f * cp[hpo + bb * H + u] + i * g;
          c![q] = ct;
          h[q] = og * ftanh(ct);
          g0[q] = f; g1[q] = i; g2[q] = g; g3[q] = og;
        }
      }
    } else {
      for (let bb = 0; bb < B; bb++) {
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          g0[q] = sigmoid(A[bb * GH + u]);
          const r = sigmoid(A[bb * GH + H + u]);
          g1[q] = r;
          rh[bb * H + u] = r * hp[hpo + bb * H + u];
        }
      }
      ws.abt(rh, 0, H, B, W, 2 * H * K + D, K, H, H, A, 2 * H, GH, true);
      for (let bb = 0; bb < B; bb++) {
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          const n = ftanh(A[bb * GH + 2 * H + u]);
          const z = g0[q];
          g2[q] = n;
          h[q] = (1 - z) * hp[hpo + bb * H + u] + z * n;
        }
      }
    }
  }
  const out = ws.result;
  if (cell === 'lstm') {
    return { h: out(h), c: out(c!), gates: { f: out(g0), i: out(g1), g: out(g2), o: out(g3) }, h0: out(h0), c0: out(c0!), activation };
  }
  const gates = cell === 'gru' ? { z: out(g0), r: out(g1), n: out(g2) } : {};
  return { h: out(h), gates, h0: out(h0), activation };
}

export function backwardIn(
  ws: Workspace, cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
): BackwardResult {
  const activation = checkBackwardInputs(cell, shape, params, xIn, fwd, dhIn, opts);
  const { T, B, D, H, K, GH, BH } = dims(cell, shape);
  ws.reserve(backwardFloats(cell, shape));
  const inp = ws.input;
  const W = inp(params.W, GH * K);
  const x = inp(xIn, T * B * D);
  const dh = dhIn ? inp(dhIn, T * BH) : null;
  const h0 = inp(opts.h0 ?? fwd.h0, BH);
  const c0 = inp(opts.c0 ?? fwd.c0, BH);
  const h = inp(fwd.h, T * BH);
  const c = cell === 'lstm' ? inp(fwd.c, T * BH) : h;
  const gt = fwd.gates;
  const g0 = cell === 'lstm' ? inp(gt.f, T * BH) : cell === 'gru' ? inp(gt.z, T * BH) : h;
  const g1 = cell === 'lstm' ? inp(gt.i, T * BH) : cell === 'gru' ? inp(gt.r, T * BH) : h;
  const g2 = cell === 'lstm' ? inp(gt.g, T * BH) : cell === 'gru' ? inp(gt.n, T * BH) : h;
  const g3 = cell === 'lstm' ? inp(gt.o, T * BH) : h;
  const k = truncationWindow(T, opts.truncate);
  // Transposed weight halves turn dL/dh_{t-1} = W_hᵀ dz and dx = W_xᵀ dz into contiguous dots.
  const WhT = transpose(ws, W, D, K, GH, H);
  const WxT = transpose(ws, W, 0, K, GH, D);

  const dZ = ws.alloc(T * B * GH);
  const gradNorm = new Float32Array(T);
  let dhNext = copyIn(ws, opts.dhT, BH);
  let dcNext = copyIn(ws, opts.dcT, BH);
  let dhPrev = ws.alloc(BH);
  let dcPrev = ws.alloc(BH);
  const dhTot = ws.alloc(BH);
  const dRh = ws.alloc(BH);
  // The GRU's n rows take r*h_{t-1} as their h-input: kept for the dW product at the end.
  const RH = cell === 'gru' ? ws.alloc(T * BH) : dRh;
  const viaH = cell === 'gru' ? 2 * H : GH;

  for (let t = T - 1; t >= 0; t--) {
    const o = t * BH;
    const hp = t === 0 ? h0 : h;
    const hpo = t === 0 ? 0 : (t - 1) * BH;
    const zo = t * B * GH;
    let sq = 0;
    for (let q = 0; q < BH; q++) {
      const v = (dh ? dh[o + q] : 0) + dhNext[q];
      dhTot[q] = v;
      sq += v * v;
    }
    gradNorm[t] = Math.sqrt(sq);
    const carry = t === 0 || carriesBack(t, k);
    if (cell === 'rnn') {
      for (let bb = 0; bb < B; bb++) {
        for (let u = 0; u < H; u++) {
          const y = h[o + bb * H + u];
          const d = activation === 'tanh' ? 1 - y * y : activation === 'relu' ? (y > 0 ? 1 : 0) : 1;
          dZ[zo + bb * GH + u] = dhTot[bb * H + u] * d;
        }
      }
    } else if (cell === 'lstm') {
      const cp = t === 0 ? c0 : c;
      for (let bb = 0; bb < B; bb++) {
        const zb = zo + bb * GH;
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          const f = g0[q], i = g1[q], g = g2[q], og = g3[q];
          const tc = ftanh(c[q]);
          const dht = dhTot[bb * H + u];
          const dct = dcNext[bb * H + u] + dht * og * (1 - tc * tc);
          dZ[zb + u] = dct * cp[hpo + bb * H + u] * f * (1 - f);
          dZ[zb + H + u] = dct * g * i * (1 - i);
          dZ[zb + 2 * H + u] = dct * i * (1 - g * g);
          dZ[zb + 3 * H + u] = dht * tc * og * (1 - og);
          dcPrev[bb * H + u] = dct * f;
        }
      }
    } else {
      for (let bb = 0; bb < B; bb++) {
        const zb = zo + bb * GH;
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          const z = g0[q], n = g2[q], hv = hp[hpo + bb * H + u];
          const dht = dhTot[bb * H + u];
          dZ[zb + u] = dht * (n - hv) * z * (1 - z);
          dZ[zb + 2 * H + u] = dht * z * (1 - n * n);
          RH[o + bb * H + u] = g1[q] * hv;
        }
        ws.abt(dZ, zb + 2 * H, GH, 1, WhT, 2 * H, GH, H, H, dRh, bb * H, H, false);
        for (let u = 0; u < H; u++) {
          const q = o + bb * H + u;
          const r = g1[q];
          dZ[zb + H + u] = dRh[bb * H + u] * hp[hpo + bb * H + u] * r * (1 - r);
        }
      }
    }
    if (carry) {
      if (cell === 'gru') {
        for (let q = 0; q < BH; q++) dhPrev[q] = dRh[q] * g1[o + q] + dhTot[q] * (1 - g0[o + q]);
      }
      ws.abt(dZ, zo, GH, B, WhT, 0, GH, H, viaH, dhPrev, 0, H, cell === 'gru');
      const th = dhNext; dhNext = dhPrev; dhPrev = th;
      const tc = dcNext; dcNext = dcPrev; dcPrev = tc;
    } else {
      dhNext.fill(0);
      dcNext.fill(0);
    }
  }

  // dW = dZᵀ [X | H_prev] and dx = dZ W_x as whole-sequence products, over transposed copies
  // so that every inner loop runs along the T·B axis contiguously.
  const TB = T * B;
  const dW = ws.alloc(GH * K);
  const db = new Float32Array(GH);
  const dx = ws.alloc(TB * D);
  ws.atb(dZ, 0, GH, x, 0, D, TB, GH, D, dW, 0, K, false);
  // H_prev is h0 for the first B rows, then h shifted by one step.
  ws.atb(dZ, 0, GH, h0, 0, H, B, viaH, H, dW, D, K, false);
  if (T > 1) ws.atb(dZ, B * GH, GH, h, 0, H, TB - B, viaH, H, dW, D, K, true);
  if (cell === 'gru') ws.atb(dZ, 2 * H, GH, RH, 0, H, TB, H, H, dW, 2 * H * K + D, K, false);
  for (let r = 0; r < TB; r++) {
    const zr = r * GH;
    for (let j = 0; j < GH; j++) db[j] += dZ[zr + j];
  }
  ws.abt(dZ, 0, GH, TB, WxT, 0, GH, D, GH, dx, 0, D, false);
  const res: BackwardResult = { dW: ws.result(dW), db, dx: ws.result(dx), dh0: ws.result(dhNext), gradNorm };
  if (cell === 'lstm') res.dc0 = ws.result(dcNext);
  return res;
}

/** An engine running these loops over a workspace. */
export function engineOver(name: string, ws: Workspace): Engine {
  return {
    name,
    forward: (cell, shape, params, x, opts) => forwardIn(ws, cell, shape, params, x, opts),
    backward: (cell, shape, params, x, fwd, dh, opts) => backwardIn(ws, cell, shape, params, x, fwd, dh, opts),
  };
}

export const jsEngine: Engine = engineOver('js', plainWorkspace);
