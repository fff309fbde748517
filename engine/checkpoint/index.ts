// readCheckpoint: the recurrent layers of a checkpoint as users save it, mapped into the engine's
// layout so that for every layer L
//   forward(L.cell, { T, B, D: L.D, H: L.H }, L.params, x, L.options)
// equals the framework's output of that one layer and direction (a reverse direction reads x
// backwards). What it reads:
// - torch.save: a state_dict, a dict holding state_dicts at any depth (the tutorial's general
//   checkpoint, several models in one file, a Lightning .ckpt), a whole pickled nn.Module (its
//   classes become placeholders: nothing is imported or run), in the zip format or the legacy
//   (pre-1.6) one; torch.jit.save's TorchScript archives (pickle.ts, walk.ts, formats.ts);
// - safetensors, one file or sharded through model.safetensors.index.json (torch shards through
//   pytorch_model.bin.index.json too); NumPy .npz;
// - TF.js Layers model.json and its weight shards, as TF.js and the Keras converter write them (tfjs.ts);
// - ONNX models' LSTM, GRU and RNN nodes, in graph order (onnx.ts).
// Layers are named by their module path; PyTorch's `<module>.weight_ih_l<k>[_reverse]`,
// `weight_hh_…`, `bias_…` and `weight_hr_…` (a projection), or the cells' `<module>.weight_ih`.
// Every reader hands its layers over in PyTorch's layout; layer.ts maps them into the engine's.
// Only the recurrent tensors are decoded; everything else is listed by name at most, never read.
import { cellWithGates } from '../cells/registry';
import { type ByteSource, CheckpointError, ReadBudget, bytesSource, decodeUtf8, fail, shown } from './bytes';
import type { TensorRef } from './dtype';
import { legacyTorchTensors, npzTensors, safetensorsTensors, torchTensors } from './formats';
import { onnxLayers } from './onnx';
import { tfjsLayers } from './tfjs';
import { type LayerOptions, type RecurrentLayer, type TorchLayout, toRecurrentLayer } from './layer';
import type { ModuleMeta } from './walk';
import { isZip, readZipDirectory } from './zip';

export { CheckpointError } from './bytes';
export { readNpy } from './formats';
export type { ByteSource } from './bytes';
export type { LayerOptions, LayerParams, RecurrentLayer, TorchLayout } from './layer';
export { toRecurrentLayer } from './layer';
// Comparing two checkpoints ships with the reader (the host loads both lazily, together).
export { diffCheckpoints } from '../summaries/diff';
export type { CheckpointDiff, GateChange, LayerDiff } from '../summaries/diff';

export interface CheckpointContents {
  layers: RecurrentLayer[];
  warnings: string[];
}

/** A file beside the one opened, by its bare name (same folder only); undefined when it is not there. */
export type SiblingReader = (name: string) => Uint8Array | undefined;
export type AsyncSiblingReader = (name: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

export interface ReadOptions {
  /** How a reader gets the other files of a checkpoint (shards, an index, TF.js weights). */
  sibling?: SiblingReader;
}

/** The largest recurrent layer read: H and D up to 4,096 (the lab caps what it computes further). */
export const MAX_LAYER_SIZE = 4096;
/** A .npz array may inflate to at most this many bytes. */
const MAX_NPZ_ENTRY = 1024 * 1024 * 1024;
/** Files one read may open beside the first: a sharded checkpoint's shards, an index. */
export const MAX_SIBLINGS = 256;
/** An index or a model.json is JSON of names: more than this is not one. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

// `<module>.weight_ih_l<k>[_reverse]` (nn.LSTM, nn.GRU, nn.RNN) or `<module>.weight_ih` (the cells).
const NAME = /^(?:(.*)\.)?(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)(?:_l(\d+)(_reverse)?)?$/;

type Part = 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh' | 'weight_hr';

export type CheckpointFormat = 'torch' | 'safetensors' | 'index' | 'npz' | 'json' | 'onnx';

export function formatOf(fileName: string, src: ByteSource): CheckpointFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  // A sharded checkpoint's index: model.safetensors.index.json, pytorch_model.bin.index.json.
  if (lower.endsWith('.index.json')) return 'index';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.pt') || lower.endsWith('.pth') || lower.endsWith('.bin') || lower.endsWith('.ckpt') || lower.endsWith('.tar')) return 'torch';
  if (isZip(src)) return 'torch';
  return src.size > 0 && src.read(0, 1)[0] === 0x80 ? 'torch' : 'safetensors';
}

/** A sibling's name as readers may ask for it: a bare file name in the same folder. */
function checkSiblingName(name: string): void {
  if (name === '' || name.length > 255 || /[/\\]|^\.\.?$/.test(name) || name.includes('\u0000')) {
    fail(`the checkpoint names ${shown(name, 60)} as one of its files; RNN Lens opens files in the same folder only`);
  }
}

interface Read {
  tensors: TensorRef[];
  modules: Map<string, ModuleMeta>;
  /** Layers a non-PyTorch reader found, already in PyTorch's layout. */
  layouts?: TorchLayout[];
  /** What the file holds, when it holds no recurrent layer (the non-PyTorch readers say). */
  summary?: string;
  /** Whether the tensors came from one shard of a split checkpoint. */
  oneShard: boolean;
}

const noModules = (): Map<string, ModuleMeta> => new Map();

function jsonOf(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decodeUtf8(bytes));
  } catch {
    return fail(`${what} is not JSON: a damaged file`);
  }
}

