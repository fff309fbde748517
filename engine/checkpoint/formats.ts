// The three containers, each listed as named tensors without reading their data:
//   torch.save (a zip holding `<prefix>/data.pkl` and one entry per storage),
//   safetensors (8-byte header length, JSON header, raw data),
//   NumPy .npz (a zip of .npy arrays, stored or deflated).
import { type ByteSource, CheckpointError, LittleEndian, type ReadBudget, decodeLatin1, decodeUtf8, fail, shown } from './bytes';
import { type FloatDtype, type TensorRef, decode, itemSize, numel } from './dtype';
import { type PyDict, type TensorDesc, storageFromPid, unpickle, unpickleAt } from './pickle';
import { type ModuleMeta, collectTensors, kindOf } from './walk';
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

/** The tensors of a torch pickle, and what its pickled modules recorded. */
export interface TorchTensors {
  tensors: TensorRef[];
  modules: Map<string, ModuleMeta>;
}

/** The walked pickle's tensors, each decoded from `storage(key, bytes)` when it is read. */
function torchRefs(root: unknown, warnings: string[], budget: ReadBudget, bigEndian: boolean,
  storage: (desc: TensorDesc, name: string, bytes: number) => Uint8Array): TorchTensors {
  if (kindOf(root) === 'tensor') fail('the file holds a single tensor, not a state_dict or a model: save the model with torch.save(model.state_dict(), path)');
  const found = collectTensors(root);
  if (found.container) warnings.push(`the tensors were read from the dict under ${found.container.map((k) => shown(k, 40)).join(' → ')} (the file is a checkpoint holding a state_dict)`);
  const out: TensorRef[] = [];
  for (const { name, desc } of found.tensors) {
    const dtype = TORCH_STORAGE_DTYPES.get(desc.storage.type) ?? null;
    const shape = desc.shape;
    out.push({
      name, dtype, fileDtype: desc.storage.type, shape,
      read() {
        if (!dtype) fail(`tensor ${shown(name)} is ${desc.storage.type}, not floating point`);
        const n = numel(shape);
        checkExtent(name, desc);
        const bytes = storage(desc, name, desc.storage.numel * itemSize(dtype));
        if (bytes.length < desc.storage.numel * itemSize(dtype)) fail(`storage ${shown(desc.storage.key)} is shorter than its ${desc.storage.numel} elements: the file is damaged; re-save it`);
        budget.floats(n, `tensor ${shown(name)}`);
        return decode(bytes, dtype, n, { bigEndian, index: stridedIndex(desc) });
      },
    });
  }
  return { tensors: out, modules: found.modules };
}

/** torch.save's zip format (PyTorch 1.6 and later) and torch.jit.save's TorchScript archive. */
export function torchTensors(src: ByteSource, dir: Map<string, ZipEntry>, budget: ReadBudget, warnings: string[]): TorchTensors {
  const pkl = [...dir.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n)) ?? (dir.has('data.pkl') ? 'data.pkl' : undefined);
  if (!pkl) fail('a zip without data.pkl: not a torch.save file (save the model with torch.save(model.state_dict(), path))');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const pickleEntry = dir.get(pkl)!;
  if (pickleEntry.size > MAX_PICKLE_BYTES) fail(`data.pkl is ${pickleEntry.size} bytes, more than RNN Lens reads of a pickle (${MAX_PICKLE_BYTES / 1024 / 1024} MiB; a state_dict's names take far less)`);
  const root = unpickle(readZipEntry(src, pickleEntry, bounded(pickleEntry, MAX_PICKLE_BYTES), budget), storageFromPid);
  const byteOrder = dir.get(`${prefix}byteorder`);
  const bigEndian = byteOrder ? decodeLatin1(readZipEntry(src, byteOrder, 16, budget)).trim() === 'big' : false;
  // Many tensors may view one storage: each storage is read (and inflated) once per read.
  const storages = new Map<string, Uint8Array>();
  const refs = torchRefs(root, warnings, budget, bigEndian, (desc, name, bytes) => {
    const entry = dir.get(`${prefix}data/${desc.storage.key}`);
    if (!entry) fail(`tensor ${shown(name)} points at storage ${shown(desc.storage.key)}, which the zip does not hold: the file is incomplete; re-save it`);
    let data = storages.get(desc.storage.key);
    if (!data) {
      data = readZipEntry(src, entry, bytes, budget);
      storages.set(desc.storage.key, data);
    }
    return data;
  });
  scriptNonlinearities(src, dir, prefix, refs.modules, budget);
  return refs;
}

const MAX_CODE_BYTES = 4 * 1024 * 1024;

/**
 * A TorchScript archive keeps an RNN cell's nonlinearity in its class's code, not among its
 * attributes (`nonlinearity : Final[str] = "relu"`, `torch.rnn_relu_cell(…)`): read it from
 * `code/<module path>.py`, the class's own block only.
 */
