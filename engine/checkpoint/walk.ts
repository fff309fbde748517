// Every tensor in an unpickled checkpoint, named by its path: a state_dict's keys as they are,
// a dict of state_dicts at any depth (`encoder.rnn.weight_ih_l0` for {'encoder': {'rnn': sd}}),
// a pickled nn.Module through its `_parameters`, `_buffers` and `_modules` (the names its
// state_dict would have), a TorchScript object through its attributes. A path's first segment is
// dropped where it is only a container of the model's state_dict (the tutorial's
// `model_state_dict`, Lightning's `state_dict`), so that layers keep their module names.
import { fail } from './bytes';
import type { PyDict, PyObject, TensorDesc } from './pickle';

/** What a pickled module says about itself that a state_dict does not: an RNN's nonlinearity, a projection. */
export interface ModuleMeta {
  className: string;
  /** nn.RNNBase.mode: 'LSTM', 'GRU', 'RNN_TANH', 'RNN_RELU'. */
  mode?: string;
  nonlinearity?: string;
  projSize?: number;
}

export interface FoundTensors {
  tensors: { name: string; desc: TensorDesc }[];
  /** Module path → what its pickled object recorded. */
  modules: Map<string, ModuleMeta>;
  /** The container key dropped from every name, when there was one. */
  container?: string;
  /** Distinct classes of the objects seen (the user's own, nn's), for messages. */
  classes: string[];
}

/** Keys that hold the model's state_dict inside a larger checkpoint dict. */
const CONTAINER_KEYS = new Set(['state_dict', 'model_state_dict', 'model_state']);
const MAX_TENSORS = 200_000;
const MAX_WALK_DEPTH = 64;

/** A pickled value's kind ('dict', 'tensor', 'object', 'storage'), undefined for lists and plain values. */
export const kindOf = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { kind?: string }).kind : undefined;

function entryOf(d: PyDict, key: string): unknown {
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}

export function collectTensors(root: unknown): FoundTensors {
  const tensors: FoundTensors['tensors'] = [];
  const modules = new Map<string, ModuleMeta>();
  const classes = new Set<string>();
  const seen = new Set<object>();
  const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v !== 'object' || v === null) return;
    if (depth > MAX_WALK_DEPTH) fail(`the checkpoint nests its tensors more than ${MAX_WALK_DEPTH} levels deep`);
    if (seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, join(path, String(i)), depth + 1));
      return;
    }
    const kind = kindOf(v);
    if (kind === 'tensor') {
      if (tensors.length >= MAX_TENSORS) fail(`the checkpoint holds more than ${MAX_TENSORS} tensors, more than RNN Lens lists`);
      tensors.push({ name: path, desc: v as TensorDesc });
    } else if (kind === 'dict') {
      for (const [k, item] of (v as PyDict).entries) {
        if (typeof k === 'string' || typeof k === 'number') walk(item, join(path, String(k)), depth + 1);
      }
    } else if (kind === 'object') {
      walkObject(v as PyObject, path, depth);
    }
  };

  const walkObject = (o: PyObject, path: string, depth: number): void => {
    classes.add(`${o.module}.${o.name}`);
    const state = Array.isArray(o.state) ? o.state.find((s) => kindOf(s) === 'dict') : o.state;
    if (kindOf(state) === 'dict') {
      const d = state as PyDict;
      const mods = entryOf(d, '_modules');
      if (mods !== undefined || entryOf(d, '_parameters') !== undefined) {
        // An nn.Module: its state_dict is its parameters and buffers, then its submodules'.
        const meta: ModuleMeta = { className: `${o.module}.${o.name}` };
        const mode = entryOf(d, 'mode');
        const nonlinearity = entryOf(d, 'nonlinearity');
        const proj = entryOf(d, 'proj_size');
        if (typeof mode === 'string') meta.mode = mode;
        if (typeof nonlinearity === 'string') meta.nonlinearity = nonlinearity;
        if (typeof proj === 'number') meta.projSize = proj;
        modules.set(path, meta);
        for (const key of ['_parameters', '_buffers']) {
          const part = entryOf(d, key);
          if (kindOf(part) === 'dict') for (const [k, item] of (part as PyDict).entries) if (typeof k === 'string') walk(item, join(path, k), depth + 1);
        }
        if (kindOf(mods) === 'dict') for (const [k, item] of (mods as PyDict).entries) if (typeof k === 'string') walk(item, join(path, k), depth + 1);
        return;
      }
      // A TorchScript object (or any other): its public attributes.
      const meta: ModuleMeta = { className: `${o.module}.${o.name}` };
      const mode = entryOf(d, 'mode');
      const nonlinearity = entryOf(d, 'nonlinearity');
      if (typeof mode === 'string') meta.mode = mode;
      if (typeof nonlinearity === 'string') meta.nonlinearity = nonlinearity;
      modules.set(path, meta);
      for (const [k, item] of d.entries) if (typeof k === 'string' && !k.startsWith('_') && k !== 'training') walk(item, join(path, k), depth + 1);
    }
    for (const [k, item] of o.entries) if (typeof k === 'string' || typeof k === 'number') walk(item, join(path, String(k)), depth + 1);
    o.items.forEach((item, i) => walk(item, join(path, String(i)), depth + 1));
  };

  let container: string | undefined;
  if (kindOf(root) === 'dict') {
    // A dict whose one container key holds the weights: names start below it.
    const hits = (root as PyDict).entries.filter(([k, v]) => typeof k === 'string' && CONTAINER_KEYS.has(k) && (kindOf(v) === 'dict' || kindOf(v) === 'object'));
    if (hits.length === 1) {
      container = hits[0][0] as string;
      walk(hits[0][1], '', 1);
      seen.add(root as object);
      for (const [k, item] of (root as PyDict).entries) if (k !== container && (typeof k === 'string' || typeof k === 'number')) walk(item, String(k), 1);
    } else {
      walk(root, '', 0);
    }
  } else {
    walk(root, '', 0);
  }
  return { tensors, modules, classes: [...classes], ...(container ? { container } : {}) };
}
