// The whole trained model: input (one-hot, embedding table or real features) -> recurrent cell
// (any backend of the engine) -> linear head with softmax cross-entropy or MSE. One call gives
// the loss and the gradient of every parameter; the optimizer lives elsewhere (optim.ts).
//
// Losses are means over the (t, b) entries that carry a target, as torch's CrossEntropyLoss and
// MSELoss compute them over the selected entries. Arrays are float64 on the reference backend
// (so gradient checks compare against float64 truth), float32 elsewhere.
import { engineFor } from '../api';
import { initParams, mulberry32, gaussianSource } from '../init';
import type {
  Activation, BackendName, BackwardResult, Cell, Engine, ForwardResult, InitScheme, Shape,
} from '../types';
import type { FloatArray } from './optim';
import { argmaxAt, HeadProducts, scored, scoreRow, type LossResult } from './head';
import type { Batch } from './tasks';

export { argmaxAt, type LossResult } from './head';

export interface ModelSpec {
  cell: Cell;
  activation: Activation;
  H: number;
  /** 'onehot' and 'embedding' read batch.tokens; 'features' reads batch.features. */
  input: 'onehot' | 'embedding' | 'features';
  /** Input symbols (onehot, embedding) or real channels (features). */
  inputs: number;
  /** Embedding width; only for input 'embedding'. */
  embeddingDim?: number;
  outputs: number;
  head: 'ce' | 'mse';
  backend: BackendName;
  /** GRU only: torch.nn.GRU's candidate, the reset gate applied after U_n h (see ForwardOptions). */
  resetAfter?: boolean;
}

export interface ModelParams {
  /** Cell weights, (G·H, D+H) over [x; h], and bias (G·H): the engine's layout. */
  W: FloatArray;
  b: FloatArray;
  /** Head weights (O, H) and bias (O). */
  V: FloatArray;
  c: FloatArray;
  /** Embedding table (inputs, embeddingDim), or null. */
  E: FloatArray | null;
  /** PyTorch's recurrent bias (G·H), only where the cell started from weights that have one. */
  bh?: FloatArray;
}

export interface GradResult extends LossResult {
  fwd: ForwardResult;
  bwd: BackwardResult;
  /** Gradients in the order of Model.paramList(): W, b, V, c (, E) (, bh). */
  grads: FloatArray[];
}

export interface InitSpec {
  scheme: InitScheme;
  spectralRadius?: number;
  forgetBias?: number;
  seed: number;
}

export class Model {
  readonly engine: Engine;
  readonly D: number;
  readonly params: ModelParams;
  private readonly f64: boolean;
  private x: FloatArray = new Float32Array(0);
  private dh: FloatArray = new Float32Array(0);
  private logits: Float64Array;
  private readonly dV: FloatArray;
  private readonly dc: FloatArray;
  private readonly dE: FloatArray | null;
  private readonly products = new HeadProducts();
  private readonly dbh: FloatArray | null;

  constructor(readonly spec: ModelSpec, params: ModelParams) {
    this.engine = engineFor(spec.backend);
    this.f64 = spec.backend === 'reference';
    this.D = spec.input === 'embedding' ? spec.embeddingDim! : spec.inputs;
    const conv = (a: FloatArray): FloatArray => (this.f64 ? Float64Array.from(a) : Float32Array.from(a));
    this.params = {
      W: conv(params.W), b: conv(params.b), V: conv(params.V), c: conv(params.c), E: params.E ? conv(params.E) : null,
      ...(params.bh ? { bh: conv(params.bh) } : {}),
    };
    this.logits = new Float64Array(spec.outputs);
    this.dV = this.alloc(spec.outputs * spec.H);
    this.dc = this.alloc(spec.outputs);
    this.dE = params.E ? this.alloc(params.E.length) : null;
    this.dbh = params.bh ? this.alloc(params.bh.length) : null;
  }

