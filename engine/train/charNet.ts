// The stacked character model as PyTorch's word language model runs it (pytorch/examples,
// word_language_model, RNNModel without dropout or tied weights): Embedding(V, E) → L layers of
// one cell (nn.LSTM, nn.GRU with its reset-after candidate, nn.RNN tanh) → Linear(H, V), softmax
// cross-entropy. Float32 throughout, on the engine's js or wasm backend. Pure: no editor, no DOM.
//
// Each layer keeps PyTorch's two biases: b is bias_ih, bh is bias_hh (for the GRU, bh's n rows
// sit inside r ⊙ (U_n h + bh_n)), so gradients map one to one onto the torch parameters.
import { engineFor } from '../api';
import { gateCount } from '../cells/registry';
import { toTorchLayout } from '../checkpoint/layer';
import type { CharModelWeights } from '../export';
import type { BackendName, BackwardResult, Engine, ForwardResult, Shape } from '../types';
import { HeadProducts } from './head';
import type { Batch } from './tasks';
import { encodeText, textCharacters } from './tasks';

/** The network's parameters, float32, in the engine's layout; bh is bias_hh. */
export interface CharNetParams {
  E: Float32Array;
  layers: { W: Float32Array; b: Float32Array; bh: Float32Array }[];
  V: Float32Array;
  c: Float32Array;
}

/** Gradients by PyTorch parameter name (`encoder.weight`, `rnn.weight_ih_l0`, …, `decoder.bias`), in torch's layout. */
export type TorchGradients = Record<string, Float32Array>;

/** Steps one forward call runs at most; longer sequences run in windows, the state carried (the same numbers). */
const WINDOW = 512;

export interface NetState {
  /** Per layer, the last step's h and (LSTM) c, (B, H). */
  h: Float32Array[];
  c: (Float32Array | undefined)[];
}

export interface NetForward {
  x: Float32Array;
  fwd: ForwardResult[];
}

export class CharNet {
  readonly engine: Engine;
  readonly V: number;
  readonly Dm: number;
  readonly H: number;
  readonly L: number;
  private readonly head = new HeadProducts();
  readonly grads: CharNetParams;

  constructor(readonly cell: CharModelWeights['cell'], readonly params: CharNetParams, readonly backend: BackendName) {
    this.engine = engineFor(backend);
    this.L = params.layers.length;
    this.H = params.V.length / params.c.length;
    this.V = params.c.length;
    this.Dm = params.E.length / this.V;
    const z = (a: Float32Array): Float32Array => new Float32Array(a.length);
    this.grads = {
      E: z(params.E), V: z(params.V), c: z(params.c),
      layers: params.layers.map((l) => ({ W: z(l.W), b: z(l.b), bh: z(l.bh) })),
    };
  }

  /** A network over copies of exported weights (a missing bh reads as zeros, as the exporter writes it). */
  static fromWeights(w: CharModelWeights, backend: BackendName): CharNet {
    const G = gateCount(w.cell);
    const f = (a: ArrayLike<number>): Float32Array => Float32Array.from(a);
    return new CharNet(w.cell, {
      E: f(w.E), V: f(w.V), c: f(w.c),
      layers: w.layers.map((l) => ({ W: f(l.W), b: f(l.b), bh: l.bh ? f(l.bh) : new Float32Array(G * w.H) })),
    }, backend);
  }

  /** The parameters in the order the optimizer and gradients use: E, each layer's W, b, bh, V, c. */
  paramList(p: CharNetParams = this.params): Float32Array[] {
    return [p.E, ...p.layers.flatMap((l) => [l.W, l.b, l.bh]), p.V, p.c];
  }

  /** Copies of the weights in the form the exporter takes. */
  weights(vocab: readonly string[]): CharModelWeights {
    const p = this.params;
    return {
      cell: this.cell, vocab: [...vocab], embeddingDim: this.Dm, H: this.H,
      layers: p.layers.map((l) => ({ W: l.W.slice(), b: l.b.slice(), bh: l.bh.slice() })),
      E: p.E.slice(), V: p.V.slice(), c: p.c.slice(),
    };
  }

  private shape(k: number, T: number, B: number): Shape {
    return { T, B, D: k === 0 ? this.Dm : this.H, H: this.H };
  }

