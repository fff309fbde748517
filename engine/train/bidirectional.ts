// A tagging toy whose label at each position depends on what comes later, for the lab's
// Bidirectional RNN demo: the input is a sequence of symbols a–d, and the tag at position t is the
// symbol two places later (or "end" for the last two positions). A unidirectional GRU reads left
// to right and cannot know x_{t+2} at step t; a bidirectional one adds a second GRU that reads
// right to left, and its head sees both states. Both are trained the same way (Adam, softmax
// cross-entropy on every position) with the engine's GRU forward and backward. Pure: no DOM.
import { backward, forward } from '../api';
import { initParams, mulberry32 } from '../init';
import type { ForwardResult, Params } from '../types';
import { createOptimizer, type Optimizer } from './optim';

export const TAG_SYMBOLS = ['a', 'b', 'c', 'd'] as const;
/** Tag classes: the four symbols, then "end". */
export const TAG_CLASSES = [...TAG_SYMBOLS, 'end'] as const;
export const TAG_AHEAD = 2;
export const TAG_LIMITS = { T: 64, B: 64, H: 64, steps: 2000 } as const;

const K = TAG_SYMBOLS.length;
const O = TAG_CLASSES.length;

export interface TagBatch {
  T: number;
  B: number;
  /** Symbol per (t, b), index t·B + b. */
  symbols: Int32Array;
  /** Tag class per (t, b). */
  tags: Int32Array;
}

/** The tag of position t: the symbol TAG_AHEAD places later, or "end". */
export function tagsOf(symbols: ArrayLike<number>, T: number, B: number): Int32Array {
  const tags = new Int32Array(T * B);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) tags[t * B + b] = t + TAG_AHEAD < T ? symbols[(t + TAG_AHEAD) * B + b] : K;
  return tags;
}

export function tagBatch(T: number, B: number, seed: number): TagBatch {
  const u = mulberry32(seed >>> 0);
  const symbols = Int32Array.from({ length: T * B }, () => Math.floor(u() * K));
  return { T, B, symbols, tags: tagsOf(symbols, T, B) };
}

function oneHot(symbols: ArrayLike<number>, T: number, B: number, reverse: boolean): Float32Array {
  const x = new Float32Array(T * B * K);
  for (let t = 0; t < T; t++) {
    const src = reverse ? T - 1 - t : t;
    for (let b = 0; b < B; b++) x[(t * B + b) * K + symbols[src * B + b]] = 1;
  }
  return x;
}

export interface TagResult {
  /** Logits (T, B, O). */
  logits: Float64Array;
  /** Argmax tag per (t, b). */
  predicted: Int32Array;
  loss: number;
  accuracy: number;
}

export class Tagger {
  readonly H: number;
  private readonly cells: Params[];
  private readonly V: Float32Array;
  private readonly c: Float32Array;
  private readonly opt: Optimizer;
  private n = 0;

  constructor(readonly bidirectional: boolean, readonly seed: number, H = 16, lr = 0.01) {
    if (!Number.isInteger(H) || H < 1 || H > TAG_LIMITS.H) throw new RangeError(`H must be an integer from 1 to ${TAG_LIMITS.H}`);
    this.H = H;
    const dirs = bidirectional ? 2 : 1;
    this.cells = Array.from({ length: dirs }, (_, d) => {
      const p = initParams('gru', K, H, { scheme: 'xavier', seed: seed * 2 + d });
      return { W: Float32Array.from(p.W), b: Float32Array.from(p.b) };
    });
    const u = mulberry32((seed ^ 0x2545f491) >>> 0);
    const bound = 1 / Math.sqrt(dirs * H);
    this.V = Float32Array.from({ length: O * dirs * H }, () => (2 * u() - 1) * bound);
    this.c = Float32Array.from({ length: O }, () => (2 * u() - 1) * bound);
    this.opt = createOptimizer({ kind: 'adam', lr });
  }

  get steps(): number {
    return this.n;
  }