/**
 * A sharded checkpoint's index (`model.safetensors.index.json`, `pytorch_model.bin.index.json`):
 * `weight_map` names the shard holding each tensor; each shard is read as its name says
 * (safetensors, or a torch.save zip).
 */
function shardedTensors(index: Uint8Array, sibling: SiblingReader, budget: ReadBudget, warnings: string[]): TensorRef[] {
  if (index.length > MAX_JSON_BYTES) fail(`the index is ${index.length} bytes, more than an index of tensor names takes`);
  const doc = jsonOf(index, 'the index');
  const map = typeof doc === 'object' && doc !== null ? (doc as { weight_map?: unknown }).weight_map : undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) fail('the index has no weight_map: not a model.safetensors.index.json');
  const files: string[] = [];
  for (const f of Object.values(map as Record<string, unknown>)) {
    if (typeof f !== 'string') fail('the index maps a tensor to something that is not a file name');
    if (!files.includes(f)) files.push(f);
  }
  if (files.length > MAX_SIBLINGS) fail(`the index names ${files.length} shards, more than the ${MAX_SIBLINGS} RNN Lens opens`);
  const out: TensorRef[] = [];
  const missing: string[] = [];
  for (const f of files) {
    checkSiblingName(f);
    const bytes = sibling(f);
    if (!bytes) {
      missing.push(f);
      continue;
    }
    const shard = bytesSource(bytes);
    if (f.toLowerCase().endsWith('.safetensors')) out.push(...safetensorsTensors(shard, budget));
    else if (isZip(shard)) out.push(...torchTensors(shard, readZipDirectory(shard), budget, warnings).tensors);
    else fail(`the index names the shard ${shown(f, 60)}, which is neither safetensors nor a torch.save zip`);
  }
  if (missing.length > 0) {
    if (missing.length === files.length) fail(`none of the ${files.length} shards the index names is beside it (${shown(missing[0], 60)}, …): open the index from the folder that holds its shards`);
    warnings.push(`${missing.length} of the ${files.length} shards the index names ${missing.length === 1 ? 'is' : 'are'} not beside it (${missing.slice(0, 3).map((m) => shown(m, 60)).join(', ')}): their layers are left out`);
  }
  return out;
}

const SHARD_NAME = /-\d+-of-\d+\.safetensors$/i;