function scriptNonlinearities(src: ByteSource, dir: Map<string, ZipEntry>, prefix: string, modules: Map<string, ModuleMeta>, budget: ReadBudget): void {
  const code = new Map<string, string>();
  for (const meta of modules.values()) {
    if (meta.mode || meta.nonlinearity || !meta.className.startsWith('__torch__.') || !/RNN/.test(meta.className)) continue;
    const dot = meta.className.lastIndexOf('.');
    const file = `${prefix}code/${meta.className.slice(0, dot).split('.').join('/')}.py`;
    const cls = meta.className.slice(dot + 1);
    let text = code.get(file);
    if (text === undefined) {
      const entry = dir.get(file);
      text = entry && entry.size <= MAX_CODE_BYTES ? decodeUtf8(readZipEntry(src, entry, MAX_CODE_BYTES, budget)) : '';
      code.set(file, text);
    }
    const start = text.indexOf(`class ${cls}(`);
    if (start < 0) continue;
    const next = text.indexOf('\nclass ', start + 1);
    const body = text.slice(start, next < 0 ? undefined : next);
    const m = /nonlinearity\s*:\s*Final\[str\]\s*=\s*"(tanh|relu)"/.exec(body) ?? /torch\.rnn_(tanh|relu)(?:_cell)?\(/.exec(body);
    if (m) meta.nonlinearity = m[1];
  }
}

/** The legacy format's magic number, the first of its pickles. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;
const MAX_LEGACY_STORAGES = 1_000_000;

/**
 * torch.save before PyTorch 1.6 (and `_use_new_zipfile_serialization=False`): five pickles in a
 * row (magic number, protocol version, system info, the object, the sorted storage keys), then
 * each storage in key order as an 8-byte element count and its raw bytes.
 */
export function legacyTorchTensors(src: ByteSource, budget: ReadBudget, warnings: string[]): TorchTensors {
  try {
    return legacyTorchTensorsIn(src, budget, warnings);
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    fail(`a legacy (pre-1.6) torch.save file that cannot be read (${err.message}): re-save it with torch.save(model.state_dict(), path) in a current PyTorch`);
  }
}

function legacyTorchTensorsIn(src: ByteSource, budget: ReadBudget, warnings: string[]): TorchTensors {
  const head = src.read(0, Math.min(src.size, MAX_PICKLE_BYTES));
  budget.charge(head.length, 'the pickles of a legacy torch.save file');
  const noPid = (): never => fail('a legacy torch.save file whose header pickles refer to storages: a damaged file');
  const magic = unpickleAt(head, 0, noPid);
  if (magic.value !== LEGACY_MAGIC) fail('not a torch.save file: a pickle that is not PyTorch\'s (no legacy magic number, and not a zip): save the model with torch.save(model.state_dict(), path)');
  const version = unpickleAt(head, magic.end, noPid);
  if (version.value !== LEGACY_PROTOCOL) fail(`a legacy torch.save file of protocol ${typeof version.value === 'number' ? version.value : '?'}, not ${LEGACY_PROTOCOL}: re-save it with a current PyTorch`);
  const info = unpickleAt(head, version.end, noPid);
  const little = kindOf(info.value) === 'dict' ? (info.value as PyDict).entries.find(([k]) => k === 'little_endian')?.[1] : undefined;
  // Besides storages, a whole module's pickle names each class with its source: ('module', cls, file, source).
  // Each storage's element size, needed to walk past it to the next, is its type's (kept as they load).
  const sizes = new Map<string, number>();
  const main = unpickleAt(head, info.end, (pid) => {
    if (Array.isArray(pid) && pid[0] === 'module') return pid[1];
    const st = storageFromPid(pid);
    sizes.set(st.key, storageItemSize(st.type));
    return st;
  });
  const keys = unpickleAt(head, main.end, noPid);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) fail('a legacy torch.save file without its list of storage keys: a damaged file');
  const order = keys.value as string[];
  if (order.length > MAX_LEGACY_STORAGES) fail(`a legacy torch.save file listing ${order.length} storages, more than RNN Lens reads`);
  // Where each storage's bytes start: the count headers (8 bytes each) are walked in key order,
  // once, when the first tensor is read.
  let offsets: Map<string, { at: number; numel: number }> | undefined;
  const locate = (): Map<string, { at: number; numel: number }> => {
    if (offsets) return offsets;
    offsets = new Map();
    let at = keys.end;
    for (const key of order) {
      const size = sizes.get(key);
      if (size === undefined) fail(`a legacy torch.save file lists storage ${shown(key)} that no tensor uses: a damaged file`);
      const numelHere = new LittleEndian(src.read(at, 8)).u64(0);
      at += 8;
      offsets.set(key, { at, numel: numelHere });
      at += numelHere * size;
      if (at > src.size) fail(`the file is truncated: storage ${shown(key)} reaches byte ${at} of ${src.size}`);
    }
    return offsets;
  };
  return torchRefs(main.value, warnings, budget, little === false, (desc, name, bytes) => {
    const where = locate().get(desc.storage.key);
    if (!where) fail(`tensor ${shown(name)} points at storage ${shown(desc.storage.key)}, which the file does not hold: the file is incomplete; re-save it`);
    budget.charge(bytes, `tensor ${shown(name)}`);
    return src.read(where.at, Math.min(bytes, where.numel * storageItemSize(desc.storage.type)));
  });
}

/** Bytes per element of a torch storage type (for walking the legacy format's storages). */
function storageItemSize(type: string): number {
  const d = TORCH_STORAGE_DTYPES.get(type);
  if (d) return itemSize(d);
  if (/^(Long|ComplexFloat)Storage$/.test(type)) return 8;
  if (type === 'ComplexDoubleStorage') return 16;
  if (type === 'IntStorage') return 4;
  if (type === 'ShortStorage') return 2;
  return 1;
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
