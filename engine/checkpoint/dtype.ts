// Tensors as the readers find them, and their decoding to numbers. Only the float types a
// recurrent layer's weights come in are decoded; other tensors (token ids, counters) are
// listed but never read.
import { fail } from './bytes';

export type FloatDtype = 'f32' | 'f64' | 'f16' | 'bf16';

const ITEM: Record<FloatDtype, number> = { f32: 4, f64: 8, f16: 2, bf16: 2 };

export const itemSize = (d: FloatDtype): number => ITEM[d];

/** The most numbers one tensor may hold: 2^26 (256 MB as float32), far above any recurrent layer here. */
export const MAX_TENSOR_ELEMENTS = 1 << 26;

/** A tensor found in a checkpoint; `read` decodes it (row-major) when it is asked for. */
export interface TensorRef {
  name: string;
  /** null for a type the readers do not decode (ints, bools); such a tensor cannot be read. */
  dtype: FloatDtype | null;
  /** The type as the file names it, for messages. */
  fileDtype: string;
  shape: number[];
  read(): Float32Array;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`a tensor shape holds ${typeof d === 'number' && Number.isFinite(d) ? d : 'a value'} that is not a size`);
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) fail(`a tensor of shape [${shape.join(', ')}] is larger than RNN Lens reads (${MAX_TENSOR_ELEMENTS} numbers)`);
  }
  return n;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * `count` numbers of `dtype` from `bytes` (little-endian unless `bigEndian`), read at the
 * element positions `index(k)` (a strided view) or densely.
 */
export function decode(
  bytes: Uint8Array, dtype: FloatDtype, count: number, opts: { bigEndian?: boolean; index?: (k: number) => number } = {},
): Float32Array {
  const size = ITEM[dtype];
  const le = !opts.bigEndian;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const at = opts.index ?? ((k: number) => k);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let k = 0; k < count; k++) {
    const p = at(k) * size;
    if (p < 0 || p + size > bytes.length) fail(`tensor data is shorter than its shape says (${count} × ${dtype})`);
    switch (dtype) {
      case 'f32': out[k] = view.getFloat32(p, le); break;
      case 'f64': out[k] = view.getFloat64(p, le); break;
      case 'f16': out[k] = halfToFloat(view.getUint16(p, le)); break;
      case 'bf16':
        // bfloat16 is the top half of a float32.
        bits[0] = view.getUint16(p, le) << 16;
        out[k] = asFloat[0];
        break;
    }
  }
  return out;
}
