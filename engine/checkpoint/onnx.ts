// The recurrent layers of an ONNX model (a ModelProto, e.g. from torch.onnx.export), in
// PyTorch's layout (layer.ts). Every LSTM, GRU and RNN node of the main graph is read: its W,
// R and B inputs from the graph's initializers or Constant nodes (through Identity nodes),
//   W [num_directions, G·H, D], R [num_directions, G·H, H], B [num_directions, 2·G·H] (Wb, Rb),
// one TorchLayout per direction ('bidirectional' gives the forward, then the reverse one).
// Gate blocks, ONNX → PyTorch: LSTM i, o, f, c → i, f, g, o; GRU z, r, h → r, z, n (ONNX's z,
// like PyTorch's, keeps the old state); RNN one block. A GRU's linear_before_reset=1 (what
// PyTorch exports) is resetAfter; 0 is reset-before, whose Rbh ONNX adds outside the reset,
// as the engine does with bh.
//
// Naming: `name` is the node's name as the file gives it (torch.onnx.export writes
// '/lstm/LSTM', '/lstm/LSTM_1' for a two-layer module), or `<op>_<k>` (e.g. 'lstm_0') when the
// node has none; `layer` is the node's index among the recurrent nodes, in graph order. So a
// two-layer bidirectional nn.LSTM reads as layers 0 and 1, each forward and reverse.
//
// Decoding is by hand over protobufjs's minimal Reader (no generated code, no eval), and only
// the fields needed: ModelProto.graph (7); GraphProto.node (1), initializer (5); NodeProto
// input (1), output (2), name (3), op_type (4), attribute (5); AttributeProto name (1), f (2),
// i (3), s (4), t (5), floats (7), ints (8), strings (9), type (20); TensorProto dims (1),
// data_type (2), float_data (4), int32_data (5), name (8), raw_data (9), double_data (10),
// data_location (14). Subgraphs (If, Loop, Scan bodies) are not searched; sequence_lens is
// not read (every sequence runs its full length) nor are initial states (warned when stored
// and non-zero). The whole file is read into memory (charged to the budget); tensors are
// decoded only for recurrent nodes.
import { Reader } from 'protobufjs/minimal';
import { type ByteSource, CheckpointError, type ReadBudget, fail, shown } from './bytes';
import { type FloatDtype, decode, numel } from './dtype';
import type { LayerOptions, TorchLayout } from './layer';
import type { Cell } from '../types';

/** The largest recurrent layer read (as index.ts's MAX_LAYER_SIZE). */
const MAX_LAYER_SIZE = 4096;
/** The most nodes, initializers and attributes of a node read. */
const MAX_NODES = 100_000;
const MAX_INITIALIZERS = 100_000;
const MAX_ATTRIBUTES = 1000;
const MAX_DIMS = 16;
const MAX_LIST = 4096;
/** The most strings, attributes and numbers decoded from the graph, all together (not tensors' data). */
const MAX_ITEMS = 4_000_000;
/** Identity nodes followed from a recurrent node's input to its constant. */
const MAX_IDENTITY_CHAIN = 16;

interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  raw?: Uint8Array;
  /** float_data / double_data: packed little-endian floats, as raw_data is. */
  floatData?: Uint8Array;
  doubleData?: Uint8Array;
  /** int32_data (float16 / bfloat16 bit patterns), packed varints. */
  int32Data?: Uint8Array;
  external: boolean;
}

interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: Tensor;
  floats: number[];
  ints: number[];
  strings: string[];
}

interface Node {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}

interface Graph {
  nodes: Node[];
  initializers: Tensor[];
}

/** Counts what the graph's decoding holds in memory, and refuses a graph of millions of small things. */
let items = 0;
function tick(): void {
  if (++items > MAX_ITEMS) fail(`the ONNX graph holds more than ${MAX_ITEMS} names, attributes and numbers, more than RNN Lens reads`);
}

