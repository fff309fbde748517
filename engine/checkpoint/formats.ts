// The three containers, each listed as named tensors without reading their data:
//   torch.save (a zip holding `<prefix>/data.pkl` and one entry per storage),
//   safetensors (8-byte header length, JSON header, raw data),
//   NumPy .npz (a zip of .npy arrays, stored or deflated).
import { type ByteSource, LittleEndian, type ReadBudget, decodeLatin1, decodeUtf8, fail, shown } from './bytes';
import { type FloatDtype, type TensorRef, decode, itemSize, numel } from './dtype';
import { type PyDict, type TensorDesc, storageFromPid, unpickle } from './pickle';
import { type ZipEntry, readEntryPrefix, readZipEntry } from './zip';

/** A state_dict's pickle is names and small tuples, about 100 bytes a tensor; more than this is not one. */
const MAX_PICKLE_BYTES = 16 * 1024 * 1024;
const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;
const MAX_NPY_HEADER = 64 * 1024;

// Maps, not object literals: a name from a file ('constructor', '__proto__') must never find a
// property every object inherits.
const TORCH_STORAGE_DTYPES = new Map<string, FloatDtype>([
  ['FloatStorage', 'f32'], ['DoubleStorage', 'f64'], ['HalfStorage', 'f16'], ['BFloat16Storage', 'bf16'],
]);

function bounded(entry: ZipEntry, max: number): number {
  return Math.min(entry.size, max);
}

/** Tensor `desc`'s elements: offset and strides into its storage, row-major order out. */
function stridedIndex(desc: TensorDesc): ((k: number) => number) | undefined {
  const { shape, stride, offset } = desc;
  let dense = 1;
  let contiguous = true;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== dense) contiguous = false;
    dense *= shape[d];
  }
  // The common case, a contiguous tensor at offset 0, decodes densely.
  if (contiguous && offset === 0) return undefined;
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

/** Keys under which training scripts commonly save the state_dict inside a larger dict. */
const STATE_DICT_KEYS = ['state_dict', 'model_state_dict', 'model', 'net', 'network', 'module', 'model_state', 'ema', 'weights'];
const MAX_NESTED_SEARCH = 4;

const isDict = (v: unknown): v is PyDict => typeof v === 'object' && v !== null && (v as PyDict).kind === 'dict';
const isTensor = (v: unknown): v is TensorDesc => typeof v === 'object' && v !== null && (v as TensorDesc).kind === 'tensor';
const tensorCount = (d: PyDict): number => d.entries.reduce((n, [k, v]) => n + (typeof k === 'string' && isTensor(v) ? 1 : 0), 0);
const keyList = (d: PyDict): string => d.entries.slice(0, 6).map(([k]) => (typeof k === 'string' ? shown(k, 30) : typeof k)).join(', ')
  + (d.entries.length > 6 ? ', …' : '');

/**
 * The dict that holds the tensors: the root, or (a checkpoint saved as {'epoch': …, 'model': state_dict})
 * the dict under a key, found breadth-first a few levels down, preferring the usual key names and
 * the dict with recurrent tensor names. The path is returned so that the caller can say where it read.
 */
function findStateDict(root: PyDict): { dict: PyDict; path: string[] } | null {
  if (tensorCount(root) > 0) return { dict: root, path: [] };
  const found: { dict: PyDict; path: string[]; score: number }[] = [];
  let level: { dict: PyDict; path: string[] }[] = [{ dict: root, path: [] }];
  const seen = new Set<PyDict>([root]);
  for (let depth = 0; depth < MAX_NESTED_SEARCH && level.length > 0 && found.length === 0; depth++) {
    const next: typeof level = [];
    for (const { dict, path } of level) {
      for (const [k, v] of dict.entries) {
        if (typeof k !== 'string' || !isDict(v) || seen.has(v)) continue;
        seen.add(v);
        const here = [...path, k];
        const n = tensorCount(v);
        if (n > 0) {
          const recurrent = v.entries.some(([name]) => typeof name === 'string' && /(weight|bias)_(ih|hh)_l\d+/.test(name));
          const usual = STATE_DICT_KEYS.indexOf(k.toLowerCase());
          found.push({ dict: v, path: here, score: (recurrent ? 1000 : 0) + (usual >= 0 ? 100 - usual : 0) + Math.min(n, 99) / 100 });
        } else {
          next.push({ dict: v, path: here });
        }
      }
    }
    level = next;
  }
  if (found.length === 0) return null;
  found.sort((a, b) => b.score - a.score);
  return found[0];
}

