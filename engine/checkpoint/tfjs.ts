// The recurrent layers of a TF.js Layers model (model.json + its weight shards), in PyTorch's
// layout (layer.ts). model.json holds `modelTopology` (TF.js's own `{ class_name, config }`, or
// the converter's `{ model_config: { class_name, config } }`), Sequential or Functional
// (`Model`/`Functional`), models nested in models, and `weightsManifest`: groups of
// `{ paths, weights: [{ name, shape, dtype, quantization? }] }`, each group's weights laid one
// after another across its shard files in order.
//
// Choices:
// - Layers read: LSTM, GRU, SimpleRNN, and Bidirectional around one of them (its forward layer,
//   then its backward one with reverse: true). `layer` is the index among the model's recurrent
//   layers in model order (a Bidirectional is one, both directions share it; a layer left out
//   with a warning keeps its index); `name` is the Keras layer name.
// - Weights are found by name: `<layer>/kernel`, `<layer>/recurrent_kernel`, `<layer>/bias` as
//   TF.js writes them (`<bidirectional>/forward_<inner>/kernel`, `…/backward_<inner>/…`), or any
//   name with the layer's name as one `/`-separated part and the kind as its last (the converter's
//   `gru/gru_cell/kernel`, a `:0` suffix, an outer model's prefix).
// - Keras kernels are x·K: K (D, G·H) is PyTorch's weight_ih transposed. LSTM gates i, f, c, o are
//   PyTorch's i, f, g, o. GRU gates z, r, h become PyTorch's r, z, n (Keras's z keeps the old
//   state as PyTorch's does). A reset_after GRU's bias (2, 3H) is bias_ih (row 0) and bias_hh
//   (row 1); a reset-before GRU's one bias is bias_ih, bias_hh absent, which is the engine's
//   n = tanh(W_n x + U_n (r ⊙ h) + b_n). use_bias false: no biases.
// - recurrent_activation hard_sigmoid is TF.js's clip(0.2x + 0.5, 0, 1) (Keras 2's too; Keras 3
//   changed it to x/6 + 0.5, so a model saved from Keras 3 gets a warning). Other gate
//   functions, an LSTM/GRU activation other than tanh and a SimpleRNN's other than tanh/relu
//   leave that layer out with a warning.
// - Config keys are read snake_case (as TF.js and the converter write them) or camelCase.
// - dtypes: float32 and float16 are decoded; quantized weights (uint8/uint16 with scale and
//   min, or float16) are dequantized as TF.js does (q·scale + min); other dtypes (int32, bool,
//   complex64, string) are only stepped over.
// - Shards come from `sibling(path)`, in model.json's folder only: a path with '/', '\\' or '..'
//   (after a leading './') is refused. Only the groups holding recurrent weights are read; a
//   group's shards must hold exactly the bytes its weights need.
import { type ReadBudget, decodeUtf8, fail, shown } from './bytes';
import { decode, numel } from './dtype';
import type { TorchLayout, LayerOptions } from './layer';
import type { Cell, GateActivation, RnnActivation } from '../types';