function readTensors(src: ByteSource, fileName: string, warnings: string[], budget: ReadBudget, sibling: SiblingReader | undefined): Read {
  if (src.size === 0) fail('an empty file (0 bytes), not a checkpoint: save one with torch.save(model.state_dict(), path)');
  const format = formatOf(fileName, src);
  const plain = (tensors: TensorRef[], oneShard = false): Read => ({ tensors, modules: noModules(), oneShard });
  if (format === 'index') {
    if (!sibling) fail('an index of a sharded checkpoint: open it from the folder that holds its shards (rnn-lens inspect, or the lab\'s inspector)');
    return plain(shardedTensors(src.read(0, Math.min(src.size, MAX_JSON_BYTES + 1)), sibling, budget, warnings));
  }
  if (format === 'safetensors') {
    const shard = SHARD_NAME.test(fileName);
    if (shard && sibling) {
      // One shard opened: the whole checkpoint is read through its index when the index is beside it.
      const indexName = `${fileName.replace(/^.*[/\\]/, '').replace(SHARD_NAME, '')}.safetensors.index.json`;
      const index = sibling(indexName);
      if (index) {
        warnings.push(`read the whole checkpoint through ${shown(indexName)}, beside this shard`);
        return plain(shardedTensors(index, sibling, budget, warnings));
      }
    }
    return plain(safetensorsTensors(src, budget), shard);
  }
  if (format === 'onnx') {
    const { layers, summary } = onnxLayers(src, budget, warnings);
    return { tensors: [], modules: noModules(), layouts: layers, summary, oneShard: false };
  }
  if (format === 'json') {
    // A TF.js Layers model.json: its weights are in the shards its manifest names, beside it.
    const { layers, summary } = tfjsLayers(src.read(0, Math.min(src.size, MAX_JSON_BYTES + 1)), sibling ?? (() => undefined), budget, warnings);
    return { tensors: [], modules: noModules(), layouts: layers, summary, oneShard: false };
  }
  if (!isZip(src)) {
    if (format === 'torch' && src.read(0, 1)[0] === 0x80) {
      const { tensors, modules } = legacyTorchTensors(src, budget, warnings);
      return { tensors, modules, oneShard: false };
    }
    fail(format === 'npz'
      ? 'not a .npz (zip) file: save the arrays with numpy.savez'
      : 'not a torch.save file: save the model with torch.save(model.state_dict(), path)');
  }
  const dir = readZipDirectory(src);
  if (format === 'npz') return plain(npzTensors(src, dir, MAX_NPZ_ENTRY, budget));
  const { tensors, modules } = torchTensors(src, dir, budget, warnings);
  return { tensors, modules, oneShard: false };
}

function matrix(t: TensorRef, data: Float32Array, rows: number, cols: number, what: string): Float32Array {
  if (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols) {
    fail(`${shown(t.name)} has shape [${t.shape.join(', ')}]; ${what} needs [${rows}, ${cols}]`);
  }
  return data;
}

function vector(t: TensorRef | undefined, n: number): Float32Array | undefined {
  // Absent only for a layer built with bias=False (mapLayer decides): its biases are zero.
  if (!t) return undefined;
  if (t.shape.length !== 1 || t.shape[0] !== n) fail(`${shown(t.name)} has shape [${t.shape.join(', ')}], not [${n}]`);
  return t.read();
}

/** What mapLayer needs to know about the whole file to judge a layer with parts missing. */
interface FileContext {
  /** A safetensors file: it may be one shard of a checkpoint split across files. */
  safetensors: boolean;
  /** The file is one shard of a split checkpoint, read alone. */
  shardName: boolean;
  /** Some recurrent layer in the file has a bias: a layer without is then missing its biases, not built with bias=False. */
  anyBias: boolean;
  modules: Map<string, ModuleMeta>;
}

const PARTS: readonly Part[] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];

interface Group { name: string; layer: number; layerText: string | undefined; reverse: boolean; parts: Map<Part, TensorRef> }

/** The RNN nonlinearity a pickled module recorded, if the file had the module. */
function recordedNonlinearity(meta: ModuleMeta | undefined): 'tanh' | 'relu' | undefined {
  if (!meta) return undefined;
  if (meta.mode === 'RNN_RELU' || meta.nonlinearity === 'relu') return 'relu';
  if (meta.mode === 'RNN_TANH' || meta.nonlinearity === 'tanh') return 'tanh';
  return undefined;
}

