// A safe unpickler for what `torch.save` and `torch.jit.save` write: a state_dict, a dict of
// them at any depth, a whole pickled nn.Module, a TorchScript archive's data.pkl, the legacy
// (pre-1.6) format's sequence of pickles.
//
// Python's pickle is a small stack machine whose GLOBAL and REDUCE opcodes import and call any
// function: unpickling a hostile file with Python runs its code. This one imports and runs
// nothing. A class the pickle names (`__main__.Net`, `torch.nn.modules.rnn.LSTM`) becomes a
// placeholder object that records its name and the state the pickle gives it; the tensor rebuild
// functions, ordered dicts and TorchScript's list builders are evaluated as plain data; a
// global that could only be there to run code (os.system, builtins.eval, subprocess, …) is
// refused with a one-line error before anything else happens. Its work is bounded by the
// pickle's size and by caps far above what a checkpoint needs: one pass, a capped stack, mark
// stack, memo, nesting depth and count of objects built, so a small hostile pickle cannot make it
// allocate without end.
import { LittleEndian, decodeLatin1, decodeUtf8, fail, shown } from './bytes';

/** A storage a tensor points into: `torch.save` keeps its bytes in the zip as `<prefix>/data/<key>`. */
export interface StorageRef {
  kind: 'storage';
  /** FloatStorage, HalfStorage, … (the type name after `torch.`). */
  type: string;
  key: string;
  numel: number;
}

/** What `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)` would build. */
export interface TensorDesc {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

/** An ordered dict (or dict): entries in the order the pickle set them. */
export interface PyDict {
  kind: 'dict';
  entries: [unknown, unknown][];
}

/** An instance of a class the pickle names, never constructed: its class name, arguments and state. */
export interface PyObject {
  kind: 'object';
  module: string;
  name: string;
  args: unknown[];
  /** What BUILD set: an nn.Module's __dict__ (a dict), a TorchScript object's attributes. */
  state: unknown;
  /** Items set or appended on it (a dict or list subclass). */
  entries: [unknown, unknown][];
  items: unknown[];
}

interface Global { kind: 'global'; module: string; name: string }

const STORAGE_TYPES = new Set([
  'FloatStorage', 'DoubleStorage', 'HalfStorage', 'BFloat16Storage', 'LongStorage', 'IntStorage', 'ShortStorage',
  'CharStorage', 'ByteStorage', 'BoolStorage', 'ComplexFloatStorage', 'ComplexDoubleStorage', 'UntypedStorage',
]);

/** Modules whose globals a checkpoint never needs: a pickle naming one is there to run code. */
const CODE_MODULES = /^(posix|nt|os|subprocess|sys|shutil|socket|pty|runpy|importlib|pickle|_pickle|marshal|ctypes|code|codeop|commands|webbrowser|types|operator|functools|io|_io|tempfile|signal|multiprocessing|threading|asyncio|urllib|http|ftplib|telnetlib|smtplib|platform|inspect|gc|zipimport|pdb|timeit|cProfile|profile|trace|dill|cloudpickle|joblib)(\.|$)/;
/** builtins that only build data; every other builtin (eval, exec, getattr, __import__, open) is refused. */
const DATA_BUILTINS = new Set(['set', 'frozenset', 'bytearray', 'complex', 'slice', 'range', 'object', 'list', 'dict', 'tuple', 'int', 'float', 'str', 'bytes', 'bool']);

function refusal(module: string, name: string): string {
  return `refused: the pickle names ${shown(`${module}.${name}`, 60)}, which only code would need: RNN Lens reads tensors, dicts and model objects and runs nothing from a pickle`;
}

function refused(module: string, name: string): boolean {
  // Names every JavaScript object inherits: never a class of a checkpoint.
  if ([module, name].some((n) => n.split('.').some((seg) => seg === '__proto__' || seg === 'constructor' || seg === 'prototype'))) return true;
  if (module === 'builtins' || module === '__builtin__') return !DATA_BUILTINS.has(name);
  if (module === 'torch' && /^(load|save|hub|ops|classes|_C|compile)$/.test(name)) return true;
  return CODE_MODULES.test(module);
}

const MAX_STACK = 100_000;
/** A state_dict's pickle opens a handful of marks at once; thousands are a flood. */
const MAX_MARKS = 1_000;
const MAX_MEMO = 1_000_000;
/** Containers inside containers: a state_dict nests about four deep (dict, tuple, tuple, size). */
const MAX_DEPTH = 100;
/** Values built in all (pushed, appended, set): about twenty per tensor in a state_dict. */
const MAX_OBJECTS = 4_000_000;

/** A value from the pickle, named for a message without printing it. */
function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `a tuple or list of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (typeof v === 'object') {
    const k = (v as { kind?: unknown }).kind;
    if (k === 'global') return shown(`${(v as Global).module}.${(v as Global).name}`, 60);
    if (k === 'dict') return 'a dict';
    if (k === 'tensor') return 'a tensor';
    if (k === 'storage') return 'a storage';
    if (k === 'object') return `a ${shown(`${(v as PyObject).module}.${(v as PyObject).name}`, 60)} object`;
    return 'an object';
  }
  if (typeof v === 'string') return `the string ${shown(v, 40)}`;
  return typeof v === 'number' && Number.isFinite(v) ? `the number ${v}` : typeof v;
}

function isGlobal(v: unknown, module: string, name: string): boolean {
  return typeof v === 'object' && v !== null && (v as Global).kind === 'global'
    && (v as Global).module === module && (v as Global).name === name;
}

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) fail(`a tensor's ${what} is not a tuple of sizes`);
  return v as number[];
}

