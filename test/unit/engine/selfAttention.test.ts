// The self-attention layer the RNN-vs-attention demo times: equal to the textbook loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../engine/init';
import { selfAttention } from '../../../engine/selfAttention';

test('selfAttention equals softmax(Q Kᵀ / √D) V computed with plain loops; rows of P sum to 1', () => {
  const T = 7, D = 5;
  const u = mulberry32(3);
  const r = (n: number) => Float32Array.from({ length: n }, () => 2 * u() - 1);
  const x = r(T * D), w = { Wq: r(D * D), Wk: r(D * D), Wv: r(D * D) };
  const res = selfAttention(x, T, D, w);
  const proj = (W: Float32Array) => Array.from({ length: T }, (_, t) => Array.from({ length: D }, (_, i) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += W[i * D + k] * x[t * D + k];
    return s;
  }));
  const Q = proj(w.Wq), K = proj(w.Wk), V = proj(w.Wv);
  for (let t = 0; t < T; t++) {
    const sc = K.map((k) => k.reduce((a, v, i) => a + v * Q[t][i], 0) / Math.sqrt(D));
    const m = Math.max(...sc);
    const e = sc.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / z);
    assert.ok(Math.abs(res.weights.subarray(t * T, t * T + T).reduce((a, b) => a + b, 0) - 1) < 1e-5);
    for (let i = 0; i < D; i++) {
      const want = p.reduce((a, pv, s) => a + pv * V[s][i], 0);
      assert.ok(Math.abs(res.out[t * D + i] - want) < 1e-5, `out[${t}][${i}] ${res.out[t * D + i]} vs ${want}`);
    }
  }
  assert.throws(() => selfAttention(x, T, D + 1, w), RangeError);
  assert.throws(() => selfAttention(x, 0, D, w), RangeError);
});