function mapLayer(g: Group, ctx: FileContext, budget: ReadBudget, warnings: string[], leftOut: string[]): RecurrentLayer | null {
  const { name, layer, reverse, parts } = g;
  const label = `${name || '(root)'}${g.layerText === undefined ? '' : ` layer ${layer}`}${reverse ? ' (reverse)' : ''}`;
  const leave = (why: string): null => {
    warnings.push(why);
    leftOut.push(why);
    return null;
  };
  const full = (part: Part) => `${name ? `${name}.` : ''}${part}${g.layerText === undefined ? '' : `_l${g.layerText}`}${reverse ? '_reverse' : ''}`;
  const hint = ctx.safetensors
    ? ' (a shard of a checkpoint split across files, listed in its model.safetensors.index.json? open the index, or the whole checkpoint)'
    : ' (save the whole model.state_dict())';
  const incomplete = (missing: Part[]) => leave(`${label} is incomplete: ${missing.map(full).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in this file${hint}; left out`);
  const wih = parts.get('weight_ih');
  const whh = parts.get('weight_hh');
  const whr = parts.get('weight_hr');
  if (!wih || !whh) return incomplete(PARTS.filter((p) => !parts.has(p)));
  const hasIh = parts.has('bias_ih');
  const hasHh = parts.has('bias_hh');
  if (hasIh !== hasHh) return incomplete(hasIh ? ['bias_hh'] : ['bias_ih']);
  if (!hasIh && (ctx.shardName || ctx.anyBias)) return incomplete(['bias_ih', 'bias_hh']);
  if (!wih.dtype || !whh.dtype) return leave(`${label}: its weights are ${shown(wih.dtype ? whh.fileDtype : wih.fileDtype, 30)}, not floating point; left out`);
  // Shapes first, from the headers: nothing is decoded for a layer that cannot be one.
  if (whh.shape.length !== 2 || wih.shape.length !== 2) fail(`${label}: weights that are not matrices (weight_ih [${wih.shape.join(', ')}], weight_hh [${whh.shape.join(', ')}])`);
  if (whr && (whr.shape.length !== 2 || whr.shape[0] !== whh.shape[1] || whr.shape[0] >= whr.shape[1])) {
    fail(`${label}: weight_hr has shape [${whr.shape.join(', ')}], which is no projection of weight_hh [${whh.shape.join(', ')}]`);
  }
  // With a projection of size P: weight_hh is (4H, P), weight_hr (P, H).
  const H = whr ? whr.shape[1] : whh.shape[1];
  const R = whh.shape[1];
  const GH = whh.shape[0];
  const D = wih.shape[1];
  if (H < 1 || D < 1 || GH % H !== 0) fail(`${label}: weight_hh has shape [${whh.shape.join(', ')}], which no recurrent cell has`);
  if (H > MAX_LAYER_SIZE || D > MAX_LAYER_SIZE) fail(`${label}: D=${D}, H=${H} is larger than RNN Lens reads (${MAX_LAYER_SIZE})`);
  const G = GH / H;
  const cell = cellWithGates(G);
  if (!cell) return leave(`${label}: ${G} gate blocks match no RNN, LSTM or GRU; left out`);
  if (whr && cell !== 'lstm') return leave(`${label}: weight_hr (a projection) on a ${cell}, which PyTorch does not have; left out`);
  // The layer as the lab keeps it (W, b, bh), charged before anything of it is read, so that a
  // file of many large layers stops at the first one past the budget.
  budget.floats(GH * (D + R) + 2 * GH + (whr ? R * H : 0), `${label} (${GH * (D + R)} weights)`);
  const options: LayerOptions = {};
  if (cell === 'rnn') {
    const recorded = recordedNonlinearity(ctx.modules.get(name));
    options.activation = recorded ?? 'tanh';
    if (!recorded) warnings.push(`${label}: a state_dict does not say an RNN's nonlinearity; tanh assumed (relu if it was nn.RNN(nonlinearity='relu'))`);
  }
  if (cell === 'gru') options.resetAfter = true;
  const t: TorchLayout = {
    name, cell, layer, reverse, D, H, options,
    weightIh: matrix(wih, wih.read(), GH, D, 'weight_ih'),
    weightHh: matrix(whh, whh.read(), GH, R, 'weight_hh'),
  };
  const bih = vector(parts.get('bias_ih'), GH);
  const bhh = vector(parts.get('bias_hh'), GH);
  if (bih) t.biasIh = bih;
  if (bhh) t.biasHh = bhh;
  if (whr) t.weightHr = matrix(whr, whr.read(), R, H, 'weight_hr');
  if (!hasIh) warnings.push(`${label} has no biases (${full('bias_ih')}, ${full('bias_hh')}): read as a layer built with bias=False; if this file is part of a checkpoint, open the whole one`);
  return toRecurrentLayer(t);
}

