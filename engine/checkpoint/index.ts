// readCheckpoint: the recurrent layers of a PyTorch state_dict, saved with torch.save (.pt,
// .pth), as safetensors or as NumPy .npz, mapped into the engine's layout so that
//   forward(layer.cell, { T, B, D: layer.D, H: layer.H }, layer.params, x,
//           { activation: layer.activation, resetAfter: layer.resetAfter })
// equals PyTorch's output of that one layer and direction (a reverse direction reads x
// backwards). Only the recurrent tensors are decoded; embeddings, heads and everything else
// are listed by name at most, never read.
//
// PyTorch names a recurrent module's tensors `<module>.weight_ih_l<k>[_reverse]`,
// `weight_hh_…`, `bias_ih_…`, `bias_hh_…` (and `weight_hr_…` for a projection LSTM). The mapping
// into the engine's layout (docs/KERNELS.md, "Mapping PyTorch's weights"):
//   W  = [weight_ih | weight_hh] row by row, b = bias_ih, bh = bias_hh;
//   LSTM gate blocks i, f, g, o  → f, i, g, o;
//   GRU  gate blocks r, z, n     → z, r, n, with the z rows and biases negated (PyTorch's z
//        keeps the old state, ours takes the new one: σ(−a) = 1 − σ(a)), and resetAfter, since
//        PyTorch's GRU applies the reset gate after the recurrent product.
import { cellWithGates, pytorchNegated, pytorchSource } from '../cells/registry';
import { type ByteSource, CheckpointError, ReadBudget, bytesSource, decodeLatin1, fail, shown } from './bytes';
import type { TensorRef } from './dtype';
import { npzTensors, safetensorsTensors, torchTensors } from './formats';
import { isZip, readZipDirectory } from './zip';
import type { Cell, RnnActivation } from '../types';

export { CheckpointError } from './bytes';
export { readNpy } from './formats';
export type { ByteSource } from './bytes';

export interface RecurrentLayer {
  /** The module path, e.g. `encoder` for `encoder.weight_ih_l0` (empty for a bare nn.LSTM's state_dict). */
  name: string;
  cell: Cell;
  layer: number;
  reverse: boolean;
  D: number;
  H: number;
  params: { W: Float32Array; b: Float32Array; bh: Float32Array };
  activation?: RnnActivation;
  resetAfter?: boolean;
}

export interface CheckpointContents {
  layers: RecurrentLayer[];
  warnings: string[];
}

/** The largest recurrent layer read: H and D up to 4,096 (the lab caps what it computes further). */
export const MAX_LAYER_SIZE = 4096;
/** A .npz array may inflate to at most this many bytes. */
const MAX_NPZ_ENTRY = 1024 * 1024 * 1024;

const NAME = /^(?:(.*)\.)?(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$/;

type Part = 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh' | 'weight_hr';

export function formatOf(fileName: string, src: ByteSource): 'torch' | 'safetensors' | 'npz' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.pt') || lower.endsWith('.pth') || lower.endsWith('.bin') || lower.endsWith('.ckpt')) return 'torch';
  return isZip(src) ? 'torch' : 'safetensors';
}

function tensorsOf(src: ByteSource, fileName: string, warnings: string[], budget: ReadBudget): TensorRef[] {
  if (src.size === 0) fail('an empty file (0 bytes), not a checkpoint: save one with torch.save(model.state_dict(), path)');
  const format = formatOf(fileName, src);
  if (format === 'safetensors') return safetensorsTensors(src, budget);
  if (!isZip(src)) {
    const head = decodeLatin1(src.read(0, Math.min(2, src.size)));
    if (format === 'torch' && head.charCodeAt(0) === 0x80) {
      fail('this is a legacy (pre-1.6) torch.save file; re-save it with torch.save(model.state_dict(), path) in a current PyTorch');
    }
    fail(format === 'npz'
      ? 'not a .npz (zip) file: save the arrays with numpy.savez'
      : 'not a torch.save (zip) file: save the model with torch.save(model.state_dict(), path)');
  }
  const dir = readZipDirectory(src);
  return format === 'npz' ? npzTensors(src, dir, MAX_NPZ_ENTRY, budget) : torchTensors(src, dir, budget, warnings);
}

/** Gate-block order into ours, and which of ours are negated, per cell. */

function matrix(t: TensorRef, data: Float32Array, rows: number, cols: number, what: string): Float32Array {
  if (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols) {
    fail(`${shown(t.name)} has shape [${t.shape.join(', ')}]; ${what} needs [${rows}, ${cols}]`);
  }
  return data;
}

