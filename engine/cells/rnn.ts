// The RNN's loops for the js and wasm backends: h_t = act(W [x_t; h_{t-1}] + b (+ bh)).
import { ftanh } from '../approx';
import type { Activation } from '../types';
import { type BackwardSteps, type CellBackward, type ForwardSteps, stepBefore } from '../workspace';

export function rnnForward(s: ForwardSteps, activation: Activation): void {
  const { ws, T, B, D, H, K, GH, BH, W, XP, h0, h } = s;
  const A = ws.alloc(B * GH);
  for (let t = 0; t < T; t++) {
    const [hp, hpo] = stepBefore(t, h0, h, BH);
    A.set(XP.subarray(t * B * GH, (t + 1) * B * GH));
    ws.abt(hp, hpo, H, B, W, D, K, GH, H, A, 0, GH, true);
    const o = t * BH;
    for (let q = 0; q < BH; q++) {
      const a = A[q];
      h[o + q] = activation === 'tanh' ? ftanh(a) : activation === 'relu' ? (a > 0 ? a : 0) : a;
    }
  }
}

export function rnnBackward(s: BackwardSteps, activation: Activation): CellBackward {
  const { BH, GH, h, dZ } = s;
  return {
    hRows: GH,
    gates(t, dhTot) {
      const o = t * BH;
      for (let q = 0; q < BH; q++) {
        const y = h[o + q];
        const d = activation === 'tanh' ? 1 - y * y : activation === 'relu' ? (y > 0 ? 1 : 0) : 1;
        dZ[o + q] = dhTot[q] * d;
      }
    },
    carry: () => false,
    next: () => undefined,
    finish: () => undefined,
  };
}