  /** Fresh parameters: the cell by initParams, the head as torch.nn.Linear, the embedding as nn.Embedding (N(0, 1)). */
  static init(spec: ModelSpec, init: InitSpec, initial?: { W: ArrayLike<number>; b: ArrayLike<number>; bh?: ArrayLike<number> }): Model {
    const D = spec.input === 'embedding' ? spec.embeddingDim! : spec.inputs;
    // Starting weights (checked by the caller) replace the initialiser's; the head and embedding are drawn as always.
    const { W, b } = initial ? { W: Float32Array.from(initial.W), b: Float32Array.from(initial.b) } : initParams(spec.cell, D, spec.H, init);
    const bh = initial?.bh ? Float32Array.from(initial.bh) : undefined;
    const u = mulberry32((init.seed ^ 0x2545f491) >>> 0);
    const bound = 1 / Math.sqrt(spec.H);
    const V = Float32Array.from({ length: spec.outputs * spec.H }, () => (2 * u() - 1) * bound);
    const c = Float32Array.from({ length: spec.outputs }, () => (2 * u() - 1) * bound);
    let E: Float32Array | null = null;
    if (spec.input === 'embedding') {
      const g = gaussianSource((init.seed ^ 0x68e31da4) >>> 0);
      E = Float32Array.from({ length: spec.inputs * D }, () => g());
    }
    return new Model(spec, { W, b, V, c, E, ...(bh ? { bh } : {}) });
  }

  alloc(n: number): FloatArray {
    return this.f64 ? new Float64Array(n) : new Float32Array(n);
  }

  /** Parameters in the order the optimizer and the gradients use. */
  paramList(): FloatArray[] {
    const { W, b, V, c, E, bh } = this.params;
    return [W, b, V, c, ...(E ? [E] : []), ...(bh ? [bh] : [])];
  }

  shape(T: number, B: number): Shape {
    return { T, B, D: this.D, H: this.spec.H };
  }

  /** The cell's input for a batch, (T·B·D), in a buffer reused while the size stays the same. */
  input(batch: Batch): FloatArray {
    const n = batch.T * batch.B * this.D;
    if (this.x.length !== n) this.x = this.alloc(n);
    return this.encode(batch, this.x);
  }

  /** Writes the cell's input for `batch` into x. */
  encode(batch: Batch, x: FloatArray): FloatArray {
    const D = this.D;
    const rows = batch.T * batch.B;
    if (this.spec.input === 'features') {
      x.set(batch.features!.subarray(0, rows * D));
    } else if (this.spec.input === 'onehot') {
      x.fill(0);
      const tok = batch.tokens!;
      for (let r = 0; r < rows; r++) x[r * D + tok[r]] = 1;
    } else {
      const tok = batch.tokens!;
      const E = this.params.E!;
      for (let r = 0; r < rows; r++) x.set(E.subarray(tok[r] * D, tok[r] * D + D), r * D);
    }
    return x;
  }

  /** The cell over a batch; xBuf, where given, holds the input instead of the model's own buffer. */
  forward(batch: Batch, h0?: ArrayLike<number>, c0?: ArrayLike<number>, xBuf?: FloatArray): { fwd: ForwardResult; x: FloatArray } {
    const x = xBuf ? this.encode(batch, xBuf) : this.input(batch);
    const fwd = this.engine.forward(this.spec.cell, this.shape(batch.T, batch.B), this.params, x, {
      h0, c0, activation: this.spec.activation, resetAfter: this.spec.resetAfter, backend: this.spec.backend,
    });
    return { fwd, x };
  }

  /** Head logits (or the regression output) of row r of h into this.logits. */
  project(h: ArrayLike<number>, r: number): Float64Array {
    const { H, outputs: O } = this.spec;
    const { V, c } = this.params;
    const out = this.logits;
    const ho = r * H;
    for (let o = 0; o < O; o++) {
      let s = c[o];
      const vo = o * H;
      for (let u = 0; u < H; u++) s += V[vo + u] * h[ho + u];
      out[o] = s;
    }
    return out;
  }