const MAX_JSON_BYTES = 16 * 1024 * 1024;
const MAX_LAYERS = 10_000;
const MAX_DEPTH = 32;
const MAX_SIZE = 4096;
const MAX_WEIGHTS = 100_000;
const MAX_PATHS = 10_000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A config value under its snake_case or camelCase key. */
function key(config: Json, snake: string): unknown {
  if (Object.hasOwn(config, snake)) return config[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.hasOwn(config, camel) ? config[camel] : undefined;
}

/** An activation's name, from a string or a `{ class_name }` object, snake_case. */
function activationName(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v : isObject(v) && typeof v.class_name === 'string' ? v.class_name : undefined;
  return s?.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

interface Spec { name: string; shape: number[]; dtype: string; bytes: number; quant?: { dtype: string; scale: number; min: number } }
interface Group { paths: string[]; specs: Spec[]; offsets: number[] }

const SIZES: Record<string, number> = { float32: 4, float16: 2, int32: 4, uint16: 2, uint8: 1, bool: 1, complex64: 8 };

function readManifest(manifest: unknown): Group[] {
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) fail('model.json: weightsManifest is not a list of weight groups');
  const groups: Group[] = [];
  let count = 0;
  for (const g of manifest) {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) fail('model.json: a weightsManifest group lacks its paths or weights list');
    if (g.paths.length > MAX_PATHS) fail(`model.json: a weight group names ${g.paths.length} shard files, more than the ${MAX_PATHS} RNN Lens reads`);
    const paths = g.paths.map((p) => {
      if (typeof p !== 'string') fail('model.json: a shard path is not a string');
      return shardName(p);
    });
    const specs: Spec[] = [];
    const offsets: number[] = [];
    for (const w of g.weights) {
      if (++count > MAX_WEIGHTS) fail(`model.json lists more than ${MAX_WEIGHTS} weights`);
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || typeof w.dtype !== 'string') {
        fail('model.json: a weight entry lacks its name, shape or dtype');
      }
      const name = w.name;
      const shape = w.shape as number[];
      const n = numel(shape);
      let item = SIZES[w.dtype];
      let quant: Spec['quant'];
      if (w.quantization !== undefined) {
        const q = w.quantization;
        if (!isObject(q) || typeof q.dtype !== 'string' || !['uint8', 'uint16', 'float16'].includes(q.dtype)) {
          fail(`model.json: weight ${shown(name)} is quantized in a way TF.js does not know (uint8, uint16 or float16)`);
        }
        const scale = typeof q.scale === 'number' ? q.scale : NaN;
        const min = typeof q.min === 'number' ? q.min : NaN;
        if (q.dtype !== 'float16' && (!Number.isFinite(scale) || !Number.isFinite(min))) fail(`model.json: quantized weight ${shown(name)} lacks its scale and min`);
        quant = { dtype: q.dtype, scale, min };
        item = SIZES[q.dtype];
      }
      // A string tensor's size is known only from its data (a 4-byte length per string): -1 here.
      const bytes = w.dtype === 'string' && !quant ? -1 : item === undefined ? fail(`model.json: weight ${shown(name)} has dtype ${shown(w.dtype, 20)}, which TF.js does not write`) : n * item;
      specs.push({ name, shape, dtype: w.dtype, bytes, ...(quant ? { quant } : {}) });
      offsets.push(0);
    }
    groups.push({ paths, specs, offsets });
  }
  return groups;
}

function shardName(p: string): string {
  const name = p.startsWith('./') ? p.slice(2) : p;
  if (name === '' || name.includes('/') || name.includes('\\') || name.includes('..')) {
    fail(`model.json names the shard ${shown(p)} outside its own folder; RNN Lens reads shards beside model.json only`);
  }
  return name;
}

/** A model layer as the walk finds it. */
interface Found { cls: string; config: Json }

function walkLayers(topology: Json, onLayer: (l: Found) => void): void {
  let visited = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) fail(`model.json nests models or wrappers more than ${MAX_DEPTH} deep`);
    if (++visited > MAX_LAYERS) fail(`model.json has more than ${MAX_LAYERS} layers`);
    if (!isObject(node) || typeof node.class_name !== 'string') fail('model.json: a layer has no class_name');
    const cls = node.class_name;
    const config = isObject(node.config) ? node.config : {};
    // An old Keras Sequential's config is its list of layers.
    const layers = Array.isArray(node.config) ? (node.config as unknown[]) : key(config, 'layers');
    if (Array.isArray(layers) && ['Sequential', 'Model', 'Functional'].includes(cls)) {
      for (const l of layers) visit(l, depth + 1);
      return;
    }
    onLayer({ cls, config });
  };
  visit(topology, 0);
}

const CELLS: Record<string, Cell> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };
const GATES: Record<Cell, number> = { lstm: 4, gru: 3, rnn: 1 };

