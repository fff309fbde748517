// The `js` backend: float32 storage, plain loops arranged for speed. It is the Node default and
// the webview's fallback when WebGL is missing (GPU.js's own CPU mode needs 'unsafe-eval').
//
// Where the time goes and why the loops look like this:
// - The input half of every pre-activation, X·W_x^T + b, does not depend on the recurrence,
//   so it is one matrix product over all T·B rows before the time loop.
// - Inside the time loop only W_h·h_{t-1} remains. Every product is written as A·Bᵀ over
//   contiguous rows (gemm.ts), using transposed copies of W where needed, so inner loops are
//   unit-stride dot products and each load of A feeds four multiply-adds.
// - Backward keeps every step's dL/dz (T·B × G·H) and forms dW, db and dx as products at the
//   end instead of T rank-B updates interleaved with the recurrence.
// - Buffers are allocated once per call; the hot loops allocate nothing.
// - Where the arrays live and how the two products run is a Workspace (workspace.ts): plain
//   arrays and gemm.ts here, WebAssembly memory and SIMD products in the wasm backend (wasm.ts).
// This file holds what every cell shares; each cell's own loops are in cells/rnn.ts, cells/lstm.ts
// and cells/gru.ts, the exp/tanh approximations in approx.ts.
import { rnnBackward, rnnForward } from '../cells/rnn';
import { lstmBackward, lstmForward } from '../cells/lstm';
import { gruBackward, gruForward } from '../cells/gru';
import {
  type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions, type ForwardResult, type Params,
  type Shape, type Vec, carriesBack, checkBackwardArgs, checkForwardInputs, dims, truncationWindow,
} from '../types';
import { type CellBackward, type Workspace, addColumnSums, copyIn, plainWorkspace, transpose } from '../workspace';

export type { Workspace } from '../workspace';
export { gemmABt, gemmAtB } from './gemm';

/**
 * XP[r, j] = b[j] (+ bh[j]) + W[j, :D]·x[r] for all r = t·B + b at once. bh adds here on every
 * row but the reset-after GRU's n rows, whose bh sits inside r ⊙ (U_n h + bh_n).
 */
function inputProjection(
  ws: Workspace, W: Float32Array, b: Float32Array, bh: Float32Array | undefined, bhRows: number,
  x: Float32Array, rows: number, GH: number, D: number, K: number,
): Float32Array {
  // The biases first, row 0 then doubled into every row (memcpy), and the product added to them.
  const n = rows * GH;
  const XP = ws.alloc(n);
  XP.set(b);
  if (bh !== undefined) for (let j = 0; j < bhRows; j++) XP[j] += bh[j];
  for (let m = GH; m < n; m *= 2) XP.copyWithin(m, 0, Math.min(m, n - m));
  ws.abt(x, 0, D, rows, W, 0, K, GH, D, XP, 0, GH, true);
  return XP;
}

/** Floats forward allocates from its workspace at most (alignment aside): W, b, bh, x, h0, c0,
 * the input projection, h, c and four gates, one step's pre-activations, the GRU's (B, H) buffer. */
function forwardFloats(cell: Cell, shape: Shape): number {
  const { T, B, D, K, GH, BH } = dims(cell, shape);
  return GH * K + 2 * GH + T * B * D + 2 * BH + T * B * GH + 6 * T * BH + B * GH + BH;
}

/** Floats backward allocates from its workspace at most (alignment aside): W, bh, its two transposed
 * halves, dW and db; x and dx; dh, h, c, four gates or the GRU's three and two (T·B, H) buffers; dZ;
 * the (B, H) state buffers and h0, c0. */
function backwardFloats(cell: Cell, shape: Shape): number {
  const { T, B, D, K, GH, BH } = dims(cell, shape);
  return 3 * GH * K + 2 * GH + 2 * T * B * D + 8 * T * BH + T * B * GH + 8 * BH;
}

/** The B operands of abt in one call: forward's W_x and W_h (G·H·K in all), backward's transposed
 * halves and the GRU's candidate block (at most twice that). */
function packFloats(cell: Cell, shape: Shape): number {
  const { K, GH } = dims(cell, shape);
  return 2 * GH * K;
}

export function forwardIn(ws: Workspace, cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
  const { activation, resetAfter } = checkForwardInputs(cell, shape, params, xIn, opts);
  const { T, B, D, H, K, GH, BH } = dims(cell, shape);
  ws.reserve(forwardFloats(cell, shape), packFloats(cell, shape));
  const W = ws.input(params.W, GH * K);
  const b = ws.input(params.b, GH);
  const bh = params.bh === undefined ? undefined : ws.input(params.bh, GH);
  const x = ws.input(xIn, T * B * D);
  const h0 = copyIn(ws, opts.h0, BH);
  const c0 = cell === 'lstm' ? copyIn(ws, opts.c0, BH) : undefined;
  const XP = inputProjection(ws, W, b, bh, resetAfter ? 2 * H : GH, x, T * B, GH, D, K);
  const h = ws.alloc(T * BH);
  const steps = { ws, T, B, D, H, K, GH, BH, W, XP, h0, h };
  const out = ws.result;
  if (cell === 'lstm') {
    const { c, gates: { f, i, g, o } } = lstmForward(steps, c0!);
    return { h: out(h), c: out(c), gates: { f: out(f), i: out(i), g: out(g), o: out(o) }, h0: out(h0), c0: out(c0!), activation };
  }
  if (cell === 'gru') {
    const { z, r, n } = gruForward(steps, resetAfter, bh);
    return { h: out(h), gates: { z: out(z), r: out(r), n: out(n) }, h0: out(h0), activation, resetAfter };
  }
  rnnForward(steps, activation);
  return { h: out(h), gates: {}, h0: out(h0), activation };
}

