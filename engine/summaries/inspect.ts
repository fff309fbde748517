// What the checkpoint inspector (the lab's "inspect" view and `rnn-lens inspect`) says about one
// recurrent layer read from a checkpoint: its gate blocks' W_hh spectra, the memory its forget
// (LSTM) or update (GRU) biases imply, its parameter count, and a fresh PyTorch-style
// initialisation of the same shape to compare against. Pure: no DOM, unit-tested.
import { CELL_SPECS, type GateSpec } from '../cells/registry';
import type { RecurrentLayer } from '../checkpoint';
import { mulberry32, spectralNorm, spectralRadius } from '../init';
import { eigenvalues, singularValues } from '../train/spectrum';
import { recurrentBlock, sig } from './bptt';

/** Gate blocks in the engine's order (docs/KERNELS.md): LSTM f, i, g, o; GRU z, r, n. */
export const GATES: Record<RecurrentLayer['cell'], readonly GateSpec[]> = {
  rnn: CELL_SPECS.rnn.gates, lstm: CELL_SPECS.lstm.gates, gru: CELL_SPECS.gru.gates,
};

/**
 * The full spectra (every singular value and eigenvalue) are O(H³) per gate block: drawn up to
 * this H. σ_max (power iteration, O(H²) per step) is computed up to SIGMA_MAX_H, the spectral
 * radius (Gelfand's formula, 12 matrix squarings) up to this H.
 */
export const SPECTRUM_MAX_H = 256;
export const SIGMA_MAX_H = 1024;

export type LayerLike = Pick<RecurrentLayer, 'cell' | 'D' | 'H' | 'params'> & { options?: RecurrentLayer['options'] };

export function layerLabel(l: Pick<RecurrentLayer, 'name' | 'layer' | 'reverse' | 'cell'>): string {
  return `${l.name || '(root)'} layer ${l.layer}${l.reverse ? ' reverse' : ''} (${l.cell.toUpperCase()})`;
}

/** PyTorch's parameter count for this layer and direction: weight_ih, weight_hh, bias_ih, bias_hh (and weight_hr). */
export function parameterCount(l: Pick<RecurrentLayer, 'cell' | 'D' | 'H'> & { params?: { Wr?: ArrayLike<number> } }): number {
  const GH = GATES[l.cell].length * l.H;
  const Wr = l.params?.Wr;
  if (Wr) {
    const P = Wr.length / l.H;
    return GH * (l.D + P) + 2 * GH + P * l.H;
  }
  return GH * (l.D + l.H) + 2 * GH;
}

/**
 * Gate block q's recurrent matrix, (H, H) row-major, float64: W_hh's block, or with a
 * projection (h = Wr m) the map from one step's m to the next pre-activation, W_hh,q · Wr.
 */
export function gateBlock(l: LayerLike, q: number): Float64Array {
  const Wr = l.params.Wr;
  if (!Wr) return recurrentBlock(l.params.W, l.D, l.H, q);
  const { H, D } = l;
  const P = Wr.length / H;
  const K = D + P;
  const out = new Float64Array(H * H);
  for (let u = 0; u < H; u++) {
    const row = (q * H + u) * K + D;
    for (let p = 0; p < P; p++) {
      const w = l.params.W[row + p];
      for (let v = 0; v < H; v++) out[u * H + v] += w * Wr[p * H + v];
    }
  }
  return out;
}

export interface GateSummary {
  key: string;
  name: string;
  /** Largest singular value of the block (null above SIGMA_MAX_H). */
  sigmaMax: number | null;
  /** Largest eigenvalue modulus (null above SPECTRUM_MAX_H). */
  radius: number | null;
}

export function gateSummaries(l: LayerLike): GateSummary[] {
  return GATES[l.cell].map((_, q) => gateSummary(l, q));
}

/** Gate block q's σ_max (up to SIGMA_MAX_H) and spectral radius (up to SPECTRUM_MAX_H). */
export function gateSummary(l: LayerLike, q: number): GateSummary {
  const g = GATES[l.cell][q];
  if (l.H > SIGMA_MAX_H) return { ...g, sigmaMax: null, radius: null };
  const block = gateBlock(l, q);
  return {
    ...g,
    sigmaMax: spectralNorm(block, l.H, l.H),
    radius: l.H <= SPECTRUM_MAX_H ? spectralRadius(block, l.H) : null,
  };
}