/** Tensor `desc`'s furthest element, or a refusal when its shape and strides reach past its storage. */
function checkExtent(name: string, desc: TensorDesc): void {
  let last = desc.offset;
  for (let d = 0; d < desc.shape.length; d++) {
    if (desc.shape[d] === 0) return;
    last += (desc.shape[d] - 1) * desc.stride[d];
  }
  if (!Number.isSafeInteger(last) || last >= desc.storage.numel) {
    fail(`tensor ${shown(name)} (shape [${desc.shape.join(', ')}], stride [${desc.stride.join(', ')}], offset ${desc.offset}) reaches past the ${desc.storage.numel} elements of its storage: the file is damaged or was altered; re-save it`);
  }
}

export function torchTensors(src: ByteSource, dir: Map<string, ZipEntry>, budget: ReadBudget, warnings: string[]): TensorRef[] {
  const pkl = [...dir.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n)) ?? (dir.has('data.pkl') ? 'data.pkl' : undefined);
  if (!pkl) fail('a zip without data.pkl: not a torch.save file (save the model with torch.save(model.state_dict(), path))');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const pickleEntry = dir.get(pkl)!;
  if (pickleEntry.size > MAX_PICKLE_BYTES) fail(`data.pkl is ${pickleEntry.size} bytes, more than a state_dict's names take: not a state_dict; save only model.state_dict()`);
  const root = unpickle(readZipEntry(src, pickleEntry, bounded(pickleEntry, MAX_PICKLE_BYTES), budget), storageFromPid);
  if (!isDict(root)) {
    fail(`the pickle holds ${isTensor(root) ? 'a single tensor' : Array.isArray(root) ? 'a list or tuple' : 'no dict'}, not a state_dict: save it with torch.save(model.state_dict(), path)`);
  }
  const found = findStateDict(root);
  if (!found) {
    fail(root.entries.length === 0
      ? 'the pickle holds an empty dict, not a state_dict: save it with torch.save(model.state_dict(), path)'
      : `the pickle holds a dict with no tensors in it or a few levels down (keys ${keyList(root)}): save it with torch.save(model.state_dict(), path)`);
  }
  if (found.path.length > 0) {
    warnings.push(`the tensors were read from the dict under ${found.path.map((k) => shown(k, 40)).join(' → ')} (the file is a dict holding a state_dict)`);
  }
  const byteOrder = dir.get(`${prefix}byteorder`);
  const bigEndian = byteOrder ? decodeLatin1(readZipEntry(src, byteOrder, 16, budget)).trim() === 'big' : false;
  // Many tensors may view one storage: each storage is read (and inflated) once per read.
  const storages = new Map<string, Uint8Array>();
  const out: TensorRef[] = [];
  for (const [key, value] of found.dict.entries) {
    if (typeof key !== 'string' || !isTensor(value)) continue;
    const desc = value;
    const dtype = TORCH_STORAGE_DTYPES.get(desc.storage.type) ?? null;
    const shape = desc.shape;
    out.push({
      name: key, dtype, fileDtype: desc.storage.type, shape,
      read() {
        if (!dtype) fail(`tensor ${shown(key)} is ${desc.storage.type}, not floating point`);
        const n = numel(shape);
        checkExtent(key, desc);
        const entry = dir.get(`${prefix}data/${desc.storage.key}`);
        if (!entry) fail(`tensor ${shown(key)} points at storage ${shown(desc.storage.key)}, which the zip does not hold: the file is incomplete; re-save it`);
        let bytes = storages.get(desc.storage.key);
        if (!bytes) {
          bytes = readZipEntry(src, entry, desc.storage.numel * itemSize(dtype), budget);
          storages.set(desc.storage.key, bytes);
        }
        if (bytes.length < desc.storage.numel * itemSize(dtype)) fail(`storage ${shown(desc.storage.key)} is shorter than its ${desc.storage.numel} elements: the file is damaged; re-save it`);
        budget.floats(n, `tensor ${shown(key)}`);
        return decode(bytes, dtype, n, { bigEndian, index: stridedIndex(desc) });
      },
    });
  }
  return out;
}

const SAFETENSORS_DTYPES = new Map<string, FloatDtype>([['F32', 'f32'], ['F64', 'f64'], ['F16', 'f16'], ['BF16', 'bf16']]);
/** Every dtype the safetensors format defines; the others are listed, never read. */
const SAFETENSORS_KNOWN = new Set([
  'BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'U64', 'I64', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2',
  'F16', 'BF16', 'F32', 'F64', 'C64', 'C128',
]);

