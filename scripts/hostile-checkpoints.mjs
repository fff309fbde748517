// Writes small hostile checkpoints into test/fixtures/checkpoints/hostile/, and cases.json, which
// says for each file what it attacks and what reading it must give:
//   { "refuses": "<regex>" }             one line, a CheckpointError (`rnn-lens inspect`: exit 1)
//   { "reads": n, "warning": "<regex>" } n recurrent layers, and a warning matching the regex
//   { "none": "<regex>" }                no recurrent layer; the last warning (the reason the
//                                        editor shows) matches the regex (`rnn-lens inspect`: exit 1)
// Every byte is built here by hand (zip, pickle, .npy, safetensors), so no Python is needed, and
// a second run writes the same bytes:  node scripts/hostile-checkpoints.mjs
// The files stay small by being what an attacker sends: a few KB that claim, inflate or refer to
// far more. test/unit/engine/checkpoint/checkpoint-hostile.test.ts reads every case; bench/checkpoints.mjs times them.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'test', 'fixtures', 'checkpoints', 'hostile');

// ---------------------------------------------------------------------------------------------
// Bytes.

const enc = new TextEncoder();
const cat = (...parts) => {
  const bufs = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(bufs.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of bufs) { out.set(b, o); o += b.length; }
  return out;
};
const u16 = (n) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, n, true); return b; };
const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n >>> 0, true); return b; };
const u64 = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
const f32 = (values) => new Uint8Array(Float32Array.from(values).buffer);

/**
 * A zip. Each entry: { name, data, deflate?, size?, crc?, at? }: `size` and `crc` override what
 * the directory declares; `at` (an earlier entry's name) points this directory record at that
 * entry's local header and data, so several names share one stream.
 */
function zip(entries) {
  const locals = [];
  const central = [];
  const placed = new Map();
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    let rec = placed.get(e.at);
    if (!rec) {
      const raw = e.deflate ? deflateRawSync(e.data, { level: 9 }) : e.data;
      const crc = crc32(e.data);
      const local = cat(u32(0x04034b50), u16(20), u16(0), u16(e.deflate ? 8 : 0), u16(0), u16(0), u32(crc), u32(raw.length), u32(e.data.length), u16(name.length), u16(0), name, raw);
      rec = { offset, raw, crc, size: e.data.length, method: e.deflate ? 8 : 0 };
      placed.set(e.name, rec);
      locals.push(local);
      offset += local.length;
    }
    const crc = e.crc ?? rec.crc;
    const size = e.size ?? rec.size;
    central.push(cat(u32(0x02014b50), u16(20), u16(20), u16(0), u16(rec.method), u16(0), u16(0), u32(crc), u32(rec.raw.length), u32(size),
      u16(name.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(rec.offset), name));
  }
  const dir = cat(...central);
  const eocd = cat(u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(dir.length), u32(offset), u16(0));
  return cat(...locals, dir, eocd);
}

// ---------------------------------------------------------------------------------------------
// Pickles (protocol 2), as torch.save writes a state_dict.

const P = {
  proto: [0x80, 2], stop: [0x2e], mark: [0x28], emptyDict: [0x7d], emptyTuple: [0x29], emptyList: [0x5d], tuple: [0x74],
  setitems: [0x75], setitem: [0x73], reduce: [0x52], persid: [0x51], none: [0x4e], false: [0x89], append: [0x61],
  tuple1: [0x85], memoize: [0x94],
  int: (n) => (n < 256 ? [0x4b, n] : n < 65536 ? [0x4d, ...u16(n)] : [0x4a, ...u32(n)]),
  long: (n) => {
    const b = [...u64(n)];
    while (b.length > 1 && b.at(-1) === 0 && !(b.at(-2) & 0x80)) b.pop();
    return [0x8a, b.length, ...b];
  },
  str: (s) => { const b = enc.encode(s); return b.length < 256 ? [0x8c, b.length, ...b] : [0x58, ...u32(b.length), ...b]; },
  global: (module, name) => [0x63, ...enc.encode(`${module}\n${name}\n`)],
  put: (k) => [0x72, ...u32(k)],
  get: (k) => [0x6a, ...u32(k)],
};
const size = (n) => (n > 0xffffffff ? P.long(n) : P.int(n));

