// The engine's one API, shared by every backend (see docs/KERNELS.md for the
// math). Arrays are row-major; a backend returns Float32Array, except `reference`, which
// returns Float64Array so that tests compare against float64 truth.

import { type Cell, type ResultGate, gateCount, isCell, resultGates, unknownCell } from './cells/registry';

export { CELLS, CELL_SPECS, type Cell, gateCount } from './cells/registry';
/** A plain RNN's nonlinearities (PyTorch's `nonlinearity`); a checkpoint does not record which. */
export const RNN_ACTIVATIONS = ['tanh', 'relu'] as const;
export type RnnActivation = (typeof RNN_ACTIVATIONS)[number];
export type Activation = RnnActivation | 'linear';
/** The gates' squashing function: the logistic sigmoid, or Keras/TF.js's hard sigmoid clip(0.2·a + 0.5, 0, 1). */
export const GATE_ACTIVATIONS = ['sigmoid', 'hardSigmoid'] as const;
export type GateActivation = (typeof GATE_ACTIVATIONS)[number];
/** Initialisation schemes of initParams (./init.ts). */
export const INIT_SCHEMES = ['gaussian', 'orthogonal', 'identity', 'xavier'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];
/** Optimizers the trainer has (./train/optim.ts). */
export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];
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
  /** An LSTM's projection (P, H) when options.projSize = P: h_t = Wr (o ⊙ tanh c_t), and W is (4H, D+P). */
  Wr?: Vec;
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
  /** The LSTM's and GRU's gate function; default sigmoid. hardSigmoid runs forward only (general.ts). */
  recurrentActivation?: GateActivation;
  /** An LSTM with a projection of size P (PyTorch proj_size): forward only (general.ts); h is (T, B, P). */
  projSize?: number;
  backend?: BackendName;
}

/** Each gate of the cell that ran, (T, B, H): the LSTM's f, i, g, o, the GRU's z, r, n (cells/registry.ts). */
export type Gates = { [K in ResultGate]?: Out };

/**
 * h, c and each gate are (T, B, H). `h0`, `c0`, `activation` and the GRU's `resetAfter` ride
 * along because backward needs them (h_{-1} feeds dW) and backward takes only the forward result.
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

// Size caps every backend enforces through checkInputs, so that a hostile or mistaken shape gets
// a one-line RangeError instead of an allocation that hangs or crashes the host. Each (T, B, H)
// or (T, B, D) float32 array is then at most 16 MiB, and W at most 16 MiB. The bench's largest
// size (T=256 B=32 D=64 H=256) uses half the T·B·H cap; an LSTM with D = H reaches the weight
// cap at H = 724.
/** Largest T·B·H and T·B·D: the per-step states, gates and inputs. */
export const MAX_SEQUENCE_FLOATS = 1 << 22;
/** Largest G·H·(D+H), the size of W. */
export const MAX_WEIGHT_FLOATS = 1 << 22;
/** Largest H for which initParams makes an orthogonal W_hh (its Gram-Schmidt is O(H³)). */
export const MAX_ORTHOGONAL_H = 256;
/** Largest H for which initParams scales a gaussian or xavier W_hh to a spectral radius (O(H³) too). */
export const MAX_SPECTRAL_RADIUS_H = 256;

const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'linear'];

/** v as float32 for loops that only read it: v itself when it already is, else a copy (zeros when absent). */
export function f32(v: Vec | undefined, n: number): Float32Array {
  if (v instanceof Float32Array && v.length === n) return v;
  const out = new Float32Array(n);
  if (v !== undefined) for (let i = 0; i < n; i++) out[i] = v[i];
  return out;
}

/** A wrong value as an error message shows it: short, on one line. */
function describe(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `'${v.slice(0, 40).replace(/[\r\n]/g, ' ')}'`;
  return Array.isArray(v) ? 'an array' : typeof v;
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number';
}

function checkArray(name: string, v: unknown, n: number, formula: string): void {
  if (!isArrayLike(v)) throw new TypeError(`${name} must be an array of numbers, got ${describe(v)}`);
  if (v.length !== n) throw new RangeError(`${name} must hold ${formula} = ${n} numbers, got ${v.length}`);
}

/** The options object itself: absent is fine, anything else must be an object. */
export function checkOptions(opts: unknown): void {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    throw new TypeError(`options must be an object, got ${describe(opts)}`);
  }
}

function checkActivation(a: unknown): Activation {
  if (a === undefined) return 'tanh';
  if (!ACTIVATIONS.includes(a as Activation)) throw new RangeError(`unknown activation ${describe(a)} (tanh, relu or linear)`);
  return a as Activation;
}

function checkResetAfter(cell: Cell, v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`resetAfter must be true or false, got ${describe(v)}`);
  return cell === 'gru' && v === true;
}

/**
 * Shape, params, x and the size caps: what every forward and backward checks first. `R` is the
 * width of W's recurrent half: H, or an LSTM projection's P (engine/general.ts).
 */