export function backwardIn(
  ws: Workspace, cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
): BackwardResult {
  const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
  const { T, B, D, H, K, GH, BH } = dims(cell, shape);
  ws.reserve(backwardFloats(cell, shape), packFloats(cell, shape));
  const inp = ws.input;
  const W = inp(params.W, GH * K);
  const bh = params.bh === undefined ? undefined : inp(params.bh, GH);
  const x = inp(xIn, T * B * D);
  const dh = dhIn ? inp(dhIn, T * BH) : null;
  const h0 = inp(opts.h0 ?? fwd.h0, BH);
  const h = inp(fwd.h, T * BH);
  const k = truncationWindow(T, opts.truncate);
  // Transposed weight halves turn dL/dh_{t-1} = W_hᵀ dz and dx = W_xᵀ dz into contiguous dots.
  const WhT = transpose(ws, W, D, K, GH, H);
  const WxT = transpose(ws, W, 0, K, GH, D);
  const dZ = ws.alloc(T * B * GH);
  const steps = { ws, T, B, D, H, K, GH, BH, W, WhT, h0, h, dZ };
  const gt = fwd.gates;
  let back: CellBackward;
  if (cell === 'lstm') {
    const c = inp(fwd.c, T * BH);
    const gates = { c, f: inp(gt.f, T * BH), i: inp(gt.i, T * BH), g: inp(gt.g, T * BH), o: inp(gt.o, T * BH) };
    back = lstmBackward(steps, gates, inp(opts.c0 ?? fwd.c0, BH), opts.dcT);
  } else if (cell === 'gru') {
    back = gruBackward(steps, { z: inp(gt.z, T * BH), r: inp(gt.r, T * BH), n: inp(gt.n, T * BH) }, resetAfter, bh);
  } else {
    back = rnnBackward(steps, activation);
  }

  const gradNorm = new Float32Array(T);
  let dhNext = copyIn(ws, opts.dhT, BH);
  let dhPrev = ws.alloc(BH);
  const dhTot = ws.alloc(BH);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * BH;
    let sq = 0;
    for (let q = 0; q < BH; q++) {
      const v = (dh ? dh[o + q] : 0) + dhNext[q];
      dhTot[q] = v;
      sq += v * v;
    }
    gradNorm[t] = Math.sqrt(sq);
    back.gates(t, dhTot);
    const carried = t === 0 || carriesBack(t, k);
    if (carried) {
      const more = back.carry(t, dhTot, dhPrev);
      ws.abt(dZ, t * B * GH, GH, B, WhT, 0, GH, H, back.hRows, dhPrev, 0, H, more);
      const th = dhNext; dhNext = dhPrev; dhPrev = th;
    } else {
      dhNext.fill(0);
    }
    back.next(carried);
  }

  // dW = dZᵀ [X | H_prev] and dx = dZ W_x as whole-sequence products, over transposed copies
  // so that every inner loop runs along the T·B axis contiguously.
  const TB = T * B;
  const dW = ws.alloc(GH * K);
  const db = ws.alloc(GH);
  const dx = ws.alloc(TB * D);
  ws.atb(dZ, 0, GH, x, 0, D, TB, GH, D, dW, 0, K, false);
  // H_prev is h0 for the first B rows, then h shifted by one step.
  ws.atb(dZ, 0, GH, h0, 0, H, B, back.hRows, H, dW, D, K, false);
  if (T > 1) ws.atb(dZ, B * GH, GH, h, 0, H, TB - B, back.hRows, H, dW, D, K, true);
  if (!ws.colSums?.(db, dZ, 0, GH, TB, GH)) addColumnSums(db, 0, dZ, 0, GH, TB, GH);
  const dbh = bh === undefined ? undefined : db.slice();
  back.finish(dW, dbh);
  ws.abt(dZ, 0, GH, TB, WxT, 0, GH, D, GH, dx, 0, D, false);
  const res: BackwardResult = { dW: ws.result(dW), db: ws.result(db), dx: ws.result(dx), dh0: ws.result(dhNext), gradNorm };
  if (dbh !== undefined) res.dbh = dbh;
  if (back.dc0) res.dc0 = ws.result(back.dc0());
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