/** `OrderedDict()`. */
const orderedDict = () => [...P.global('collections', 'OrderedDict'), ...P.emptyTuple, ...P.reduce];

/** `_rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())`, the storage by key. */
function tensor({ key, numel, shape, stride, offset = 0, type = ['torch', 'FloatStorage'] }) {
  const contiguous = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const tup = (xs) => [...P.mark, ...xs.flatMap(size), ...P.tuple];
  return [
    ...P.global('torch._utils', '_rebuild_tensor_v2'), ...P.mark,
    ...P.mark, ...P.str('storage'), ...P.global(...type), ...P.str(key), ...P.str('cpu'), ...size(numel), ...P.tuple, ...P.persid,
    ...size(offset), ...tup(shape), ...tup(stride ?? contiguous), ...P.false, ...orderedDict(), ...P.tuple, ...P.reduce,
  ];
}

/** A state_dict pickle: [name, tensor bytes] pairs in an OrderedDict. */
const stateDict = (pairs) => [...orderedDict(), ...P.mark, ...pairs.flatMap(([k, v]) => [...P.str(k), ...v]), ...P.setitems];
const pickle = (body) => Uint8Array.from([...P.proto, ...body, ...P.stop]);

/** A torch.save zip: `archive/data.pkl`, the storages as `archive/data/<key>`, and the small records. */
function torchZip(pkl, storages = {}, { deflatePickle = false, override = {} } = {}) {
  return zip([
    { name: 'archive/data.pkl', data: pkl, deflate: deflatePickle, ...(override['data.pkl'] ?? {}) },
    { name: 'archive/byteorder', data: enc.encode('little') },
    ...Object.entries(storages).map(([k, data]) => ({ name: `archive/data/${k}`, data, deflate: data.length > 4096, ...(override[k] ?? {}) })),
    { name: 'archive/version', data: enc.encode('3\n') },
  ]);
}

/** One LSTM layer's tensors (D inputs, H units), each in its own storage, values from `seed`. */
function lstm(prefix, D, H, k = 0, seed = 1) {
  const parts = { weight_ih: [4 * H, D], weight_hh: [4 * H, H], bias_ih: [4 * H], bias_hh: [4 * H] };
  const pairs = [];
  const storages = {};
  let s = seed;
  for (const [part, shape] of Object.entries(parts)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const key = `${prefix}${part}${k}`;
    storages[key] = f32(Array.from({ length: n }, (_, i) => Math.sin(s * 7 + i) * 0.3));
    s++;
    pairs.push([`${prefix ? `${prefix}.` : ''}${part}_l${k}`, tensor({ key, numel: n, shape })]);
  }
  return { pairs, storages };
}

// ---------------------------------------------------------------------------------------------
// .npy, .npz, safetensors.