function placeholder(module: string, name: string, args: unknown[]): PyObject {
  return { kind: 'object', module, name, args, state: undefined, entries: [], items: [] };
}

function call(fn: unknown, args: unknown): unknown {
  if (!Array.isArray(args)) fail('REDUCE without an argument tuple');
  if (typeof fn !== 'object' || fn === null || (fn as Global).kind !== 'global') fail(`the pickle calls ${describe(fn)}, which RNN Lens does not evaluate`);
  const g = fn as Global;
  if (isGlobal(fn, 'collections', 'OrderedDict')) {
    const d: PyDict = { kind: 'dict', entries: [] };
    // OrderedDict([(k, v), …]): the pairs as entries.
    if (args.length === 1 && Array.isArray(args[0])) for (const kv of args[0] as unknown[]) if (Array.isArray(kv) && kv.length === 2) d.entries.push([kv[0], kv[1]]);
    return d;
  }
  if (isGlobal(fn, 'torch._utils', '_rebuild_tensor_v2') || isGlobal(fn, 'torch._utils', '_rebuild_tensor')) {
    const [storage, offset, size, stride] = args;
    if (typeof storage !== 'object' || storage === null || (storage as StorageRef).kind !== 'storage') fail('a tensor without a storage');
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) fail('a tensor with a bad storage offset');
    const shape = intList(size, 'size');
    const strides = intList(stride, 'stride');
    if (shape.length !== strides.length) fail('a tensor whose size and stride disagree');
    return { kind: 'tensor', storage: storage as StorageRef, offset: offset as number, shape, stride: strides } satisfies TensorDesc;
  }
  // nn.Parameter(tensor, requires_grad, hooks[, state]) and TorchScript's typed lists and tags: the value itself.
  if (isGlobal(fn, 'torch._utils', '_rebuild_parameter') || isGlobal(fn, 'torch._utils', '_rebuild_parameter_with_state')) return args[0];
  if (g.module === 'torch.jit._pickle' || g.module === 'torch._C._jit_pickle') return args[0];
  return placeholder(g.module, g.name, args);
}

/** Runs the pickle; `persistentLoad` turns BINPERSID ids into storages. */
export function unpickle(bytes: Uint8Array, persistentLoad: (pid: unknown) => unknown): unknown {
  return unpickleAt(bytes, 0, persistentLoad).value;
}

