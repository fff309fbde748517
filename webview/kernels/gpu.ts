// The `gpu` backend: GPU.js kernels, webgl2 or webgl in a browser, GPU.js's `cpu` mode in Node.
//
// Passes (see docs/KERNELS.md for the math):
// - Forward: the input projection of every timestep is one product, XP = [x]·W_xᵀ + b. Each
//   step is then one pass per stage of the cell (RNN: h; LSTM: gates, then c and h; GRU: z and
//   r, then n, then h), each pass doing the recurrent product and that stage's elementwise math.
// - Backward: per step one pass for dL/dz of every gate row (and the total dL/dh_t), one for the
//   carries dL/dh_{t-1} (and dL/dc_{t-1}). dW, db, dbh and dx are products over a backward
//   chunk of steps, run once per chunk rather than once per step; dW reads its inputs from one
//   texture of [x_t | h_{t-1} | 1 | 1] rows, built with the uploads.
//
// Packing (a shader's texture reads, not its arithmetic, are what it waits on): every texture
// but W is batch-packed, four batch rows to a texel (B padded to a multiple of 4 with zero rows
// that stay zero), so a weight read serves four rows. Every product with W also reads W four
// to a texel: W4 holds its rows four columns to a texel (the input projection and the forward
// recurrent products), WT4 its columns four rows to a texel (the carry and dx), and dW is
// accumulated in 2×2 blocks per texel. A product step then reads 5 texels for 16
// multiply-adds, not 32.
//
// Forward chunks: a step's outputs are written into a texture that holds C consecutive steps
// (rows slot·⌈B/4⌉ + b/4); each pass computes its own step's rows and columns and copies the
// rest from the texture the previous pass wrote, so the chunk fills up step by step without a
// texture per step. That copy is per-pixel work on every pass, so chunks are short
// (chunkSteps). The forward pass reads a chunk back once it is full (T/C readbacks).
// Backward chunks: step t's dz goes to its own texture, one of CB (backSteps) that are reused
// chunk after chunk, so no dz pass copies anything; a chunk's dW and dx passes take all CB
// textures as arguments. The backward pass keeps everything on the GPU and reads three
// textures at the end (dW|db|dbh, dx|‖dh‖², dh0|dc0).
//
// GPU.js pitfalls steered around:
// - No allocation per step: every kernel is mutable (it renders into the same texture on every
//   call), and no kernel ever reads its own output: a stage reads the previous stage's texture,
//   and kernels that feed themselves (the RNN step, the carries, the accumulators) alternate
//   between two compiled copies.
// - Kernels are source strings, not functions: GPU.js parses Function.prototype.toString(), and
//   a minifier rewrites function bodies into forms its parser rejects.
// - Every loop bound is a compile-time constant and loopMaxIterations is raised, because GPU.js
//   silently caps dynamic loops at 1000 iterations (G·H reaches 1024 at H = 256).
// - Thread indices are floats: gate blocks are found with Math.floor, never integer division.
import { GPU, type IGPUKernelSettings, type IKernelRunShortcut, type KernelOutput } from 'gpu.js';
import {
  type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions, type ForwardResult,
  type Params, type Shape, type Vec, carriesBack, checkBackwardArgs, checkForwardInputs, dims, f32, truncationWindow,
} from './types';

export type GpuMode = 'webgl2' | 'webgl' | 'cpu';

export interface GpuEngine extends Engine {
  readonly mode: GpuMode;
  /** The WebGL context, where there is one: the backend chooser watches it for loss. */
  readonly context: WebGLRenderingContext | WebGL2RenderingContext | null;
  readonly canvas: HTMLCanvasElement | OffscreenCanvas | null;
  /**
   * WebGL textures this engine's context holds now (0 in cpu mode): the compiled kernels' own
   * outputs. Flat across calls of one shape when nothing leaks.
   */
  liveTextures(): number;
  isContextLost(): boolean;
}

type Tex = KernelOutput;
type Kernel = IKernelRunShortcut;

const SIG = 'function sig(v) { return 1.0 / (1.0 + Math.exp(-v)); }';
// tanh through exp: GLSL ES 1.0 (webgl) has no tanh(); exp overflow gives the right limits.
const TANH = 'function th(v) { if (v > 15.0) { return 1.0; } if (v < -15.0) { return -1.0; } const e = Math.exp(2.0 * v); return (e - 1.0) / (e + 1.0); }';

/**
 * Steps per forward chunk, C. Each stage pass of a step renders its whole chunk, C·⌈B/4⌉ rows as
 * wide as its texture (copying all but its own rows), so per-step pixels grow with C; a full
 * chunk is read back once, so there are T/C readbacks, each a wait for the GPU. 2 at every
 * shape: at the benchmark's L, 4 measured no faster (ours / TF.js webgl 1.51 against 1.49 with
 * 2, the CPU time of SwiftShader and the page, in one run each).
 */
export function chunkSteps(T: number): number {
  return Math.min(T, 2);
}

/**
 * Steps per backward chunk, CB: each step's dz has its own texture (no copying), and a chunk's
 * dW and dx passes take all CB of them as arguments, so CB is bounded by the texture units
 * (those passes read three more textures) and by the size of the unrolled shaders.
 */
function backSteps(T: number, gl: WebGLRenderingContext | WebGL2RenderingContext | null): number {
  const units = gl ? Number(gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS)) : 16;
  return Math.max(1, Math.min(T, 8, units - 3));
}

/**
 * Column layout of a forward row (one step, one batch row): the RNN [h], the LSTM
 * [f i g o | c | h], the GRU [z r | n | h]. HC is where h starts, FW the width.
 */