/** A layer given in PyTorch's layout by a non-PyTorch reader, checked against the same caps. */
function mapLayout(t: TorchLayout, budget: ReadBudget): RecurrentLayer {
  if (t.H > MAX_LAYER_SIZE || t.D > MAX_LAYER_SIZE) fail(`${shown(t.name)}: D=${t.D}, H=${t.H} is larger than RNN Lens reads (${MAX_LAYER_SIZE})`);
  budget.floats(t.weightIh.length + t.weightHh.length, `${shown(t.name)} (${t.weightIh.length + t.weightHh.length} weights)`);
  return toRecurrentLayer(t);
}

/** What a file without a recurrent layer holds, in a few words, from its tensors' names and shapes. */
export function describeTensors(tensors: readonly TensorRef[]): string {
  const blocks = new Set<string>();
  let convs = 0;
  let embeddings = 0;
  let linears = 0;
  for (const t of tensors) {
    const segs = t.name.split('.');
    const at = segs.findIndex((s) => /^(self_attn|attn|attention|self_attention|mha|multihead_attn|cross_attn|encdec_attn)$/i.test(s));
    if (at >= 0) blocks.add(segs.slice(0, at).join('.'));
    const last = segs.at(-1) ?? '';
    if (last !== 'weight' && !last.endsWith('_weight')) continue;
    if (t.shape.length >= 3) convs++;
    else if (t.shape.length === 2 && /embed|wte|wpe|tok|lookup/i.test(t.name)) embeddings++;
    else if (t.shape.length === 2) linears++;
  }
  const parts: string[] = [];
  if (embeddings) parts.push(`${embeddings} embedding${embeddings === 1 ? '' : 's'}`);
  if (linears) parts.push(`${linears} linear layer${linears === 1 ? '' : 's'}`);
  const n = `${tensors.length} tensor${tensors.length === 1 ? '' : 's'}`;
  if (blocks.size > 0) return `a Transformer: ${blocks.size} attention block${blocks.size === 1 ? '' : 's'}, no recurrent layer (${n})`;
  if (convs > 0) return `a convolutional network: ${convs} convolution${convs === 1 ? '' : 's'}, no recurrent layer (${n})`;
  return parts.length ? `a network of ${parts.join(' and ')}, no recurrent layer (${n})` : `${n}, none of them recurrent`;
}

/** Warnings kept of one read; the rest are counted in one line. */
export const MAX_WARNINGS = 20;

function capped(warnings: readonly string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return [...warnings];
  const more = warnings.length - MAX_WARNINGS;
  return [...warnings.slice(0, MAX_WARNINGS), `… and ${more} more warning${more === 1 ? '' : 's'}`];
}


/** Raised inside a read that needs a sibling the caller can only give asynchronously. */
class SiblingPending {
  constructor(readonly name: string, readonly bytes: Promise<Uint8Array | undefined>) {}
}

