// The gpu backward pass: per step dz and the carry, per chunk dW and dx, then the readback.
import {
  type BackwardOptions, type BackwardResult, type Cell, type ForwardResult, type Params, type Shape, type Vec,
  carriesBack, checkBackwardArgs, dims, f32, truncationWindow,
} from '../../types';
import { resultGates } from '../../cells/registry';
import { type KernelsFor, type Quad, type Tex, actCode, quad, run } from './kernels';
import { backLayout, zWidth } from './layout';
import { biases, packedColumns, packer, texels } from './pack';

export function gpuBackward(
  kernelsFor: KernelsFor, cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
): BackwardResult {
  const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
  const { T, B, D, H, K, GH, BH } = dims(cell, shape);
  const B4 = Math.ceil(B / 4);
  const H4 = Math.ceil(H / 4);
  const { FW, HC } = backLayout(cell, H);
  const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
  const { bhn } = biases(params, GH, H, resetAfter);
  const win = truncationWindow(T, opts.truncate);
  // The forward rows as one texture: block 0 holds h0 (and c0), block t+1 step t.
  const fs = packer(T + 1, B, FW);
  if (cell === 'lstm') {
    fs.put(f32(opts.c0 ?? fwd.c0, BH), 0, 4 * H, H);
    fs.put(f32(fwd.c, T * BH), 1, 4 * H, H);
  } else {
    fs.put(f32(opts.h0 ?? fwd.h0, BH), 0, HC, H);
    fs.put(f32(fwd.h, T * BH), 1, HC, H);
  }
  resultGates(cell).forEach((name, q) => {
    const g = fwd.gates[name];
    if (!g) throw new RangeError(`fwd.gates.${name} is missing`);
    fs.put(f32(g, T * BH), 1, q * H, H);
  });
  // The dW inputs of step t: [x_t | h_{t-1} | 1 | 1] (the ones are the columns of db and dbh).
  const ins = packer(T, B, K + 2);
  ins.put(f32(xIn, T * B * D), 0, 0, D);
  ins.put(f32(opts.h0 ?? fwd.h0, BH), 0, D, H);
  ins.put(f32(fwd.h, T * BH).subarray(0, (T - 1) * BH), 1, D, H);
  ins.put(new Float32Array(T * B * 2).fill(1), 0, K, 2);
  const dh = packer(T, B, H);
  if (dhIn) dh.put(f32(dhIn, T * BH), 0, 0, H);
  // dL/dh_T as the carry's four outputs (unit q·H4 + p in block q, column p).
  const dhT = f32(opts.dhT, BH);
  const q0 = new Float32Array(4 * B4 * H4 * 4);
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) q0[(((Math.floor(u / H4) * B4 + (b >> 2)) * H4 + u % H4) * 4) + (b & 3)] = dhT[b * H + u];
  }
  const ZW = zWidth(cell, GH, H);
  const WT4 = run(ks.upWT4, packedColumns(params.W, GH, K));
  // The dz and carry passes take W as an argument; only the GRU's read it.
  const W = ks.upW ? run(ks.upW, f32(params.W, GH * K)) : WT4;
  const IN = run(ks.upIN, ins.data);
  const FS = run(ks.upFS, fs.data);
  const DH = run(ks.upDH, dh.data);
  let Q = quad(run(ks.upQ, q0));
  // Step t+1's dz texture, which step t's dz pass reads (the LSTM's dc carry; others pass DH, unread).
  let ZP = DH;
  if (ks.upZP) {
    const zp = packer(1, B, ZW);
    zp.put(f32(opts.dcT, BH), 0, GH + H, H);
    ZP = run(ks.upZP, zp.data);
  }
  // Step t's dz goes to texture t % CB; a chunk's dW and dx passes read all of them once
  // its first step is done. Slots a partial chunk does not reach are passed but not read.
  const { CB } = ks;
  // dx of a chunk's ns steps, from t0 on: row c·B4 + g holds step t0 + c; column d is output
  // d % 4, texel column d / 4, and column D is Σ_u dht², the square of that row's share of
  // gradNorm. Read back once per chunk, so that no pass copies earlier rows along.
  const dx = new Float32Array(T * B * D);
  const gradNorm = new Float32Array(T);
  const dw = Math.ceil((D + 1) / 4);
  const readDx = (out: Quad, t0: number, ns: number): void => {
    const rows = out.map((a) => texels(a, dw, CB * B4));
    for (let r = 0; r < ns * B; r++) {
      const c = Math.floor(r / B), b = r % B;
      const base = (c * B4 + (b >> 2)) * dw * 4 + (b & 3);
      const o = (t0 * B + r) * D;
      for (let d = 0; d < D; d++) dx[o + d] = rows[d & 3][base + (d >> 2) * 4];
      gradNorm[t0 + c] += rows[D & 3][base + (D >> 2) * 4];
    }
  };
  const Z: Tex[] = [];
  let acc = quad(run(ks.zeroAcc));
  for (let t = T - 1; t >= 0; t--) {
    const s = t % CB;
    const keep = t === 0 || carriesBack(t, win) ? 1 : 0;
    Z[s] = run(ks.dz[s], FS, DH, ...Q, ZP, W, bhn, t, keep);
    Q = quad(run(ks.carry, Z[s], FS, W, WT4, t, keep));
    ZP = Z[s];
    if (s === 0) {
      const ns = Math.min(T, t + CB) - t;
      const zs = Array.from({ length: CB }, (_, c) => Z[c] ?? Z[0]);
      acc = quad(run(ks.accW, ...quad(run(ks.copyAcc, ...acc)), IN, FS, t, ns, ...zs));
      readDx(quad(run(ks.dx, WT4, ...zs)), t, ns);
    }
  }
  const dW = new Float32Array(GH * K);
  const db = new Float32Array(GH);
  const dbh = new Float32Array(GH);
  // Output r of accumulator texel (x, y) holds row 4y + r, its lanes columns 4x..4x+3.
  const aw = Math.ceil((K + 2) / 4);
  const accRows = acc.map((a) => texels(a, aw, Math.ceil(GH / 4)));
  const grad = (j: number, k: number): number => accRows[j & 3][((j >> 2) * aw + (k >> 2)) * 4 + (k & 3)];
  for (let j = 0; j < GH; j++) {
    for (let q = 0; q < K; q++) dW[j * K + q] = grad(j, q);
    db[j] = grad(j, K);
    dbh[j] = grad(j, K + 1);
  }
  for (let t = 0; t < T; t++) gradNorm[t] = Math.sqrt(gradNorm[t]);
  const dh0 = new Float32Array(BH);
  const dc0 = new Float32Array(BH);
  const qRows = Q.map((q) => texels(q, H4, B4));
  const zRows = cell === 'lstm' ? texels(Z[0], ZW, B4) : null;
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) {
      const qb = Math.floor(u / H4);
      dh0[b * H + u] = qRows[qb][((b >> 2) * H4 + u - qb * H4) * 4 + (b & 3)];
      if (zRows) dc0[b * H + u] = zRows[((b >> 2) * ZW + GH + H + u) * 4 + (b & 3)];
    }
  }
  const res: BackwardResult = { dW, db, dx, dh0, gradNorm };
  if (params.bh !== undefined) res.dbh = dbh;
  if (cell === 'lstm') res.dc0 = dc0;
  return res;
}