function layout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 6 * H, HC: 5 * H };
  if (cell === 'gru') return { FW: 4 * H, HC: 3 * H };
  return { FW: H, HC: 0 };
}

/** `f(lane)` for the four batch lanes of a texel, joined by `sep`. */
const lanes = (f: (l: number) => string, sep = ' '): string => [0, 1, 2, 3].map(f).join(sep);
/** Declares `name0..name3` from the vec4 expression `v` (a texel: four batch rows). */
const unpack = (name: string, v: string): string => `const ${name} = ${v}; ${lanes((l) => `const ${name}${l} = ${name}[${l}];`)}`;
const ret4 = (f: (l: number) => string): string => `return [${lanes(f, ', ')}];`;

/**
 * Kernel sources, parameterised by literal constants so that loops have fixed bounds. Every
 * texture but W and the dW accumulator is batch-packed: a texel holds four batch rows (lanes) of
 * one column, rows are (step, group of four), so each product reads a weight once for four rows.
 */
function sources(cell: Cell, s: Shape, CB: number, act: number, resetAfter: boolean) {
  const { D, H, K, GH, G } = dims(cell, s);
  const B4 = Math.ceil(s.B / 4);
  const { HC } = layout(cell, H);
  // The backward's dz textures, one per step of a backward chunk, as kernel parameters.
  const ZS = Array.from({ length: CB }, (_, c) => `Z${c}`).join(', ');
  const ACT = (v: string): string => (act === 0 ? `th(${v})` : act === 1 ? `Math.max(${v}, 0.0)` : v);
  const DACT = (y: string): string => (act === 0 ? `(1.0 - ${y} * ${y})` : act === 1 ? `(${y} > 0.0 ? 1.0 : 0.0)` : '1.0');
  // a_l += W[row][D + k] · P[hr][col0 + k] over k, for four lanes
  const H4 = Math.ceil(H / 4);
  const GH4 = Math.ceil(GH / 4);
  const D4 = Math.ceil(D / 4);
  // `let name = m * 4 + q`, clamped to n - 1 where n is not a multiple of 4: a read past the end
  // of a block then meets the zeros that pad the packed weights.
  const idx4 = (name: string, q: number, n: number): string => `let ${name} = m * 4 + ${q};${n % 4 === 0 ? '' : ` if (${name} > ${n - 1}) { ${name} = ${n - 1}; }`}`;
  // a_l += Σ_k W_h[row][k] · P[hr][col0 + k] (times P[y][ecol + k] where given), four k per
  // step: W4 holds W's row four columns to a texel, W_x in texels [0, D4), W_h from D4 on, each
  // block zero-padded to a multiple of 4.
  const recur = (row: string, col0: string, ecol = ''): string => `for (let m = 0; m < ${H4}; m++) {
        const w = W4[${row}][${D4} + m];
        ${[0, 1, 2, 3].map((q) => `${idx4(`k${q}`, q, H)} const hv${q} = P[hr][${col0} + k${q}];${ecol ? ` const ev${q} = P[y][${ecol} + k${q}];` : ''}`).join('\n        ')}
        ${lanes((l) => `a${l} += ${[0, 1, 2, 3].map((q) => `w[${q}] * hv${q}[${l}]${ecol ? ` * ev${q}[${l}]` : ''}`).join(' + ')};`, '\n        ')}
      }`;
  const stage = (lo: number, hi: number, body: string): string => `function(P, XP, W4, bhn, t, s, sp) {
      const x = this.thread.x; const y = this.thread.y;
      const g = y - s * ${B4};
      if (g < 0 || g >= ${B4} || x < ${lo} || x >= ${hi}) { return P[y][x]; }
      const hr = sp * ${B4} + g;
      const xr = t * ${B4} + g;
      ${body} }`;
  const preact = (col: string): string => `const xp = XP[xr][${col}]; ${lanes((l) => `let a${l} = xp[${l}];`)}`;
  return {
    /** A flat array as (rows, cols) vec4 texels, four floats per texel, in order. */
    upload4: (cols: number) => `function(a) { const i = (this.thread.y * ${cols} + this.thread.x) * 4; return [a[i], a[i + 1], a[i + 2], a[i + 3]]; }`,
    upload: (cols: number) => `function(a) { return a[this.thread.y * ${cols} + this.thread.x]; }`,
    zero4: 'function() { return [0.0, 0.0, 0.0, 0.0]; }',
    zero: 'function() { return 0.0; }',
    // XP[r][j] = b[j] + W[j, :D]·x[r], four d per step (W4's input block)
    proj: `function(W4, X, bias) {
      const j = this.thread.x; const r = this.thread.y;
      const bj = bias[j]; ${lanes((l) => `let a${l} = bj;`)}
      for (let m = 0; m < ${D4}; m++) {
        const w = W4[j][m];
        ${[0, 1, 2, 3].map((q) => `${idx4(`d${q}`, q, D)} const xv${q} = X[r][d${q}];`).join(' ')}
        ${lanes((l) => `a${l} += ${[0, 1, 2, 3].map((q) => `w[${q}] * xv${q}[${l}]`).join(' + ')};`, ' ')}
      }
      ${ret4((l) => `a${l}`)} }`,
    rnnStep: stage(0, H, `${preact('x')}
      ${recur('x', '0')}
      ${ret4((l) => ACT(`a${l}`))}`),
    lstmGates: stage(0, 4 * H, `${preact('x')}
      ${recur('x', String(HC))}
      const q = Math.floor(x / ${H});
      if (q == 2) { ${ret4((l) => `th(a${l})`)} }
      ${ret4((l) => `sig(a${l})`)}`),
    lstmState: stage(4 * H, 6 * H, `let u = x - ${4 * H};
      if (x >= ${5 * H}) { u = x - ${5 * H}; }
      ${unpack('f', 'P[y][u]')} ${unpack('i', `P[y][${H} + u]`)} ${unpack('gg', `P[y][${2 * H} + u]`)} ${unpack('cp', `P[hr][${4 * H} + u]`)}
      ${lanes((l) => `const c${l} = f${l} * cp${l} + i${l} * gg${l};`)}
      if (x < ${5 * H}) { ${ret4((l) => `c${l}`)} }
      ${unpack('o', `P[y][${3 * H} + u]`)}
      ${ret4((l) => `o${l} * th(c${l})`)}`),
    gruZR: stage(0, 2 * H, `${preact('x')}
      ${recur('x', String(HC))}
      ${ret4((l) => `sig(a${l})`)}`),
    gruN: stage(2 * H, 3 * H, resetAfter
      ? `const u = x - ${2 * H};
      const bn = bhn[u]; ${lanes((l) => `let a${l} = bn;`)}
      ${recur(`${2 * H} + u`, String(HC))}
      ${unpack('xp', `XP[xr][${2 * H} + u]`)} ${unpack('rg', `P[y][${H} + u]`)}
      ${ret4((l) => `th(xp${l} + rg${l} * a${l})`)}`
      : `const u = x - ${2 * H};
      ${preact(`${2 * H} + u`)}
      ${recur(`${2 * H} + u`, String(HC), String(H))}
      ${ret4((l) => `th(a${l})`)}`),
    gruH: stage(3 * H, 4 * H, `const u = x - ${3 * H};
      ${unpack('z', 'P[y][u]')} ${unpack('hp', `P[hr][${HC} + u]`)} ${unpack('n', `P[y][${2 * H} + u]`)}
      ${ret4((l) => `(1.0 - z${l}) * hp${l} + z${l} * n${l}`)}`),

    // Backward. FS holds the forward rows, (T+1)·B4 of them: rows [0, B4) h0 (and c0), row
    // (t+1)·B4 + g step t. A step's dz texture is (GH + H) wide and B4 high: dL/dz in [0, GH),
    // the total dL/dh_t in [GH, GH + H). Q is the carry from step t+1, [dh | dc] for the LSTM.
    dz: `function(FS, DH, Q, W, bhn, t) {
      const x = this.thread.x; const g = this.thread.y;
      const fr = (t + 1) * ${B4} + g;
      const pr = t * ${B4} + g;
      const q = Math.floor(x / ${H});
      const u = x - q * ${H};
      ${unpack('dv', 'DH[pr][u]')} ${unpack('qv', 'Q[g][u]')}
      ${lanes((l) => `const d${l} = dv${l} + qv${l};`)}
      if (q == ${G}) { ${ret4((l) => `d${l}`)} }
      ${cell === 'rnn' ? `${unpack('hy', 'FS[fr][u]')}
      ${ret4((l) => `d${l} * ${DACT(`hy${l}`)}`)}` : cell === 'lstm' ? `${unpack('f', 'FS[fr][u]')} ${unpack('i', `FS[fr][${H} + u]`)}
      ${unpack('gg', `FS[fr][${2 * H} + u]`)} ${unpack('o', `FS[fr][${3 * H} + u]`)} ${unpack('cv', `FS[fr][${4 * H} + u]`)}
      ${lanes((l) => `const tc${l} = th(cv${l});`)}
      if (q == 3) { ${ret4((l) => `d${l} * tc${l} * o${l} * (1.0 - o${l})`)} }
      ${unpack('qc', `Q[g][${H} + u]`)}
      ${lanes((l) => `const dc${l} = qc${l} + d${l} * o${l} * (1.0 - tc${l} * tc${l});`)}
      if (q == 0) { ${unpack('cp', `FS[pr][${4 * H} + u]`)} ${ret4((l) => `dc${l} * cp${l} * f${l} * (1.0 - f${l})`)} }
      if (q == 1) { ${ret4((l) => `dc${l} * gg${l} * i${l} * (1.0 - i${l})`)} }
      ${ret4((l) => `dc${l} * i${l} * (1.0 - gg${l} * gg${l})`)}` : `${unpack('z', 'FS[fr][u]')} ${unpack('n', `FS[fr][${2 * H} + u]`)} ${unpack('hv', `FS[pr][${HC} + u]`)}
      if (q == 0) { ${ret4((l) => `d${l} * (n${l} - hv${l}) * z${l} * (1.0 - z${l})`)} }
      if (q == 2) { ${ret4((l) => `d${l} * z${l} * (1.0 - n${l} * n${l})`)} }
      ${unpack('rg', `FS[fr][${H} + u]`)}
      ${resetAfter ? `const bn = bhn[u]; ${lanes((l) => `let a${l} = bn;`)}
      for (let k = 0; k < ${H}; k++) { const w = W[${2 * H} + u][${D} + k]; const hk = FS[pr][${HC} + k]; ${lanes((l) => `a${l} += w * hk[${l}];`)} }
      ${ret4((l) => `d${l} * z${l} * (1.0 - n${l} * n${l}) * a${l} * rg${l} * (1.0 - rg${l})`)}` : `${lanes((l) => `let a${l} = 0.0;`)}
      for (let j = 0; j < ${H}; j++) {
        const w = W[${2 * H} + j][${D} + u];
        const dj = DH[pr][j]; const qj = Q[g][j]; const zj = FS[fr][j]; const nj = FS[fr][${2 * H} + j];
        ${lanes((l) => `a${l} += w * (dj[${l}] + qj[${l}]) * zj[${l}] * (1.0 - nj[${l}] * nj[${l}]);`)}
      }
      ${ret4((l) => `a${l} * hv${l} * rg${l} * (1.0 - rg${l})`)}`}`} }`,
    // dL/dh_{t-1} (and the LSTM's dL/dc_{t-1}) from step t's dz texture Z; keep = 0 at a
    // truncation boundary.
    carry: `function(Z, FS, Q, W, WT4, t, keep) {
      const x = this.thread.x; const g = this.thread.y;
      if (keep == 0) { return [0.0, 0.0, 0.0, 0.0]; }
      const zr = g;
      const fr = (t + 1) * ${B4} + g;
      ${cell === 'gru' ? `const u = x;
      ${lanes((l) => `let a${l} = 0.0; let sn${l} = 0.0;`)}
      for (let j = 0; j < ${2 * H}; j++) { const w = W[j][${D} + u]; const zv = Z[zr][j]; ${lanes((l) => `a${l} += w * zv[${l}];`)} }
      for (let j = 0; j < ${H}; j++) {
        const w = W[${2 * H} + j][${D} + u]; const zv = Z[zr][${2 * H} + j];${resetAfter ? ` const rj = FS[fr][${H} + j];` : ''}
        ${lanes((l) => `sn${l} += w * zv[${l}]${resetAfter ? ` * rj[${l}]` : ''};`)}
      }
      ${unpack('dh', `Z[zr][${GH} + u]`)} ${unpack('z', 'FS[fr][u]')} ${unpack('rg', `FS[fr][${H} + u]`)}
      ${ret4((l) => `dh${l} * (1.0 - z${l}) + ${resetAfter ? '' : `rg${l} * `}sn${l} + a${l}`)}` : `${cell === 'lstm' ? `if (x >= ${H}) {
        const u = x - ${H};
        ${unpack('o', `FS[fr][${3 * H} + u]`)} ${unpack('cv', `FS[fr][${4 * H} + u]`)} ${unpack('f', 'FS[fr][u]')}
        ${unpack('qc', `Q[g][${H} + u]`)} ${unpack('dh', `Z[zr][${GH} + u]`)}
        ${lanes((l) => `const tc${l} = th(cv${l});`)}
        ${ret4((l) => `(qc${l} + dh${l} * o${l} * (1.0 - tc${l} * tc${l})) * f${l}`)}
      }` : ''}
      ${lanes((l) => `let a${l} = 0.0;`)}
      for (let m = 0; m < ${GH4}; m++) {
        const w = WT4[${D} + x][m];
        ${[0, 1, 2, 3].map((q) => `${idx4(`j${q}`, q, GH)} const z${q} = Z[zr][j${q}];`).join(' ')}
        ${lanes((l) => `a${l} += ${[0, 1, 2, 3].map((q) => `w[${q}] * z${q}[${l}]`).join(' + ')};`, ' ')}
      }
      ${ret4((l) => `a${l}`)}`} }`,
    // dW accumulator: a texel (x, y) holds the 2×2 block of rows 2y, 2y+1 and columns 2x, 2x+1
    // of the (GH, K+2) gradient (lanes: (2y, 2x), (2y, 2x+1), (2y+1, 2x), (2y+1, 2x+1)), so that
    // each dz and input texel read serves two products. Column K holds db, K+1 dbh. Summed over
    // the ns steps of a backward chunk starting at step t0, step t0 + c in Z<c>; IN holds the
    // inputs [x_t | h_{t-1} | 1 | 1] of every step, so no read branches on the column. The
    // GRU's n rows see r*h_{t-1} (reset-before), or take dz_n*r as their recurrent gradient
    // (reset-after). Padded batch
    // lanes have dz = 0 and add nothing; blocks past the edge are computed (from the last
    // column, where K + 2 is odd) and never read.
    accW: `function(A, IN, FS, t0, ns, ${ZS}) {
      const kb = this.thread.x * 2; const jb = this.thread.y * 2;
      const prev = A[this.thread.y][this.thread.x];
      let s00 = prev[0]; let s01 = prev[1]; let s10 = prev[2]; let s11 = prev[3];
      ${Array.from({ length: CB }, (_, c) => `if (${c} < ns) { for (let i = 0; i < ${B4}; i++) {
          const xr = (t0 + ${c}) * ${B4} + i;
          ${[0, 1].map((kk) => `let k${kk} = kb + ${kk};${kk === 1 && K % 2 === 1 ? ` if (k1 > ${K + 1}) { k1 = ${K + 1}; }` : ''}
          ${unpack(`v${kk}`, `IN[xr][k${kk}]`)}
          ${cell === 'gru' && !resetAfter ? `${lanes((l) => `let r${kk}${l} = 1.0;`)}
          if (k${kk} >= ${D} && k${kk} < ${K}) { ${unpack(`rv${kk}`, `FS[xr + ${B4}][${H} + k${kk} - ${D}]`)} ${lanes((l) => `r${kk}${l} = rv${kk}${l};`)} }` : ''}`).join('\n          ')}
          ${[0, 1].map((jj) => `const zv${jj} = Z${c}[i][jb + ${jj}];
          ${cell === 'gru' && resetAfter ? `let rj${jj} = [1.0, 1.0, 1.0, 1.0];
          if (jb + ${jj} >= ${2 * H}) { rj${jj} = FS[xr + ${B4}][jb + ${jj} - ${H}]; }` : ''}`).join('\n          ')}
          ${[0, 1].map((jj) => [0, 1].map((kk) => {
    // the input of row jb+jj, column kb+kk, lane l
    const v = (l: number): string => {
      if (cell !== 'gru') return `v${kk}${l}`;
      if (!resetAfter) return `(jb + ${jj} >= ${2 * H} ? v${kk}${l} * r${kk}${l} : v${kk}${l})`;
      return `(k${kk} >= ${D} && k${kk} < ${K} ? v${kk}${l} * rj${jj}[${l}] : (k${kk} == ${K + 1} ? rj${jj}[${l}] : v${kk}${l}))`;
    };
    return `s${jj}${kk} += ${lanes((l) => `zv${jj}[${l}] * ${v(l)}`, ' + ')};`;
  }).join('\n          ')).join('\n          ')}
        } }`).join('\n      ')}
      return [s00, s01, s10, s11]; }`,
    // dx (T·B4, D+1) for the ns steps of a backward chunk starting at step t0, step t0 + c in
    // Z<c>; column D holds Σ_u dht², the square of that row's share of gradNorm. Other rows are
    // copied from Y.
    dx: `function(Y, WT4, t0, ns, ${ZS}) {
      const d = this.thread.x; const y = this.thread.y;
      const i = y - t0 * ${B4};
      if (i < 0 || i >= ns * ${B4}) { return Y[y][d]; }
      const c = Math.floor(i / ${B4});
      const g = i - c * ${B4};
      ${lanes((l) => `let a${l} = 0.0;`)}
      ${Array.from({ length: CB }, (_, c) => `if (c == ${c}) {
        if (d == ${D}) {
          for (let u = 0; u < ${H}; u++) { const v = Z${c}[g][${GH} + u]; ${lanes((l) => `a${l} += v[${l}] * v[${l}];`)} }
        } else {
          for (let m = 0; m < ${GH4}; m++) {
            const w = WT4[d][m];
            ${[0, 1, 2, 3].map((q) => `${idx4(`j${q}`, q, GH)} const z${q} = Z${c}[g][j${q}];`).join(' ')}
            ${lanes((l) => `a${l} += ${[0, 1, 2, 3].map((q) => `w[${q}] * z${q}[${l}]`).join(' + ')};`, ' ')}
          }
        }
      }`).join('\n      ')}
      ${ret4((l) => `a${l}`)} }`,
  };
}

