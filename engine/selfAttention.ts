// One self-attention layer (single head, scaled dot product), the Transformer's replacement for a
// recurrence: Q = X Wqᵀ, K = X Wkᵀ, V = X Wvᵀ, P = softmax(Q Kᵀ / √D) row-wise, out = P V. Every
// position's output comes from the same few matrix products, with no step waiting on another;
// the lab's RNN-vs-attention demo times it against the recurrent forward pass. Float32, by the
// engine's matrix products (gemm.ts).
import { gemmABt } from './backends/gemm';

export const ATTENTION_LIMITS = { T: 2048, D: 256 } as const;

export interface AttentionWeights {
  Wq: Float32Array;
  Wk: Float32Array;
  Wv: Float32Array;
}

export interface AttentionResult {
  /** (T, D) */
  out: Float32Array;
  /** (T, T): row t is position t's attention over all positions. */
  weights: Float32Array;
}

/** x is (T, D); each W is (D, D). */
export function selfAttention(x: ArrayLike<number>, T: number, D: number, w: AttentionWeights): AttentionResult {
  if (!Number.isInteger(T) || T < 1 || T > ATTENTION_LIMITS.T) throw new RangeError(`T must be an integer from 1 to ${ATTENTION_LIMITS.T}`);
  if (!Number.isInteger(D) || D < 1 || D > ATTENTION_LIMITS.D) throw new RangeError(`D must be an integer from 1 to ${ATTENTION_LIMITS.D}`);
  if (x.length !== T * D) throw new RangeError(`x must have T·D = ${T * D} entries`);
  for (const k of ['Wq', 'Wk', 'Wv'] as const) if (w[k].length !== D * D) throw new RangeError(`${k} must have D·D = ${D * D} entries`);
  const X = Float32Array.from(x);
  const Q = new Float32Array(T * D), K = new Float32Array(T * D), Vt = new Float32Array(D * T);
  gemmABt(X, 0, D, T, w.Wq, 0, D, D, D, Q, 0, D, false);
  gemmABt(X, 0, D, T, w.Wk, 0, D, D, D, K, 0, D, false);
  // Vᵀ = Wv Xᵀ, (D, T), so that out = P V is again a product with a transposed right side.
  gemmABt(w.Wv, 0, D, D, X, 0, D, T, D, Vt, 0, T, false);
  const P = new Float32Array(T * T);
  gemmABt(Q, 0, D, T, K, 0, D, T, D, P, 0, T, false);
  const scale = 1 / Math.sqrt(D);
  for (let t = 0; t < T; t++) {
    const o = t * T;
    let m = -Infinity;
    for (let s = 0; s < T; s++) m = Math.max(m, P[o + s] * scale);
    let sum = 0;
    for (let s = 0; s < T; s++) sum += (P[o + s] = Math.exp(P[o + s] * scale - m));
    for (let s = 0; s < T; s++) P[o + s] /= sum;
  }
  const out = new Float32Array(T * D);
  gemmABt(P, 0, T, T, Vt, 0, T, D, T, out, 0, D, false);
  return { out, weights: P };
}
