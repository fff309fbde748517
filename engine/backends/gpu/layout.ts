// Where things sit in the gpu backend's textures: steps per chunk, the column layouts of the
// forward and backward rows, the width of a backward step's dz texture.
import type { Cell } from '../../types';
import type { GlContext } from './gl';

/**
 * Steps per forward chunk, C. Each stage pass of a step renders its whole chunk, C·⌈B/4⌉ rows as
 * wide as its texture (copying all but its own rows), so per-step pixels grow with C; a full
 * chunk is read back once, so there are T/C readbacks, each a wait for the GPU. So C·⌈B/4⌉ is
 * kept near 16 rows, C between 2 and 8: on SwiftShader, at the benchmark's L (⌈B/4⌉ = 8), 4 was
 * no faster than 2, and at S (B = 1) 8 was faster than 2 (`npm run bench:kernels`).
 */
export function chunkSteps(T: number, B: number): number {
  return Math.min(T, Math.max(2, Math.min(8, Math.floor(16 / Math.ceil(B / 4)))));
}

/**
 * Steps per backward chunk, CB: each step's dz has its own texture (no copying), and a chunk's
 * dW and dx passes take all CB of them as arguments, so CB is bounded by the texture units
 * (the dW pass reads six more textures) and by the size of the unrolled shaders: with 8, the dW
 * and dx shaders took twice as long to compile, and the benchmark's one un-warmed run at L took
 * 5.72 s against 4.79 s with 4 (one run each on SwiftShader). At least 2 where T allows, since
 * a step's dz pass reads the one before it.
 */
export function backSteps(T: number, gl: GlContext | null): number {
  const units = gl ? Number(gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS)) : 16;
  return Math.max(Math.min(T, 2), Math.min(T, 4, units - 6));
}

/**
 * Column layout of the forward texture that holds h (one step, one batch row): the RNN [h], the
 * GRU [z r | n | h], the LSTM's state [c | h] (its gates have four textures of their own). HC is
 * where h starts, FW the width.
 */
export function layout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 2 * H, HC: H };
  if (cell === 'gru') return { FW: 4 * H, HC: 3 * H };
  return { FW: H, HC: 0 };
}

/**
 * Column layout of the backward's forward rows (FS): the RNN [h], the LSTM [f i g o | c] (its
 * backward never reads h there), the GRU [z r | n | h]. HC is where h starts (-1: none), FW the
 * width.
 */
export function backLayout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 5 * H, HC: -1 };
  return layout(cell, H);
}

/** Width of a backward step's dz texture: dL/dz, the total dL/dh_t and (LSTM) the dL/dc_{t-1} it carries. */
export function zWidth(cell: Cell, GH: number, H: number): number {
  return GH + (cell === 'lstm' ? 2 * H : H);
}

/** The forward arrays of the RNN and GRU, by the columns of their layout: [array, first column]. */
export function forwardColumns(cell: Cell, H: number, h: Float32Array, gs: Float32Array[]): [Float32Array, number][] {
  if (cell === 'gru') return [[gs[0], 0], [gs[1], H], [gs[2], 2 * H], [h, 3 * H]];
  return [[h, 0]];
}
