// The js and wasm backends' exp, sigmoid and tanh: cheaper than Math.exp and Math.tanh, and far
// more accurate than float32 storage needs.
//
// exp without the Math.exp call: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its degree-7 Taylor
// polynomial (relative error < 1e-8, far below float32 rounding), 2^k from a table. The
// argument is clamped to ±87, where sigmoid and tanh are already saturated in float32.
const POW2 = new Float64Array(257);
for (let e = 0; e < 257; e++) POW2[e] = Math.pow(2, e - 128);
const ROUND = 6755399441055744; // 1.5·2^52: (t + ROUND) - ROUND rounds t to the nearest integer.

export function fexp(v: number): number {
  const x = v > 87 ? 87 : v < -87 ? -87 : v;
  const t = x * 1.4426950408889634;
  const k = (t + ROUND) - ROUND;
  const r = (t - k) * 0.6931471805599453;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return p * POW2[k + 128];
}

export function sigmoid(v: number): number {
  return 1 / (1 + fexp(-v));
}

/** tanh(v) = 1 - 2/(e^{2v} + 1): absolute error ~1e-9, cheaper than Math.tanh. */
export function ftanh(v: number): number {
  return 1 - 2 / (fexp(2 * v) + 1);
}