export function safetensorsTensors(src: ByteSource, budget: ReadBudget): TensorRef[] {
  if (src.size < 8) fail(`${src.size === 0 ? 'an empty file' : `a file of ${src.size} bytes`}, too short for a safetensors file (8-byte header length, JSON header, data)`);
  const headerLength = new LittleEndian(src.read(0, 8)).u64(0);
  if (headerLength > MAX_SAFETENSORS_HEADER || 8 + headerLength > src.size) {
    fail(`the safetensors header claims ${headerLength} bytes; the file has ${src.size}: not a safetensors file, or a truncated one`);
  }
  budget.charge(headerLength, 'the safetensors header');
  let header: unknown;
  try {
    header = JSON.parse(decodeUtf8(src.read(8, headerLength)));
  } catch {
    fail('the safetensors header is not JSON: not a safetensors file, or a damaged one');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the safetensors header is not a JSON object: not a safetensors file');
  const dataStart = 8 + headerLength;
  const dataSize = src.size - dataStart;
  const out: TensorRef[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null || typeof t.dtype !== 'string' || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets)) {
      fail(`safetensors entry ${shown(name)} lacks dtype, shape or data_offsets: a damaged header`);
    }
    const fileDtype = t.dtype;
    if (!SAFETENSORS_KNOWN.has(fileDtype)) fail(`safetensors entry ${shown(name)} has dtype ${shown(fileDtype, 30)}, which safetensors does not define: a damaged or hand-made header`);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail(`safetensors entry ${shown(name)} has a shape that is not a list of sizes`);
    const shape = t.shape as number[];
    const [begin, end] = t.data_offsets as unknown[];
    if (t.data_offsets.length !== 2 || !Number.isSafeInteger(begin) || !Number.isSafeInteger(end)
      || (begin as number) < 0 || (end as number) < (begin as number) || (end as number) > dataSize) {
      const o = (v: unknown) => (Number.isSafeInteger(v) ? String(v) : '?');
      fail(`safetensors entry ${shown(name)} has offsets [${o(begin)}, ${o(end)}] outside the ${dataSize} data bytes: a truncated or damaged file`);
    }
    const from = begin as number;
    const to = end as number;
    const dtype = SAFETENSORS_DTYPES.get(fileDtype) ?? null;
    out.push({
      name, dtype, fileDtype, shape,
      read() {
        if (!dtype) fail(`tensor ${shown(name)} is ${fileDtype}, not F32, F64, F16 or BF16`);
        const n = numel(shape);
        if (n * itemSize(dtype) !== to - from) fail(`safetensors entry ${shown(name)}: shape [${shape.join(', ')}] needs ${n * itemSize(dtype)} bytes, its offsets give ${to - from}`);
        budget.charge(to - from, `tensor ${shown(name)}`);
        budget.floats(n, `tensor ${shown(name)}`);
        return decode(src.read(dataStart + from, to - from), dtype, n);
      },
    });
  }
  return out;
}

const NPY_DTYPES = new Map<string, FloatDtype>([['f4', 'f32'], ['f8', 'f64'], ['f2', 'f16']]);
/** A NumPy type string: byte order, kind, item size (`<f4`, `|b1`, `<U10`, `<M8[ns]`, `|O`). */
const NPY_DESCR = /^[<>|=]([biufcmMOSUV])(\d{0,4})(\[[a-zA-Z]{1,3}\])?$/;
const NPY_SIZES = new Map<string, readonly string[]>([
  ['b', ['1']], ['i', ['1', '2', '4', '8']], ['u', ['1', '2', '4', '8']], ['f', ['2', '4', '8', '12', '16']], ['c', ['8', '16', '24', '32']],
]);
const isNpyDescr = (descr: string): boolean => {
  const m = NPY_DESCR.exec(descr);
  return m !== null && (NPY_SIZES.get(m[1])?.includes(m[2]) ?? true);
};

