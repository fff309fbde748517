// The safetensors format, written: an 8-byte little-endian header length, a JSON header (each
// tensor's dtype, shape and data_offsets, plus string-valued `__metadata__`), padded with spaces
// to a multiple of 8, then the raw little-endian data in header order. Float32 only: what the
// engine trains. Pure: no editor, no DOM, no Node.

export interface NamedTensor {
  name: string;
  shape: readonly number[];
  data: ArrayLike<number>;
}

/** Most bytes one export may hold (the inspector's read cap is far above any char model). */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** The file's bytes: tensors in the order given, metadata values as strings. */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || seen.has(t.name)) throw new RangeError(`safetensors: tensor name ${JSON.stringify(t.name.slice(0, 80))} is used twice or reserved`);
    seen.add(t.name);
    const n = t.shape.reduce((a, d) => a * d, 1);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || n !== t.data.length) {
      throw new RangeError(`safetensors: tensor ${t.name} has shape [${t.shape.join(', ')}] but ${t.data.length} numbers`);
    }
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const total = 8 + padded + offset;
  if (total > MAX_EXPORT_BYTES) throw new RangeError(`safetensors: ${total} bytes is over the ${MAX_EXPORT_BYTES}-byte cap`);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  }
  return out;
}