export function tfjsLayers(
  modelJson: Uint8Array, sibling: (name: string) => Uint8Array | undefined, budget: ReadBudget, warnings: string[],
): { layers: TorchLayout[]; summary: string } {
  if (modelJson.length > MAX_JSON_BYTES) fail(`model.json is ${(modelJson.length / 1024 / 1024).toFixed(1)} MiB, more than the 16 MiB RNN Lens reads`);
  let root: unknown;
  try {
    root = JSON.parse(decodeUtf8(modelJson));
  } catch {
    fail('model.json is not valid JSON: re-save the model with model.save()');
  }
  if (!isObject(root) || !isObject(root.modelTopology)) fail('model.json has no modelTopology: not a TF.js Layers model (a graph model is not read)');
  const topoRoot = root.modelTopology;
  const topology = isObject(topoRoot.model_config) ? topoRoot.model_config : topoRoot;
  const kerasVersion = typeof topoRoot.keras_version === 'string' ? topoRoot.keras_version : '';
  const groups = readManifest(root.weightsManifest);

  // Every weight by name, with its group and index.
  const byName = new Map<string, { g: number; i: number }>();
  groups.forEach((g, gi) => g.specs.forEach((s, i) => byName.set(s.name, { g: gi, i })));
  const claimed = new Set<string>();
  // The weights under each name part, for the names that are not TF.js's own `<layer>/<kind>`.
  const byPart = new Map<string, string[]>();
  for (const name of byName.keys()) {
    for (const part of new Set(name.split('/').slice(0, -1))) {
      const list = byPart.get(part);
      if (list) list.push(name);
      else byPart.set(part, [name]);
    }
  }

  const counts = new Map<string, number>();
  let total = 0;
  const layers: TorchLayout[] = [];
  let index = 0;
  const loaded = new Map<number, Uint8Array>();

  const groupBytes = (gi: number): Uint8Array => {
    const hit = loaded.get(gi);
    if (hit) return hit;
    const g = groups[gi];
    const parts = g.paths.map((p) => {
      const b = sibling(p);
      if (!b) fail(`the weight shard ${shown(p)} that model.json names is missing: put it beside model.json`);
      budget.charge(b.length, `shard ${shown(p)}`);
      return b;
    });
    const size = parts.reduce((s, b) => s + b.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const b of parts) { all.set(b, at); at += b.length; }
    let off = 0;
    for (const [i, s] of g.specs.entries()) {
      g.offsets[i] = off;
      if (s.bytes < 0) {
        const n = numel(s.shape);
        let len = 0;
        for (let k = 0; k < n; k++) {
          if (off + len + 4 > size) break;
          len += 4 + new DataView(all.buffer, off + len, 4).getUint32(0, true);
        }
        s.bytes = len;
      }
      off += s.bytes;
    }
    if (off !== size) {
      fail(`the weight shards ${g.paths.slice(0, 3).map((p) => shown(p, 40)).join(', ')}${g.paths.length > 3 ? ', …' : ''} hold ${size} bytes, but their weights need ${off}: re-download or re-save the model`);
    }
    loaded.set(gi, all);
    return all;
  };

  const readWeight = (name: string): { shape: number[]; data: Float32Array } => {
    const at = byName.get(name)!;
    const bytes = groupBytes(at.g);
    const s = groups[at.g].specs[at.i];
    const n = numel(s.shape);
    const part = bytes.subarray(groups[at.g].offsets[at.i], groups[at.g].offsets[at.i] + s.bytes);
    budget.floats(n, `weight ${shown(name)}`);
    let data: Float32Array;
    if (s.quant) {
      if (s.quant.dtype === 'float16') data = decode(part, 'f16', n);
      else {
        const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
        data = new Float32Array(n);
        for (let k = 0; k < n; k++) data[k] = (s.quant.dtype === 'uint8' ? view.getUint8(k) : view.getUint16(2 * k, true)) * s.quant.scale + s.quant.min;
      }
    } else if (s.dtype === 'float32') data = decode(part, 'f32', n);
    else if (s.dtype === 'float16') data = decode(part, 'f16', n);
    else fail(`weight ${shown(name)} is ${shown(s.dtype, 20)}, not float32 or float16`);
    return { shape: s.shape, data };
  };

  /** The weight of `kind` under `path` (layer names, outer to inner). */
  const findWeight = (path: string[], kind: string, optional: boolean): string | undefined => {
    const exact = `${path.join('/')}/${kind}`;
    if (byName.has(exact) && !claimed.has(exact)) { claimed.add(exact); return exact; }
    const hits: string[] = [];
    for (const name of byPart.get(path[0]) ?? []) {
      if (claimed.has(name)) continue;
      const parts = name.replace(/:\d+$/, '').split('/');
      if (parts[parts.length - 1] !== kind) continue;
      let p = 0;
      for (const part of parts.slice(0, -1)) if (p < path.length && part === path[p]) p++;
      if (p === path.length) hits.push(name);
    }
    if (hits.length > 1) fail(`model.json lists several weights that could be ${shown(exact)} (${hits.slice(0, 3).map((h) => shown(h, 40)).join(', ')})`);
    if (hits.length === 0) {
      if (optional) return undefined;
      fail(`model.json lists no weight ${shown(exact)} for its layer ${shown(path[0])}`);
    }
    claimed.add(hits[0]);
    return hits[0];
  };

  const readLayer = (name: string, cls: string, config: Json, path: string[], reverse: boolean, layer: number): TorchLayout | undefined => {
    const cell = CELLS[cls];
    const label = `${cls} ${shown(name)}`;
    const G = GATES[cell];
    const units = key(config, 'units');
    const act = activationName(key(config, 'activation')) ?? 'tanh';
    const gateName = activationName(key(config, 'recurrent_activation')) ?? (cell === 'rnn' ? undefined : 'hard_sigmoid');
    const useBias = key(config, 'use_bias') !== false;
    const resetAfter = cell === 'gru' && key(config, 'reset_after') === true;
    const options: LayerOptions = {};
    let skip: string | undefined;
    if (cell === 'rnn') {
      if (act === 'tanh' || act === 'relu') options.activation = act as RnnActivation;
      else skip = `its activation is ${shown(act, 30)}; RNN Lens computes a SimpleRNN with tanh or relu`;
    } else {
      if (act !== 'tanh') skip = `its activation is ${shown(act, 30)}; RNN Lens computes an ${cls} with tanh`;
      if (gateName === 'sigmoid') options.recurrentActivation = 'sigmoid';
      else if (gateName === 'hard_sigmoid') options.recurrentActivation = 'hardSigmoid' satisfies GateActivation;
      else skip = `its recurrent_activation is ${shown(gateName ?? '', 30)}; RNN Lens computes sigmoid or hard_sigmoid gates`;
      if (gateName === 'hard_sigmoid' && /^3\./.test(kerasVersion)) {
        warnings.push(`${label}: hard_sigmoid read as TF.js's clip(0.2x + 0.5, 0, 1); Keras 3 (this model's keras_version) computes clip(x/6 + 0.5, 0, 1)`);
      }
      if (cell === 'gru') options.resetAfter = resetAfter;
    }
    // Claim the weights even for a layer left out, so that none is taken for another layer.
    const kName = findWeight(path, 'kernel', false)!;
    const rName = findWeight(path, 'recurrent_kernel', false)!;
    const bName = useBias ? findWeight(path, 'bias', false) : undefined;
    if (skip) {
      warnings.push(`${label} (layer ${layer}) is left out: ${skip}`);
      return undefined;
    }
    const k = readWeight(kName);
    const r = readWeight(rName);
    if (k.shape.length !== 2 || r.shape.length !== 2) fail(`${label}: its kernels are not matrices`);
    const [D, GH] = k.shape;
    const H = GH / G;
    if (!Number.isInteger(H) || H < 1 || D < 1) fail(`${label}: its kernel of shape [${k.shape.join(', ')}] is not (D, ${G}·H)`);
    if (H > MAX_SIZE || D > MAX_SIZE) fail(`${label} has D = ${D}, H = ${H}; RNN Lens reads layers up to ${MAX_SIZE}`);
    if (typeof units === 'number' && units !== H) fail(`${label}: its kernel holds ${H} units, its config says ${units}`);
    if (r.shape[0] !== H || r.shape[1] !== GH) fail(`${label}: its recurrent kernel is [${r.shape.join(', ')}], not [${H}, ${GH}]`);
    let bIn: Float32Array | undefined;
    let bRec: Float32Array | undefined;
    if (bName) {
      const b = readWeight(bName);
      const want = resetAfter ? [2, GH] : [GH];
      if (b.shape.join() !== want.join()) fail(`${label}: its bias is [${b.shape.join(', ')}], not [${want.join(', ')}]`);
      bIn = b.data.subarray(0, GH);
      if (resetAfter) bRec = b.data.subarray(GH, 2 * GH);
    }
    // Keras block q of the columns → PyTorch block from[q].
    const from = cell === 'gru' ? [1, 0, 2] : Array.from({ length: G }, (_, q) => q);
    const torchRows = (m: Float32Array, rows: number): Float32Array => {
      const out = new Float32Array(GH * rows);
      for (let q = 0; q < G; q++) {
        for (let u = 0; u < H; u++) {
          const col = from[q] * H + u;
          for (let d = 0; d < rows; d++) out[(q * H + u) * rows + d] = m[d * GH + col];
        }
      }
      return out;
    };
    const torchBias = (v: Float32Array): Float32Array => {
      const out = new Float32Array(GH);
      for (let q = 0; q < G; q++) for (let u = 0; u < H; u++) out[q * H + u] = v[from[q] * H + u];
      return out;
    };
    const t: TorchLayout = { name, cell, layer, reverse, D, H, weightIh: torchRows(k.data, D), weightHh: torchRows(r.data, H), options };
    if (bIn) t.biasIh = torchBias(bIn);
    if (bRec) t.biasHh = torchBias(bRec);
    return t;
  };

  walkLayers(topology, ({ cls, config }) => {
    if (cls === 'InputLayer') return;
    total++;
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
    const name = typeof config.name === 'string' ? config.name : '';
    if (CELLS[cls]) {
      const l = readLayer(name, cls, config, [name], key(config, 'go_backwards') === true, index++);
      if (l) layers.push(l);
    } else if (cls === 'Bidirectional') {
      const inner = key(config, 'layer');
      const layer = index++;
      if (!isObject(inner) || typeof inner.class_name !== 'string' || !CELLS[inner.class_name] || !isObject(inner.config)) {
        const what = isObject(inner) && typeof inner.class_name === 'string' ? shown(inner.class_name, 30) : 'no layer';
        warnings.push(`Bidirectional ${shown(name)} (layer ${layer}) is left out: it wraps ${what}, not an LSTM, GRU or SimpleRNN`);
        return;
      }
      if (key(config, 'backward_layer') !== undefined) warnings.push(`Bidirectional ${shown(name)}: its backward_layer config is not read; the backward direction is read as a copy of the forward one`);
      const innerName = typeof inner.config.name === 'string' ? inner.config.name : '';
      const back = key(inner.config, 'go_backwards') === true;
      for (const [dir, reverse] of [['forward', back], ['backward', !back]] as const) {
        const l = readLayer(name, inner.class_name, inner.config, [name, `${dir}_${innerName}`], reverse, layer);
        if (l) layers.push(l);
      }
    } else if (cls === 'RNN' || cls === 'ConvLSTM2D' || cls === 'CuDNNLSTM' || cls === 'CuDNNGRU') {
      warnings.push(`${shown(cls, 30)} ${shown(name)} is not read (RNN Lens reads LSTM, GRU, SimpleRNN and Bidirectional layers)`);
    }
  });

  const list = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c, n]) => `${shown(c, 30).slice(1, -1)} ×${n}`);
  const kinds = `${list.join(', ')}${counts.size > 8 ? ', …' : ''}`;
  const head = `a TF.js Layers model of ${total} layer${total === 1 ? '' : 's'}${total ? ` (${kinds})` : ''}`;
  const summary = layers.length === 0
    ? `${head}, no recurrent layer`
    : `${head}: ${layers.length} recurrent layer${layers.length === 1 ? '' : 's'} and direction${layers.length === 1 ? '' : 's'} read`;
  return { layers, summary };
}