/** A varint as a number: exact to 2^53, larger values approximate (and refused as sizes). */
function varint(r: Reader): number {
  let value = 0;
  let scale = 1;
  for (let k = 0; k < 10; k++) {
    if (r.pos >= r.len) throw new RangeError('index out of range');
    const b = r.buf[r.pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value >= 2 ** 63 ? value - 2 ** 64 : value;
    scale *= 128;
  }
  throw new RangeError('invalid varint');
}

/** The sub-reader's end for a length-delimited field. */
function end(r: Reader): number {
  const n = r.uint32();
  if (r.pos + n > r.len) throw new RangeError('index out of range');
  return r.pos + n;
}

function bytesField(r: Reader): Uint8Array {
  const e = end(r);
  const out = r.buf.subarray(r.pos, e);
  r.pos = e;
  return out;
}

const stringField = (r: Reader): string => r.string();

/** A repeated int64 field, packed (wire type 2) or not (0). */
function ints(r: Reader, wire: number, into: number[], max: number, what: string): void {
  if (wire === 0) { into.push(varint(r)); tick(); }
  else if (wire === 2) {
    const e = end(r);
    while (r.pos < e) {
      into.push(varint(r));
      tick();
      if (into.length > max) break;
    }
    if (r.pos !== e) throw new RangeError('index out of range');
  } else r.skipType(wire);
  if (into.length > max) fail(`an ONNX ${what} lists more than ${max} numbers`);
}

function tensor(r: Reader, e: number): Tensor {
  const t: Tensor = { name: '', dims: [], dataType: 0, external: false };
  while (r.pos < e) {
    const tag = r.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1: ints(r, wire, t.dims, MAX_DIMS, 'tensor shape'); break;
      case 2: t.dataType = varint(r); break;
      case 4: if (wire !== 2) fail('an ONNX tensor whose float_data is not packed'); t.floatData = bytesField(r); break;
      case 5: if (wire !== 2) fail('an ONNX tensor whose int32_data is not packed'); t.int32Data = bytesField(r); break;
      case 8: t.name = stringField(r); break;
      case 9: t.raw = bytesField(r); break;
      case 10: if (wire !== 2) fail('an ONNX tensor whose double_data is not packed'); t.doubleData = bytesField(r); break;
      case 14: t.external = varint(r) === 1; break;
      default: r.skipType(wire);
    }
  }
  return t;
}

function attribute(r: Reader, e: number): Attribute {
  const a: Attribute = { name: '', type: 0, floats: [], ints: [], strings: [] };
  while (r.pos < e) {
    const tag = r.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1: a.name = stringField(r); break;
      case 2: a.f = r.float(); break;
      case 3: a.i = varint(r); break;
      case 4: a.s = stringField(r); break;
      case 5: a.t = tensor(r, end(r)); break;
      case 7:
        if (wire === 2) {
          const fe = end(r);
          while (r.pos < fe && a.floats.length <= MAX_LIST) { a.floats.push(r.float()); tick(); }
          r.pos = fe;
        } else { a.floats.push(r.float()); tick(); }
        if (a.floats.length > MAX_LIST) fail(`an ONNX attribute lists more than ${MAX_LIST} numbers`);
        break;
      case 8: ints(r, wire, a.ints, MAX_LIST, 'attribute'); break;
      case 9:
        a.strings.push(stringField(r));
        tick();
        if (a.strings.length > MAX_LIST) fail(`an ONNX attribute lists more than ${MAX_LIST} strings`);
        break;
      case 20: a.type = varint(r); break;
      default: r.skipType(wire);
    }
  }
  return a;
}

function node(r: Reader, e: number): Node {
  const n: Node = { name: '', opType: '', input: [], output: [], attribute: [] };
  while (r.pos < e) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1: n.input.push(stringField(r)); tick(); break;
      case 2: n.output.push(stringField(r)); tick(); break;
      case 3: n.name = stringField(r); break;
      case 4: n.opType = stringField(r); break;
      case 5:
        // Only a node whose attributes are read needs them; all are kept, bounded.
        n.attribute.push(attribute(r, end(r)));
        tick();
        if (n.attribute.length > MAX_ATTRIBUTES) fail(`an ONNX node has more than ${MAX_ATTRIBUTES} attributes`);
        break;
      default: r.skipType(tag & 7);
    }
  }
  return n;
}

function graph(r: Reader, e: number): Graph {
  const g: Graph = { nodes: [], initializers: [] };
  while (r.pos < e) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        g.nodes.push(node(r, end(r)));
        tick();
        if (g.nodes.length > MAX_NODES) fail(`the ONNX graph has more than ${MAX_NODES} nodes, more than RNN Lens reads`);
        break;
      case 5:
        g.initializers.push(tensor(r, end(r)));
        tick();
        if (g.initializers.length > MAX_INITIALIZERS) fail(`the ONNX graph has more than ${MAX_INITIALIZERS} initializers, more than RNN Lens reads`);
        break;
      default: r.skipType(tag & 7);
    }
  }
  return g;
}