function vector(t: TensorRef | undefined, n: number): Float32Array {
  // Absent only for a layer built with bias=False (mapLayer decides): its biases are zero.
  if (!t) return new Float32Array(n);
  if (t.shape.length !== 1 || t.shape[0] !== n) fail(`${shown(t.name)} has shape [${t.shape.join(', ')}], not [${n}]`);
  return t.read();
}

/** What mapLayer needs to know about the whole file to judge a layer with parts missing. */
interface FileContext {
  /** A safetensors file: it may be one shard of a checkpoint split across files. */
  safetensors: boolean;
  /** The file's name says it is a shard (`model-00001-of-00003.safetensors`). */
  shardName: boolean;
  /** Some recurrent layer in the file has a bias: a layer without is then missing its biases, not built with bias=False. */
  anyBias: boolean;
}

const PARTS: readonly Part[] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];

interface Group { name: string; layer: number; layerText: string; reverse: boolean; parts: Map<Part, TensorRef> }

function mapLayer(g: Group, ctx: FileContext, budget: ReadBudget, warnings: string[], leftOut: string[]): RecurrentLayer | null {
  const { name, layer, reverse, parts } = g;
  const label = `${name || '(root)'} layer ${layer}${reverse ? ' (reverse)' : ''}`;
  const leave = (why: string): null => {
    warnings.push(why);
    leftOut.push(why);
    return null;
  };
  const full = (part: Part) => `${name ? `${name}.` : ''}${part}_l${g.layerText}${reverse ? '_reverse' : ''}`;
  const hint = ctx.safetensors
    ? ' (a shard of a checkpoint split across files, listed in its model.safetensors.index.json? open the whole checkpoint, or merge the shards into one file)'
    : ' (save the whole model.state_dict())';
  const incomplete = (missing: Part[]) => leave(`${label} is incomplete: ${missing.map(full).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in this file${hint}; left out`);
  const wih = parts.get('weight_ih');
  const whh = parts.get('weight_hh');
  if (parts.has('weight_hr')) return leave(`${label}: an LSTM with proj_size (weight_hr) is not supported; left out`);
  if (!wih || !whh) return incomplete(PARTS.filter((p) => !parts.has(p)));
  const hasIh = parts.has('bias_ih');
  const hasHh = parts.has('bias_hh');
  if (hasIh !== hasHh) return incomplete(hasIh ? ['bias_hh'] : ['bias_ih']);
  if (!hasIh && (ctx.shardName || ctx.anyBias)) return incomplete(['bias_ih', 'bias_hh']);
  if (!wih.dtype || !whh.dtype) return leave(`${label}: its weights are ${shown(wih.dtype ? whh.fileDtype : wih.fileDtype, 30)}, not floating point; left out`);
  // Shapes first, from the headers: nothing is decoded for a layer that cannot be one.
  if (whh.shape.length !== 2 || wih.shape.length !== 2) fail(`${label}: weights that are not matrices (weight_ih [${wih.shape.join(', ')}], weight_hh [${whh.shape.join(', ')}])`);
  const H = whh.shape[1];
  const GH = whh.shape[0];
  const D = wih.shape[1];
  if (H < 1 || D < 1 || GH % H !== 0) fail(`${label}: weight_hh has shape [${whh.shape.join(', ')}], which no recurrent cell has`);
  if (H > MAX_LAYER_SIZE || D > MAX_LAYER_SIZE) fail(`${label}: D=${D}, H=${H} is larger than RNN Lens reads (${MAX_LAYER_SIZE})`);
  const G = GH / H;
  const cell = cellWithGates(G);
  if (!cell) return leave(`${label}: ${G} gate blocks match no RNN, LSTM or GRU; left out`);
  // The layer as the lab keeps it (W, b, bh), charged before anything of it is read, so that a
  // file of many large layers stops at the first one past the budget.
  budget.floats(GH * (D + H) + 2 * GH, `${label} (${GH * (D + H)} weights)`);
  const wihData = matrix(wih, wih.read(), GH, D, 'weight_ih');
  const whhData = matrix(whh, whh.read(), GH, H, 'weight_hh');
  const bih = vector(parts.get('bias_ih'), GH);
  const bhh = vector(parts.get('bias_hh'), GH);
  if (!hasIh) warnings.push(`${label} has no biases (${full('bias_ih')}, ${full('bias_hh')}): read as a layer built with bias=False; if this file is part of a checkpoint, open the whole one`);
  const K = D + H;
  const W = new Float32Array(GH * K);
  const b = new Float32Array(GH);
  const bh = new Float32Array(GH);
  const from = pytorchSource(cell);
  const negate = pytorchNegated(cell);
  for (let q = 0; q < G; q++) {
    const s = negate.includes(q) ? -1 : 1;
    const src = from[q];
    for (let u = 0; u < H; u++) {
      const row = q * H + u;
      const srcRow = src * H + u;
      for (let d = 0; d < D; d++) W[row * K + d] = s * wihData[srcRow * D + d];
      for (let v = 0; v < H; v++) W[row * K + D + v] = s * whhData[srcRow * H + v];
      b[row] = s * bih[srcRow];
      bh[row] = s * bhh[srcRow];
    }
  }
  const out: RecurrentLayer = { name, cell, layer, reverse, D, H, params: { W, b, bh } };
  if (cell === 'rnn') {
    out.activation = 'tanh';
    warnings.push(`${label}: a state_dict does not say an RNN's nonlinearity; tanh assumed (relu if it was nn.RNN(nonlinearity='relu'))`);
  }
  if (cell === 'gru') out.resetAfter = true;
  return out;
}

