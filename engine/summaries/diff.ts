// What changed between two checkpoints' recurrent layers (`rnn-lens diff A B`, the inspector's
// "Compare with…"): layers matched by name, layer and direction; per gate, in PyTorch's letters
// and order (LSTM i f g o, GRU r z n, RNN h), and per matrix (W_ih, W_hh, b_ih, b_hh; W_hr, a
// projection, under gate "all"), the relative change ‖B − A‖ / ‖A‖ (Frobenius); per layer the
// largest spectral radius of its gate blocks and the forget (LSTM) or update (GRU) gate's mean
// bias, before and after. Pure: no DOM, unit-tested.
import { CELL_SPECS, pytorchSource } from '../cells/registry';
import type { RecurrentLayer } from '../checkpoint/layer';
import { gateSummaries, layerLabel, memoryBias, SPECTRUM_MAX_H } from './inspect';

export const DIFF_MATRICES = ['W_ih', 'W_hh', 'b_ih', 'b_hh', 'W_hr'] as const;
export type DiffMatrix = (typeof DIFF_MATRICES)[number];

export interface GateChange {
  /** PyTorch's letter for the gate block, or "all" for W_hr. */
  gate: string;
  matrix: DiffMatrix;
  /** ‖B − A‖ / ‖A‖; null where A is all zeros and B is not. */
  relChange: number | null;
  normA: number;
  normB: number;
  /** W_hh only: the gate block's spectral radius before and after (null above the spectrum cap). */
  radiusA?: number | null;
  radiusB?: number | null;
}

export interface LayerDiff {
  name: string;
  layer: number;
  reverse: boolean;
  cell: RecurrentLayer['cell'];
  label: string;
  /** Set when the two layers cannot be compared (another cell or size); gates is then empty. */
  mismatch?: string;
  gates: GateChange[];
  /** The largest spectral radius over the layer's gate blocks, before and after. */
  spectralRadius: { before: number | null; after: number | null };
  /** The forget (LSTM) or update (GRU, PyTorch's z) gate's mean bias, before and after; null for an RNN. */
  forgetBias: { gate: string; before: number; after: number } | null;
}

export interface CheckpointDiff {
  layers: LayerDiff[];
  /** Layers (labels) only in A, only in B. */
  onlyInA: string[];
  onlyInB: string[];
}

const keyOf = (l: Pick<RecurrentLayer, 'name' | 'layer' | 'reverse'>) => `${l.name}\u0000${l.layer}\u0000${l.reverse ? 1 : 0}`;

/** The rows/entries of one matrix of one PyTorch gate block, as a flat list of values (engine layout in, signs as stored). */
function part(l: RecurrentLayer, q: number, matrix: DiffMatrix): Float64Array {
  const { D, H } = l;
  const R = l.params.Wr ? l.params.Wr.length / H : H;
  const K = D + R;
  if (matrix === 'W_hr') return Float64Array.from(l.params.Wr ?? []);
  if (matrix === 'b_ih' || matrix === 'b_hh') {
    const v = matrix === 'b_ih' ? l.params.b : l.params.bh;
    return Float64Array.from(v.subarray(q * H, (q + 1) * H));
  }
  const cols = matrix === 'W_ih' ? D : R;
  const off = matrix === 'W_ih' ? 0 : D;
  const out = new Float64Array(H * cols);
  for (let u = 0; u < H; u++) for (let c = 0; c < cols; c++) out[u * cols + c] = l.params.W[(q * H + u) * K + off + c];
  return out;
}

function change(a: Float64Array, b: Float64Array): { relChange: number | null; normA: number; normB: number } {
  let da = 0, db = 0, dd = 0;
  for (let k = 0; k < a.length; k++) {
    da += a[k] * a[k];
    db += b[k] * b[k];
    const d = b[k] - a[k];
    dd += d * d;
  }
  const normA = Math.sqrt(da);
  const normB = Math.sqrt(db);
  const diff = Math.sqrt(dd);
  return { relChange: normA > 0 ? diff / normA : diff === 0 ? 0 : null, normA, normB };
}

const maxOf = (xs: readonly (number | null)[]): number | null =>
  xs.some((x) => x === null) || xs.length === 0 ? null : Math.max(...(xs as number[]));