  /** Every layer over tokens (T·B, time-major) from state s (zeros where absent). */
  forward(tokens: Int32Array, T: number, B: number, s?: NetState): NetForward {
    const D = this.Dm;
    const x = new Float32Array(T * B * D);
    for (let r = 0; r < T * B; r++) x.set(this.params.E.subarray(tokens[r] * D, tokens[r] * D + D), r * D);
    const fwd: ForwardResult[] = [];
    let input: Float32Array = x;
    for (let k = 0; k < this.L; k++) {
      const f = this.engine.forward(this.cell, this.shape(k, T, B), this.params.layers[k], input, {
        h0: s?.h[k], c0: s?.c[k], activation: 'tanh', resetAfter: this.cell === 'gru', backend: this.backend,
      });
      fwd.push(f);
      input = f.h as Float32Array;
    }
    return { x, fwd };
  }

  /** The state after the last step of a forward run, copied (detached). */
  lastState(run: NetForward, T: number, B: number): NetState {
    const n = B * this.H;
    const o = (T - 1) * n;
    return {
      h: run.fwd.map((f) => (f.h as Float32Array).slice(o, o + n)),
      c: run.fwd.map((f) => (f.c ? (f.c as Float32Array).slice(o, o + n) : undefined)),
    };
  }

  /** The top layer's h of a forward run, (T·B·H). */
  top(run: NetForward): Float32Array {
    return run.fwd[this.L - 1].h as Float32Array;
  }

  /**
   * Mean cross-entropy of the batch (tokens → classes) from state s, and every gradient into
   * this.grads. Returns the forward run too (its last state is the next window's).
   */
  lossAndGrad(batch: Batch, s?: NetState): { loss: number; run: NetForward } {
    const { T, B } = batch;
    const run = this.forward(batch.tokens!, T, B, s);
    const g = this.grads;
    let dh: Float32Array = new Float32Array(T * B * this.H);
    const { loss } = this.head.run(batch, this.top(run), dh, this.params.V, this.params.c, g.V, g.c, this.H, this.V);
    for (let k = this.L - 1; k >= 0; k--) {
      const input = k === 0 ? run.x : (run.fwd[k - 1].h as Float32Array);
      const bwd: BackwardResult = this.engine.backward(this.cell, this.shape(k, T, B), this.params.layers[k], input, run.fwd[k], dh, {
        backend: this.backend, activation: 'tanh', resetAfter: this.cell === 'gru',
      });
      g.layers[k].W.set(bwd.dW);
      g.layers[k].b.set(bwd.db);
      g.layers[k].bh.set(bwd.dbh!);
      dh = bwd.dx as Float32Array;
    }
    const D = this.Dm;
    g.E.fill(0);
    const tok = batch.tokens!;
    for (let r = 0; r < T * B; r++) {
      const e = tok[r] * D, xo = r * D;
      for (let d = 0; d < D; d++) g.E[e + d] += dh[xo + d];
    }
    return { loss, run };
  }

  /** this.grads by PyTorch parameter name and in its layout. */
  torchGradients(): TorchGradients {
    const g = this.grads;
    const out: TorchGradients = { 'encoder.weight': g.E.slice() };
    g.layers.forEach((l, k) => {
      const t = toTorchLayout({ name: 'rnn', cell: this.cell, layer: k, reverse: false, D: k === 0 ? this.Dm : this.H, H: this.H }, l);
      out[`rnn.weight_ih_l${k}`] = t.weightIh;
      out[`rnn.weight_hh_l${k}`] = t.weightHh;
      out[`rnn.bias_ih_l${k}`] = t.biasIh!;
      out[`rnn.bias_hh_l${k}`] = t.biasHh!;
    });
    out['decoder.weight'] = g.V.slice();
    out['decoder.bias'] = g.c.slice();
    return out;
  }

  /** The logits (V) after reading one token from state s, and the state after it. */
  step(token: number, s?: NetState): { logits: Float32Array; state: NetState } {
    const run = this.forward(Int32Array.of(token), 1, 1, s);
    const logits = new Float32Array(this.V);
    const h = this.top(run);
    for (let o = 0; o < this.V; o++) {
      let z = this.params.c[o];
      for (let u = 0; u < this.H; u++) z += this.params.V[o * this.H + u] * h[u];
      logits[o] = z;
    }
    return { logits, state: this.lastState(run, 1, 1) };
  }