/** One .npy array's header: `{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }`. */
function npyHeader(bytes: Uint8Array, name: string): { descr: string; fortran: boolean; shape: number[]; dataStart: number } {
  const r = new LittleEndian(bytes);
  if (bytes.length < 10 || bytes[0] !== 0x93 || decodeLatin1(bytes.subarray(1, 6)) !== 'NUMPY') fail(`${shown(name)} is not a .npy array (no \\x93NUMPY magic): save arrays with numpy.savez`);
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) fail(`${shown(name)} is a .npy of format version ${major}, which RNN Lens does not read (1, 2 and 3)`);
  const headerLength = major === 1 ? r.u16(8) : r.u32(8);
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength > MAX_NPY_HEADER) fail(`${shown(name)}: a .npy header of ${headerLength} bytes, more than the ${MAX_NPY_HEADER} RNN Lens reads (NumPy writes about 128): a damaged or hand-made file`);
  if (headerStart + headerLength > bytes.length) fail(`${shown(name)}: a .npy header of ${headerLength} bytes in an array of ${bytes.length}: the file is truncated`);
  const text = decodeLatin1(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']{0,40})'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]{0,200})\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) fail(`${shown(name)}: a .npy header without descr, fortran_order and shape: a damaged file`);
  if (!isNpyDescr(descr)) fail(`${shown(name)} has dtype ${shown(descr, 40)}, which is not a NumPy type: a damaged or hand-made file`);
  const parts = shape.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!parts.every((s) => /^\d{1,15}L?$/.test(s))) fail(`${shown(name)} has shape (${shown(shape, 40)}), which is not a tuple of sizes`);
  const dims = parts.map((s) => Number(s.replace('L', '')));
  return { descr, fortran: fortran === 'True', shape: dims, dataStart: headerStart + headerLength };
}

const npyDtype = (descr: string): FloatDtype | null => ('<|>'.includes(descr[0]) ? NPY_DTYPES.get(descr.slice(1)) : undefined) ?? null;

export function npzTensors(src: ByteSource, dir: Map<string, ZipEntry>, maxEntry: number, budget: ReadBudget): TensorRef[] {
  const out: TensorRef[] = [];
  for (const entry of dir.values()) {
    if (!entry.name.endsWith('.npy')) continue;
    const name = entry.name.slice(0, -4);
    // The header says dtype and shape; it is read alone (a deflated entry inflated only as far as
    // the header), and what the entry declares is checked against it before the whole entry is
    // inflated, which happens only when someone asks (the readers ask only for recurrent weights).
    let header: ReturnType<typeof npyHeader> | undefined;
    const load = () => {
      if (!header) {
        const h = npyHeader(readEntryPrefix(src, entry, MAX_NPY_HEADER + 12), entry.name);
        if (h.fortran) fail(`${shown(entry.name)} is stored in Fortran order; save it with np.ascontiguousarray`);
        header = h;
      }
      return header;
    };
    out.push({
      name,
      get dtype() { return npyDtype(load().descr); },
      get fileDtype() { return load().descr; },
      get shape() { return load().shape; },
      read() {
        const h = load();
        const dtype = npyDtype(h.descr);
        if (!dtype) fail(`array ${shown(name)} is ${h.descr}, not float16, float32 or float64`);
        const n = numel(h.shape);
        const needs = h.dataStart + n * itemSize(dtype);
        if (entry.size < needs) fail(`array ${shown(name)} of shape (${h.shape.join(', ')}) needs ${needs} bytes; its zip entry holds ${entry.size}: the file is truncated or damaged`);
        if (entry.size > needs + 4096) fail(`array ${shown(name)} of shape (${h.shape.join(', ')}) needs ${needs} bytes; its zip entry declares ${entry.size}: a damaged or hand-made file`);
        const all = readZipEntry(src, entry, maxEntry, budget);
        budget.floats(n, `array ${shown(name)}`);
        return decode(all.subarray(h.dataStart), dtype, n, { bigEndian: h.descr[0] === '>' });
      },
    });
  }
  return out;
}

/** A whole .npy file (an input sequence, say): its shape and its numbers as float32, row-major. */
export function readNpy(bytes: Uint8Array, name: string): { shape: number[]; data: Float32Array } {
  const h = npyHeader(bytes, name);
  if (h.fortran) fail(`${shown(name)} is stored in Fortran order; save it with np.ascontiguousarray`);
  const dtype = npyDtype(h.descr);
  if (!dtype) fail(`${shown(name)} holds ${h.descr}, not float16, float32 or float64`);
  const n = numel(h.shape);
  if (h.dataStart + n * itemSize(dtype) > bytes.length) fail(`${shown(name)} is truncated: shape (${h.shape.join(', ')}) needs ${n * itemSize(dtype)} data bytes`);
  return { shape: h.shape, data: decode(bytes.subarray(h.dataStart), dtype, n, { bigEndian: h.descr[0] === '>' }) };
}
