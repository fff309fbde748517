// The softmax cross-entropy (or MSE) head shared by the single-layer Model (model.ts) and the
// stacked character model (charlm.ts): the per-row loss and its gradient, and the float32 head
// as three matrix products.
import { gemmABt, gemmAtB } from '../backends/js';
import type { Batch } from './tasks';

export interface LossResult {
  loss: number;
  /** Argmax hits and scored entries (classification); count is also the MSE's divisor. */
  correct: number;
  count: number;
}

/** Whether entry r of the batch carries a target. */
export function scored(batch: Batch, r: number): boolean {
  return batch.classes ? batch.classes[r] >= 0 : !Number.isNaN(batch.values![r]);
}

/** Index of the largest of z[off..off+O), the first one on ties. */
export function argmaxAt(z: ArrayLike<number>, off: number, O: number): number {
  let arg = 0;
  for (let o = 1; o < O; o++) if (z[off + o] > z[off + arg]) arg = o;
  return arg;
}

/**
 * The loss of the logits (or regression output) z[off..off+O) against entry r's target. With
 * grad, z becomes dL/dz of the mean over count entries: (softmax(z) - onehot(target)) / count
 * for cross-entropy, 2·(y - target) / count for MSE.
 */
export function scoreRow(z: Float32Array | Float64Array, off: number, O: number, batch: Batch, r: number, count: number, grad: boolean): number {
  if (!batch.classes) {
    const diff = z[off] - batch.values![r];
    if (grad) z[off] = (2 * diff) / count;
    return diff * diff;
  }
  const target = batch.classes[r];
  const max = z[off + argmaxAt(z, off, O)];
  let sum = 0;
  for (let o = 0; o < O; o++) sum += Math.exp(z[off + o] - max);
  const loss = Math.log(sum) + max - z[off + target];
  if (grad) for (let o = 0; o < O; o++) z[off + o] = (Math.exp(z[off + o] - max) / sum - (o === target ? 1 : 0)) / count;
  return loss;
}

/**
 * The float32 head over the n rows of a batch that carry a target, as three matrix products:
 * Z = H_s·Vᵀ + c, dV = dZᵀ·H_s, dH_s = dZ·V (the engine's products). Scratch grows on demand.
 */
export class HeadProducts {
  private rows = new Int32Array(0);
  private hs = new Float32Array(0);
  private zs = new Float32Array(0);
  private dhs = new Float32Array(0);
  private vt = new Float32Array(0);

  /** The logits of the last run, row i of the scored rows at i·O (valid until the next run). */
  get logits(): Float32Array {
    return this.zs;
  }

  /**
   * Loss (mean over the scored rows) and hits of h (T·B·H) against the batch's classes or values,
   * with head V (O, H) and c (O). With dh, also dL/dh into dh and dL/dV, dL/dc into dV and dc
   * (all three zeroed first); without it the logits stay in `logits`.
   */
  run(batch: Batch, h: Float32Array, dh: Float32Array | null, V: Float32Array, c: ArrayLike<number>, dV: Float32Array, dc: Float32Array | Float64Array, H: number, O: number): LossResult {
    const total = batch.T * batch.B;
    if (this.rows.length < total) {
      this.rows = new Int32Array(total);
      this.hs = new Float32Array(total * H);
      this.zs = new Float32Array(total * O);
      this.dhs = new Float32Array(total * H);
    }
    if (this.vt.length !== H * O) this.vt = new Float32Array(H * O);
    if (dh) {
      dh.fill(0);
      dV.fill(0);
      dc.fill(0);
    }
    let n = 0;
    for (let r = 0; r < total; r++) {
      if (scored(batch, r)) {
        this.rows[n] = r;
        this.hs.set(h.subarray(r * H, r * H + H), n * H);
        n++;
      }
    }
    if (n === 0) return { loss: 0, correct: 0, count: 0 };
    const Z = this.zs;
    gemmABt(this.hs, 0, H, n, V, 0, H, O, H, Z, 0, O, false);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const r = this.rows[i];
      const zo = i * O;
      for (let o = 0; o < O; o++) Z[zo + o] += c[o];
      if (batch.classes && argmaxAt(Z, zo, O) === batch.classes[r]) correct++;
      loss += scoreRow(Z, zo, O, batch, r, n, dh !== null);
    }
    if (dh) {
      gemmAtB(Z, 0, O, this.hs, 0, H, n, O, H, dV, 0, H, false);
      for (let i = 0; i < n; i++) for (let o = 0; o < O; o++) dc[o] += Z[i * O + o];
      for (let o = 0; o < O; o++) for (let u = 0; u < H; u++) this.vt[u * O + o] = V[o * H + u];
      gemmABt(Z, 0, O, n, this.vt, 0, O, H, O, this.dhs, 0, H, false);
      for (let i = 0; i < n; i++) dh.set(this.dhs.subarray(i * H, i * H + H), this.rows[i] * H);
    }
    return { loss: loss / n, correct, count: n };
  }
}
