// The three containers, each listed as named tensors without reading their data:
//   torch.save (a zip holding `<prefix>/data.pkl` and one entry per storage),
//   safetensors (8-byte header length, JSON header, raw data),
//   NumPy .npz (a zip of .npy arrays, stored or deflated).
import { type ByteSource, LittleEndian, type ReadBudget, decodeLatin1, decodeUtf8, fail, shown } from './bytes';
import { type FloatDtype, type TensorRef, decode, itemSize, numel } from './dtype';
import { type PyDict, type TensorDesc, storageFromPid, unpickle } from './pickle';
import { type ZipEntry, readStoredPrefix, readZipEntry } from './zip';

/** A state_dict's pickle is names and small tuples; more than this is not one. */
const MAX_PICKLE_BYTES = 64 * 1024 * 1024;
const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;
const MAX_NPY_HEADER = 64 * 1024;

const TORCH_STORAGE_DTYPES: Record<string, FloatDtype> = {
  FloatStorage: 'f32', DoubleStorage: 'f64', HalfStorage: 'f16', BFloat16Storage: 'bf16',
};

function bounded(entry: ZipEntry, max: number): number {
  return Math.min(entry.size, max);
}

/** Tensor `desc`'s elements: offset and strides into its storage, row-major order out. */
function stridedIndex(desc: TensorDesc): (k: number) => number {
  const { shape, stride, offset } = desc;
  return (k: number) => {
    let rest = k;
    let at = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = (rest - i) / shape[d];
      at += i * stride[d];
    }
    return at;
  };
}

export function torchTensors(src: ByteSource, dir: Map<string, ZipEntry>, budget: ReadBudget): TensorRef[] {
  const pkl = [...dir.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n)) ?? (dir.has('data.pkl') ? 'data.pkl' : undefined);
  if (!pkl) fail('a zip without data.pkl: not a torch.save file');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const pickleEntry = dir.get(pkl)!;
  if (pickleEntry.size > MAX_PICKLE_BYTES) fail(`data.pkl is ${pickleEntry.size} bytes: not a state_dict`);
  const root = unpickle(readZipEntry(src, pickleEntry, bounded(pickleEntry, MAX_PICKLE_BYTES), budget), storageFromPid);
  if (typeof root !== 'object' || root === null || (root as PyDict).kind !== 'dict') {
    fail('the pickle holds no dict: save model.state_dict(), not the model');
  }
  const byteOrder = dir.get(`${prefix}byteorder`);
  const bigEndian = byteOrder ? decodeLatin1(readZipEntry(src, byteOrder, 16, budget)).trim() === 'big' : false;
  // Many tensors may view one storage: each storage is read (and inflated) once per read.
  const storages = new Map<string, Uint8Array>();
  const out: TensorRef[] = [];
  for (const [key, value] of (root as PyDict).entries) {
    if (typeof key !== 'string' || typeof value !== 'object' || value === null || (value as TensorDesc).kind !== 'tensor') continue;
    const desc = value as TensorDesc;
    const dtype = TORCH_STORAGE_DTYPES[desc.storage.type] ?? null;
    const shape = desc.shape;
    out.push({
      name: key, dtype, fileDtype: desc.storage.type, shape,
      read() {
        if (!dtype) fail(`tensor ${shown(key)} is ${desc.storage.type}, not floating point`);
        const n = numel(shape);
        const entry = dir.get(`${prefix}data/${desc.storage.key}`);
        if (!entry) fail(`tensor ${shown(key)} points at storage ${shown(desc.storage.key)}, which the zip does not hold`);
        let bytes = storages.get(desc.storage.key);
        if (!bytes) {
          bytes = readZipEntry(src, entry, desc.storage.numel * itemSize(dtype), budget);
          storages.set(desc.storage.key, bytes);
        }
        if (bytes.length < desc.storage.numel * itemSize(dtype)) fail(`storage ${shown(desc.storage.key)} is shorter than its ${desc.storage.numel} elements`);
        budget.floats(n, `tensor ${shown(key)}`);
        return decode(bytes, dtype, n, { bigEndian, index: stridedIndex(desc) });
      },
    });
  }
  return out;
}

const SAFETENSORS_DTYPES: Record<string, FloatDtype> = { F32: 'f32', F64: 'f64', F16: 'f16', BF16: 'bf16' };

