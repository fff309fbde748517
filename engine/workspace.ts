// Where the js and wasm backends keep their arrays and which two matrix products they call: a
// Workspace. Plain arrays and the loops of backends/gemm.ts for the js backend; WebAssembly memory and
// SIMD products for the wasm backend (backends/wasm.ts). The cells' loops (cells/rnn.ts, cells/lstm.ts,
// cells/gru.ts) and their driver (backends/js.ts) see only this interface.
import { gemmABt, gemmAtB } from './backends/gemm';
import { type Vec, f32 } from './types';

export interface Workspace {
  /**
   * Called first by every forward and backward with an upper bound on the floats it allocates,
   * and on the floats of the B operands it hands to abt (the wasm backend packs each once per call).
   */
  reserve(floats: number, packFloats?: number): void;
  /** n zeroed floats. */
  alloc(n: number): Float32Array;
  /** v (n values) as float32 for the loops to read, never to write. */
  input(v: Vec | undefined, n: number): Float32Array;
  /** A·Bᵀ. B must be a weight matrix (W or a transposed half of it) that does not change until the next reserve(). */
  abt: typeof gemmABt;
  atb: typeof gemmAtB;
  /**
   * The LSTM forward's element-wise step, where a workspace has a faster one (wasm.ts): from the
   * pre-activations A (B, 4H) and the previous c (cp from cpOff), writes c, h and the four gates
   * at offset `off`, exactly as cells/lstm.ts's loop does. false where it did nothing.
   */
  lstmStep?(A: Float32Array, cp: Float32Array, cpOff: number, c: Float32Array, h: Float32Array,
    f: Float32Array, i: Float32Array, g: Float32Array, o: Float32Array, off: number, B: number, H: number): boolean;
  /** The LSTM backward's element-wise step (cells/lstm.ts gates()), where a workspace has a faster one. */
  lstmBack?(c: Float32Array, cp: Float32Array, cpOff: number, f: Float32Array, i: Float32Array, g: Float32Array, o: Float32Array,
    off: number, dhTot: Float32Array, dcNext: Float32Array, dZ: Float32Array, zOff: number, dcPrev: Float32Array, B: number, H: number): boolean;
  /** dst[j] += column sums of M's (rows × cols, row stride ld) block at off, where a workspace has a faster way; false where it did nothing. */
  colSums?(dst: Float32Array, M: Float32Array, off: number, ld: number, rows: number, cols: number): boolean;
  /** An array handed back to the caller, who may keep it. */
  result(a: Float32Array): Float32Array;
}

/** The js backend's workspace: ordinary arrays, the caller's own where they are float32 already. */
export const plainWorkspace: Workspace = {
  reserve: () => undefined,
  alloc: (n) => new Float32Array(n),
  input: f32,
  abt: gemmABt,
  atb: gemmAtB,
  result: (a) => a,
};

/** A writable float32 copy of v, or zeros. */
/** Where step t's previous state lies: `init` (offset 0) before step 0, else step t-1's rows of `seq`. */
export function stepBefore<A>(t: number, init: A, seq: A, BH: number): [A, number] {
  return t === 0 ? [init, 0] : [seq, (t - 1) * BH];
}

export function copyIn(ws: Workspace, v: Vec | undefined, n: number): Float32Array {
  const out = ws.alloc(n);
  if (v !== undefined) out.set(v);
  return out;
}

/** (rows × cols, row stride ld, from off) -> (cols × rows), contiguous. */
export function transpose(ws: Workspace, M: Float32Array, off: number, ld: number, rows: number, cols: number): Float32Array {
  const out = ws.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    const m = off + r * ld;
    for (let c = 0; c < cols; c++) out[c * rows + r] = M[m + c];
  }
  return out;
}

/** dst[j] += column sums of the (rows × cols, row stride ld) block at off. */
export function addColumnSums(dst: Float32Array, dstOff: number, M: Float32Array, off: number, ld: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const m = off + r * ld;
    for (let j = 0; j < cols; j++) dst[dstOff + j] += M[m + j];
  }
}

/** The sizes of one call (types.ts dims()) and the arrays every cell's forward loop reads. */
export interface ForwardSteps {
  ws: Workspace;
  T: number; B: number; D: number; H: number; K: number; GH: number; BH: number;
  /** W, (G·H, D+H). */
  W: Float32Array;
  /** The input half of every pre-activation and its outer bias, (T·B, G·H). */
  XP: Float32Array;
  h0: Float32Array;
  /** Where the cell writes h_t, (T·B·H). */
  h: Float32Array;
}

/** What every cell's backward loop reads, and dZ, where it writes dL/dz of each step, (T·B, G·H). */
export interface BackwardSteps {
  ws: Workspace;
  T: number; B: number; D: number; H: number; K: number; GH: number; BH: number;
  W: Float32Array;
  /** W's h-columns transposed, (H, G·H): W_hᵀ dz as contiguous dots. */
  WhT: Float32Array;
  h0: Float32Array;
  h: Float32Array;
  dZ: Float32Array;
}

/** One cell's part of the backward pass; backends/js.ts runs the time loop and the products common to all. */
export interface CellBackward {
  /** Rows of W whose h-columns multiply h_{t-1} itself with dz as their gradient: the rest are the cell's own (finish). */
  readonly hRows: number;
  /** dL/dz of step t into dZ, from the total dL/dh_t. */
  gates(t: number, dhTot: Float32Array): void;
  /** Writes into dhPrev what dL/dh_{t-1} gets besides W_hᵀ dz over the first hRows rows; false when nothing (dhPrev untouched). */
  carry(t: number, dhTot: Float32Array, dhPrev: Float32Array): boolean;
  /** The cell's own state gradient (the LSTM's dL/dc) moves back a step, or is cut by truncation. */
  next(carried: boolean): void;
  /** dW of the rows from hRows on, after the loop; dbh where it differs from db. */
  finish(dW: Float32Array, dbh: Float32Array | undefined): void;
  /** dL/dc_{-1}, the LSTM's. */
  dc0?(): Float32Array;
}