/** Warnings kept of one read; the rest are counted in one line. */
export const MAX_WARNINGS = 20;

function capped(warnings: readonly string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return [...warnings];
  const more = warnings.length - MAX_WARNINGS;
  return [...warnings.slice(0, MAX_WARNINGS), `… and ${more} more warning${more === 1 ? '' : 's'}`];
}

const SHARD_NAME = /-\d+-of-\d+\.safetensors$/i;

/** Reads from any byte source: only the ranges it needs (see bytes.ts). */
export function readCheckpointFrom(src: ByteSource, fileName: string): CheckpointContents {
  const warnings: string[] = [];
  const leftOut: string[] = [];
  const groups = new Map<string, Group>();
  try {
    const budget = new ReadBudget();
    const tensors = tensorsOf(src, fileName, warnings, budget);
    for (const t of tensors) {
      const m = NAME.exec(t.name);
      if (!m) continue;
      const [, name = '', part, layerText, reverse] = m;
      const key = `${name}\u0000${layerText}\u0000${reverse ? 1 : 0}`;
      let g = groups.get(key);
      if (!g) {
        g = { name, layer: Number(layerText), layerText, reverse: Boolean(reverse), parts: new Map() };
        groups.set(key, g);
      }
      g.parts.set(part as Part, t);
    }
    const ctx: FileContext = {
      safetensors: formatOf(fileName, src) === 'safetensors',
      shardName: SHARD_NAME.test(fileName),
      anyBias: [...groups.values()].some((g) => g.parts.has('bias_ih') || g.parts.has('bias_hh')),
    };
    const layers: RecurrentLayer[] = [];
    for (const g of groups.values()) {
      const l = mapLayer(g, ctx, budget, warnings, leftOut);
      if (l) layers.push(l);
    }
    layers.sort((a, b) => a.name.localeCompare(b.name) || a.layer - b.layer || Number(a.reverse) - Number(b.reverse));
    const out = capped(warnings);
    if (layers.length === 0) {
      // The last warning is the reason the host shows when there is nothing to open.
      if (leftOut.length > 0) {
        out.push(`no recurrent layer could be read: ${leftOut[0]}${leftOut.length > 1 ? ` (and ${leftOut.length - 1} more layers left out)` : ''}`);
      } else if (tensors.length === 0) {
        out.push('no recurrent layer found: the file holds no tensors');
      } else {
        const names = tensors.slice(0, 5).map((t) => shown(t.name, 40)).join(', ') + (tensors.length > 5 ? ', …' : '');
        out.push(`no recurrent layer found among ${tensors.length} tensors (${names}; RNN Lens looks for PyTorch's weight_ih_l0 / weight_hh_l0 names: save the model's state_dict, whose keys are those)`);
      }
    }
    return { layers, warnings: out };
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    // Anything else is a reader bug or a malformed file we did not foresee: still one line.
    const reason = err instanceof Error && err.message ? err.message.split('\n')[0] : 'an unexpected error';
    throw new CheckpointError(`cannot read ${shown(fileName)}: ${err instanceof RangeError ? 'the file is too large or too deeply nested to read' : reason}`);
  }
}

/** The whole file in memory: the signature `dist/lab-core.js` exports. */
export function readCheckpoint(bytes: Uint8Array, fileName: string): CheckpointContents {
  return readCheckpointFrom(bytesSource(bytes), fileName);
}