function model(bytes: Uint8Array): Graph {
  const r = new Reader(bytes);
  items = 0;
  let g: Graph | undefined;
  let irVersion: number | undefined;
  try {
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 0) throw new RangeError('field number 0');
      if (field === 1 && (tag & 7) === 0) irVersion = varint(r);
      else if (field === 7 && (tag & 7) === 2) g = graph(r, end(r));
      else r.skipType(tag & 7);
    }
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    fail('not an ONNX model, or a truncated one: its protobuf encoding breaks off or is malformed');
  }
  if (!g || irVersion === undefined || irVersion < 1 || irVersion > 1000) {
    fail('not an ONNX model: no ir_version and graph (save it with torch.onnx.export or onnx.save)');
  }
  return g;
}

const DTYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};
const FLOATS: Record<number, FloatDtype> = { 1: 'f32', 10: 'f16', 11: 'f64', 16: 'bf16' };

/** A tensor's numbers; its dims are checked against its data. */
function values(t: Tensor, budget: ReadBudget, what: string): Float32Array {
  const dtype = FLOATS[t.dataType];
  if (!dtype) fail(`${what} ${shown(t.name)} holds ${DTYPES[t.dataType] ?? `data type ${t.dataType}`} numbers, not floating point`);
  const n = numel(t.dims);
  budget.floats(n, `${what} ${shown(t.name)}`);
  const item = { f32: 4, f64: 8, f16: 2, bf16: 2 }[dtype];
  const lie = (have: number) => fail(`${what} ${shown(t.name)} has dims [${t.dims.join(', ')}], ${n * item} bytes of ${DTYPES[t.dataType]}, but its data holds ${have}`);
  const packed = t.raw ?? (dtype === 'f32' ? t.floatData : dtype === 'f64' ? t.doubleData : undefined);
  if (packed) {
    if (packed.length !== n * item) lie(packed.length);
    return decode(packed, dtype, n);
  }
  if (t.int32Data && (dtype === 'f16' || dtype === 'bf16')) {
    // float16 / bfloat16 bit patterns, one varint each.
    const r = new Reader(t.int32Data);
    const bits = new Uint8Array(2 * n);
    let k = 0;
    while (r.pos < r.len) {
      if (k >= n) lie(k + 1);
      const v = varint(r) & 0xffff;
      bits[2 * k] = v & 0xff;
      bits[2 * k + 1] = v >> 8;
      k++;
    }
    if (k !== n) lie(k);
    return decode(bits, dtype, n);
  }
  if (n === 0) return new Float32Array(0);
  return lie(0);
}

const GATES: Record<string, { cell: Cell; G: number; from: number[] }> = {
  // PyTorch's blocks, each from ONNX's block: LSTM i f g o ← i o f c; GRU r z n ← z r h.
  LSTM: { cell: 'lstm', G: 4, from: [0, 2, 3, 1] },
  GRU: { cell: 'gru', G: 3, from: [1, 0, 2] },
  RNN: { cell: 'rnn', G: 1, from: [0] },
};