/** One shape's compiled kernels. Pairs alternate so that no kernel reads its own output. */
interface Kernels {
  C: number;
  /** Steps per backward chunk: the dz textures that one dW and one dx pass read. */
  CB: number;
  upW: Kernel; upW4: Kernel; upWT4: Kernel; upX: Kernel; upInit: Kernel; proj: Kernel;
  /** The forward stages of one step, in order; the RNN's one stage alternates between two copies. */
  stages: Kernel[][];
  upFS: Kernel; upIN: Kernel; upDH: Kernel; upQ: Kernel; zeroAcc: Kernel; zeroDx: Kernel;
  /** One per step of a backward chunk, each rendering its own step's dz texture. */
  dz: Kernel[]; carry: [Kernel, Kernel]; accW: [Kernel, Kernel]; dx: [Kernel, Kernel];
}

function allKernels(ks: Kernels): Kernel[] {
  return [ks.upW, ks.upW4, ks.upWT4, ks.upX, ks.upInit, ks.proj, ...ks.stages.flat(), ks.upFS, ks.upIN, ks.upDH, ks.upQ, ks.zeroAcc, ks.zeroDx,
    ...ks.dz, ...ks.carry, ...ks.accW, ...ks.dx];
}

/**
 * Shapes whose kernels stay compiled. Each holds its textures (at the benchmark's L, the forward
 * rows alone are 200 MB as RGBA32F), so the least recently used shape beyond these is destroyed.
 */
