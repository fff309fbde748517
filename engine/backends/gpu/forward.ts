// The gpu forward pass: the projection once, then each step's stages, a chunk read back once full.
import {
  type Cell, type ForwardOptions, type ForwardResult, type Params, type Shape, type Vec, checkForwardInputs, dims, f32,
} from '../../types';
import { type KernelsFor, actCode, quad, run } from './kernels';
import { forwardColumns, layout } from './layout';
import { biases, packedRows, packer, texels } from './pack';

export function gpuForward(kernelsFor: KernelsFor, cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
  const { activation, resetAfter } = checkForwardInputs(cell, shape, params, xIn, opts);
  const { T, B, D, H, G, GH, BH } = dims(cell, shape);
  const B4 = Math.ceil(B / 4);
  const { FW, HC } = layout(cell, H);
  const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
  const { C, fwd } = ks;
  const { outer, bhn } = biases(params, GH, H, resetAfter);
  const h0 = f32(opts.h0, BH).slice();
  const c0 = cell === 'lstm' ? f32(opts.c0, BH).slice() : undefined;
  const xp = packer(T, B, D);
  xp.put(f32(xIn, T * B * D), 0, 0, D);
  const W4 = run(ks.upW4, packedRows(f32(params.W, GH * (D + H)), GH, D, H));
  const X = run(ks.upX, xp.data);
  // h0 (and c0) sit in the slot that step 0 reads as its predecessor, C-1.
  const init = packer(C, B, FW);
  init.put(h0, C - 1, HC, H);
  if (c0) init.put(c0, C - 1, 0, H);
  const h = new Float32Array(T * BH);
  const c = cell === 'lstm' ? new Float32Array(T * BH) : undefined;
  const gs = Array.from({ length: G }, () => new Float32Array(cell === 'rnn' ? 0 : T * BH));
  // Copies the filled slots of a chunk that starts at step t0 from `tx` (texels of a texture w
  // wide whose column col0 + u holds unit u) into dst.
  const readChunk = (tx: Float32Array, w: number, t0: number, slots: number, dst: Float32Array, col0: number): void => {
    for (let r = 0; r < slots * B; r++) {
      const base = ((Math.floor(r / B) * B4 + ((r % B) >> 2)) * w + col0) * 4 + (r % B & 3);
      const o = t0 * BH + r * H;
      for (let u = 0; u < H; u++) dst[o + u] = tx[base + u * 4];
    }
  };
  if (fwd.cell === 'lstm') {
    // Per step: the gates pass (four outputs, the recurrent product) and the state pass [c | h].
    const XP = quad(run(fwd.proj, W4, X, outer));
    let S = run(fwd.upS, init.data);
    let Gt = quad(run(fwd.zeroG));
    for (let t = 0; t < T; t++) {
      const s = t % C;
      const sp = (s + C - 1) % C;
      Gt = quad(run(fwd.gates[t & 1], ...Gt, S, ...XP, W4, t, s, sp));
      S = run(fwd.state[t & 1], S, ...Gt, s, sp);
      if (s === C - 1 || t === T - 1) {
        // The chunk is full (or the sequence ends): read its slots back, once.
        const state = texels(S, FW, C * B4);
        readChunk(state, FW, t - s, s + 1, c!, 0);
        readChunk(state, FW, t - s, s + 1, h, H);
        Gt.forEach((tex, q) => readChunk(texels(tex, H, C * B4), H, t - s, s + 1, gs[q], 0));
      }
    }
    return { h, c, gates: { f: gs[0], i: gs[1], g: gs[2], o: gs[3] }, h0, c0, activation };
  }
  const XP = run(fwd.proj, W4, X, outer);
  let P = run(fwd.upInit, init.data);
  const cols = forwardColumns(cell, H, h, gs);
  for (let t = 0; t < T; t++) {
    const s = t % C;
    const sp = (s + C - 1) % C;
    for (const k of fwd.stages[t % fwd.stages.length]) {
      P = run(k, P, XP, W4, bhn, t, s, sp);
    }
    if (s === C - 1 || t === T - 1) {
      const rows = texels(P, FW, C * B4);
      for (const [dst, col] of cols) readChunk(rows, FW, t - s, s + 1, dst, col);
    }
  }
  if (cell === 'gru') return { h, gates: { z: gs[0], r: gs[1], n: gs[2] }, h0, activation, resetAfter };
  return { h, gates: {}, h0, activation };
}