function npy(shape, data, { descr = '<f4', headerExtra = '', version = 1, claimHeader } = {}) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }${headerExtra}`;
  const pre = version === 1 ? 10 : 12;
  while ((pre + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const len = claimHeader ?? header.length;
  return cat([0x93], 'NUMPY', [version, 0], version === 1 ? u16(len) : u32(len), header, data);
}

function safetensors(header, data) {
  const head = enc.encode(JSON.stringify(header));
  return cat(u64(head.length), head, data);
}

/** A safetensors LSTM layer's header entries and data, from byte `at` of the data section. */
function stLayer(prefix, D, H, parts = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'], at = 0) {
  const shapes = { weight_ih: [4 * H, D], weight_hh: [4 * H, H], bias_ih: [4 * H], bias_hh: [4 * H] };
  const header = {};
  const chunks = [];
  for (const part of parts) {
    const n = shapes[part].reduce((a, b) => a * b, 1);
    header[`${prefix}.${part}_l0`] = { dtype: 'F32', shape: shapes[part], data_offsets: [at, at + 4 * n] };
    chunks.push(f32(Array.from({ length: n }, (_, i) => Math.cos(i + at) * 0.2)));
    at += 4 * n;
  }
  return { header, data: cat(...chunks), end: at };
}

// ---------------------------------------------------------------------------------------------
// The cases.

const cases = [];
const files = new Map();
function add(file, attack, expect, bytes) {
  if (files.has(file)) throw new Error(`two cases named ${file}`);
  files.set(file, bytes);
  cases.push({ file, attack, expect });
}

// A good small checkpoint, as the base of the damaged ones.
const good = lstm('lstm', 3, 4);
const goodPt = torchZip(pickle(stateDict(good.pairs)), good.storages);
add('good.pt', 'nothing: a well-formed one-layer LSTM state_dict (the control)', { reads: 1 }, goodPt);

// Many tensors viewing one storage: a 4 MiB storage (deflated to a few KB) under 150 LSTM layers.
{
  const numel = 1 << 20;
  const pairs = [];
  for (let k = 0; k < 150; k++) {
    for (const [part, shape] of [['weight_ih', [32, 8]], ['weight_hh', [32, 8]], ['bias_ih', [32]], ['bias_hh', [32]]]) {
      pairs.push([`lstm.${part}_l${k}`, tensor({ key: '0', numel, shape, offset: k * 16 })]);
    }
  }
  add('pt-shared-storage.pt', 'one 4 MiB deflated storage viewed by the 600 tensors of 150 LSTM layers (inflated once per view, it costs 600 × 4 MiB)',
    { reads: 150 }, torchZip(pickle(stateDict(pairs)), { 0: new Uint8Array(numel * 4) }, { deflatePickle: true }));
}

// The same, with layers large enough that decoding all of them passes the read budget.
{
  const numel = 1 << 22;
  const pairs = [];
  for (let k = 0; k < 64; k++) {
    pairs.push([`lstm.weight_ih_l${k}`, tensor({ key: '0', numel, shape: [2048, 512] })]);
    pairs.push([`lstm.weight_hh_l${k}`, tensor({ key: '0', numel, shape: [2048, 512] })]);
  }
  add('pt-shared-storage-budget.pt', 'a 16 MiB storage viewed by 64 LSTM layers of H = 512 (2 GiB of floats decoded in all)',
    { refuses: 'over the 256\\.0 MiB RNN Lens spends on one' }, torchZip(pickle(stateDict(pairs)), { 0: new Uint8Array(numel * 4) }, { deflatePickle: true }));
}

// Zip bombs.
{
  const pairs = [['lstm.weight_ih_l0', tensor({ key: '0', numel: 16, shape: [16, 1] })], ['lstm.weight_hh_l0', tensor({ key: '0', numel: 16, shape: [16, 4] , stride: [0, 0] })]];
  add('pt-bomb-declared-small.pt', 'a storage declared as 64 bytes whose deflate stream makes 32 MiB',
    { refuses: 'inflates to more than the 64 bytes it declares' },
    torchZip(pickle(stateDict(pairs)), { 0: new Uint8Array(32 << 20) }, { override: { 0: { size: 64 } } }));
  add('pt-bomb-declared-huge.pt', 'a 32 KiB deflate stream declared as 4 GB (more than deflate can make from it)',
    { refuses: 'more than deflate can make|more than RNN Lens reads' },
    torchZip(pickle(stateDict(pairs)), { 0: new Uint8Array(32 << 20) }, { override: { 0: { size: 0xfff00000 } } }));
  const head = npy([4, 1], f32([0, 0, 0, 0]));
  const bomb = cat(head, new Uint8Array(32 << 20));
  add('npz-bomb-declared-small.npz', 'an .npz array declared as its 144 bytes whose deflate stream makes 32 MiB more',
    { refuses: 'inflates to more than the 144 bytes it declares' },
    zip([{ name: 'lstm.weight_ih_l0.npy', data: bomb, deflate: true, size: head.length }, { name: 'lstm.weight_hh_l0.npy', data: bomb, deflate: true, size: head.length, at: 'lstm.weight_ih_l0.npy' }]));
  add('npz-bomb-declared-huge.npz', 'an .npz array of shape (4, 1) whose entry declares 32 MiB (and inflates to it)',
    { refuses: 'needs 144 bytes; its zip entry declares 33554576' },
    zip([{ name: 'lstm.weight_ih_l0.npy', data: bomb, deflate: true }, { name: 'lstm.weight_hh_l0.npy', data: bomb, deflate: true, at: 'lstm.weight_ih_l0.npy' }]));
}

// CRC-32.
{
  add('pt-crc.pt', 'a storage whose bytes do not match the CRC-32 its directory records',
    { refuses: 'fails its CRC-32 check' }, torchZip(pickle(stateDict(good.pairs)), good.storages, { override: { lstmweight_hh0: { crc: 0x12345678 } } }));
  const a = npy([16, 3], f32(Array(48).fill(0.1)));
  const b = npy([16, 4], f32(Array(64).fill(0.1)));
  add('npz-crc.npz', 'an .npz array whose bytes do not match its CRC-32',
    { refuses: 'fails its CRC-32 check' }, zip([{ name: 'lstm.weight_ih_l0.npy', data: a }, { name: 'lstm.weight_hh_l0.npy', data: b, crc: 1 }]));
}

// Pickle floods, each a deflated data.pkl of a few KB that inflates to 12 MiB of opcodes (under the
// 16 MiB a data.pkl may be, so that the unpickler's own caps are what stop them).
{
  const flood = (ops, n, tail = []) => {
    const body = new Uint8Array(2 + n * ops.length + tail.length + 1);
    body.set(P.proto, 0);
    if (ops.length === 1) body.fill(ops[0], 2, 2 + n);
    else for (let i = 0; i < n; i++) body.set(ops, 2 + i * ops.length);
    body.set(tail, 2 + n * ops.length);
    body[body.length - 1] = 0x2e;
    return body;
  };
  const opts = { deflatePickle: true };
  add('pt-mark-flood.pt', 'a data.pkl of 12 million MARK opcodes (12 MiB inflated from 12 KB)',
    { refuses: 'opens more than 1000 marks at once' }, torchZip(flood(P.mark, 12 << 20), {}, opts));
  add('pt-memo-flood.pt', 'a data.pkl that memoizes one list 12 million times',
    { refuses: 'memoizes more than 1000000 values' }, torchZip(cat(P.proto, P.emptyList, flood(P.memoize, 12 << 20).subarray(2)), {}, opts));
  add('pt-deep-nesting.pt', 'a data.pkl that wraps a tuple in a tuple 12 million times',
    { refuses: 'nests values more than 100 deep' }, torchZip(cat(P.proto, P.emptyTuple, flood(P.tuple1, 12 << 20).subarray(2)), {}, opts));
  add('pt-object-flood.pt', 'a data.pkl that appends None to one list 6 million times',
    { refuses: 'builds more than 4000000 values' }, torchZip(cat(P.proto, P.emptyList, flood([...P.none, ...P.append], 6 << 20).subarray(2)), {}, opts));
  add('pt-pickle-too-large.pt', 'a data.pkl declared as 48 MiB (of MARKs, deflated to 47 KB)',
    { refuses: 'data\\.pkl is 50331651 bytes, more than RNN Lens reads of a pickle' }, torchZip(flood(P.mark, 48 << 20), {}, opts));
  add('pt-stack-flood.pt', 'a data.pkl that pushes 12 million Nones',
    { refuses: 'more than 100000 values on its stack' }, torchZip(flood(P.none, 12 << 20), {}, opts));
}

// Names that are properties of every JavaScript object, and unknown dtypes.
{
  const withType = (module, name) => torchZip(pickle(stateDict([
    ['lstm.weight_ih_l0', tensor({ key: '0', numel: 48, shape: [16, 3], type: [module, name] })],
    ['lstm.weight_hh_l0', tensor({ key: '0', numel: 64, shape: [16, 4], type: [module, name] })],
  ])), { 0: new Uint8Array(256) });
  add('pt-dtype-proto.pt', 'a storage type torch.__proto__', { refuses: 'refused: the pickle names "torch\\.__proto__"' }, withType('torch', '__proto__'));
  add('pt-dtype-constructor.pt', 'a storage type torch.constructor', { refuses: 'refused: the pickle names "torch\\.constructor"' }, withType('torch', 'constructor'));
  add('pt-dtype-not-storage.pt', 'a storage whose type is collections.OrderedDict', { refuses: 'not a torch storage type' }, withType('collections', 'OrderedDict'));
  add('pt-dtype-int.pt', 'a layer stored as LongStorage (integers)', { none: 'its weights are "LongStorage", not floating point' }, withType('torch', 'LongStorage'));

  const st = (dtype) => safetensors({
    'lstm.weight_ih_l0': { dtype, shape: [16, 3], data_offsets: [0, 192] }, 'lstm.weight_hh_l0': { dtype, shape: [16, 4], data_offsets: [192, 448] },
  }, new Uint8Array(448));
  add('st-dtype-proto.safetensors', 'a safetensors dtype "__proto__"', { refuses: 'dtype "__proto__", which safetensors does not define' }, st('__proto__'));
  add('st-dtype-constructor.safetensors', 'a safetensors dtype "constructor"', { refuses: 'dtype "constructor", which safetensors does not define' }, st('constructor'));
  add('st-dtype-unknown.safetensors', 'a safetensors dtype "F33"', { refuses: 'dtype "F33", which safetensors does not define' }, st('F33'));
  add('st-dtype-int.safetensors', 'a layer stored as I64', { none: 'its weights are "I64", not floating point' }, st('I64'));

  const npz = (descr) => zip([
    { name: 'lstm.weight_ih_l0.npy', data: npy([16, 3], new Uint8Array(192), { descr }) },
    { name: 'lstm.weight_hh_l0.npy', data: npy([16, 4], new Uint8Array(256), { descr }) },
  ]);
  add('npz-dtype-constructor.npz', "an .npy descr '<constructor'", { refuses: 'dtype "<constructor", which is not a NumPy type' }, npz('<constructor'));
  add('npz-dtype-proto.npz', "an .npy descr '<__proto__'", { refuses: 'dtype "<__proto__", which is not a NumPy type' }, npz('<__proto__'));
  add('npz-dtype-unknown.npz', "an .npy descr '<f3'", { refuses: 'dtype "<f3", which is not a NumPy type' }, npz('<f3'));
}

// Shards: a layer split across the files of a sharded safetensors checkpoint.
{
  const a = stLayer('lstm', 3, 4, ['weight_ih', 'weight_hh']);
  const g = { header: {}, data: new Uint8Array(0) };
  // A complete GRU beside it in the same shard: D = 2, H = 2.
  const gru = { 'gru.weight_ih_l0': [6, 2], 'gru.weight_hh_l0': [6, 2], 'gru.bias_ih_l0': [6], 'gru.bias_hh_l0': [6] };
  let at = a.end;
  const chunks = [];
  for (const [name, shape] of Object.entries(gru)) {
    const n = shape.reduce((x, y) => x * y, 1);
    g.header[name] = { dtype: 'F32', shape, data_offsets: [at, at + 4 * n] };
    chunks.push(f32(Array.from({ length: n }, (_, i) => 0.1 * i)));
    at += 4 * n;
  }
  add('model-00001-of-00002.safetensors', 'shard 1 of 2: the LSTM\'s weights without its biases (in shard 2), and a complete GRU',
    { reads: 1, warning: 'lstm layer 0 is incomplete: lstm\\.bias_ih_l0, lstm\\.bias_hh_l0 are not in this file \\(a shard' },
    safetensors({ __metadata__: { format: 'pt' }, ...a.header, ...g.header }, cat(a.data, ...chunks)));
  const b = stLayer('lstm', 3, 4, ['bias_ih', 'bias_hh']);
  add('model-00002-of-00002.safetensors', 'shard 2 of 2: only the LSTM\'s biases',
    { none: 'no recurrent layer could be read: lstm layer 0 is incomplete: lstm\\.weight_ih_l0, lstm\\.weight_hh_l0 are not in this file' },
    safetensors({ __metadata__: { format: 'pt' }, ...b.header }, b.data));
  const c = stLayer('lstm', 3, 4, ['weight_ih', 'weight_hh', 'bias_ih']);
  add('st-one-bias.safetensors', 'an LSTM with bias_ih but no bias_hh',
    { none: 'lstm layer 0 is incomplete: lstm\\.bias_hh_l0 is not in this file' }, safetensors(c.header, c.data));
}

// 20,000 warnings: 20,000 layer names with only a weight_ih, all one memoized tensor, in a
// deflated data.pkl; one complete layer (weight_ih and weight_hh, no biases) reads.
{
  const t = tensor({ key: '0', numel: 4, shape: [4, 1] });
  const body = [...orderedDict(), ...P.str('weight_ih_l0'), ...t, ...P.put(1), ...P.setitem, ...P.str('weight_hh_l0'), ...P.get(1), ...P.setitem, ...P.mark];
  for (let k = 1; k < 20000; k++) body.push(...P.str(`weight_ih_l${k}`), ...P.get(1));
  body.push(...P.setitems);
  add('pt-many-warnings.pt', '20,000 incomplete layers (one warning each)',
    { reads: 1, warning: '^… and 19980 more warnings$' }, torchZip(pickle(body), { 0: f32([0.1, 0.2, 0.3, 0.4]) }, { deflatePickle: true }));
}

// Not only state_dicts: a pickled module (a placeholder, never constructed), a training checkpoint with the state_dict under a key.
{
  const module = (mod, name) => torchZip(pickle([...P.global(mod, name), ...P.emptyTuple, 0x81, ...P.emptyDict, 0x62]), {});
  add('pt-module-main.pt', 'torch.save(model) of a class defined in __main__', { none: 'no recurrent layer found: the file holds no tensors' }, module('__main__', 'Net'));
  add('pt-module-lstm.pt', 'torch.save(nn.LSTM(...)): the module object itself', { none: 'no recurrent layer found: the file holds no tensors' }, module('torch.nn.modules.rnn', 'LSTM'));
  const nested = [...P.emptyDict, ...P.mark, ...P.str('epoch'), ...P.int(7), ...P.str('model'), ...stateDict(good.pairs), ...P.str('lr'), ...P.none, ...P.setitems];
  add('pt-nested-state-dict.pt', "{'epoch': 7, 'model': model.state_dict(), 'lr': None}", { reads: 1, warning: 'read from the dict under "model"' }, torchZip(pickle(nested), good.storages));
  const deeper = [...P.emptyDict, ...P.mark, ...P.str('epoch'), ...P.int(7), ...P.str('ckpt'), ...P.emptyDict, ...P.str('model_state_dict'), ...stateDict(good.pairs), ...P.setitem, ...P.setitems];
  add('pt-nested-deeper.pt', "{'epoch': 7, 'ckpt': {'model_state_dict': …}}", { reads: 1, warning: 'read from the dict under "ckpt" → "model_state_dict"' }, torchZip(pickle(deeper), good.storages));
  const noTensors = [...P.emptyDict, ...P.mark, ...P.str('epoch'), ...P.int(7), ...P.str('lr'), ...P.none, ...P.setitems];
  add('pt-no-tensors.pt', "{'epoch': 7, 'lr': None}: a dict with no tensor anywhere", { none: 'no recurrent layer found: the file holds no tensors' }, torchZip(pickle(noTensors), {}));
  add('pt-bare-tensor.pt', 'torch.save(tensor): one tensor, not a dict', { refuses: 'holds a single tensor, not a state_dict' },
    torchZip(pickle(tensor({ key: '0', numel: 4, shape: [4] })), { 0: new Uint8Array(16) }));
  add('pt-reduce-nonglobal.pt', 'a REDUCE whose callable is a number', { refuses: 'the pickle calls the number 3, which RNN Lens does not evaluate' },
    torchZip(pickle([...P.int(3), ...P.emptyTuple, ...P.reduce]), {}));
}

// Truncated and empty files.
{
  add('pt-truncated.pt', 'the first half of good.pt', { refuses: 'not a complete zip file .*truncated' }, goodPt.subarray(0, goodPt.length >> 1));
  const st = stLayer('lstm', 3, 4);
  const full = safetensors(st.header, st.data);
  add('st-truncated.safetensors', 'a safetensors file cut inside its data', { refuses: 'outside the \\d+ data bytes: a truncated or damaged file' }, full.subarray(0, full.length - 40));
  add('st-truncated-header.safetensors', 'a safetensors file cut inside its header', { refuses: 'the safetensors header claims \\d+ bytes; the file has 40' }, full.subarray(0, 40));
  for (const ext of ['pt', 'safetensors', 'npz']) add(`empty.${ext}`, 'an empty file', { refuses: '^an empty file \\(0 bytes\\), not a checkpoint' }, new Uint8Array(0));
  add('st-not-json.safetensors', 'a safetensors header that is not JSON', { refuses: 'the safetensors header is not JSON' }, cat(u64(8), '{"a": [1'));
}

// Shapes and strides that reach past their storage, or overflow.
{
  const bad = (over, numel = 48) => torchZip(pickle(stateDict([
    ['lstm.weight_ih_l0', tensor({ key: '0', numel, shape: [16, 3] })],
    ['lstm.weight_hh_l0', tensor({ key: '0', numel, shape: [16, 4], ...over })],
  ])), { 0: new Uint8Array(numel * 4) });
  add('pt-stride-overflow.pt', 'a tensor whose stride (2^52) times its shape overflows', { refuses: 'stride \\[4503599627370496, 1\\].* reaches past the 64 elements of its storage' }, bad({ stride: [2 ** 52, 1] }, 64));
  add('pt-shape-past-storage.pt', 'a [16, 4] view of a 48-element storage', { refuses: 'reaches past the 48 elements of its storage' }, bad({}));
  add('pt-offset-past-storage.pt', 'a tensor offset beyond its storage', { refuses: 'offset 1000\\) reaches past the 64 elements of its storage' }, bad({ offset: 1000 }, 64));
  add('pt-storage-larger-than-file.pt', 'a storage that claims 2^40 elements and holds 48',
    { refuses: 'shorter than its 1099511627776 elements|storage "0" is shorter' }, torchZip(pickle(stateDict([
      ['lstm.weight_ih_l0', tensor({ key: '0', numel: 2 ** 40, shape: [16, 3] })],
      ['lstm.weight_hh_l0', tensor({ key: '0', numel: 2 ** 40, shape: [16, 4] })],
    ])), { 0: new Uint8Array(192) }));
  add('st-huge-shape.safetensors', 'a safetensors tensor of shape [100000, 100000] over 16 bytes', { refuses: 'larger than RNN Lens reads' },
    safetensors({ 'lstm.weight_ih_l0': { dtype: 'F32', shape: [400000, 100000], data_offsets: [0, 16] }, 'lstm.weight_hh_l0': { dtype: 'F32', shape: [400000, 100000], data_offsets: [0, 16] } }, new Uint8Array(16)));
  add('st-offsets-past-file.safetensors', 'safetensors offsets beyond the file', { refuses: 'has offsets \\[0, 4096\\] outside the 16 data bytes' },
    safetensors({ 'lstm.weight_ih_l0': { dtype: 'F32', shape: [32, 32], data_offsets: [0, 4096] } }, new Uint8Array(16)));
  add('st-bad-shape.safetensors', 'a safetensors shape holding a string', { refuses: 'has a shape that is not a list of sizes' },
    safetensors({ 'lstm.weight_ih_l0': { dtype: 'F32', shape: ['x', 4], data_offsets: [0, 16] } }, new Uint8Array(16)));
}

// .npy headers.
{
  const claim = npy([16, 3], new Uint8Array(192), { version: 2, claimHeader: 0x7fffffff });
  add('npz-huge-header.npz', 'an .npy (format 2) header that claims 2 GiB', { refuses: 'a \\.npy header of 2147483647 bytes, more than the 65536 RNN Lens reads' },
    zip([{ name: 'lstm.weight_ih_l0.npy', data: claim }, { name: 'lstm.weight_hh_l0.npy', data: claim }]));
  const sixGb = npy([40000, 40000], f32([1, 2, 3, 4]));
  add('npz-6gb-array.npz', 'an .npy array declared as (40000, 40000) float32 (6.4 GB) in 16 bytes', { refuses: 'larger than RNN Lens reads' },
    zip([{ name: 'lstm.weight_ih_l0.npy', data: sixGb }, { name: 'lstm.weight_hh_l0.npy', data: sixGb }]));
  const nanShape = npy([16, 3], new Uint8Array(192)).slice();
  const text = new TextDecoder('latin1').decode(nanShape);
  const at = text.indexOf('(16, 3)');
  nanShape.set(enc.encode('(1e, 3)'), at);
  add('npz-bad-shape.npz', 'an .npy shape "(1e, 3)"', { refuses: 'has shape \\("1e, 3"\\), which is not a tuple of sizes' },
    zip([{ name: 'lstm.weight_ih_l0.npy', data: nanShape }, { name: 'lstm.weight_hh_l0.npy', data: nanShape }]));
  // Sixteen directory records, one deflated (4096, 1024) float32 stream: 16 MiB inflated per name.
  const big = npy([4096, 1024], new Uint8Array(4096 * 1024 * 4));
  const entries = [{ name: 'lstm.weight_ih_l0.npy', data: big, deflate: true }];
  for (let k = 0; k < 8; k++) {
    for (const part of ['weight_ih', 'weight_hh']) {
      if (k === 0 && part === 'weight_ih') continue;
      entries.push({ name: `lstm.${part}_l${k}.npy`, data: big, deflate: true, at: 'lstm.weight_ih_l0.npy' });
    }
  }
  add('npz-overlap-budget.npz', 'sixteen .npz names sharing one 16 MiB deflated array (8 LSTM layers of H = 1024, 512 MiB decoded in all)',
    { refuses: 'over the 256\\.0 MiB RNN Lens spends on one' }, zip(entries));
}

// ---------------------------------------------------------------------------------------------

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
let total = 0;
for (const [file, bytes] of files) {
  if (bytes.length > 64 * 1024) throw new Error(`${file} is ${bytes.length} bytes: a fixture stays under 64 KiB`);
  writeFileSync(join(OUT, file), bytes);
  total += bytes.length;
}
writeFileSync(join(OUT, 'cases.json'), `${JSON.stringify({ cases }, null, 2)}\n`);
console.log(`wrote ${cases.length} cases (${(total / 1024).toFixed(0)} KiB) and cases.json to ${OUT}`);
console.log(readdirSync(OUT).length - 1 === cases.length ? 'ok' : 'file count mismatch');