const CACHED_SHAPES = 2;

function isTexture(t: unknown): t is { delete(): void; toArray(): unknown } {
  return typeof t === 'object' && t !== null && typeof (t as { delete?: unknown }).delete === 'function'
    && typeof (t as { toArray?: unknown }).toArray === 'function';
}

/** Rows of a 2D kernel output (texture or CPU arrays) as arrays of numbers. */
function rowsOf(t: Tex): ArrayLike<number>[] {
  const v = isTexture(t) ? t.toArray() : t;
  return v as unknown as ArrayLike<number>[];
}

/**
 * W's rows four columns to a texel: (GH, D4 + H4) texels, W_x's columns in [0, D4) and W_h's
 * from D4 on, each block zero-padded to a multiple of four columns.
 */
function packedRows(W: Vec, GH: number, D: number, H: number): Float32Array {
  const D4 = Math.ceil(D / 4), H4 = Math.ceil(H / 4), K = D + H, w = (D4 + H4) * 4;
  const out = new Float32Array(GH * w);
  for (let j = 0; j < GH; j++) {
    for (let k = 0; k < D; k++) out[j * w + k] = W[j * K + k];
    for (let k = 0; k < H; k++) out[j * w + D4 * 4 + k] = W[j * K + D + k];
  }
  return out;
}

