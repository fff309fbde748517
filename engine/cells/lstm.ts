// The LSTM's loops for the js and wasm backends, gates f, i, g, o:
//   c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t).
import { ftanh, sigmoid } from '../approx';
import type { Vec } from '../types';
import { type BackwardSteps, type CellBackward, type ForwardSteps, copyIn, stepBefore } from '../workspace';

export interface LstmGates { f: Float32Array; i: Float32Array; g: Float32Array; o: Float32Array }

export interface LstmForward {
  c: Float32Array;
  gates: LstmGates;
}

export function lstmForward(s: ForwardSteps, c0: Float32Array): LstmForward {
  const { ws, T, B, D, H, K, GH, BH, W, XP, h0, h } = s;
  const c = ws.alloc(T * BH);
  const f = ws.alloc(T * BH), i = ws.alloc(T * BH), g = ws.alloc(T * BH), o = ws.alloc(T * BH);
  const A = ws.alloc(B * GH);
  for (let t = 0; t < T; t++) {
    const [hp, po] = stepBefore(t, h0, h, BH);
    const cp = t === 0 ? c0 : c;
    A.set(XP.subarray(t * B * GH, (t + 1) * B * GH));
    ws.abt(hp, po, H, B, W, D, K, GH, H, A, 0, GH, true);
    if (ws.lstmStep?.(A, cp, po, c, h, f, i, g, o, t * BH, B, H)) continue;
    for (let bb = 0; bb < B; bb++) {
      const ao = bb * GH;
      for (let u = 0; u < H; u++) {
        const q = t * BH + bb * H + u;
        const fq = sigmoid(A[ao + u]);
        const iq = sigmoid(A[ao + H + u]);
        const gq = ftanh(A[ao + 2 * H + u]);
        const oq = sigmoid(A[ao + 3 * H + u]);
        const ct = fq * cp[po + bb * H + u] + iq * gq;
        c[q] = ct;
        h[q] = oq * ftanh(ct);
        f[q] = fq; i[q] = iq; g[q] = gq; o[q] = oq;
      }
    }
  }
  return { c, gates: { f, i, g, o } };
}

/** `fwd` holds the forward pass's c and gates as float32, c0 the initial cell state, dcT dL/dc_{T-1}. */
export function lstmBackward(
  s: BackwardSteps, fwd: LstmGates & { c: Float32Array },
  c0: Float32Array, dcT: Vec | undefined,
): CellBackward {
  const { ws, B, H, GH, BH, dZ } = s;
  const { c, f, i, g, o } = fwd;
  let dcNext = copyIn(ws, dcT, BH);
  let dcPrev = ws.alloc(BH);
  return {
    hRows: GH,
    gates(t, dhTot) {
      const [cp, po] = stepBefore(t, c0, c, BH);
      if (ws.lstmBack?.(c, cp, po, f, i, g, o, t * BH, dhTot, dcNext, dZ, t * B * GH, dcPrev, B, H)) return;
      for (let bb = 0; bb < B; bb++) {
        const zb = t * B * GH + bb * GH;
        for (let u = 0; u < H; u++) {
          const q = t * BH + bb * H + u;
          const fq = f[q], iq = i[q], gq = g[q], oq = o[q];
          const tc = ftanh(c[q]);
          const dht = dhTot[bb * H + u];
          const dct = dcNext[bb * H + u] + dht * oq * (1 - tc * tc);
          dZ[zb + u] = dct * cp[po + bb * H + u] * fq * (1 - fq);
          dZ[zb + H + u] = dct * gq * iq * (1 - iq);
          dZ[zb + 2 * H + u] = dct * iq * (1 - gq * gq);
          dZ[zb + 3 * H + u] = dht * tc * oq * (1 - oq);
          dcPrev[bb * H + u] = dct * fq;
        }
      }
    },
    carry: () => false,
    next(carried) {
      if (carried) {
        const d = dcNext; dcNext = dcPrev; dcPrev = d;
      } else {
        dcNext.fill(0);
      }
    },
    finish: () => undefined,
    dc0: () => dcNext,
  };
}