/** Runs the pickle that starts at `start` (the legacy format holds several in a row); `end` is the byte after its STOP. */
export function unpickleAt(bytes: Uint8Array, start: number, persistentLoad: (pid: unknown) => unknown): { value: unknown; end: number } {
  const r = new LittleEndian(bytes);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  // The nesting depth of each container built, so that depth is bounded as it is built.
  const depths = new WeakMap<object, number>();
  const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? depths.get(v) ?? 0 : 0);
  let built = 0;
  let p = start;
  const count = (n: number) => {
    built += n;
    if (built > MAX_OBJECTS) fail(`the pickle builds more than ${MAX_OBJECTS} values, far more than a state_dict: not one`);
  };
  const contain = <T extends object>(container: T, items: readonly unknown[]): T => {
    let d = depthOf(container);
    for (const it of items) d = Math.max(d, depthOf(it) + 1);
    if (d > MAX_DEPTH) fail(`the pickle nests values more than ${MAX_DEPTH} deep; a state_dict nests about four`);
    depths.set(container, d);
    return container;
  };
  const push = (v: unknown) => {
    if (stack.length >= MAX_STACK) fail(`the pickle holds more than ${MAX_STACK} values on its stack; a state_dict holds a few`);
    count(1);
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0 || stack.length <= (marks.at(-1) ?? -1)) fail('the pickle pops an empty stack');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail('the pickle closes a mark it never opened');
    return stack.splice(m);
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || p + n > bytes.length) fail('the pickle is truncated');
    const b = bytes.subarray(p, p + n);
    p += n;
    return b;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0 || end - p > 256) fail('the pickle is truncated (a GLOBAL name without its end)');
    const s = decodeLatin1(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const memoize = (k: number) => {
    if (memo.size >= MAX_MEMO) fail(`the pickle memoizes more than ${MAX_MEMO} values; a state_dict memoizes a few per tensor`);
    memo.set(k, stack.at(-1));
  };
  const dictOf = (v: unknown): PyDict | PyObject => {
    const k = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
    if (k !== 'dict' && k !== 'object') fail('SETITEM on something that is not a dict');
    return v as PyDict | PyObject;
  };
  const listOf = (v: unknown, what: string): unknown[] => {
    if (Array.isArray(v)) return v;
    if (typeof v === 'object' && v !== null && (v as PyObject).kind === 'object') return (v as PyObject).items;
    return fail(`${what} to something that is not a list`);
  };
  const text = (what: string): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0 || end - p > 4096) fail(`the pickle is truncated (${what} without its end)`);
    const str = decodeLatin1(bytes.subarray(p, end));
    p = end + 1;
    return str;
  };
  const newObject = (cls: unknown, args: unknown): PyObject => {
    if (typeof cls !== 'object' || cls === null || (cls as Global).kind !== 'global') fail(`NEWOBJ of ${describe(cls)}, not a class`);
    const g = cls as Global;
    return placeholder(g.module, g.name, Array.isArray(args) ? args : []);
  };
  const global = (module: string, name: string) => {
    if (refused(module, name)) fail(refusal(module, name));
    push({ kind: 'global', module, name } satisfies Global);
  };

  for (;;) {
    if (p >= bytes.length) fail('the pickle is truncated (no STOP)');
    const op = bytes[p++];
    switch (op) {
      case 0x80: take(1); break; // PROTO
      case 0x95: take(8); break; // FRAME
      case 0x2e: // STOP
        if (stack.length !== 1) fail('the pickle stops with a broken stack');
        return { value: stack[0], end: p };
      case 0x28: // MARK
        if (marks.length >= MAX_MARKS) fail(`the pickle opens more than ${MAX_MARKS} marks at once; a state_dict opens a few`);
        marks.push(stack.length);
        break;
      case 0x7d: push({ kind: 'dict', entries: [] } satisfies PyDict); break; // EMPTY_DICT
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push([]); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); push(contain(items, items)); break; } // TUPLE
      case 0x85: { const a = [pop()]; push(contain(a, a)); break; } // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); const t = [a, b]; push(contain(t, t)); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); const t = [a, b, c]; push(contain(t, t)); break; } // TUPLE3
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4b: push(take(1)[0]); break; // BININT1
      case 0x4d: push(r.u16(p)); p += 2; break; // BININT2
      case 0x4a: push(r.i32(p)); p += 4; break; // BININT
      case 0x8a: case 0x8b: { // LONG1, LONG4
        const n = op === 0x8a ? take(1)[0] : (p += 4, r.u32(p - 4));
        if (n > 64) fail('the pickle holds an integer of more than 64 bytes: a damaged or hand-made file');
        const b = take(n);
        if (n > 7) {
          // Past 2^53: only the legacy format's magic number is this large; kept exact as a bigint.
          let v = 0n;
          for (let i = n - 1; i >= 0; i--) v = v * 256n + BigInt(b[i]);
          if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
          push(v);
          break;
        }
        let v = 0;
        for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
        if (n > 0 && b[n - 1] & 0x80) v -= 2 ** (8 * n);
        push(v);
        break;
      }
      case 0x49: { // INT (text; I00/I01 are False/True)
        const t = text('an INT');
        push(t === '00' ? false : t === '01' ? true : Number.parseInt(t, 10));
        break;
      }
      case 0x4c: push(Number.parseInt(text('a LONG').replace(/L$/, ''), 10)); break; // LONG (text)
      case 0x46: push(Number.parseFloat(text('a FLOAT'))); break; // FLOAT (text)
      case 0x53: push(text('a STRING').replace(/^['"]|['"]$/g, '')); break; // STRING (text, quoted)
      case 0x56: push(text('a UNICODE')); break; // UNICODE (text)
      case 0x8d: { const n = r.u64(p); p += 8; push(decodeUtf8(take(n))); break; } // BINUNICODE8
      case 0x8e: case 0x96: { const n = r.u64(p); p += 8; push(take(n)); break; } // BINBYTES8, BYTEARRAY8
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: { // DUP
        if (stack.length === 0) fail('the pickle duplicates an empty stack');
        push(stack.at(-1));
        break;
      }
      case 0x64: { // DICT
        const items = popMark();
        if (items.length % 2) fail('DICT with an odd number of items');
        const d: PyDict = { kind: 'dict', entries: [] };
        for (let i = 0; i < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        push(contain(d, items));
        break;
      }
      case 0x6c: { const items = popMark(); push(contain(items, items)); break; } // LIST
      case 0x8f: push([]); break; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark(); const l = stack.at(-1);
        if (!Array.isArray(l)) fail('ADDITEMS to something that is not a set');
        count(items.length);
        contain(l, items);
        for (const it of items) l.push(it);
        break;
      }
      case 0x91: { const items = popMark(); push(contain(items, items)); break; } // FROZENSET
      case 0x81: { const args = pop(); const cls = pop(); push(contain(newObject(cls, args), [args])); break; } // NEWOBJ
      case 0x92: { const kwargs = pop(); const args = pop(); const cls = pop(); push(contain(newObject(cls, args), [args, kwargs])); break; } // NEWOBJ_EX
      case 0x50: push(persistentLoad(text('a PERSID').split(','))); break; // PERSID (text)
      case 0x47: push(r.f64be(p)); p += 8; break; // BINFLOAT
      case 0x58: { const n = r.u32(p); p += 4; push(decodeUtf8(take(n))); break; } // BINUNICODE
      case 0x8c: { const n = take(1)[0]; push(decodeUtf8(take(n))); break; } // SHORT_BINUNICODE
      case 0x54: { const n = r.u32(p); p += 4; push(decodeLatin1(take(n))); break; } // BINSTRING
      case 0x55: { const n = take(1)[0]; push(decodeLatin1(take(n))); break; } // SHORT_BINSTRING
      case 0x42: { const n = r.u32(p); p += 4; push(take(n)); break; } // BINBYTES
      case 0x43: { const n = take(1)[0]; push(take(n)); break; } // SHORT_BINBYTES
      case 0x63: { const module = line(); const name = line(); global(module, name); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without two names');
        global(module, name);
        break;
      }
      case 0x71: memoize(take(1)[0]); break; // BINPUT
      case 0x72: memoize(r.u32(p)); p += 4; break; // LONG_BINPUT
      case 0x94: memoize(memo.size); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? take(1)[0] : (p += 4, r.u32(p - 4));
        if (!memo.has(k)) fail('the pickle reads a memo slot it never wrote');
        push(memo.get(k));
        break;
      }
      case 0x73: { // SETITEM
        const v = pop(); const k = pop(); const d = dictOf(stack.at(-1));
        count(1);
        contain(d, [k, v]).entries.push([k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('SETITEMS with an odd number of items');
        const d = contain(dictOf(stack.at(-1)), items);
        count(items.length / 2);
        for (let i = 0; i < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        break;
      }
      case 0x61: { // APPEND
        const v = pop(); const l = listOf(stack.at(-1), 'APPEND');
        count(1);
        contain(l, [v]).push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark(); const l = listOf(stack.at(-1), 'APPENDS');
        count(items.length);
        contain(l, items);
        for (const it of items) l.push(it);
        break;
      }
      case 0x52: { const args = pop(); const fn = pop(); const v = call(fn, args); push(typeof v === 'object' && v !== null ? contain(v, [args]) : v); break; } // REDUCE
      case 0x62: { // BUILD: an object's state is kept (an nn.Module's __dict__); a dict's (_metadata) is not needed
        const state = pop();
        const target = stack.at(-1);
        if (typeof target === 'object' && target !== null && (target as PyObject).kind === 'object') {
          contain(target, [state]);
          (target as PyObject).state = state;
        }
        break;
      }
      case 0x51: push(persistentLoad(pop())); break; // BINPERSID
      default:
        fail(`the pickle uses opcode 0x${op.toString(16).padStart(2, '0')}, which a state_dict does not`);
    }
  }
}

/** `('storage', torch.FloatStorage, key, location, numel)`, as torch.save writes it. */
export function storageFromPid(pid: unknown): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) fail('a persistent id that is not a storage');
  const [, type, key, , n] = pid as [string, Global, unknown, unknown, unknown];
  if (typeof type !== 'object' || type === null || type.kind !== 'global') fail('a storage without a type');
  if (!STORAGE_TYPES.has(type.name) || (type.module !== 'torch' && type.module !== 'torch.storage')) {
    fail(`a storage of type ${shown(`${type.module}.${type.name}`, 60)}, which is not a torch storage type`);
  }
  if (typeof key !== 'string' || !/^[\w.-]{1,64}$/.test(key)) fail('a storage with a bad key');
  if (!Number.isSafeInteger(n) || (n as number) < 0) fail('a storage with a bad size');
  return { kind: 'storage', type: type.name, key, numel: n as number };
}