  /** Entries of the batch that carry a target. */
  static count(batch: Batch): number {
    let n = 0;
    for (let r = 0; r < batch.T * batch.B; r++) if (scored(batch, r)) n++;
    return n;
  }

  /** Zeroes dh and the head's gradients where they are wanted; true when no entry is scored. */
  private startGrads(dh: FloatArray | null, count: number): boolean {
    if (dh) {
      dh.fill(0);
      this.dV.fill(0);
      this.dc.fill(0);
    }
    return count === 0;
  }

  /**
   * Loss and hits of a forward result against the batch's targets. With dh, also writes dL/dh_t
   * into dh (zeroed first) and accumulates dV, dc.
   */
  head(batch: Batch, h: ArrayLike<number>, dh: FloatArray | null): LossResult {
    if (!this.f64 && h instanceof Float32Array && (dh === null || dh instanceof Float32Array)) return this.headProducts(batch, h, dh);
    const { H, outputs: O } = this.spec;
    const { V } = this.params;
    const rows = batch.T * batch.B;
    const count = Model.count(batch);
    let loss = 0;
    let correct = 0;
    if (this.startGrads(dh, count)) return { loss: 0, correct: 0, count: 0 };
    const z = this.logits;
    for (let r = 0; r < rows; r++) {
      if (!scored(batch, r)) continue;
      this.project(h, r);
      if (batch.classes && argmaxAt(z, 0, O) === batch.classes[r]) correct++;
      loss += scoreRow(z, 0, O, batch, r, count, dh !== null);
      if (dh) {
        const ho = r * H;
        for (let o = 0; o < O; o++) {
          const d = z[o];
          if (d === 0) continue;
          this.dc[o] += d;
          const vo = o * H;
          for (let u = 0; u < H; u++) {
            this.dV[vo + u] += d * h[ho + u];
            dh[ho + u] += V[vo + u] * d;
          }
        }
      }
    }
    return { loss: loss / count, correct, count };
  }

  /**
   * head() for float32 as three matrix products over the rows that carry a target (head.ts),
   * which is what makes next-character training affordable.
   */
  private headProducts(batch: Batch, h: Float32Array, dh: Float32Array | null): LossResult {
    return this.products.run(batch, h, dh, this.params.V as Float32Array, this.params.c, this.dV as Float32Array, this.dc, this.spec.H, this.spec.outputs);
  }

  /** Loss and every gradient on one batch, starting from state (h0, c0) (zeros where absent). */
  lossAndGrad(batch: Batch, h0?: FloatArray, c0?: FloatArray, truncate?: number): GradResult {
    const { fwd, x } = this.forward(batch, h0, c0);
    const n = batch.T * batch.B * this.spec.H;
    if (this.dh.length !== n) this.dh = this.alloc(n);
    const res = this.head(batch, fwd.h, this.dh);
    const bwd = this.engine.backward(this.spec.cell, this.shape(batch.T, batch.B), this.params, x, fwd, this.dh, {
      truncate, backend: this.spec.backend,
    });
    const grads: FloatArray[] = [bwd.dW, bwd.db, this.dV, this.dc];
    if (this.dE) {
      const dE = this.dE;
      dE.fill(0);
      const D = this.D;
      const tok = batch.tokens!;
      const rows = batch.T * batch.B;
      for (let r = 0; r < rows; r++) {
        const e = tok[r] * D, xo = r * D;
        for (let d = 0; d < D; d++) dE[e + d] += bwd.dx[xo + d];
      }
      grads.push(dE);
    }
    if (this.dbh) {
      if (bwd.dbh) this.dbh.set(bwd.dbh);
      else this.dbh.fill(0);
      grads.push(this.dbh);
    }
    return { ...res, fwd, bwd, grads };
  }
}
