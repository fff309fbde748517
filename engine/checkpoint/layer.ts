// One recurrent layer as every reader hands it over: first in PyTorch's layout (PyTorch's names,
// gate order and meaning), whatever the file's own format, then mapped once into the engine's.
// A reader for ONNX, Keras/TF.js or a pickle converts its tensors to a TorchLayout; only
// `toRecurrentLayer` knows the engine's layout (docs/KERNELS.md, "Mapping PyTorch's weights"):
//   W  = [weight_ih | weight_hh] row by row, b = bias_ih, bh = bias_hh;
//   LSTM gate blocks i, f, g, o  → f, i, g, o;
//   GRU  gate blocks r, z, n     → z, r, n, with the z rows and biases negated (PyTorch's z
//        keeps the old state, ours takes the new one: σ(−a) = 1 − σ(a)).
// With a projection (an LSTM with proj_size P), weight_hh is (4H, P) and weight_hr (P, H).
import { pytorchNegated, pytorchSource } from '../cells/registry';
import type { Cell, GateActivation, RnnActivation } from '../types';

/** What forward needs beyond the weights to reproduce the layer (types.ts ForwardOptions). */
export interface LayerOptions {
  /** The RNN's nonlinearity. */
  activation?: RnnActivation;
  /** The GRU's candidate: reset after the recurrent product (PyTorch, cuDNN, Keras reset_after) or before. */
  resetAfter?: boolean;
  /** The gates' squashing function: sigmoid everywhere but Keras/TF.js's hard sigmoid. */
  recurrentActivation?: GateActivation;
  /** An LSTM's projection size P (PyTorch proj_size); the weights carry Wr (P, H). */
  projSize?: number;
}

export interface LayerParams {
  W: Float32Array;
  b: Float32Array;
  bh: Float32Array;
  /** The LSTM projection (P, H), h_t = Wr (o ⊙ tanh c_t). */
  Wr?: Float32Array;
}

/** Which layer and direction, and its sizes: what both layouts share. */
export interface LayerHead {
  /** The module path, e.g. `encoder` for `encoder.weight_ih_l0` (empty for a bare nn.LSTM's state_dict). */
  name: string;
  cell: Cell;
  layer: number;
  reverse: boolean;
  D: number;
  H: number;
}

export interface RecurrentLayer extends LayerHead {
  params: LayerParams;
  /** forward(cell, { T, B, D, H }, params, x, options) reproduces the layer. */
  options: LayerOptions;
  /** Same as options.activation (kept for callers that read it here). */
  activation?: RnnActivation;
  /** Same as options.resetAfter. */
  resetAfter?: boolean;
}

/** A layer in PyTorch's layout: its tensor names, shapes, gate order and z meaning. */
export interface TorchLayout extends LayerHead {
  /** (G·H, D) */
  weightIh: Float32Array;
  /** (G·H, P) with a projection, else (G·H, H) */
  weightHh: Float32Array;
  /** (G·H); absent for bias=False */
  biasIh?: Float32Array;
  biasHh?: Float32Array;
  /** (P, H) */
  weightHr?: Float32Array;
  options: LayerOptions;
}

/** The engine's layout of a layer given in PyTorch's. */
export function toRecurrentLayer(t: TorchLayout): RecurrentLayer {
  const { cell, D, H } = t;
  const from = pytorchSource(cell);
  const negate = pytorchNegated(cell);
  const G = from.length;
  const GH = G * H;
  const R = t.weightHr ? t.weightHr.length / H : H;
  const K = D + R;
  const W = new Float32Array(GH * K);
  const b = new Float32Array(GH);
  const bh = new Float32Array(GH);
  for (let q = 0; q < G; q++) {
    const s = negate.includes(q) ? -1 : 1;
    const src = from[q];
    for (let u = 0; u < H; u++) {
      const row = q * H + u;
      const srcRow = src * H + u;
      for (let d = 0; d < D; d++) W[row * K + d] = s * t.weightIh[srcRow * D + d];
      for (let v = 0; v < R; v++) W[row * K + D + v] = s * t.weightHh[srcRow * R + v];
      b[row] = t.biasIh ? s * t.biasIh[srcRow] : 0;
      bh[row] = t.biasHh ? s * t.biasHh[srcRow] : 0;
    }
  }
  const options: LayerOptions = { ...t.options };
  if (cell === 'rnn') options.activation ??= 'tanh';
  else delete options.activation;
  if (cell === 'gru') options.resetAfter ??= true;
  else delete options.resetAfter;
  if (cell === 'lstm' && t.weightHr) options.projSize = R;
  else delete options.projSize;
  if (options.recurrentActivation === 'sigmoid' || cell === 'rnn') delete options.recurrentActivation;
  const params: LayerParams = { W, b, bh };
  if (cell === 'lstm' && t.weightHr) params.Wr = t.weightHr;
  const out: RecurrentLayer = { name: t.name, cell, layer: t.layer, reverse: t.reverse, D, H, params, options };
  if (options.activation) out.activation = options.activation;
  if (options.resetAfter !== undefined) out.resetAfter = options.resetAfter;
  return out;
}

/**
 * PyTorch's layout of a layer given in the engine's: the inverse of toRecurrentLayer (gate blocks
 * back to PyTorch's order, the GRU's z rows and biases negated again). Without `bh`, bias_hh is
 * zeros: the engine's one bias b plays bias_ih + bias_hh, which is exact for every cell (for
 * PyTorch's GRU, b_hn = 0 inside r ⊙ (W_hn h + b_hn) changes nothing). No projection.
 */
export function toTorchLayout(head: LayerHead, params: { W: ArrayLike<number>; b: ArrayLike<number>; bh?: ArrayLike<number> }): TorchLayout {
  const { cell, D, H } = head;
  const from = pytorchSource(cell);
  const negate = pytorchNegated(cell);
  const G = from.length;
  const K = D + H;
  if (params.W.length !== G * H * K || params.b.length !== G * H || (params.bh && params.bh.length !== G * H)) {
    throw new RangeError(`toTorchLayout: a ${cell} layer of D=${D}, H=${H} needs W of ${G * H * K} and b of ${G * H} numbers`);
  }
  const weightIh = new Float32Array(G * H * D);
  const weightHh = new Float32Array(G * H * H);
  const biasIh = new Float32Array(G * H);
  const biasHh = new Float32Array(G * H);
  for (let q = 0; q < G; q++) {
    const s = negate.includes(q) ? -1 : 1;
    const dst = from[q];
    for (let u = 0; u < H; u++) {
      const row = q * H + u;
      const torchRow = dst * H + u;
      for (let d = 0; d < D; d++) weightIh[torchRow * D + d] = s * params.W[row * K + d];
      for (let v = 0; v < H; v++) weightHh[torchRow * H + v] = s * params.W[row * K + D + v];
      biasIh[torchRow] = s * params.b[row];
      biasHh[torchRow] = params.bh ? s * params.bh[row] : 0;
    }
  }
  const options: LayerOptions = cell === 'rnn' ? { activation: 'tanh' } : cell === 'gru' ? { resetAfter: true } : {};
  return { ...head, weightIh, weightHh, biasIh, biasHh, options };
}