export function safetensorsTensors(src: ByteSource): TensorRef[] {
  if (src.size < 8) fail('too short for a safetensors file');
  const headerLength = new LittleEndian(src.read(0, 8)).u64(0);
  if (headerLength > MAX_SAFETENSORS_HEADER || 8 + headerLength > src.size) {
    fail(`the safetensors header claims ${headerLength} bytes; the file has ${src.size}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(decodeUtf8(src.read(8, headerLength)));
  } catch {
    fail('the safetensors header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the safetensors header is not an object');
  const dataStart = 8 + headerLength;
  const dataSize = src.size - dataStart;
  const out: TensorRef[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null || typeof t.dtype !== 'string' || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets)) {
      fail(`safetensors entry ${shown(name)} lacks dtype, shape or data_offsets`);
    }
    const shape = t.shape as number[];
    const [begin, end] = t.data_offsets as number[];
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin || end > dataSize) {
      fail(`safetensors entry ${shown(name)} has offsets [${String(begin)}, ${String(end)}] outside the ${dataSize} data bytes`);
    }
    const dtype = SAFETENSORS_DTYPES[t.dtype] ?? null;
    out.push({
      name, dtype, fileDtype: t.dtype, shape: shape.map(Number),
      read() {
        if (!dtype) fail(`tensor ${shown(name)} is ${String(t.dtype)}, not F32, F64, F16 or BF16`);
        const n = numel(shape);
        if (n * itemSize(dtype) !== end - begin) fail(`safetensors entry ${shown(name)}: shape [${shape.join(', ')}] needs ${n * itemSize(dtype)} bytes, its offsets give ${end - begin}`);
        return decode(src.read(dataStart + begin, end - begin), dtype, n);
      },
    });
  }
  return out;
}

const NPY_DTYPES: Record<string, FloatDtype> = { f4: 'f32', f8: 'f64', f2: 'f16' };

/** One .npy array's header: `{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }`. */
function npyHeader(bytes: Uint8Array, name: string): { descr: string; fortran: boolean; shape: number[]; dataStart: number } {
  const r = new LittleEndian(bytes);
  if (bytes.length < 10 || bytes[0] !== 0x93 || decodeLatin1(bytes.subarray(1, 6)) !== 'NUMPY') fail(`${shown(name)} is not a .npy array`);
  const major = bytes[6];
  const headerLength = major === 1 ? r.u16(8) : r.u32(8);
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength > MAX_NPY_HEADER || headerStart + headerLength > bytes.length) fail(`${shown(name)}: a .npy header of ${headerLength} bytes`);
  const text = decodeLatin1(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) fail(`${shown(name)}: a .npy header without descr, fortran_order and shape`);
  const dims = shape.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s));
  return { descr, fortran: fortran === 'True', shape: dims, dataStart: headerStart + headerLength };
}

export function npzTensors(src: ByteSource, dir: Map<string, ZipEntry>, maxEntry: number, budget: ReadBudget): TensorRef[] {
  const out: TensorRef[] = [];
  for (const entry of dir.values()) {
    if (!entry.name.endsWith('.npy')) continue;
    const name = entry.name.slice(0, -4);
    // The header says dtype and shape. A stored entry's header is read alone; a deflated entry
    // must be inflated whole to reach it, which happens only when someone asks (the readers ask
    // only for recurrent weights), and the bytes are kept for read().
    let bytes: Uint8Array | undefined;
    let header: ReturnType<typeof npyHeader> | undefined;
    const load = () => {
      if (!header) {
        const head = entry.method === 0 ? Math.min(entry.size, MAX_NPY_HEADER + 12) : entry.size;
        if (entry.method !== 0) bytes = readZipEntry(src, entry, maxEntry, budget);
        header = npyHeader(bytes ?? readStoredPrefix(src, entry, head), entry.name);
        if (header.fortran) fail(`${shown(entry.name)} is stored in Fortran order; save it with np.ascontiguousarray`);
      }
      return header;
    };
    const dtypeOf = (descr: string): FloatDtype | null => ('<|>'.includes(descr[0]) ? NPY_DTYPES[descr.slice(1)] : undefined) ?? null;
    out.push({
      name,
      get dtype() { return dtypeOf(load().descr); },
      get fileDtype() { return load().descr; },
      get shape() { return load().shape; },
      read() {
        const h = load();
        const dtype = dtypeOf(h.descr);
        if (!dtype) fail(`array ${shown(name)} is ${h.descr}, not float16, float32 or float64`);
        const all = bytes ?? readZipEntry(src, entry, maxEntry, budget);
        budget.floats(numel(h.shape), `array ${shown(name)}`);
        bytes = undefined;
        return decode(all.subarray(h.dataStart), dtype, numel(h.shape), { bigEndian: h.descr[0] === '>' });
      },
    });
  }
  return out;
}

/** A whole .npy file (an input sequence, say): its shape and its numbers as float32, row-major. */
export function readNpy(bytes: Uint8Array, name: string): { shape: number[]; data: Float32Array } {
  const h = npyHeader(bytes, name);
  if (h.fortran) fail(`${shown(name)} is stored in Fortran order; save it with np.ascontiguousarray`);
  const dtype = '<|>'.includes(h.descr[0]) ? NPY_DTYPES[h.descr.slice(1)] : undefined;
  if (!dtype) fail(`${shown(name)} holds ${h.descr}, not float16, float32 or float64`);
  const n = numel(h.shape);
  if (h.dataStart + n * itemSize(dtype) > bytes.length) fail(`${shown(name)} is truncated: shape (${h.shape.join(', ')}) needs ${n * itemSize(dtype)} data bytes`);
  return { shape: h.shape, data: decode(bytes.subarray(h.dataStart), dtype, n, { bigEndian: h.descr[0] === '>' }) };
}
