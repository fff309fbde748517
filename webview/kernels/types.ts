// The engine's one API, shared by every backend (see docs/KERNELS.md for the
// math). Arrays are row-major; a backend returns Float32Array, except `reference`, which
// returns Float64Array so that tests compare against float64 truth.

export type Cell = 'rnn' | 'lstm' | 'gru';
export type Activation = 'tanh' | 'relu' | 'linear';
export type BackendName = 'reference' | 'js' | 'wasm' | 'gpu';

/** Any real array a caller may hand in; results are always typed arrays. */
export type Vec = Float32Array | Float64Array | ArrayLike<number>;
export type Out = Float32Array | Float64Array;

export interface Shape {
  T: number;
  B: number;
  D: number;
  H: number;
}

/**
 * W is (G·H, D+H) over [x_t; h_{t-1}], b is (G·H); G = 1, 4 (f,i,g,o), 3 (z,r,n).
 * `bh` (G·H), optional, is PyTorch's `bias_hh`, the recurrent bias: it adds to `b` for the RNN
 * and the LSTM, and for the GRU too unless `resetAfter`, where the n rows' bh sits inside
 * r ⊙ (U_n h + bh_n).
 */
export interface Params {
  W: Vec;
  b: Vec;
  bh?: Vec;
}

export interface ForwardOptions {
  h0?: Vec;
  c0?: Vec;
  activation?: Activation;
  /**
   * GRU only: the candidate as PyTorch, cuDNN and Keras (reset_after=True) compute it,
   * n = tanh(W_n x + b_n + r ⊙ (U_n h + bh_n)). Default false: n = tanh(W_n x + U_n (r ⊙ h) + b_n).
   * Either way h' = (1 − z) h + z n.
   */
  resetAfter?: boolean;
  backend?: BackendName;
}

export interface Gates {
  f?: Out;
  i?: Out;
  g?: Out;
  o?: Out;
  z?: Out;
  r?: Out;
  n?: Out;
}

/**
 * h, c and each gate are (T, B, H). `h0`, `c0` and `activation` ride along because backward
 * needs them (h_{-1} feeds dW) and the backward signature takes only the forward result.
 */
export interface ForwardResult {
  h: Out;
  c?: Out;
  gates: Gates;
  h0: Out;
  c0?: Out;
  activation: Activation;
  /** Whether the GRU ran reset-after (see ForwardOptions); absent means false. */
  resetAfter?: boolean;
}

export interface BackwardOptions {
  /** dL/dh_{T-1} and dL/dc_{T-1} from a loss on the final state, (B, H). */
  dhT?: Vec;
  dcT?: Vec;
  /** Truncated BPTT window k: the gradient is not carried back across chunk boundaries. */
  truncate?: number;
  /** Overrides the forward result's own, for callers that built `fwd` by hand. */
  activation?: Activation;
  resetAfter?: boolean;
  h0?: Vec;
  c0?: Vec;
  backend?: BackendName;
}

export interface BackwardResult {
  dW: Out;
  db: Out;
  /** dL/dbh, present when params.bh was given. */
  dbh?: Out;
  dx: Out;
  dh0: Out;
  dc0?: Out;
  /** L2 norm over the batch of the total dL/dh_t, recurrence included, (T). */
  gradNorm: Out;
}

/** What every backend implements; `api.ts` dispatches to one by name. */
export interface Engine {
  readonly name: string;
  forward(cell: Cell, shape: Shape, params: Params, x: Vec, opts?: ForwardOptions): ForwardResult;
  backward(
    cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts?: BackwardOptions,
  ): BackwardResult;
  dispose?(): void;
}

export function gateCount(cell: Cell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** The sizes every backend works with: K = D+H inputs per gate row, G gates, GH = G·H rows of W, BH = B·H. */
export function dims(cell: Cell, shape: Shape): Shape & { K: number; G: number; GH: number; BH: number } {
  const { T, B, D, H } = shape;
  const G = gateCount(cell);
  return { T, B, D, H, K: D + H, G, GH: G * H, BH: B * H };
}

/** Truncation window as an integer in [1, T]; absent, 0 or >= T means full BPTT. */
export function truncationWindow(T: number, truncate: number | undefined): number {
  if (truncate === undefined || !Number.isFinite(truncate) || truncate <= 0 || truncate >= T) return T;
  return Math.max(1, Math.floor(truncate));
}

/** The gradient reaching step s may flow back into h_{s-1} unless s starts a later chunk. */
export function carriesBack(s: number, k: number): boolean {
  return s % k !== 0;
}

export function checkInputs(cell: Cell, shape: Shape, params: Params, x: Vec): void {
  const { T, B, D, H } = shape;
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`shape.${k} must be a positive integer, got ${String(v)}`);
  }
  if (cell !== 'rnn' && cell !== 'lstm' && cell !== 'gru') throw new RangeError(`unknown cell '${String(cell)}'`);
  const G = gateCount(cell);
  if (params.W.length !== G * H * (D + H)) {
    throw new RangeError(`W must hold ${G}·H·(D+H) = ${G * H * (D + H)} numbers, got ${params.W.length}`);
  }
  if (params.b.length !== G * H) throw new RangeError(`b must hold ${G}·H = ${G * H} numbers, got ${params.b.length}`);
  if (x.length !== T * B * D) throw new RangeError(`x must hold T·B·D = ${T * B * D} numbers, got ${x.length}`);
}

export function checkState(name: string, v: Vec | undefined, n: number): void {
  if (v !== undefined && v.length !== n) throw new RangeError(`${name} must hold ${n} numbers, got ${v.length}`);
}

/** What every backend's backward() checks first; returns the activation the forward pass used. */
export function checkBackwardInputs(
  cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts: BackwardOptions,
): Activation {
  checkInputs(cell, shape, params, x);
  const BH = shape.B * shape.H;
  checkState('dh', dh ?? undefined, shape.T * BH);
  checkState('dhT', opts.dhT, BH);
  checkState('dcT', opts.dcT, BH);
  return opts.activation ?? fwd.activation ?? 'tanh';
}
