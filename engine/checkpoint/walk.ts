// Every tensor in an unpickled checkpoint, named by its path: a state_dict's keys as they are,
// a dict of state_dicts at any depth (`encoder.rnn.weight_ih_l0` for {'encoder': {'rnn': sd}}),
// a pickled nn.Module through its `_parameters`, `_buffers` and `_modules` (the names its
// state_dict would have), a TorchScript object through its attributes. A path's first segment is
// dropped where it is only a container of the model's state_dict (the tutorial's
// `model_state_dict`, Lightning's `state_dict`, `{'model': …}`), at any depth, so that layers keep
// their module names; only where it is the one such key of its dict, so that names never collide.
import { fail } from './bytes';
import type { PyDict, PyObject, TensorDesc } from './pickle';

/** What a pickled module says about itself that a state_dict does not: an RNN's nonlinearity. */
export interface ModuleMeta {
  className: string;
  /** nn.RNNBase.mode: 'LSTM', 'GRU', 'RNN_TANH', 'RNN_RELU'. */
  mode?: string;
  nonlinearity?: string;
}

export interface FoundTensors {
  tensors: { name: string; desc: TensorDesc }[];
  /** Module path → what its pickled object recorded. */
  modules: Map<string, ModuleMeta>;
  /** The first container dropped from the names, as the path of keys that leads to it. */
  container?: string[];
}

/** Keys that hold the model's state_dict inside a larger checkpoint dict. */
const CONTAINER_KEYS = new Set(['state_dict', 'model_state_dict', 'model_state', 'model', 'net', 'network', 'weights']);
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
  const seen = new Set<object>();
  const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

  let container: string[] | undefined;
  const walk = (v: unknown, path: string, depth: number, keys: readonly string[]): void => {
    if (typeof v !== 'object' || v === null) return;
    if (depth > MAX_WALK_DEPTH) fail(`the checkpoint nests its tensors more than ${MAX_WALK_DEPTH} levels deep`);
    const kind = kindOf(v);
    if (kind === 'tensor') {
      // A tensor may have several names (tied weights): each is listed.
      if (tensors.length >= MAX_TENSORS) fail(`the checkpoint holds more than ${MAX_TENSORS} tensors, more than RNN Lens lists`);
      tensors.push({ name: path, desc: v as TensorDesc });
      return;
    }
    // A container reached twice (memoized, or a cycle) is walked once.
    if (seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, join(path, String(i)), depth + 1, [...keys, String(i)]));
    } else if (kind === 'dict') {
      const entries = (v as PyDict).entries;
      const holders = entries.filter(([k, item]) => typeof k === 'string' && CONTAINER_KEYS.has(k) && (kindOf(item) === 'dict' || kindOf(item) === 'object'));
      const drop = holders.length === 1 ? holders[0][0] : undefined;
      for (const [k, item] of entries) {
        if (typeof k !== 'string' && typeof k !== 'number') continue;
        if (k === drop) {
          container ??= [...keys, String(k)];
          walk(item, path, depth + 1, [...keys, String(k)]);
        } else {
          walk(item, join(path, String(k)), depth + 1, [...keys, String(k)]);
        }
      }
    } else if (kind === 'object') {
      walkObject(v as PyObject, path, depth, keys);
    }
  };

  const walkObject = (o: PyObject, path: string, depth: number, keys: readonly string[]): void => {
    const state = Array.isArray(o.state) ? o.state.find((s) => kindOf(s) === 'dict') : o.state;
    if (kindOf(state) === 'dict') {
      const d = state as PyDict;
      const meta: ModuleMeta = { className: `${o.module}.${o.name}` };
      const mode = entryOf(d, 'mode');
      const nonlinearity = entryOf(d, 'nonlinearity');
      if (typeof mode === 'string') meta.mode = mode;
      if (typeof nonlinearity === 'string') meta.nonlinearity = nonlinearity;
      modules.set(path, meta);
      const mods = entryOf(d, '_modules');
      if (mods !== undefined || entryOf(d, '_parameters') !== undefined) {
        // An nn.Module: its state_dict is its parameters and buffers, then its submodules'.
        for (const key of ['_parameters', '_buffers']) {
          const part = entryOf(d, key);
          if (kindOf(part) === 'dict') for (const [k, item] of (part as PyDict).entries) if (typeof k === 'string') walk(item, join(path, k), depth + 1, [...keys, k]);
        }
        if (kindOf(mods) === 'dict') for (const [k, item] of (mods as PyDict).entries) if (typeof k === 'string') walk(item, join(path, k), depth + 1, [...keys, k]);
        return;
      }
      // A TorchScript object (or any other): its public attributes.
      for (const [k, item] of d.entries) if (typeof k === 'string' && !k.startsWith('_') && k !== 'training') walk(item, join(path, k), depth + 1, [...keys, k]);
    }
    for (const [k, item] of o.entries) if (typeof k === 'string' || typeof k === 'number') walk(item, join(path, String(k)), depth + 1, [...keys, String(k)]);
    o.items.forEach((item, i) => walk(item, join(path, String(i)), depth + 1, [...keys, String(i)]));
  };

  walk(root, '', 0, []);
  return { tensors, modules, ...(container ? { container } : {}) };
}