/** W's columns four rows to a texel: (K, ⌈GH/4⌉) texels, texel (m, k) = W[4m..4m+3][k], zero past GH. */
function packedColumns(W: Vec, GH: number, K: number): Float32Array {
  const GH4 = Math.ceil(GH / 4);
  const out = new Float32Array(K * GH4 * 4);
  for (let k = 0; k < K; k++) for (let j = 0; j < GH; j++) out[k * GH4 * 4 + j] = W[j * K + k];
  return out;
}

/** Rows of a batch-packed kernel output: row, column, then the four lanes (batch rows). */
function texelsOf(t: Tex): ArrayLike<ArrayLike<number>>[] {
  return rowsOf(t) as unknown as ArrayLike<ArrayLike<number>>[];
}

/**
 * A batch-packed upload: `rows` blocks of B batch rows by `cols` columns, as (rows·B4, cols)
 * texels of four lanes. `put(src, block0, col)` copies a (blocks, B, H) array into columns
 * [col, col + H) from block block0 on; padded lanes stay zero.
 */
function packer(blocks: number, B: number, cols: number) {
  const B4 = Math.ceil(B / 4);
  const data = new Float32Array(blocks * B4 * cols * 4);
  return {
    data,
    put(src: ArrayLike<number>, block0: number, col: number, width: number): void {
      const n = src.length / width;
      for (let r = 0; r < n; r++) {
        const blk = block0 + Math.floor(r / B), b = r % B;
        const base = ((blk * B4 + (b >> 2)) * cols + col) * 4 + (b & 3);
        for (let u = 0; u < width; u++) data[base + u * 4] = src[r * width + u];
      }
    },
  };
}