/** Reads from any byte source: only the ranges it needs (see bytes.ts). */
export function readCheckpointFrom(src: ByteSource, fileName: string, options: ReadOptions = {}): CheckpointContents {
  const warnings: string[] = [];
  const leftOut: string[] = [];
  const groups = new Map<string, Group>();
  let opened = 0;
  const sibling: SiblingReader | undefined = options.sibling && ((name) => {
    checkSiblingName(name);
    if (++opened > MAX_SIBLINGS) fail(`the checkpoint needs more than ${MAX_SIBLINGS} files beside it`);
    return options.sibling!(name);
  });
  try {
    const budget = new ReadBudget();
    const read = readTensors(src, fileName, warnings, budget, sibling);
    const { tensors } = read;
    for (const t of tensors) {
      const m = NAME.exec(t.name);
      if (!m) continue;
      const [, name = '', part, layerText, reverse] = m;
      const key = `${name}\u0000${layerText ?? '-'}\u0000${reverse ? 1 : 0}`;
      let g = groups.get(key);
      if (!g) {
        g = { name, layer: layerText === undefined ? 0 : Number(layerText), layerText, reverse: Boolean(reverse), parts: new Map() };
        groups.set(key, g);
      }
      g.parts.set(part as Part, t);
    }
    const ctx: FileContext = {
      safetensors: formatOf(fileName, src) === 'safetensors',
      shardName: read.oneShard,
      anyBias: [...groups.values()].some((g) => g.parts.has('bias_ih') || g.parts.has('bias_hh')),
      modules: read.modules,
    };
    const layers: RecurrentLayer[] = [];
    for (const g of groups.values()) {
      const l = mapLayer(g, ctx, budget, warnings, leftOut);
      if (l) layers.push(l);
    }
    layers.sort((a, b) => a.name.localeCompare(b.name) || a.layer - b.layer || Number(a.reverse) - Number(b.reverse));
    for (const t of read.layouts ?? []) layers.push(mapLayout(t, budget));
    const out = capped(warnings);
    if (layers.length === 0) {
      // The last warning is the reason the host shows when there is nothing to open.
      if (leftOut.length > 0) {
        out.push(`no recurrent layer could be read: ${leftOut[0]}${leftOut.length > 1 ? ` (and ${leftOut.length - 1} more layers left out)` : ''}`);
      } else if (read.summary) {
        out.push(`no recurrent layer found: ${read.summary}`);
      } else if (tensors.length === 0) {
        out.push('no recurrent layer found: the file holds no tensors');
      } else {
        const names = tensors.slice(0, 5).map((t) => shown(t.name, 40)).join(', ') + (tensors.length > 5 ? ', …' : '');
        out.push(`no recurrent layer found: ${describeTensors(tensors)}; its tensors: ${names} (RNN Lens looks for PyTorch's weight_ih_l0 / weight_hh_l0 names)`);
      }
    }
    return { layers, warnings: out };
  } catch (err) {
    if (err instanceof CheckpointError || err instanceof SiblingPending) throw err;
    // Anything else is a reader bug or a malformed file we did not foresee: still one line.
    const reason = err instanceof Error && err.message ? err.message.split('\n')[0] : 'an unexpected error';
    throw new CheckpointError(`cannot read ${shown(fileName)}: ${err instanceof RangeError ? 'the file is too large or too deeply nested to read' : reason}`);
  }
}

const isThenable = (v: unknown): v is Promise<Uint8Array | undefined> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/**
 * The whole file in memory: the signature `dist/lab-core.js` exports. `sibling(name)` gives the
 * bytes of a file in the same folder (a shard, an index, TF.js weights); given one that returns
 * promises (the host's workspace.fs), the read returns a promise too.
 */
export function readCheckpoint(bytes: Uint8Array, fileName: string, options?: ReadOptions): CheckpointContents;
export function readCheckpoint(bytes: Uint8Array, fileName: string, options: { sibling: AsyncSiblingReader }): CheckpointContents | Promise<CheckpointContents>;
export function readCheckpoint(bytes: Uint8Array, fileName: string, options: { sibling?: AsyncSiblingReader } = {}): CheckpointContents | Promise<CheckpointContents> {
  const src = bytesSource(bytes);
  const given = options.sibling;
  if (!given) return readCheckpointFrom(src, fileName);
  const cache = new Map<string, Uint8Array | undefined>();
  const sibling: SiblingReader = (name) => {
    if (cache.has(name)) return cache.get(name);
    const got = given(name);
    if (isThenable(got)) throw new SiblingPending(name, got);
    cache.set(name, got);
    return got;
  };
  const attempt = (): CheckpointContents => readCheckpointFrom(src, fileName, { sibling });
  try {
    return attempt();
  } catch (err) {
    if (!(err instanceof SiblingPending)) throw err;
    // Each retry knows one more sibling; the readers ask for at most MAX_SIBLINGS.
    return (async () => {
      let pending: SiblingPending = err;
      for (let i = 0; i <= MAX_SIBLINGS; i++) {
        cache.set(pending.name, await pending.bytes);
        try {
          return attempt();
        } catch (again) {
          if (!(again instanceof SiblingPending)) throw again;
          pending = again;
        }
      }
      return fail(`the checkpoint needs more than ${MAX_SIBLINGS} files beside it`);
    })();
  }
}