  private run(batch: TagBatch): { xs: Float32Array[]; fwds: ForwardResult[]; logits: Float64Array } {
    const { T, B } = batch;
    const H = this.H, dirs = this.cells.length, F = dirs * H;
    const shape = { T, B, D: K, H };
    const xs = this.cells.map((_, d) => oneHot(batch.symbols, T, B, d === 1));
    const fwds = this.cells.map((p, d) => forward('gru', shape, p, xs[d], { backend: 'js' }));
    const logits = new Float64Array(T * B * O);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        for (let o = 0; o < O; o++) {
          let s = this.c[o];
          for (let d = 0; d < dirs; d++) {
            // The backward direction's state for position t was computed at its step T − 1 − t.
            const ho = ((d === 1 ? T - 1 - t : t) * B + b) * H;
            const h = fwds[d].h;
            for (let j = 0; j < H; j++) s += this.V[o * F + d * H + j] * h[ho + j];
          }
          logits[(t * B + b) * O + o] = s;
        }
      }
    }
    return { xs, fwds, logits };
  }

  /** Loss and accuracy of the model on a batch (no update). */
  evaluate(batch: TagBatch): TagResult {
    return score(this.run(batch).logits, batch, null);
  }

  /** n Adam updates on fresh batches of T positions; returns the last batch's result. */
  train(n: number, T = 16, B = 16): TagResult {
    if (!Number.isInteger(n) || n < 1 || n > TAG_LIMITS.steps) throw new RangeError(`steps must be an integer from 1 to ${TAG_LIMITS.steps}`);
    if (!Number.isInteger(T) || T < 1 || T > TAG_LIMITS.T) throw new RangeError(`T must be an integer from 1 to ${TAG_LIMITS.T}`);
    if (!Number.isInteger(B) || B < 1 || B > TAG_LIMITS.B) throw new RangeError(`B must be an integer from 1 to ${TAG_LIMITS.B}`);
    const H = this.H, dirs = this.cells.length, F = dirs * H;
    let last: TagResult | undefined;
    for (let k = 0; k < n; k++) {
      const batch = tagBatch(T, B, (this.seed * 104729 + 7 + this.n) >>> 0);
      const { xs, fwds, logits } = this.run(batch);
      const dz = new Float64Array(logits.length);
      last = score(logits, batch, dz);
      const dV = new Float32Array(this.V.length), dc = new Float32Array(O);
      const dhs = this.cells.map(() => new Float32Array(T * B * H));
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          for (let o = 0; o < O; o++) {
            const g = dz[(t * B + b) * O + o];
            dc[o] += g;
            for (let d = 0; d < dirs; d++) {
              const ho = ((d === 1 ? T - 1 - t : t) * B + b) * H;
              const h = fwds[d].h, dh = dhs[d];
              for (let j = 0; j < H; j++) {
                dV[o * F + d * H + j] += g * h[ho + j];
                dh[ho + j] += this.V[o * F + d * H + j] * g;
              }
            }
          }
        }
      }
      const shape = { T, B, D: K, H };
      const params: Float32Array[] = [this.V, this.c];
      const grads: ArrayLike<number>[] = [dV, dc];
      this.cells.forEach((p, d) => {
        const bwd = backward('gru', shape, p, xs[d], fwds[d], dhs[d], { backend: 'js' });
        params.push(p.W as Float32Array, p.b as Float32Array);
        grads.push(bwd.dW, bwd.db);
      });
      this.opt.step(params, grads);
      this.n++;
    }
    return last!;
  }

  /**
   * What output t can see: |∂ logit_t[tag] / ∂ x_s| summed over x_s's channels, for every
   * position s of one sequence (batch 1). Zero where the model cannot see, by construction.
   */
  sensitivity(symbols: readonly number[], t: number): Float64Array {
    const T = symbols.length;
    if (!Number.isInteger(t) || t < 0 || t >= T) throw new RangeError(`t must be a position from 0 to ${T - 1}`);
    const batch: TagBatch = { T, B: 1, symbols: Int32Array.from(symbols), tags: tagsOf(symbols, T, 1) };
    const { xs, fwds, logits } = this.run(batch);
    const H = this.H, dirs = this.cells.length, F = dirs * H;
    let o = 0;
    for (let k = 1; k < O; k++) if (logits[t * O + k] > logits[t * O + o]) o = k;
    const out = new Float64Array(T);
    this.cells.forEach((p, d) => {
      const dh = new Float32Array(T * H);
      const ht = d === 1 ? T - 1 - t : t;
      for (let j = 0; j < H; j++) dh[ht * H + j] = this.V[o * F + d * H + j];
      const bwd = backward('gru', { T, B: 1, D: K, H }, p, xs[d], fwds[d], dh, { backend: 'js' });
      for (let s = 0; s < T; s++) {
        const src = d === 1 ? T - 1 - s : s;
        for (let k = 0; k < K; k++) out[src] += Math.abs(bwd.dx[s * K + k]);
      }
    });
    return out;
  }

  /** Tags of one sequence (batch 1). */
  tag(symbols: readonly number[]): TagResult {
    const T = symbols.length;
    return this.evaluate({ T, B: 1, symbols: Int32Array.from(symbols), tags: tagsOf(symbols, T, 1) });
  }
}

/** Softmax cross-entropy, mean over positions; with dz, its gradient with respect to the logits. */
function score(logits: Float64Array, batch: TagBatch, dz: Float64Array | null): TagResult {
  const N = batch.T * batch.B;
  const predicted = new Int32Array(N);
  let loss = 0, hits = 0;
  for (let r = 0; r < N; r++) {
    const off = r * O;
    let m = 0;
    for (let o = 1; o < O; o++) if (logits[off + o] > logits[off + m]) m = o;
    predicted[r] = m;
    if (m === batch.tags[r]) hits++;
    let sum = 0;
    for (let o = 0; o < O; o++) sum += Math.exp(logits[off + o] - logits[off + m]);
    loss += Math.log(sum) + logits[off + m] - logits[off + batch.tags[r]];
    if (dz) for (let o = 0; o < O; o++) dz[off + o] = (Math.exp(logits[off + o] - logits[off + m]) / sum - (o === batch.tags[r] ? 1 : 0)) / N;
  }
  return { logits, predicted, loss: loss / N, accuracy: hits / N };
}