/**
 * The bias the input projection adds, b + bh on every row where bh simply adds, and the
 * reset-after GRU's bh_n (zeros elsewhere), which sits inside r ⊙ (U_n h + bh_n).
 */
function biases(params: Params, GH: number, H: number, resetAfter: boolean): { outer: Float32Array; bhn: Float32Array } {
  const outer = Float32Array.from(params.b);
  const bhn = new Float32Array(H);
  const { bh } = params;
  if (bh !== undefined) {
    for (let j = 0; j < GH; j++) {
      if (resetAfter && j >= 2 * H) bhn[j - 2 * H] = bh[j];
      else outer[j] += bh[j];
    }
  }
  return { outer, bhn };
}

// The engine's one touch of the DOM: WebGL needs a canvas. Guarded, so Node (cpu mode) runs it too.
function makeCanvas(): HTMLCanvasElement | OffscreenCanvas | null {
  // eslint-disable-next-line no-restricted-globals -- a WebGL context needs a canvas
  if (typeof document !== 'undefined') return document.createElement('canvas');
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  return null;
}

/** The forward arrays of a cell, by the columns of its layout: [array, first column]. */
function forwardColumns(cell: Cell, H: number, h: Float32Array, c: Float32Array | undefined, gs: Float32Array[]): [Float32Array, number][] {
  if (cell === 'lstm') return [[gs[0], 0], [gs[1], H], [gs[2], 2 * H], [gs[3], 3 * H], [c!, 4 * H], [h, 5 * H]];
  if (cell === 'gru') return [[gs[0], 0], [gs[1], H], [gs[2], 2 * H], [h, 3 * H]];
  return [[h, 0]];
}

/**
 * A GPU.js engine in the given mode. 'webgl2' and 'webgl' need a browser and throw where the
 * context cannot be made; 'cpu' runs anywhere GPU.js may eval (Node; not a strict-CSP webview).
 */