function counted(nodes: readonly Node[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const listed = top.slice(0, 5).map(([op, k]) => `${shown(op, 30).slice(1, -1)} ×${k}`).join(', ');
  return `${listed}${top.length > 5 ? ', …' : ''}`;
}

/** Reorders a (G·H, cols) block matrix from ONNX's gate order into PyTorch's. */
function reorder(src: Float32Array, offset: number, from: number[], H: number, cols: number): Float32Array {
  const G = from.length;
  const out = new Float32Array(G * H * cols);
  for (let q = 0; q < G; q++) {
    const start = offset + from[q] * H * cols;
    out.set(src.subarray(start, start + H * cols), q * H * cols);
  }
  return out;
}

export function onnxLayers(src: ByteSource, budget: ReadBudget, warnings: string[]): { layers: TorchLayout[]; summary: string } {
  try {
    return readLayers(src, budget, warnings);
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    // A malformed varint in a tensor's data, or a bug: still one line.
    return fail(`cannot read this ONNX model: ${err instanceof RangeError ? 'its encoding breaks off or is malformed' : 'an unexpected error'}`);
  }
}

function readLayers(src: ByteSource, budget: ReadBudget, warnings: string[]): { layers: TorchLayout[]; summary: string } {
  if (src.size === 0) fail('an empty file (0 bytes), not an ONNX model');
  budget.charge(src.size, 'the ONNX model');
  const g = model(src.read(0, src.size));

  const constants = new Map<string, Tensor>();
  for (const t of g.initializers) if (t.name) constants.set(t.name, t);
  const identity = new Map<string, string>();
  for (const n of g.nodes) {
    if (n.opType === 'Constant' && n.output.length === 1) {
      const v = n.attribute.find((a) => a.name === 'value' && a.t);
      if (v?.t) constants.set(n.output[0], v.t);
    } else if (n.opType === 'Identity' && n.input.length === 1 && n.output.length === 1) {
      identity.set(n.output[0], n.input[0]);
    }
  }
  const resolve = (name: string): Tensor | undefined => {
    let at = name;
    for (let k = 0; k <= MAX_IDENTITY_CHAIN && at; k++) {
      const t = constants.get(at);
      if (t) return t;
      const next = identity.get(at);
      if (next === undefined) return undefined;
      at = next;
    }
    return undefined;
  };

  const recurrent = g.nodes.filter((n) => n.opType in GATES);
  const layers: TorchLayout[] = [];
  for (const [k, n] of recurrent.entries()) {
    const spec = GATES[n.opType];
    const name = n.name || `${spec.cell}_${k}`;
    const label = `${n.opType} node ${shown(name)}`;
    const leave = (why: string): void => { warnings.push(`${label}: ${why}; left out`); };
    const attr = (a: string) => n.attribute.find((x) => x.name === a);
    const direction = attr('direction')?.s ?? 'forward';
    if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') {
      leave(`direction ${shown(direction, 30)} is none of forward, reverse, bidirectional`);
      continue;
    }
    const dirs = direction === 'bidirectional' ? [false, true] : [direction === 'reverse'];
    const nd = dirs.length;

    // Attributes: what the engine computes, or the layer is left out.
    const acts = (attr('activations')?.strings ?? []).map((s) => s.toLowerCase());
    const perDir = spec.cell === 'lstm' ? 3 : spec.cell === 'gru' ? 2 : 1;
    const options: LayerOptions[] = [];
    let unsupported = '';
    for (let d = 0; d < nd; d++) {
      const mine = acts.length >= perDir * (d + 1) ? acts.slice(perDir * d, perDir * (d + 1)) : acts.slice(0, perDir);
      const o: LayerOptions = {};
      if (spec.cell === 'rnn') {
        const a = mine[0] ?? 'tanh';
        if (a === 'tanh' || a === 'relu') o.activation = a;
        else unsupported = `activation ${shown(a, 30)} (RNN Lens computes Tanh or Relu)`;
      } else if (mine.length > 0) {
        const [gate, ...rest] = mine;
        const params = attr('activation_alpha') || attr('activation_beta');
        if (gate === 'hardsigmoid' && !params) o.recurrentActivation = 'hardSigmoid';
        else if (gate !== 'sigmoid') unsupported = `gate activation ${shown(gate, 30)}${params ? ' with activation_alpha/beta' : ''} (RNN Lens computes Sigmoid or HardSigmoid(0.2, 0.5))`;
        if (mine.length < perDir || rest.some((a) => a !== 'tanh')) unsupported ||= `activations [${mine.map((a) => shown(a, 20)).join(', ')}] (RNN Lens computes Tanh candidates)`;
      }
      if (spec.cell === 'gru') o.resetAfter = (attr('linear_before_reset')?.i ?? 0) !== 0;
      options.push(o);
    }
    if (unsupported) { leave(unsupported); continue; }
    if (spec.cell === 'lstm' && (attr('input_forget')?.i ?? 0) !== 0) { leave('input_forget=1 (coupled input and forget gates) is not computed'); continue; }

    const [, wName = '', rName = '', bName = ''] = n.input;
    const wt = resolve(wName);
    const rt = resolve(rName);
    if (!wt || !rt) {
      leave(`its weights ${shown(wt ? rName : wName)} are not stored in the model (an input or computed in the graph)`);
      continue;
    }
    const bt = bName ? resolve(bName) : undefined;
    if (bName && !bt) { leave(`its bias ${shown(bName)} is not stored in the model`); continue; }
    if ([wt, rt, bt].some((t) => t?.external)) { leave('its weights are in an external data file, which RNN Lens does not open (save the model with its weights inside)'); continue; }
    if (spec.cell === 'lstm' && n.input[7]) {
      const p = resolve(n.input[7]);
      if (!p) { leave(`its peepholes ${shown(n.input[7])} are not stored in the model`); continue; }
      if (values(p, budget, `${label}'s peepholes`).some((v) => v !== 0)) { leave('peephole connections (input P) are not computed'); continue; }
    }

    // Shapes, before anything is decoded.
    const shape = (t: Tensor) => `[${t.dims.join(', ')}]`;
    if (wt.dims.length !== 3 || rt.dims.length !== 3) fail(`${label}: W ${shape(wt)} and R ${shape(rt)} are not [num_directions, gates × hidden, size]`);
    const [, GH, D] = wt.dims;
    const H = rt.dims[2];
    const hidden = attr('hidden_size')?.i;
    if (!Number.isSafeInteger(H) || !Number.isSafeInteger(D) || H < 1 || D < 1) fail(`${label}: W ${shape(wt)} and R ${shape(rt)} give no layer size`);
    if (H > MAX_LAYER_SIZE || D > MAX_LAYER_SIZE) fail(`${label}: D=${D}, H=${H} is larger than RNN Lens reads (${MAX_LAYER_SIZE})`);
    if (hidden !== undefined && hidden !== H) fail(`${label}: hidden_size=${hidden} but R has shape ${shape(rt)}`);
    const GHx = spec.G * H;
    if (wt.dims[0] !== nd || GH !== GHx || rt.dims[0] !== nd || rt.dims[1] !== GHx) {
      fail(`${label}: W ${shape(wt)} and R ${shape(rt)} are not [${nd}, ${GHx}, D] and [${nd}, ${GHx}, ${H}] (direction ${shown(direction)}, ${spec.G} gate${spec.G > 1 ? 's' : ''})`);
    }
    if (bt && (bt.dims.length !== 2 || bt.dims[0] !== nd || bt.dims[1] !== 2 * GHx)) fail(`${label}: B has shape ${shape(bt)}, not [${nd}, ${2 * GHx}]`);
    // The initial state: forward starts from zero; a stored non-zero one is worth a line.
    for (const at of spec.cell === 'lstm' ? [5, 6] : [5]) {
      const t = n.input[at] ? resolve(n.input[at]) : undefined;
      if (t && !t.external && values(t, budget, `${label}'s initial state`).some((v) => v !== 0)) {
        warnings.push(`${label}: its initial ${at === 5 ? 'hidden' : 'cell'} state ${shown(n.input[at])} is not zero; RNN Lens starts from zero`);
      }
    }
    const clip = attr('clip')?.f;
    if (clip !== undefined) warnings.push(`${label}: clip=${clip} (ONNX clips the gates' inputs) is not applied; read without it`);

    const W = values(wt, budget, `${label}'s W`);
    const R = values(rt, budget, `${label}'s R`);
    const Bv = bt ? values(bt, budget, `${label}'s B`) : undefined;
    for (const [d, reverse] of dirs.entries()) {
      const l: TorchLayout = {
        name, cell: spec.cell, layer: k, reverse, D, H,
        weightIh: reorder(W, d * GHx * D, spec.from, H, D),
        weightHh: reorder(R, d * GHx * H, spec.from, H, H),
        options: options[d],
      };
      if (Bv) {
        l.biasIh = reorder(Bv, d * 2 * GHx, spec.from, H, 1);
        l.biasHh = reorder(Bv, d * 2 * GHx + GHx, spec.from, H, 1);
      }
      layers.push(l);
    }
  }

  const subgraphs = g.nodes.filter((n) => n.attribute.some((a) => a.type === 5 || a.type === 10)).length;
  if (subgraphs > 0) warnings.push(`${subgraphs} node${subgraphs === 1 ? '' : 's'} (If, Loop, Scan) hold subgraphs, which are not searched for recurrent nodes`);
  const summary = recurrent.length > 0
    ? `an ONNX graph of ${g.nodes.length} nodes with ${recurrent.length} recurrent node${recurrent.length === 1 ? '' : 's'} (${counted(recurrent)})`
    : `an ONNX graph of ${g.nodes.length} node${g.nodes.length === 1 ? '' : 's'}${g.nodes.length ? ` (${counted(g.nodes)})` : ''}, no recurrent node`;
  return { layers, summary };
}