export interface GateSpectrum {
  key: string;
  name: string;
  singular: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

/** Every singular value and eigenvalue of each gate block; undefined above SPECTRUM_MAX_H. */
export function gateSpectra(l: LayerLike): GateSpectrum[] | undefined {
  if (l.H > SPECTRUM_MAX_H) return undefined;
  return GATES[l.cell].map((_, q) => gateSpectrum(l, q));
}

/** Gate block q's singular values and eigenvalues (O(H³): at most SPECTRUM_MAX_H). */
export function gateSpectrum(l: LayerLike, q: number): GateSpectrum {
  const block = gateBlock(l, q);
  return { ...GATES[l.cell][q], singular: singularValues(block, l.H), ...eigenvalues(block, l.H) };
}

/** A spectrum's σ_max and spectral radius, as gateSummary gives them. */
export function spectrumSummary(s: GateSpectrum): GateSummary {
  let radius = 0;
  for (let i = 0; i < s.re.length; i++) radius = Math.max(radius, Math.hypot(s.re[i], s.im[i]));
  return { key: s.key, name: s.name, sigmaMax: s.singular[0] ?? 0, radius };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export interface MemoryBias {
  /** 'forget' for an LSTM, 'update' for a GRU. */
  gate: 'forget' | 'update';
  /**
   * Per unit, the bias of the gate's pre-activation in PyTorch's sense (bias_ih + bias_hh), so
   * that σ(bias) is the fraction of the old state kept per step when input and state are zero.
   */
  biases: Float64Array;
  mean: number;
  /** σ(mean). */
  keep: number;
  /** Steps until half of the state is left, at keep per step: ln ½ / ln keep (Infinity at keep 1). */
  halfLife: number;
  sentence: string;
}

/**
 * The memory the biases imply. The LSTM's forget gate is block 0 with b + bh as read. The GRU's
 * block 0 is our z (takes the new state), stored negated from PyTorch's (keeps the old one), so
 * the keep bias is −(b + bh). An RNN has no gate: undefined.
 */
export function memoryBias(l: LayerLike): MemoryBias | undefined {
  if (l.cell === 'rnn') return undefined;
  const { H } = l;
  const s = l.cell === 'gru' ? -1 : 1;
  const { b, bh } = l.params;
  const biases = new Float64Array(H);
  let sum = 0;
  for (let u = 0; u < H; u++) {
    biases[u] = s * (b[u] + bh[u]);
    sum += biases[u];
  }
  const mean = sum / H;
  // The gate's own squashing: Keras/TF.js's hard sigmoid where the layer has it.
  const hard = l.options?.recurrentActivation === 'hardSigmoid';
  const keep = hard ? Math.min(1, Math.max(0, 0.2 * mean + 0.5)) : sigmoid(mean);
  const halfLife = keep >= 1 ? Infinity : keep <= 0 ? 0 : Math.log(0.5) / Math.log(keep);
  const gate = l.cell === 'lstm' ? 'forget' : 'update';
  const what = l.cell === 'lstm' ? 'mean forget-gate bias' : "mean update-gate bias (PyTorch's z, the share of the old state kept)";
  const life = !Number.isFinite(halfLife) ? 'the state is kept for ever without input'
    : halfLife < 1 ? `half the state is gone within one step without input (half-life ≈ ${sig(halfLife)} steps)`
      : `half-life ≈ ${sig(halfLife)} steps without input`;
  const sentence = `${what} ${sig(mean)} → ${hard ? 'hard σ' : 'σ'} ≈ ${keep.toFixed(2)} kept per step: ${life}.`;
  return { gate, biases, mean, keep, halfLife, sentence };
}

/**
 * A fresh layer of the same shape as PyTorch initialises it: every weight and bias uniform in
 * (−1/√H, 1/√H). Mapped like a read layer (the GRU's z rows negated, which leaves this
 * symmetric distribution as it is).
 */
export function freshLayer<L extends LayerLike>(l: L, seed: number): L {
  const rnd = mulberry32(seed);
  const k = 1 / Math.sqrt(l.H);
  const fill = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (2 * rnd() - 1) * k;
    return a;
  };
  const GH = GATES[l.cell].length * l.H;
  // A projection LSTM's W reads [x; h] with h of size P, and Wr (P, H) is initialised like the rest.
  const Wr = l.params.Wr;
  const P = Wr ? Wr.length / l.H : l.H;
  const params = { W: fill(GH * (l.D + P)), b: fill(GH), bh: fill(GH) };
  return { ...l, params: Wr ? { ...params, Wr: fill(Wr.length) } : params };
}

/** Histogram of `values` in `bins` equal bins over [min, max] (one bin if all are equal). */
export function histogram(values: ArrayLike<number>, bins: number): { min: number; max: number; counts: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (!(max >= min)) return { min: 0, max: 0, counts };
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0]++;
  }
  return { min, max, counts };
}

/**
 * Connectivity |∂h_T/∂x_t|: with dL/dh_T = 1 on every unit (backward's dhT), backward's dx at
 * step t holds Σ_j ∂h_T[j]/∂x_t; its L2 norm over the input channels, per step, for batch 1.
 */
export function connectivity(dx: ArrayLike<number>, T: number, D: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += dx[t * D + d] ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