export function createGpuEngine(mode: GpuMode): GpuEngine {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  let context: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  let gpu: GPU;
  // Textures of the context, as a set: GPU.js may delete one texture twice.
  const glTextures = new Set<WebGLTexture>();
  if (mode === 'cpu') {
    gpu = new GPU({ mode: 'cpu' });
  } else {
    canvas = makeCanvas();
    if (!canvas) throw new Error(`${mode} needs a canvas (no DOM here)`);
    const attrs = { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false };
    const gl = (canvas as HTMLCanvasElement).getContext(mode, attrs) as WebGLRenderingContext | WebGL2RenderingContext | null;
    if (!gl) throw new Error(`${mode} is not available here`);
    // Count the context's textures, so that a leak shows up as growth across calls.
    const create = gl.createTexture.bind(gl);
    const del = gl.deleteTexture.bind(gl);
    gl.createTexture = () => {
      const t = create();
      if (t) glTextures.add(t);
      return t;
    };
    gl.deleteTexture = (t: WebGLTexture | null) => {
      if (t) glTextures.delete(t);
      del(t);
    };
    context = gl;
    gpu = new GPU({ mode, canvas, context });
  }
  const cache = new Map<string, Kernels>();

  function kernelsFor(cell: Cell, shape: Shape, act: number, resetAfter: boolean): Kernels {
    const key = `${cell}:${shape.T}:${shape.B}:${shape.D}:${shape.H}:${act}:${resetAfter}`;
    const hit = cache.get(key);
    if (hit) {
      // Most recently used last, so that eviction takes the oldest.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    if (cache.size >= CACHED_SHAPES) {
      const [oldest, ks] = cache.entries().next().value as [string, Kernels];
      cache.delete(oldest);
      for (const k of allKernels(ks)) k.destroy();
    }
    const { T, B, D, H, K, GH } = dims(cell, shape);
    const B4 = Math.ceil(B / 4);
    const C = chunkSteps(T);
    const { FW } = layout(cell, H);
    const CB = backSteps(T, context);
    const src = sources(cell, shape, CB, act, resetAfter);
    const mk = (source: string, output: number[], scalar = false): Kernel => {
      // loopMaxIterations and returnType are kernel settings GPU.js reads at build time, missing
      // from its typings.
      const settings: IGPUKernelSettings & { loopMaxIterations: number; returnType: string } = {
        output, pipeline: true, immutable: false, precision: 'single', tactic: 'precision', loopMaxIterations: 1_000_000,
        dynamicArguments: false, dynamicOutput: false, returnType: scalar ? 'Number' : 'Array(4)',
      };
      const k = gpu.createKernel(source, settings);
      // Helper functions go in by source text for the same reason the kernels do.
      k.addFunction(SIG as unknown as never);
      k.addFunction(TANH as unknown as never);
      return k;
    };
    const pair = (source: string, output: number[], scalar = false): [Kernel, Kernel] => [mk(source, output, scalar), mk(source, output, scalar)];
    const chunk = [FW, C * B4];
    const stages = cell === 'rnn' ? [[mk(src.rnnStep, chunk)], [mk(src.rnnStep, chunk)]]
      : cell === 'lstm' ? [[mk(src.lstmGates, chunk), mk(src.lstmState, chunk)]]
        : [[mk(src.gruZR, chunk), mk(src.gruN, chunk), mk(src.gruH, chunk)]];
    const CW = cell === 'lstm' ? 2 * H : H;
    const ks: Kernels = {
      C,
      CB,
      upW: mk(src.upload(K), [K, GH], true),
      upW4: mk(src.upload4(Math.ceil(D / 4) + Math.ceil(H / 4)), [Math.ceil(D / 4) + Math.ceil(H / 4), GH]),
      upWT4: mk(src.upload4(Math.ceil(GH / 4)), [Math.ceil(GH / 4), K]),
      upX: mk(src.upload4(D), [D, T * B4]),
      upInit: mk(src.upload4(FW), chunk),
      proj: mk(src.proj, [GH, T * B4]),
      stages,
      upFS: mk(src.upload4(FW), [FW, (T + 1) * B4]),
      upIN: mk(src.upload4(K + 2), [K + 2, T * B4]),
      upDH: mk(src.upload4(H), [H, T * B4]),
      upQ: mk(src.upload4(CW), [CW, B4]),
      zeroAcc: mk(src.zero4, [Math.ceil((K + 2) / 2), Math.ceil(GH / 2)]),
      zeroDx: mk(src.zero4, [D + 1, T * B4]),
      dz: Array.from({ length: CB }, () => mk(src.dz, [GH + H, B4])),
      carry: pair(src.carry, [CW, B4]),
      accW: pair(src.accW, [Math.ceil((K + 2) / 2), Math.ceil(GH / 2)]),
      dx: pair(src.dx, [D + 1, T * B4]),
    };
    cache.set(key, ks);
    return ks;
  }

  const run = (k: Kernel, ...args: unknown[]): Tex => (k as unknown as (...a: unknown[]) => Tex)(...args);
  const actCode = (a: string | undefined): number => (a === 'relu' ? 1 : a === 'linear' ? 2 : 0);

  function forward(cell: Cell, shape: Shape, params: Params, xIn: Vec, opts: ForwardOptions = {}): ForwardResult {
    const { activation, resetAfter } = checkForwardInputs(cell, shape, params, xIn, opts);
    const { T, B, D, H, G, GH, BH } = dims(cell, shape);
    const B4 = Math.ceil(B / 4);
    const { FW, HC } = layout(cell, H);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { C } = ks;
    const { outer, bhn } = biases(params, GH, H, resetAfter);
    const h0 = f32(opts.h0, BH).slice();
    const c0 = cell === 'lstm' ? f32(opts.c0, BH).slice() : undefined;
    const xp = packer(T, B, D);
    xp.put(f32(xIn, T * B * D), 0, 0, D);
    const W4 = run(ks.upW4, packedRows(f32(params.W, GH * (D + H)), GH, D, H));
    const XP = run(ks.proj, W4, run(ks.upX, xp.data), outer);
    // h0 (and c0) sit in the slot that step 0 reads as its predecessor, C-1.
    const init = packer(C, B, FW);
    init.put(h0, C - 1, HC, H);
    if (c0) init.put(c0, C - 1, 4 * H, H);
    let P = run(ks.upInit, init.data);
    const h = new Float32Array(T * BH);
    const c = cell === 'lstm' ? new Float32Array(T * BH) : undefined;
    const gs = Array.from({ length: G }, () => new Float32Array(cell === 'rnn' ? 0 : T * BH));
    const cols = forwardColumns(cell, H, h, c, gs);
    for (let t = 0; t < T; t++) {
      const s = t % C;
      const sp = (s + C - 1) % C;
      for (const k of ks.stages[t % ks.stages.length]) {
        P = run(k, P, XP, W4, bhn, t, s, sp);
      }
      if (s === C - 1 || t === T - 1) {
        // The chunk is full (or the sequence ends): read its slots back, once.
        const rows = texelsOf(P);
        const t0 = t - s;
        for (let r = 0; r < (s + 1) * B; r++) {
          const row = rows[Math.floor(r / B) * B4 + ((r % B) >> 2)];
          const l = r % B & 3;
          const o = t0 * BH + r * H;
          for (const [dst, col] of cols) for (let u = 0; u < H; u++) dst[o + u] = row[col + u][l];
        }
      }
    }
    if (cell === 'lstm') return { h, c, gates: { f: gs[0], i: gs[1], g: gs[2], o: gs[3] }, h0, c0, activation };
    if (cell === 'gru') return { h, gates: { z: gs[0], r: gs[1], n: gs[2] }, h0, activation, resetAfter };
    return { h, gates: {}, h0, activation };
  }

  function backward(
    cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
  ): BackwardResult {
    const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
    const { T, B, D, H, K, GH, BH } = dims(cell, shape);
    const B4 = Math.ceil(B / 4);
    const { FW, HC } = layout(cell, H);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { bhn } = biases(params, GH, H, resetAfter);
    const win = truncationWindow(T, opts.truncate);
    // The forward rows as one texture: block 0 holds h0 (and c0), block t+1 step t.
    const fs = packer(T + 1, B, FW);
    fs.put(f32(opts.h0 ?? fwd.h0, BH), 0, HC, H);
    fs.put(f32(fwd.h, T * BH), 1, HC, H);
    if (cell === 'lstm') {
      fs.put(f32(opts.c0 ?? fwd.c0, BH), 0, 4 * H, H);
      fs.put(f32(fwd.c, T * BH), 1, 4 * H, H);
    }
    const names = cell === 'lstm' ? (['f', 'i', 'g', 'o'] as const) : cell === 'gru' ? (['z', 'r', 'n'] as const) : [];
    names.forEach((name, q) => {
      const g = fwd.gates[name];
      if (!g) throw new RangeError(`fwd.gates.${name} is missing`);
      fs.put(f32(g, T * BH), 1, q * H, H);
    });
    // The dW inputs of step t: [x_t | h_{t-1} | 1 | 1] (the ones are the columns of db and dbh).
    const ins = packer(T, B, K + 2);
    ins.put(f32(xIn, T * B * D), 0, 0, D);
    ins.put(f32(opts.h0 ?? fwd.h0, BH), 0, D, H);
    ins.put(f32(fwd.h, T * BH).subarray(0, (T - 1) * BH), 1, D, H);
    ins.put(new Float32Array(T * B * 2).fill(1), 0, K, 2);
    const dh = packer(T, B, H);
    if (dhIn) dh.put(f32(dhIn, T * BH), 0, 0, H);
    const CW = cell === 'lstm' ? 2 * H : H;
    const q0 = packer(1, B, CW);
    q0.put(f32(opts.dhT, BH), 0, 0, H);
    if (cell === 'lstm') q0.put(f32(opts.dcT, BH), 0, H, H);
    const W = run(ks.upW, f32(params.W, GH * K));
    const IN = run(ks.upIN, ins.data);
    const FS = run(ks.upFS, fs.data);
    const DH = run(ks.upDH, dh.data);
    const WT4 = run(ks.upWT4, packedColumns(params.W, GH, K));
    let Q = run(ks.upQ, q0.data);
    // Step t's dz goes to texture t % CB; a chunk's dW and dx passes read all of them once
    // its first step is done. Slots a partial chunk does not reach are passed but not read.
    const { CB } = ks;
    const Z: Tex[] = [];
    let acc = run(ks.zeroAcc);
    let dxAll = run(ks.zeroDx);
    let ci = 0;
    for (let t = T - 1; t >= 0; t--) {
      const s = t % CB;
      Z[s] = run(ks.dz[s], FS, DH, Q, W, bhn, t);
      Q = run(ks.carry[t & 1], Z[s], FS, Q, W, WT4, t, t === 0 || carriesBack(t, win) ? 1 : 0);
      if (s === 0) {
        const ns = Math.min(T, t + CB) - t;
        const zs = Array.from({ length: CB }, (_, c) => Z[c] ?? Z[0]);
        acc = run(ks.accW[ci], acc, IN, FS, t, ns, ...zs);
        dxAll = run(ks.dx[ci], dxAll, WT4, t, ns, ...zs);
        ci = 1 - ci;
      }
    }
    const dW = new Float32Array(GH * K);
    const db = new Float32Array(GH);
    const dbh = new Float32Array(GH);
    const accRows = texelsOf(acc);
    const grad = (j: number, k: number): number => accRows[j >> 1][k >> 1][((j & 1) << 1) | (k & 1)];
    for (let j = 0; j < GH; j++) {
      for (let q = 0; q < K; q++) dW[j * K + q] = grad(j, q);
      db[j] = grad(j, K);
      dbh[j] = grad(j, K + 1);
    }
    const dx = new Float32Array(T * B * D);
    const gradNorm = new Float32Array(T);
    const dxRows = texelsOf(dxAll);
    for (let r = 0; r < T * B; r++) {
      const t = Math.floor(r / B), b = r % B;
      const row = dxRows[t * B4 + (b >> 2)];
      for (let d = 0; d < D; d++) dx[r * D + d] = row[d][b & 3];
      gradNorm[t] += row[D][b & 3];
    }
    for (let t = 0; t < T; t++) gradNorm[t] = Math.sqrt(gradNorm[t]);
    const dh0 = new Float32Array(BH);
    const dc0 = new Float32Array(BH);
    const qRows = texelsOf(Q);
    for (let b = 0; b < B; b++) {
      const row = qRows[b >> 2];
      for (let u = 0; u < H; u++) {
        dh0[b * H + u] = row[u][b & 3];
        if (cell === 'lstm') dc0[b * H + u] = row[H + u][b & 3];
      }
    }
    const res: BackwardResult = { dW, db, dx, dh0, gradNorm };
    if (params.bh !== undefined) res.dbh = dbh;
    if (cell === 'lstm') res.dc0 = dc0;
    return res;
  }

  return {
    name: `gpu:${mode}`,
    mode,
    context,
    canvas,
    forward,
    backward,
    liveTextures: () => glTextures.size,
    isContextLost: () => (context ? context.isContextLost() : false),
    dispose() {
      // GPU.js's destroy() frees kernels on a timer; ours go now, so their textures with them.
      for (const ks of cache.values()) for (const k of allKernels(ks)) k.destroy();
      cache.clear();
      try {
        void gpu.destroy();
      } catch {
        // A lost context cannot be destroyed twice; nothing else holds it.
      }
    },
  };
}

let defaultGpu: GpuEngine | null = null;

/** The engine `backend: 'gpu'` uses: webgl2, then webgl, in a browser; GPU.js 'cpu' in Node. */
export function defaultGpuEngine(): GpuEngine {
  if (defaultGpu && !defaultGpu.isContextLost()) return defaultGpu;
  // eslint-disable-next-line no-restricted-globals -- is there a canvas for WebGL here?
  const modes: GpuMode[] = typeof document !== 'undefined' || typeof OffscreenCanvas !== 'undefined'
    ? ['webgl2', 'webgl'] : ['cpu'];
  let lastError: unknown = null;
  for (const m of modes) {
    try {
      defaultGpu = createGpuEngine(m);
      return defaultGpu;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`no GPU.js backend is available: ${String(lastError)}`);
}
