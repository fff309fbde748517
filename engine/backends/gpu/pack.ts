// Host-side packing for the gpu backend: W as rows or columns four to a texel, batch-packed
// uploads, texture readback, the biases the passes add.
import type { Params, Vec } from '../../types';
import type { Tex } from './kernels';

/**
 * A (w, h) kernel output of vec4 texels as one flat array, texel (y, x) lane l at
 * (y·w + x)·4 + l. A WebGL texture is read with one readPixels into a flat array (GPU.js's
 * toArray() builds a typed array per texel); GPU.js's cpu mode gives nested arrays, flattened.
 */
export function texels(t: Tex, w: number, h: number): Float32Array {
  const raw = (t as { renderRawOutput?: () => Float32Array }).renderRawOutput?.();
  if (raw && raw.length === w * h * 4) return raw;
  const rows = (typeof (t as { toArray?: unknown }).toArray === 'function' ? (t as { toArray(): unknown }).toArray() : t) as ArrayLike<ArrayLike<ArrayLike<number>>>;
  const out = new Float32Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(rows[y][x], (y * w + x) * 4);
  return out;
}

/**
 * W's rows four columns to a texel: (GH, D4 + H4) texels, W_x's columns in [0, D4) and W_h's
 * from D4 on, each block zero-padded to a multiple of four columns.
 */
export function packedRows(W: Vec, GH: number, D: number, H: number): Float32Array {
  const D4 = Math.ceil(D / 4), H4 = Math.ceil(H / 4), K = D + H, w = (D4 + H4) * 4;
  const out = new Float32Array(GH * w);
  for (let j = 0; j < GH; j++) {
    for (let k = 0; k < D; k++) out[j * w + k] = W[j * K + k];
    for (let k = 0; k < H; k++) out[j * w + D4 * 4 + k] = W[j * K + D + k];
  }
  return out;
}

/** W's columns four rows to a texel: (K, ⌈GH/4⌉) texels, texel (m, k) = W[4m..4m+3][k], zero past GH. */
export function packedColumns(W: Vec, GH: number, K: number): Float32Array {
  const GH4 = Math.ceil(GH / 4);
  const out = new Float32Array(K * GH4 * 4);
  for (let k = 0; k < K; k++) for (let j = 0; j < GH; j++) out[k * GH4 * 4 + j] = W[j * K + k];
  return out;
}

/**
 * A batch-packed upload: `rows` blocks of B batch rows by `cols` columns, as (rows·B4, cols)
 * texels of four lanes. `put(src, block0, col)` copies a (blocks, B, H) array into columns
 * [col, col + H) from block block0 on; padded lanes stay zero.
 */
export function packer(blocks: number, B: number, cols: number) {
  const B4 = Math.ceil(B / 4);
  const data = new Float32Array(blocks * B4 * cols * 4);
  return {
    data,
    put(src: ArrayLike<number>, block0: number, col: number, width: number): void {
      const n = src.length / width;
      for (let r = 0; r < n; r++) {
        const blk = block0 + Math.floor(r / B), b = r % B;
        const base = ((blk * B4 + (b >> 2)) * cols + col) * 4 + (b & 3);
        for (let u = 0; u < width; u++) data[base + u * 4] = src[r * width + u];
      }
    },
  };
}

/**
 * The bias the input projection adds, b + bh on every row where bh simply adds, and the
 * reset-after GRU's bh_n (zeros elsewhere), which sits inside r ⊙ (U_n h + bh_n).
 */
export function biases(params: Params, GH: number, H: number, resetAfter: boolean): { outer: Float32Array; bhn: Float32Array } {
  const outer = Float32Array.from(params.b);
  const bhn = new Float32Array(H);
  const { bh } = params;
  if (bh !== undefined) {
    for (let j = 0; j < GH; j++) {
      if (resetAfter && j >= 2 * H) bhn[j - 2 * H] = bh[j];
      else outer[j] += bh[j];
    }
  }
  return { outer, bhn };
}