function sameShape(a: RecurrentLayer, b: RecurrentLayer): string | undefined {
  if (a.cell !== b.cell) return `a ${a.cell.toUpperCase()} in A, a ${b.cell.toUpperCase()} in B`;
  if (a.D !== b.D || a.H !== b.H) return `input ${a.D} → ${b.D}, hidden ${a.H} → ${b.H}`;
  if ((a.params.Wr?.length ?? 0) !== (b.params.Wr?.length ?? 0)) return 'a projection in one of them only';
  return undefined;
}

/** Compares layer by layer; layers in one file only are listed, not compared. */
export function diffCheckpoints(a: readonly RecurrentLayer[], b: readonly RecurrentLayer[]): CheckpointDiff {
  const inB = new Map(b.map((l) => [keyOf(l), l]));
  const inA = new Set(a.map(keyOf));
  const layers: LayerDiff[] = [];
  for (const la of a) {
    const lb = inB.get(keyOf(la));
    if (!lb) continue;
    const base = { name: la.name, layer: la.layer, reverse: la.reverse, cell: la.cell, label: layerLabel(la) };
    const mismatch = sameShape(la, lb);
    if (mismatch) {
      layers.push({ ...base, mismatch, gates: [], spectralRadius: { before: null, after: null }, forgetBias: null });
      continue;
    }
    const letters = CELL_SPECS[la.cell].pytorch.gates;
    const source = pytorchSource(la.cell);
    const ra = la.H <= SPECTRUM_MAX_H ? gateSummaries(la) : undefined;
    const rb = lb.H <= SPECTRUM_MAX_H ? gateSummaries(lb) : undefined;
    const gates: GateChange[] = [];
    letters.forEach((letter, p) => {
      const q = source.indexOf(p);
      for (const matrix of ['W_ih', 'W_hh', 'b_ih', 'b_hh'] as const) {
        const c: GateChange = { gate: letter, matrix, ...change(part(la, q, matrix), part(lb, q, matrix)) };
        if (matrix === 'W_hh') {
          c.radiusA = ra?.[q].radius ?? null;
          c.radiusB = rb?.[q].radius ?? null;
        }
        gates.push(c);
      }
    });
    if (la.params.Wr) gates.push({ gate: 'all', matrix: 'W_hr', ...change(part(la, 0, 'W_hr'), part(lb, 0, 'W_hr')) });
    const ma = memoryBias(la);
    const mb = memoryBias(lb);
    layers.push({
      ...base, gates,
      spectralRadius: { before: ra ? maxOf(ra.map((g) => g.radius)) : null, after: rb ? maxOf(rb.map((g) => g.radius)) : null },
      forgetBias: ma && mb ? { gate: ma.gate, before: ma.mean, after: mb.mean } : null,
    });
  }
  return {
    layers,
    onlyInA: a.filter((l) => !inB.has(keyOf(l))).map(layerLabel),
    onlyInB: b.filter((l) => !inA.has(keyOf(l))).map(layerLabel),
  };
}

export interface GateWeightChange {
  /** PyTorch's letter for the gate block (LSTM i f g o, GRU r z n, RNN h). */
  gate: string;
  /** ‖W_g − W_g0‖ / ‖W_g0‖ over the gate's W_ih and W_hh rows together (Frobenius); null where W_g0 is zero and W_g is not. */
  relChange: number | null;
}

/**
 * Per gate, how far a layer's weights moved from where they started (`from`, e.g. a checkpoint's
 * layer being trained on): the relative change of the gate's whole weight block [W_ih | W_hh].
 * No spectra: cheap enough to measure while training. The layers must have the same cell and sizes.
 */
export function gateWeightChanges(from: RecurrentLayer, now: RecurrentLayer): GateWeightChange[] {
  const mismatch = sameShape(from, now);
  if (mismatch) throw new RangeError(`gateWeightChanges: the layers differ (${mismatch})`);
  const source = pytorchSource(from.cell);
  return CELL_SPECS[from.cell].pytorch.gates.map((gate, p) => {
    const q = source.indexOf(p);
    const block = (l: RecurrentLayer) => {
      const ih = part(l, q, 'W_ih');
      const hh = part(l, q, 'W_hh');
      const out = new Float64Array(ih.length + hh.length);
      out.set(ih);
      out.set(hh, ih.length);
      return out;
    };
    return { gate, relChange: change(block(from), block(now)).relChange };
  });
}