export function checkInputs(cell: Cell, shape: Shape, params: Params, x: Vec, R = shape?.H): void {
  if (!isCell(cell)) throw new RangeError(unknownCell(describe(cell)));
  if (typeof shape !== 'object' || shape === null) throw new TypeError(`shape must be an object { T, B, D, H }, got ${describe(shape)}`);
  for (const k of ['T', 'B', 'D', 'H'] as const) {
    const v: unknown = shape[k];
    if (!Number.isInteger(v) || (v as number) < 1) throw new RangeError(`shape.${k} must be a positive integer, got ${describe(v)}`);
  }
  const { T, B, D, H } = shape;
  const G = gateCount(cell);
  if (T * B * H > MAX_SEQUENCE_FLOATS) throw new RangeError(`T·B·H = ${T * B * H} is above the cap of ${MAX_SEQUENCE_FLOATS}`);
  if (T * B * D > MAX_SEQUENCE_FLOATS) throw new RangeError(`T·B·D = ${T * B * D} is above the cap of ${MAX_SEQUENCE_FLOATS}`);
  const r = R === H ? 'H' : 'P';
  if (G * H * (D + R) > MAX_WEIGHT_FLOATS) {
    throw new RangeError(`G·H·(D+${r}) = ${G * H * (D + R)} weights is above the cap of ${MAX_WEIGHT_FLOATS}`);
  }
  if (typeof params !== 'object' || params === null) throw new TypeError(`params must be an object { W, b, bh? }, got ${describe(params)}`);
  checkArray('W', params.W, G * H * (D + R), `${G}·H·(D+${r})`);
  checkArray('b', params.b, G * H, `${G}·H`);
  if (params.bh !== undefined) checkArray('bh', params.bh, G * H, `${G}·H`);
  checkArray('x', x, T * B * D, 'T·B·D');
}

export function checkState(name: string, v: Vec | undefined, n: number): void {
  if (v !== undefined) checkArray(name, v, n, String(n));
}

/** What every backend's forward() checks first; returns the activation and whether the GRU resets after. */
export function checkForwardInputs(
  cell: Cell, shape: Shape, params: Params, x: Vec, opts: ForwardOptions,
): { activation: Activation; resetAfter: boolean } {
  checkOptions(opts);
  checkInputs(cell, shape, params, x);
  checkState('h0', opts.h0, shape.B * shape.H);
  checkState('c0', opts.c0, shape.B * shape.H);
  return { activation: checkActivation(opts.activation), resetAfter: checkResetAfter(cell, opts.resetAfter) };
}

/** A forward result must come from this cell and shape: its arrays are read at these sizes. */
function checkForwardResult(cell: Cell, shape: Shape, fwd: ForwardResult): void {
  if (typeof fwd !== 'object' || fwd === null) throw new TypeError(`fwd must be a forward result, got ${describe(fwd)}`);
  const n = shape.T * shape.B * shape.H;
  const from = (name: string, v: unknown): void => {
    if (!isArrayLike(v)) throw new TypeError(`fwd.${name} must be an array of numbers, got ${describe(v)}`);
    if (v.length !== n) {
      throw new RangeError(`fwd.${name} holds ${v.length} numbers, not T·B·H = ${n}: a forward result from another shape or cell?`);
    }
  };
  from('h', fwd.h);
  if (cell === 'lstm') from('c', fwd.c);
  if (typeof fwd.gates !== 'object' || fwd.gates === null) throw new TypeError(`fwd.gates must be an object, got ${describe(fwd.gates)}`);
  for (const g of resultGates(cell)) from(`gates.${g}`, fwd.gates[g]);
}

/** checkBackwardArgs' activation, for callers that need only that. */
export function checkBackwardInputs(
  cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts: BackwardOptions,
): Activation {
  return checkBackwardArgs(cell, shape, params, x, fwd, dh, opts).activation;
}

/**
 * What every backend's backward() checks first; returns the activation and the GRU's
 * reset-after flag the forward pass used (the options override the forward result's own).
 */
export function checkBackwardArgs(
  cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts: BackwardOptions,
): { activation: Activation; resetAfter: boolean } {
  checkOptions(opts);
  checkInputs(cell, shape, params, x);
  checkForwardResult(cell, shape, fwd);
  const BH = shape.B * shape.H;
  if (dh !== null && dh !== undefined) checkArray('dh', dh, shape.T * BH, 'T·B·H');
  checkState('dhT', opts.dhT, BH);
  checkState('dcT', opts.dcT, BH);
  checkState('h0', opts.h0 ?? fwd.h0, BH);
  if (cell === 'lstm') checkState('c0', opts.c0 ?? fwd.c0, BH);
  return {
    activation: checkActivation(opts.activation ?? fwd.activation),
    resetAfter: checkResetAfter(cell, opts.resetAfter ?? fwd.resetAfter),
  };
}