  /**
   * Sum of the next-symbol cross-entropies (nats) over ids read as one sequence from a zero state
   * (ids.length − 1 predictions), in windows of WINDOW with the state carried. `rows`, where given,
   * receives the log-softmax of the predictions at those positions (position p predicts ids[p+1]).
   */
  sequenceLoss(ids: Int32Array, rows?: Map<number, Float64Array>): number {
    const n = ids.length - 1;
    let s: NetState | undefined;
    let sum = 0;
    for (let start = 0; start < n; start += WINDOW) {
      const T = Math.min(WINDOW, n - start);
      const batch: Batch = { T, B: 1, tokens: ids.subarray(start, start + T), features: null, classes: ids.subarray(start + 1, start + T + 1), values: null };
      const run = this.forward(batch.tokens!, T, 1, s);
      const res = this.head.run(batch, this.top(run), null, this.params.V, this.params.c, this.grads.V, this.grads.c, this.H, this.V);
      sum += res.loss * res.count;
      if (rows) this.keepRows(rows, start, T);
      s = this.lastState(run, T, 1);
    }
    return sum;
  }

  /** The log-softmax of the head's logits at the wanted positions of the window [start, start+T). */
  private keepRows(rows: Map<number, Float64Array>, start: number, T: number): void {
    const Z = this.head.logits;
    for (const p of rows.keys()) {
      if (p < start || p >= start + T) continue;
      const zo = (p - start) * this.V;
      let max = -Infinity;
      for (let o = 0; o < this.V; o++) max = Math.max(max, Z[zo + o]);
      let sum = 0;
      for (let o = 0; o < this.V; o++) sum += Math.exp(Z[zo + o] - max);
      const lse = max + Math.log(sum);
      rows.set(p, Float64Array.from({ length: this.V }, (_, o) => Z[zo + o] - lse));
    }
  }
}

/** A text as the ids of a model's vocabulary (a character outside it is the other symbol's, where the vocabulary has one). */
export function encodeFor(w: CharModelWeights, text: string): Int32Array {
  return encodeText(textCharacters(text), w.vocab);
}

/**
 * The mean next-character cross-entropy (nats) of the whole text read as one sequence from a zero
 * state, N − 1 predictions: what PyTorch's RNNModel computes on the same weights in float32
 * (CrossEntropyLoss over decoder(rnn(encoder(x)))). A text of fewer than 2 characters throws.
 */
export function evalLoss(w: CharModelWeights, text: string, backend: BackendName = 'js'): number {
  const ids = encodeFor(w, text);
  if (ids.length < 2) throw new RangeError(`evalLoss: the text needs at least 2 characters, got ${ids.length}`);
  return CharNet.fromWeights(w, backend).sequenceLoss(ids) / (ids.length - 1);
}

/** The log-probabilities of the next character after each given position p (reading text[0..p]), from a zero state. */
export function nextLogProbs(w: CharModelWeights, text: string, positions: readonly number[], backend: BackendName = 'js'): Float64Array[] {
  const ids = encodeFor(w, text);
  const rows = new Map<number, Float64Array>();
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= ids.length - 1) throw new RangeError(`nextLogProbs: position must be an integer from 0 to ${ids.length - 2}, got ${p}`);
    rows.set(p, new Float64Array(0));
  }
  CharNet.fromWeights(w, backend).sequenceLoss(ids, rows);
  return positions.map((p) => rows.get(p)!);
}

/**
 * The mean cross-entropy of one batch (tokens and targets, T·B time-major) from a zero state and
 * its gradient wrt every parameter, by PyTorch name and layout: what loss.backward() leaves in
 * each parameter's .grad.
 */
export function charLossAndGrad(w: CharModelWeights, tokens: Int32Array, targets: Int32Array, T: number, B: number, backend: BackendName = 'js'): { loss: number; grads: TorchGradients } {
  if (tokens.length !== T * B || targets.length !== T * B) throw new RangeError(`charLossAndGrad: tokens and targets need T·B = ${T * B} ids`);
  const net = CharNet.fromWeights(w, backend);
  const { loss } = net.lossAndGrad({ T, B, tokens, classes: targets, features: null, values: null });
  return { loss, grads: net.torchGradients() };
}
