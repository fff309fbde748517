// A safe unpickler for what `torch.save(model.state_dict())` writes, and nothing else.
//
// Python's pickle is a small stack machine whose GLOBAL and REDUCE opcodes import and call any
// function: unpickling a hostile file with Python runs its code. This one runs nothing. It
// knows a fixed list of globals (ordered dicts, the tensor rebuild functions, the storage
// types), evaluates them as plain data, and refuses every other global with a one-line error
// before anything else happens. Its work is bounded by the pickle's size: one pass, a capped
// stack and memo.
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

interface Global { kind: 'global'; module: string; name: string }

const STORAGE_TYPES = new Set([
  'FloatStorage', 'DoubleStorage', 'HalfStorage', 'BFloat16Storage', 'LongStorage', 'IntStorage', 'ShortStorage',
  'CharStorage', 'ByteStorage', 'BoolStorage', 'ComplexFloatStorage', 'ComplexDoubleStorage', 'UntypedStorage',
]);

function allowed(module: string, name: string): boolean {
  if (module === 'collections' && name === 'OrderedDict') return true;
  if (module === 'torch._utils' && (name === '_rebuild_tensor_v2' || name === '_rebuild_tensor' || name === '_rebuild_parameter')) return true;
  if ((module === 'torch' || module === 'torch.storage') && STORAGE_TYPES.has(name)) return true;
  return false;
}

const MAX_STACK = 100_000;
const MAX_MEMO = 1_000_000;

function isGlobal(v: unknown, module: string, name: string): boolean {
  return typeof v === 'object' && v !== null && (v as Global).kind === 'global'
    && (v as Global).module === module && (v as Global).name === name;
}

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) fail(`a tensor's ${what} is not a tuple of sizes`);
  return v as number[];
}

function call(fn: unknown, args: unknown): unknown {
  if (!Array.isArray(args)) fail('REDUCE without an argument tuple');
  if (isGlobal(fn, 'collections', 'OrderedDict')) {
    if (args.length !== 0) fail('OrderedDict built from arguments is not a state_dict');
    return { kind: 'dict', entries: [] } satisfies PyDict;
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
  if (isGlobal(fn, 'torch._utils', '_rebuild_parameter')) {
    // nn.Parameter(tensor, requires_grad, hooks): the tensor is what we want.
    return args[0];
  }
  const g = fn as Global;
  return fail(`the pickle calls ${shown(`${g?.module}.${g?.name}`)}, which RNN Lens does not evaluate`);
}

/** Runs the pickle; `persistentLoad` turns BINPERSID ids into storages. */
export function unpickle(bytes: Uint8Array, persistentLoad: (pid: unknown) => unknown): unknown {
  const r = new LittleEndian(bytes);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const push = (v: unknown) => {
    if (stack.length >= MAX_STACK) fail('the pickle nests deeper than a state_dict does');
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
    if (memo.size >= MAX_MEMO) fail('the pickle memoizes more than a state_dict does');
    memo.set(k, stack.at(-1));
  };
  const dictOf = (v: unknown): PyDict => {
    if (typeof v !== 'object' || v === null || (v as PyDict).kind !== 'dict') fail('SETITEM on something that is not a dict');
    return v as PyDict;
  };
  const global = (module: string, name: string) => {
    if (!allowed(module, name)) {
      fail(`refused: the pickle names ${shown(`${module}.${name}`, 60)}; RNN Lens reads tensors and ordered dicts only and runs nothing`);
    }
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
        return stack[0];
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x7d: push({ kind: 'dict', entries: [] } satisfies PyDict); break; // EMPTY_DICT
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push([]); break; // EMPTY_TUPLE
      case 0x74: push(popMark()); break; // TUPLE
      case 0x85: push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push([a, b, c]); break; } // TUPLE3
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4b: push(take(1)[0]); break; // BININT1
      case 0x4d: push(r.u16(p)); p += 2; break; // BININT2
      case 0x4a: push(r.i32(p)); p += 4; break; // BININT
      case 0x8a: { // LONG1
        const n = take(1)[0];
        const b = take(n);
        if (n > 7) fail('the pickle holds an integer larger than any size');
        let v = 0;
        for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
        if (n > 0 && b[n - 1] & 0x80) v -= 2 ** (8 * n);
        push(v);
        break;
      }
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
      case 0x73: { const v = pop(); const k = pop(); dictOf(stack.at(-1)).entries.push([k, v]); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('SETITEMS with an odd number of items');
        const d = dictOf(stack.at(-1));
        for (let i = 0; i < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        break;
      }
      case 0x61: { const v = pop(); const l = stack.at(-1); if (!Array.isArray(l)) fail('APPEND to something that is not a list'); l.push(v); break; }
      case 0x65: { const items = popMark(); const l = stack.at(-1); if (!Array.isArray(l)) fail('APPENDS to something that is not a list'); l.push(...items); break; }
      case 0x52: { const args = pop(); const fn = pop(); push(call(fn, args)); break; } // REDUCE
      case 0x62: pop(); break; // BUILD: the state (a state_dict's _metadata) is not needed
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
  if (typeof key !== 'string' || !/^[\w.-]{1,64}$/.test(key)) fail('a storage with a bad key');
  if (!Number.isSafeInteger(n) || (n as number) < 0) fail('a storage with a bad size');
  return { kind: 'storage', type: type.name, key, numel: n as number };
}
