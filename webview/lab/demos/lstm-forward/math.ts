// The forward demo's arithmetic that is not the engine's: pure, unit-tested.
import type { Params } from '../../../../engine/types';

/**
 * The vanilla RNN's pre-activation split as the card writes it: W_xh x_t and W_hh h_{t-1}, per
 * (t, unit), from W = [W_xh | W_hh] (H, D+H); the pre-activation is wx + uh + b.
 */
export function rnnParts(params: Params, x: ArrayLike<number>, h: ArrayLike<number>, h0: ArrayLike<number>, T: number, D: number, H: number): { wx: Float64Array; uh: Float64Array } {
  const { W } = params;
  const K = D + H;
  const wx = new Float64Array(T * H), uh = new Float64Array(T * H);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      let sx = 0, sh = 0;
      for (let d = 0; d < D; d++) sx += W[j * K + d] * x[t * D + d];
      for (let k = 0; k < H; k++) sh += W[j * K + D + k] * (t > 0 ? h[(t - 1) * H + k] : h0[k]);
      wx[t * H + j] = sx;
      uh[t * H + j] = sh;
    }
  }
  return { wx, uh };
}
