// The `gpu` backend: GPU.js kernels, webgl2 or webgl in a browser, GPU.js's `cpu` mode in Node.
//
// Passes (see docs/KERNELS.md for the math):
// - Forward: the input projection of every timestep is one product, XP = [x]·W_xᵀ + b. The LSTM
//   then has two passes per step: the gates (the recurrent product, the four gates of a unit in
//   the four outputs of its pixel), then c and h. The RNN has one (h), the GRU three (z and r,
//   then n, then h), each doing the recurrent product and that stage's elementwise math.
// - Backward: per step one pass for dL/dz of every gate row (with the total dL/dh_t and the
//   LSTM's dL/dc_{t-1}), one for the carry dL/dh_{t-1}. dW, db, dbh and dx are products over a
//   backward chunk of steps, run once per chunk rather than once per step; dW reads its inputs
//   from one texture of [x_t | h_{t-1} | 1 | 1] rows, built with the uploads.
//
// Packing (a shader's texture reads, not its arithmetic, are what it waits on): every texture
// but W is batch-packed, four batch rows to a texel (B padded to a multiple of 4 with zero rows
// that stay zero), so a weight read serves four rows. Every product with W also reads W four
// to a texel: W4 holds its rows four columns to a texel (the input projection and the forward
// recurrent products), WT4 its columns four rows to a texel (the carry and dx). And the products
// write four outputs per pixel (GPU.js kernel maps: quadReturn), a 4×4 block of rows by batch
// lanes, so that a product step reads 8 texels for 64 multiply-adds.
//
// Forward chunks: a step's outputs are written into textures that hold C consecutive steps
// (rows slot·⌈B/4⌉ + b/4); each pass computes its own step's rows and copies the rest from the
// textures the previous pass wrote, so the chunk fills up step by step without a texture per
// step. That copy is per-pixel work on every pass, so chunks are short (chunkSteps). The forward
// pass reads a chunk back once it is full (T/C readbacks).
// Backward chunks: step t's dz goes to its own texture, one of CB (backSteps) that are reused
// chunk after chunk, so no dz pass copies anything; a chunk's dW and dx passes take all CB
// textures as arguments. dx is read back once per chunk, dW|db|dbh and dh0|dc0 at the end.
//
// GPU.js pitfalls steered around:
// - No allocation per step: every kernel is mutable (it renders into the same textures on every
//   call), and no kernel ever reads its own output: a stage reads the previous stage's textures,
//   kernels that feed themselves in the forward pass alternate between two compiled copies, and
//   the dW pass reads a copy of its sums.
// - Kernels are source strings, not functions: GPU.js parses Function.prototype.toString(), and
//   a minifier rewrites function bodies into forms its parser rejects.
// - Every loop bound is a compile-time constant and loopMaxIterations is raised, because GPU.js
//   silently caps dynamic loops at 1000 iterations (G·H reaches 1024 at H = 256).
// - Thread indices are floats: gate blocks are found with Math.floor, never integer division.
// - No per-lane conditionals in the unrolled dW pass: SwiftShader's shader compiler hung on the
//   GRU's (the GPU process was killed after a minute), so its inputs are blended by 0/1 flags.
import { GPU, type IGPUKernelSettings, type IKernelRunShortcut, type KernelOutput } from 'gpu.js';
import {
  type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions, type ForwardResult,
  type Params, type Shape, type Vec, carriesBack, checkBackwardArgs, checkForwardInputs, dims, f32, truncationWindow,
} from '../../types';

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
 * chunk is read back once, so there are T/C readbacks, each a wait for the GPU. So C·⌈B/4⌉ is
 * kept near 16 rows, C between 2 and 8. On SwiftShader: at the benchmark's L (⌈B/4⌉ = 8), 4
 * measured no faster than 2 (ours / TF.js webgl 0.856 against 0.845, one run each); at S (B = 1),
 * 8 took 52 ms against 70 ms with 2.
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
function backSteps(T: number, gl: WebGLRenderingContext | WebGL2RenderingContext | null): number {
  const units = gl ? Number(gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS)) : 16;
  return Math.max(Math.min(T, 2), Math.min(T, 4, units - 6));
}

/**
 * Column layout of the forward texture that holds h (one step, one batch row): the RNN [h], the
 * GRU [z r | n | h], the LSTM's state [c | h] (its gates have four textures of their own). HC is
 * where h starts, FW the width.
 */
function layout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 2 * H, HC: H };
  if (cell === 'gru') return { FW: 4 * H, HC: 3 * H };
  return { FW: H, HC: 0 };
}

/**
 * Column layout of the backward's forward rows (FS): the RNN [h], the LSTM [f i g o | c] (its
 * backward never reads h there), the GRU [z r | n | h]. HC is where h starts (-1: none), FW the
 * width.
 */
function backLayout(cell: Cell, H: number): { FW: number; HC: number } {
  if (cell === 'lstm') return { FW: 5 * H, HC: -1 };
  return layout(cell, H);
}

/** Width of a backward step's dz texture: dL/dz, the total dL/dh_t and (LSTM) the dL/dc_{t-1} it carries. */
function zWidth(cell: Cell, GH: number, H: number): number {
  return GH + (cell === 'lstm' ? 2 * H : H);
}

const Q4 = [0, 1, 2, 3];
/** `f(lane)` for the four batch lanes of a texel, joined by `sep`. */
const lanes = (f: (l: number) => string, sep = ' '): string => Q4.map(f).join(sep);
/** Declares `name0..name3` from the vec4 expression `v` (a texel: four batch rows). */
const unpack = (name: string, v: string): string => `const ${name} = ${v}; ${lanes((l) => `const ${name}${l} = ${name}[${l}];`)}`;
const ret4 = (f: (l: number) => string): string => `return [${lanes(f, ', ')}];`;
/**
 * Returns four vec4 outputs, lane l of output q being `f(q, l)`: output 0 is the kernel's
 * result, 1..3 its sub-kernels o1..o3 (createKernelMap; WebGL2 draws them in one pass).
 */
const quadReturn = (f: (q: number, l: number) => string): string =>
  `${[1, 2, 3].map((q) => `o${q}([${lanes((l) => f(q, l), ', ')}]);`).join(' ')} return [${lanes((l) => f(0, l), ', ')}];`;
/** Returns texel (y, x) of the four textures name0..name3, unchanged. */
const copyQuad = (name: string, y: string, x: string): string =>
  `${Q4.map((q) => `const c${q} = ${name}${q}[${y}][${x}];`).join(' ')} ${quadReturn((q, l) => `c${q}[${l}]`)}`;

/**
 * Kernel sources, parameterised by literal constants so that loops have fixed bounds. Every
 * texture but W and the dW accumulator is batch-packed: a texel holds four batch rows (lanes) of
 * one column, rows are (step, group of four), so each product reads a weight once for four rows.
 * The products write four outputs per pixel (`quad`: the kernel's result and its sub-kernels
 * o1..o3), so that a pixel's eight reads per step (four weight texels, four input texels) serve
 * 64 multiply-adds.
 */
function sources(cell: Cell, s: Shape, CB: number, act: number, resetAfter: boolean) {
  const { D, H, K, GH, G } = dims(cell, s);
  const B4 = Math.ceil(s.B / 4);
  const { HC } = layout(cell, H);
  const { HC: BHC } = backLayout(cell, H);
  // The backward's dz textures, one per step of a backward chunk, as kernel parameters.
  const ZS = Array.from({ length: CB }, (_, c) => `Z${c}`).join(', ');
  const ACT = (v: string): string => (act === 0 ? `th(${v})` : act === 1 ? `Math.max(${v}, 0.0)` : v);
  const DACT = (y: string): string => (act === 0 ? `(1.0 - ${y} * ${y})` : act === 1 ? `(${y} > 0.0 ? 1.0 : 0.0)` : '1.0');
  const H4 = Math.ceil(H / 4);
  const GH4 = Math.ceil(GH / 4);
  const D4 = Math.ceil(D / 4);
  // `let name = m * 4 + q`, clamped to n - 1 where n is not a multiple of 4: a read past the end
  // of a block then meets the zeros that pad the packed weights.
  const idx4 = (name: string, q: number, n: number): string => `let ${name} = m * 4 + ${q};${n % 4 === 0 ? '' : ` if (${name} > ${n - 1}) { ${name} = ${n - 1}; }`}`;
  // `let name = e`, clamped to max: the row or column of a quad output past the edge, computed
  // from the last one and never read.
  const clamp = (name: string, e: string, max: number): string => `let ${name} = ${e}; if (${name} > ${max}) { ${name} = ${max}; }`;
  // a_l += Σ_k W_h[row][k] · P[hr][col0 + k] (times P[y][ecol + k] where given), four k per
  // step: W4 holds W's row four columns to a texel, W_x in texels [0, D4), W_h from D4 on, each
  // block zero-padded to a multiple of 4.
  const recur = (row: string, col0: string, ecol = ''): string => `for (let m = 0; m < ${H4}; m++) {
        const w = W4[${row}][${D4} + m];
        ${Q4.map((q) => `${idx4(`k${q}`, q, H)} const hv${q} = P[hr][${col0} + k${q}];${ecol ? ` const ev${q} = P[y][${ecol} + k${q}];` : ''}`).join('\n        ')}
        ${lanes((l) => `a${l} += ${Q4.map((q) => `w[${q}] * hv${q}[${l}]${ecol ? ` * ev${q}[${l}]` : ''}`).join(' + ')};`, '\n        ')}
      }`;
  // a<q><l> += Σ_k w<q>[k] · v<k>[l]: four weight texels (four k each) times four input texels
  // (four lanes each) into sixteen sums.
  const mac16 = (): string => Q4.map((q) => lanes((l) => `a${q}${l} += ${Q4.map((k) => `w${q}[${k}] * v${k}[${l}]`).join(' + ')};`)).join('\n        ');
  const acc16 = (init: (q: number, l: number) => string): string => Q4.map((q) => lanes((l) => `let a${q}${l} = ${init(q, l)};`)).join(' ');
  const stage = (lo: number, hi: number, body: string): string => `function(P, XP, W4, bhn, t, s, sp) {
      const x = this.thread.x; const y = this.thread.y;
      const g = y - s * ${B4};
      if (g < 0 || g >= ${B4} || x < ${lo} || x >= ${hi}) { return P[y][x]; }
      const hr = sp * ${B4} + g;
      const xr = t * ${B4} + g;
      ${body} }`;
  const preact = (col: string): string => `const xp = XP[xr][${col}]; ${lanes((l) => `let a${l} = xp[${l}];`)}`;
  // The dL/dh_t carried from step t+1 for unit `u`: unit q·H4 + p is in Q<q>, column p.
  const carried = (name: string, u: string, row: string): string => `const ${name}b = Math.floor(${u} / ${H4}); const ${name}p = ${u} - ${name}b * ${H4};
      let ${name} = Q0[${row}][${name}p];
      if (${name}b == 1) { ${name} = Q1[${row}][${name}p]; } if (${name}b == 2) { ${name} = Q2[${row}][${name}p]; } if (${name}b == 3) { ${name} = Q3[${row}][${name}p]; }`;
  // The GRU's dW inputs, branch-free (per-lane conditionals in the unrolled dW pass make
  // SwiftShader's compiler hang): nr<r> = 1 where row j<r> is an n row, hc<q> = 1 where column
  // k<q> is a hidden column (kh<q> its unit, clamped), ek<q> = 1 at column K+1 (dbh). e<r><q><l>
  // is the input of row j<r>, column k<q>, lane l.
  const gruFlags = `${Q4.map((r) => `const nr${r} = j${r} >= ${2 * H} ? 1.0 : 0.0; ${clamp(`jh${r}`, `j${r} - ${H}`, GH - 1)} if (jh${r} < 0) { jh${r} = 0; }`).join(' ')}
      ${Q4.map((q) => `const hc${q} = k${q} >= ${D} && k${q} < ${K} ? 1.0 : 0.0; const ek${q} = k${q} == ${K + 1} ? 1.0 : 0.0; ${clamp(`kh${q}`, `k${q} - ${D}`, H - 1)} if (kh${q} < 0) { kh${q} = 0; }`).join(' ')}`;
  const gruInputs = resetAfter
    // r_j multiplies the recurrent columns of n row j and is that row's dbh column
    ? `${Q4.map((r) => `const fr${r} = FS[xr + ${B4}][jh${r}]; ${lanes((l) => `const rj${r}${l} = 1.0 + nr${r} * (fr${r}[${l}] - 1.0);`)}`).join('\n          ')}
          ${Q4.map((r) => Q4.map((q) => lanes((l) => `const e${r}${q}${l} = v${q}[${l}] + hc${q} * (v${q}[${l}] * rj${r}${l} - v${q}[${l}]) + ek${q} * (rj${r}${l} - v${q}[${l}]);`)).join(' ')).join('\n          ')}`
    // the n rows see r ⊙ h_{t-1} in their hidden columns
    : `${Q4.map((q) => `const rv${q} = FS[xr + ${B4}][${H} + kh${q}]; ${lanes((l) => `const vr${q}${l} = v${q}[${l}] * (1.0 + hc${q} * (rv${q}[${l}] - 1.0));`)}`).join('\n          ')}
          ${Q4.map((r) => Q4.map((q) => lanes((l) => `const e${r}${q}${l} = v${q}[${l}] + nr${r} * (vr${q}${l} - v${q}[${l}]);`)).join(' ')).join('\n          ')}`;
  return {
    /** A flat array as (rows, cols) vec4 texels, four floats per texel, in order. */
    upload4: (cols: number) => `function(a) { const i = (this.thread.y * ${cols} + this.thread.x) * 4; return [a[i], a[i + 1], a[i + 2], a[i + 3]]; }`,
    /** Four (rows, cols) vec4 textures from one flat array, one after the other. */
    uploadQuad: (cols: number, rows: number) => `function(a) { const i = (this.thread.y * ${cols} + this.thread.x) * 4;
      ${quadReturn((q, l) => `a[i + ${q * rows * cols * 4 + l}]`)} }`,
    upload: (cols: number) => `function(a) { return a[this.thread.y * ${cols} + this.thread.x]; }`,
    zeroQuad: `function() { ${quadReturn(() => '0.0')} }`,
    copyQuad: `function(A0, A1, A2, A3) { ${copyQuad('A', 'this.thread.y', 'this.thread.x')} }`,
    // RNN and GRU: XP[r][j] = b[j] + W[j, :D]·x[r], four d per step (W4's input block)
    proj: `function(W4, X, bias) {
      const j = this.thread.x; const r = this.thread.y;
      const bj = bias[j]; ${lanes((l) => `let a${l} = bj;`)}
      for (let m = 0; m < ${D4}; m++) {
        const w = W4[j][m];
        ${Q4.map((q) => `${idx4(`d${q}`, q, D)} const xv${q} = X[r][d${q}];`).join(' ')}
        ${lanes((l) => `a${l} += ${Q4.map((q) => `w[${q}] * xv${q}[${l}]`).join(' + ')};`, ' ')}
      }
      ${ret4((l) => `a${l}`)} }`,
    rnnStep: stage(0, H, `${preact('x')}
      ${recur('x', '0')}
      ${ret4((l) => ACT(`a${l}`))}`),
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

    // LSTM forward. The input projection by gate: pixel (u, r) holds gate q's preactivation of
    // unit u in output q (XP<q>), b + bh + W_x x_r.
    lstmProj: `function(W4, X, bias) {
      const u = this.thread.x; const r = this.thread.y;
      ${Q4.map((q) => `const b${q} = bias[${q * H} + u];`).join(' ')}
      ${acc16((q) => `b${q}`)}
      for (let m = 0; m < ${D4}; m++) {
        ${Q4.map((q) => `const w${q} = W4[${q * H} + u][m];`).join(' ')}
        ${Q4.map((k) => `${idx4(`d${k}`, k, D)} const v${k} = X[r][d${k}];`).join(' ')}
        ${mac16()}
      }
      ${quadReturn((q, l) => `a${q}${l}`)} }`,
    // The four gates of unit u at step t (slot s of the chunk; h_{t-1} in slot sp of S), one per
    // output, from the recurrent product; the other slots are copied from the previous pass.
    lstmGates: `function(G0, G1, G2, G3, S, X0, X1, X2, X3, W4, t, s, sp) {
      const u = this.thread.x; const y = this.thread.y;
      const g = y - s * ${B4};
      if (g < 0 || g >= ${B4}) { ${copyQuad('G', 'y', 'u')} }
      const hr = sp * ${B4} + g;
      const xr = t * ${B4} + g;
      ${Q4.map((q) => `const x${q} = X${q}[xr][u];`).join(' ')}
      ${acc16((q, l) => `x${q}[${l}]`)}
      for (let m = 0; m < ${H4}; m++) {
        ${Q4.map((q) => `const w${q} = W4[${q * H} + u][${D4} + m];`).join(' ')}
        ${Q4.map((k) => `${idx4(`k${k}`, k, H)} const v${k} = S[hr][${H} + k${k}];`).join(' ')}
        ${mac16()}
      }
      ${quadReturn((q, l) => (q === 2 ? `th(a${q}${l})` : `sig(a${q}${l})`))} }`,
    // [c | h] of step t from its gates and c_{t-1}; other slots copied.
    lstmState: `function(S, G0, G1, G2, G3, s, sp) {
      const x = this.thread.x; const y = this.thread.y;
      const g = y - s * ${B4};
      if (g < 0 || g >= ${B4}) { return S[y][x]; }
      const hr = sp * ${B4} + g;
      let u = x;
      if (x >= ${H}) { u = x - ${H}; }
      ${unpack('f', 'G0[y][u]')} ${unpack('i', 'G1[y][u]')} ${unpack('gg', 'G2[y][u]')} ${unpack('cp', 'S[hr][u]')}
      ${lanes((l) => `const c${l} = f${l} * cp${l} + i${l} * gg${l};`)}
      if (x < ${H}) { ${ret4((l) => `c${l}`)} }
      ${unpack('o', 'G3[y][u]')}
      ${ret4((l) => `o${l} * th(c${l})`)} }`,

    // Backward. FS holds the forward rows (backLayout), (T+1)·B4 of them: rows [0, B4) h0 (and
    // c0), row (t+1)·B4 + g step t. A step's dz texture is ZW wide and B4 high: dL/dz in
    // [0, GH), the total dL/dh_t in [GH, GH + H) and, for the LSTM, the dL/dc_{t-1} it carries
    // back in [GH + H, GH + 2H) (0 where keep = 0, at a truncation boundary). Q0..Q3 hold the
    // dL/dh_t carried from step t+1 (carried), ZP is step t+1's dz texture.
    dz: `function(FS, DH, Q0, Q1, Q2, Q3, ZP, W, bhn, t, keep) {
      const x = this.thread.x; const g = this.thread.y;
      const fr = (t + 1) * ${B4} + g;
      const pr = t * ${B4} + g;
      const q = Math.floor(x / ${H});
      const u = x - q * ${H};
      ${unpack('dv', 'DH[pr][u]')} ${carried('qv', 'u', 'g')}
      ${lanes((l) => `const d${l} = dv${l} + qv[${l}];`)}
      if (q == ${G}) { ${ret4((l) => `d${l}`)} }
      ${cell === 'rnn' ? `${unpack('hy', 'FS[fr][u]')}
      ${ret4((l) => `d${l} * ${DACT(`hy${l}`)}`)}` : cell === 'lstm' ? `${unpack('f', 'FS[fr][u]')} ${unpack('i', `FS[fr][${H} + u]`)}
      ${unpack('gg', `FS[fr][${2 * H} + u]`)} ${unpack('o', `FS[fr][${3 * H} + u]`)} ${unpack('cv', `FS[fr][${4 * H} + u]`)}
      ${lanes((l) => `const tc${l} = th(cv${l});`)}
      if (q == 3) { ${ret4((l) => `d${l} * tc${l} * o${l} * (1.0 - o${l})`)} }
      ${unpack('qc', `ZP[g][${GH + H} + u]`)}
      ${lanes((l) => `const dc${l} = qc${l} + d${l} * o${l} * (1.0 - tc${l} * tc${l});`)}
      if (q == 5) { ${ret4((l) => `keep * dc${l} * f${l}`)} }
      if (q == 0) { ${unpack('cp', `FS[pr][${4 * H} + u]`)} ${ret4((l) => `dc${l} * cp${l} * f${l} * (1.0 - f${l})`)} }
      if (q == 1) { ${ret4((l) => `dc${l} * gg${l} * i${l} * (1.0 - i${l})`)} }
      ${ret4((l) => `dc${l} * i${l} * (1.0 - gg${l} * gg${l})`)}` : `${unpack('z', 'FS[fr][u]')} ${unpack('n', `FS[fr][${2 * H} + u]`)} ${unpack('hv', `FS[pr][${BHC} + u]`)}
      if (q == 0) { ${ret4((l) => `d${l} * (n${l} - hv${l}) * z${l} * (1.0 - z${l})`)} }
      if (q == 2) { ${ret4((l) => `d${l} * z${l} * (1.0 - n${l} * n${l})`)} }
      ${unpack('rg', `FS[fr][${H} + u]`)}
      ${resetAfter ? `const bn = bhn[u]; ${lanes((l) => `let a${l} = bn;`)}
      for (let k = 0; k < ${H}; k++) { const w = W[${2 * H} + u][${D} + k]; const hk = FS[pr][${BHC} + k]; ${lanes((l) => `a${l} += w * hk[${l}];`)} }
      ${ret4((l) => `d${l} * z${l} * (1.0 - n${l} * n${l}) * a${l} * rg${l} * (1.0 - rg${l})`)}` : `${lanes((l) => `let a${l} = 0.0;`)}
      ${Q4.filter((qb) => qb * H4 < H).map((qb) => `for (let p = 0; p < ${H4}; p++) {
        const j = ${qb * H4} + p;
        if (j < ${H}) {
          const w = W[${2 * H} + j][${D} + u];
          const dj = DH[pr][j]; const qj = Q${qb}[g][p]; const zj = FS[fr][j]; const nj = FS[fr][${2 * H} + j];
          ${lanes((l) => `a${l} += w * (dj[${l}] + qj[${l}]) * zj[${l}] * (1.0 - nj[${l}] * nj[${l}]);`)}
        }
      }`).join('\n      ')}
      ${ret4((l) => `a${l} * hv${l} * rg${l} * (1.0 - rg${l})`)}`}`} }`,
    // dL/dh_{t-1} from step t's dz texture Z, units q·H4 + p in output q of pixel p; zero where
    // keep = 0, at a truncation boundary.
    carry: `function(Z, FS, W, WT4, t, keep) {
      const p = this.thread.x; const g = this.thread.y;
      if (keep == 0) { ${quadReturn(() => '0.0')} }
      const fr = (t + 1) * ${B4} + g;
      ${Q4.map((q) => clamp(`u${q}`, `${q * H4} + p`, H - 1)).join(' ')}
      ${acc16(() => '0.0')}
      ${cell === 'gru' ? `${Q4.map((q) => lanes((l) => `let n${q}${l} = 0.0;`)).join(' ')}
      for (let j = 0; j < ${2 * H}; j++) {
        const zv = Z[g][j];
        ${Q4.map((q) => `const w${q} = W[j][${D} + u${q}]; ${lanes((l) => `a${q}${l} += w${q} * zv[${l}];`)}`).join('\n        ')}
      }
      for (let j = 0; j < ${H}; j++) {
        const zv = Z[g][${2 * H} + j];${resetAfter ? ` const rj = FS[fr][${H} + j];` : ''}
        ${Q4.map((q) => `const w${q} = W[${2 * H} + j][${D} + u${q}]; ${lanes((l) => `n${q}${l} += w${q} * zv[${l}]${resetAfter ? ` * rj[${l}]` : ''};`)}`).join('\n        ')}
      }
      ${Q4.map((q) => `${unpack(`dh${q}`, `Z[g][${GH} + u${q}]`)} ${unpack(`z${q}`, `FS[fr][u${q}]`)} ${unpack(`rg${q}`, `FS[fr][${H} + u${q}]`)}`).join('\n      ')}
      ${quadReturn((q, l) => `dh${q}${l} * (1.0 - z${q}${l}) + ${resetAfter ? '' : `rg${q}${l} * `}n${q}${l} + a${q}${l}`)}` : `for (let m = 0; m < ${GH4}; m++) {
        ${Q4.map((q) => `const w${q} = WT4[${D} + u${q}][m];`).join(' ')}
        ${Q4.map((j) => `${idx4(`j${j}`, j, GH)} const v${j} = Z[g][j${j}];`).join(' ')}
        ${mac16()}
      }
      ${quadReturn((q, l) => `a${q}${l}`)}`} }`,
    // dW accumulator, summed over the ns steps of a backward chunk starting at step t0 (step
    // t0 + c in Z<c>): output r of pixel (x, y) holds rows 4y + r, lanes columns 4x..4x+3 of
    // the (GH, K+2) gradient, column K db and K+1 dbh. IN holds the inputs [x_t | h_{t-1} | 1 | 1]
    // of every step. The GRU's n rows see r*h_{t-1} (reset-before), or take dz_n*r as their
    // recurrent gradient (reset-after). Padded batch lanes have dz = 0 and add nothing; rows and
    // columns past the edge are computed (from the last one) and never read.
    accW: `function(A0, A1, A2, A3, IN, FS, t0, ns, ${ZS}) {
      const kb = this.thread.x * 4; const jb = this.thread.y * 4;
      ${Q4.map((r) => `const p${r} = A${r}[this.thread.y][this.thread.x];`).join(' ')}
      ${acc16((r, q) => `p${r}[${q}]`)}
      ${Q4.map((q) => clamp(`k${q}`, `kb + ${q}`, K + 1)).join(' ')}
      ${Q4.map((r) => clamp(`j${r}`, `jb + ${r}`, GH - 1)).join(' ')}
      ${cell !== 'gru' ? '' : `${gruFlags}`}
      ${Array.from({ length: CB }, (_, c) => `if (${c} < ns) { for (let i = 0; i < ${B4}; i++) {
          const xr = (t0 + ${c}) * ${B4} + i;
          ${Q4.map((q) => `const v${q} = IN[xr][k${q}];`).join(' ')}
          ${Q4.map((r) => `const z${r} = Z${c}[i][j${r}];`).join(' ')}
          ${cell !== 'gru' ? '' : gruInputs}
          ${Q4.map((r) => Q4.map((q) => `a${r}${q} += ${lanes((l) => `z${r}[${l}] * ${cell === 'gru' ? `e${r}${q}${l}` : `v${q}[${l}]`}`, ' + ')};`).join(' ')).join('\n          ')}
        } }`).join('\n      ')}
      ${quadReturn((r, q) => `a${r}${q}`)} }`,
    // dx of the steps of a backward chunk, step c of the chunk in Z<c> and rows c·B4 + g,
    // columns 4p + q in output q of pixel p; column D holds Σ_u dht², the square of that row's
    // share of gradNorm.
    dx: `function(WT4, ${ZS}) {
      const p = this.thread.x; const y = this.thread.y;
      const c = Math.floor(y / ${B4});
      const g = y - c * ${B4};
      ${Q4.map((q) => clamp(`d${q}`, `p * 4 + ${q}`, D - 1)).join(' ')}
      ${acc16(() => '0.0')}
      ${Array.from({ length: CB }, (_, c) => `if (c == ${c}) {
        for (let m = 0; m < ${GH4}; m++) {
          ${Q4.map((q) => `const w${q} = WT4[d${q}][m];`).join(' ')}
          ${Q4.map((j) => `${idx4(`j${j}`, j, GH)} const v${j} = Z${c}[g][j${j}];`).join(' ')}
          ${mac16()}
        }
        if (p == ${Math.floor(D / 4)}) {
          ${lanes((l) => `a${D % 4}${l} = 0.0;`)}
          for (let u = 0; u < ${H}; u++) { const v = Z${c}[g][${GH} + u]; ${lanes((l) => `a${D % 4}${l} += v[${l}] * v[${l}];`)} }
        }
      }`).join('\n      ')}
      ${quadReturn((q, l) => `a${q}${l}`)} }`,
  };
}

/** One shape's compiled kernels. Pairs alternate so that no kernel reads its own output. */
interface Kernels {
  C: number;
  /** Steps per backward chunk: the dz textures that one dW and one dx pass read. */
  CB: number;
  /** W as it is, one float per texel: only the GRU's backward reads it. */
  upW: Kernel | null; upW4: Kernel; upWT4: Kernel; upX: Kernel;
  /** The forward: the LSTM's by-gate projection, gates (four outputs) and state per step; the RNN's and GRU's stages. */
  fwd: { cell: 'lstm'; proj: Kernel; upS: Kernel; zeroG: Kernel; gates: [Kernel, Kernel]; state: [Kernel, Kernel] }
    | { cell: 'rnn' | 'gru'; proj: Kernel; upInit: Kernel; stages: Kernel[][] };
  upFS: Kernel; upIN: Kernel; upDH: Kernel; upQ: Kernel; zeroAcc: Kernel;
  /** dL/dc_T where step T-1's dz pass reads it: only the LSTM's. */
  upZP: Kernel | null;
  /** One per step of a backward chunk, each rendering its own step's dz texture. */
  dz: Kernel[]; carry: Kernel; accW: Kernel; dx: Kernel;
  /** A copy of the dW sums for the next chunk's pass to read (a kernel never reads its own output). */
  copyAcc: Kernel;
}

function allKernels(ks: Kernels): Kernel[] {
  const f = ks.fwd;
  const fwd = f.cell === 'lstm' ? [f.proj, f.upS, f.zeroG, ...f.gates, ...f.state] : [f.proj, f.upInit, ...f.stages.flat()];
  return [...(ks.upW ? [ks.upW] : []), ks.upW4, ks.upWT4, ks.upX, ...fwd, ks.upFS, ks.upIN, ks.upDH, ks.upQ, ...(ks.upZP ? [ks.upZP] : []), ks.zeroAcc,
    ...ks.dz, ks.carry, ks.accW, ks.dx, ks.copyAcc];
}

/** A kernel map's four outputs (quadReturn), in order. */
type Quad = [Tex, Tex, Tex, Tex];
function quad(r: Tex): Quad {
  const m = r as unknown as { result: Tex; o1: Tex; o2: Tex; o3: Tex };
  return [m.result, m.o1, m.o2, m.o3];
}

/**
 * Shapes whose kernels stay compiled. Each holds its textures (at the benchmark's L, the backward's
 * forward rows alone are 42 MB as RGBA32F), so the least recently used shape beyond these is destroyed.
 */
const CACHED_SHAPES = 2;

/**
 * A (w, h) kernel output of vec4 texels as one flat array, texel (y, x) lane l at
 * (y·w + x)·4 + l. A WebGL texture is read with one readPixels into a flat array (GPU.js's
 * toArray() builds a typed array per texel); GPU.js's cpu mode gives nested arrays, flattened.
 */
function texels(t: Tex, w: number, h: number): Float32Array {
  const raw = (t as { renderRawOutput?: () => Float32Array }).renderRawOutput?.();
  if (raw && raw.length === w * h * 4) return raw;
  const rows = (typeof (t as { toArray?: unknown }).toArray === 'function' ? (t as { toArray(): unknown }).toArray() : t) as ArrayLike<ArrayLike<ArrayLike<number>>>;
  const out = new Float32Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(rows[y][x], (y * w + x) * 4);
  return out;
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

/** The forward arrays of the RNN and GRU, by the columns of their layout: [array, first column]. */
function forwardColumns(cell: Cell, H: number, h: Float32Array, gs: Float32Array[]): [Float32Array, number][] {
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
    // Four outputs per pass: WebGL2 always has the draw buffers, WebGL1 only with this extension.
    if (mode === 'webgl' && !gl.getExtension('WEBGL_draw_buffers')) throw new Error('webgl lacks WEBGL_draw_buffers (four outputs per pass)');
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
    const H4 = Math.ceil(H / 4);
    const C = chunkSteps(T, B);
    const { FW } = layout(cell, H);
    const CB = backSteps(T, context);
    const src = sources(cell, shape, CB, act, resetAfter);
    // loopMaxIterations and returnType are kernel settings GPU.js reads at build time, missing
    // from its typings.
    const settings = (output: number[], scalar: boolean): IGPUKernelSettings & { loopMaxIterations: number; returnType: string } => ({
      output, pipeline: true, immutable: false, precision: 'single', tactic: 'precision', loopMaxIterations: 1_000_000,
      dynamicArguments: false, dynamicOutput: false, returnType: scalar ? 'Number' : 'Array(4)',
    });
    const helpers = (k: Kernel): Kernel => {
      // Helper functions go in by source text for the same reason the kernels do.
      k.addFunction(SIG as unknown as never);
      k.addFunction(TANH as unknown as never);
      return k;
    };
    const mk = (source: string, output: number[], scalar = false): Kernel => helpers(gpu.createKernel(source, settings(output, scalar)));
    // Four outputs per pixel: the result and the sub-kernels o1..o3 (quadReturn, quad).
    const mkQuad = (source: string, output: number[]): Kernel => helpers(gpu.createKernelMap(
      { o1: 'function o1(v) { return v; }', o2: 'function o2(v) { return v; }', o3: 'function o3(v) { return v; }' } as unknown as never,
      source as unknown as never, settings(output, false),
    ) as unknown as Kernel);
    const chunk = [FW, C * B4];
    const fwd: Kernels['fwd'] = cell === 'lstm'
      ? {
        cell, proj: mkQuad(src.lstmProj, [H, T * B4]), upS: mk(src.upload4(FW), chunk), zeroG: mkQuad(src.zeroQuad, [H, C * B4]),
        gates: [mkQuad(src.lstmGates, [H, C * B4]), mkQuad(src.lstmGates, [H, C * B4])],
        state: [mk(src.lstmState, chunk), mk(src.lstmState, chunk)],
      }
      : {
        cell, proj: mk(src.proj, [GH, T * B4]), upInit: mk(src.upload4(FW), chunk),
        stages: cell === 'rnn' ? [[mk(src.rnnStep, chunk)], [mk(src.rnnStep, chunk)]]
          : [[mk(src.gruZR, chunk), mk(src.gruN, chunk), mk(src.gruH, chunk)]],
      };
    const BFW = backLayout(cell, H).FW;
    const ZW = zWidth(cell, GH, H);
    const accOut = [Math.ceil((K + 2) / 4), Math.ceil(GH / 4)];
    const dxOut = [Math.ceil((D + 1) / 4), CB * B4];
    const ks: Kernels = {
      C,
      CB,
      upW: cell === 'gru' ? mk(src.upload(K), [K, GH], true) : null,
      upW4: mk(src.upload4(Math.ceil(D / 4) + H4), [Math.ceil(D / 4) + H4, GH]),
      upWT4: mk(src.upload4(Math.ceil(GH / 4)), [Math.ceil(GH / 4), K]),
      upX: mk(src.upload4(D), [D, T * B4]),
      fwd,
      upFS: mk(src.upload4(BFW), [BFW, (T + 1) * B4]),
      upIN: mk(src.upload4(K + 2), [K + 2, T * B4]),
      upDH: mk(src.upload4(H), [H, T * B4]),
      upQ: mkQuad(src.uploadQuad(H4, B4), [H4, B4]),
      upZP: cell === 'lstm' ? mk(src.upload4(ZW), [ZW, B4]) : null,
      zeroAcc: mkQuad(src.zeroQuad, accOut),
      dz: Array.from({ length: CB }, () => mk(src.dz, [ZW, B4])),
      carry: mkQuad(src.carry, [H4, B4]),
      accW: mkQuad(src.accW, accOut),
      dx: mkQuad(src.dx, dxOut),
      copyAcc: mkQuad(src.copyQuad, accOut),
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
    const { C, fwd } = ks;
    const { outer, bhn } = biases(params, GH, H, resetAfter);
    const h0 = f32(opts.h0, BH).slice();
    const c0 = cell === 'lstm' ? f32(opts.c0, BH).slice() : undefined;
    const xp = packer(T, B, D);
    xp.put(f32(xIn, T * B * D), 0, 0, D);
    const W4 = run(ks.upW4, packedRows(f32(params.W, GH * (D + H)), GH, D, H));
    const X = run(ks.upX, xp.data);
    // h0 (and c0) sit in the slot that step 0 reads as its predecessor, C-1.
    const init = packer(C, B, FW);
    init.put(h0, C - 1, HC, H);
    if (c0) init.put(c0, C - 1, 0, H);
    const h = new Float32Array(T * BH);
    const c = cell === 'lstm' ? new Float32Array(T * BH) : undefined;
    const gs = Array.from({ length: G }, () => new Float32Array(cell === 'rnn' ? 0 : T * BH));
    // Copies the filled slots of a chunk that starts at step t0 from `tx` (texels of a texture w
    // wide whose column col0 + u holds unit u) into dst.
    const readChunk = (tx: Float32Array, w: number, t0: number, slots: number, dst: Float32Array, col0: number): void => {
      for (let r = 0; r < slots * B; r++) {
        const base = ((Math.floor(r / B) * B4 + ((r % B) >> 2)) * w + col0) * 4 + (r % B & 3);
        const o = t0 * BH + r * H;
        for (let u = 0; u < H; u++) dst[o + u] = tx[base + u * 4];
      }
    };
    if (fwd.cell === 'lstm') {
      // Per step: the gates pass (four outputs, the recurrent product) and the state pass [c | h].
      const XP = quad(run(fwd.proj, W4, X, outer));
      let S = run(fwd.upS, init.data);
      let Gt = quad(run(fwd.zeroG));
      for (let t = 0; t < T; t++) {
        const s = t % C;
        const sp = (s + C - 1) % C;
        Gt = quad(run(fwd.gates[t & 1], ...Gt, S, ...XP, W4, t, s, sp));
        S = run(fwd.state[t & 1], S, ...Gt, s, sp);
        if (s === C - 1 || t === T - 1) {
          // The chunk is full (or the sequence ends): read its slots back, once.
          const state = texels(S, FW, C * B4);
          readChunk(state, FW, t - s, s + 1, c!, 0);
          readChunk(state, FW, t - s, s + 1, h, H);
          Gt.forEach((tex, q) => readChunk(texels(tex, H, C * B4), H, t - s, s + 1, gs[q], 0));
        }
      }
      return { h, c, gates: { f: gs[0], i: gs[1], g: gs[2], o: gs[3] }, h0, c0, activation };
    }
    const XP = run(fwd.proj, W4, X, outer);
    let P = run(fwd.upInit, init.data);
    const cols = forwardColumns(cell, H, h, gs);
    for (let t = 0; t < T; t++) {
      const s = t % C;
      const sp = (s + C - 1) % C;
      for (const k of fwd.stages[t % fwd.stages.length]) {
        P = run(k, P, XP, W4, bhn, t, s, sp);
      }
      if (s === C - 1 || t === T - 1) {
        const rows = texels(P, FW, C * B4);
        for (const [dst, col] of cols) readChunk(rows, FW, t - s, s + 1, dst, col);
      }
    }
    if (cell === 'gru') return { h, gates: { z: gs[0], r: gs[1], n: gs[2] }, h0, activation, resetAfter };
    return { h, gates: {}, h0, activation };
  }

  function backward(
    cell: Cell, shape: Shape, params: Params, xIn: Vec, fwd: ForwardResult, dhIn: Vec | null, opts: BackwardOptions = {},
  ): BackwardResult {
    const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, xIn, fwd, dhIn, opts);
    const { T, B, D, H, K, GH, BH } = dims(cell, shape);
    const B4 = Math.ceil(B / 4);
    const H4 = Math.ceil(H / 4);
    const { FW, HC } = backLayout(cell, H);
    const ks = kernelsFor(cell, shape, actCode(activation), resetAfter);
    const { bhn } = biases(params, GH, H, resetAfter);
    const win = truncationWindow(T, opts.truncate);
    // The forward rows as one texture: block 0 holds h0 (and c0), block t+1 step t.
    const fs = packer(T + 1, B, FW);
    if (cell === 'lstm') {
      fs.put(f32(opts.c0 ?? fwd.c0, BH), 0, 4 * H, H);
      fs.put(f32(fwd.c, T * BH), 1, 4 * H, H);
    } else {
      fs.put(f32(opts.h0 ?? fwd.h0, BH), 0, HC, H);
      fs.put(f32(fwd.h, T * BH), 1, HC, H);
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
    // dL/dh_T as the carry's four outputs (unit q·H4 + p in block q, column p).
    const dhT = f32(opts.dhT, BH);
    const q0 = new Float32Array(4 * B4 * H4 * 4);
    for (let b = 0; b < B; b++) {
      for (let u = 0; u < H; u++) q0[(((Math.floor(u / H4) * B4 + (b >> 2)) * H4 + u % H4) * 4) + (b & 3)] = dhT[b * H + u];
    }
    const ZW = zWidth(cell, GH, H);
    const WT4 = run(ks.upWT4, packedColumns(params.W, GH, K));
    // The dz and carry passes take W as an argument; only the GRU's read it.
    const W = ks.upW ? run(ks.upW, f32(params.W, GH * K)) : WT4;
    const IN = run(ks.upIN, ins.data);
    const FS = run(ks.upFS, fs.data);
    const DH = run(ks.upDH, dh.data);
    let Q = quad(run(ks.upQ, q0));
    // Step t+1's dz texture, which step t's dz pass reads (the LSTM's dc carry; others pass DH, unread).
    let ZP = DH;
    if (ks.upZP) {
      const zp = packer(1, B, ZW);
      zp.put(f32(opts.dcT, BH), 0, GH + H, H);
      ZP = run(ks.upZP, zp.data);
    }
    // Step t's dz goes to texture t % CB; a chunk's dW and dx passes read all of them once
    // its first step is done. Slots a partial chunk does not reach are passed but not read.
    const { CB } = ks;
    // dx of a chunk's ns steps, from t0 on: row c·B4 + g holds step t0 + c; column d is output
    // d % 4, texel column d / 4, and column D is Σ_u dht², the square of that row's share of
    // gradNorm. Read back once per chunk, so that no pass copies earlier rows along.
    const dx = new Float32Array(T * B * D);
    const gradNorm = new Float32Array(T);
    const dw = Math.ceil((D + 1) / 4);
    const readDx = (out: Quad, t0: number, ns: number): void => {
      const rows = out.map((a) => texels(a, dw, CB * B4));
      for (let r = 0; r < ns * B; r++) {
        const c = Math.floor(r / B), b = r % B;
        const base = (c * B4 + (b >> 2)) * dw * 4 + (b & 3);
        const o = (t0 * B + r) * D;
        for (let d = 0; d < D; d++) dx[o + d] = rows[d & 3][base + (d >> 2) * 4];
        gradNorm[t0 + c] += rows[D & 3][base + (D >> 2) * 4];
      }
    };
    const Z: Tex[] = [];
    let acc = quad(run(ks.zeroAcc));
    for (let t = T - 1; t >= 0; t--) {
      const s = t % CB;
      const keep = t === 0 || carriesBack(t, win) ? 1 : 0;
      Z[s] = run(ks.dz[s], FS, DH, ...Q, ZP, W, bhn, t, keep);
      Q = quad(run(ks.carry, Z[s], FS, W, WT4, t, keep));
      ZP = Z[s];
      if (s === 0) {
        const ns = Math.min(T, t + CB) - t;
        const zs = Array.from({ length: CB }, (_, c) => Z[c] ?? Z[0]);
        acc = quad(run(ks.accW, ...quad(run(ks.copyAcc, ...acc)), IN, FS, t, ns, ...zs));
        readDx(quad(run(ks.dx, WT4, ...zs)), t, ns);
      }
    }
    const dW = new Float32Array(GH * K);
    const db = new Float32Array(GH);
    const dbh = new Float32Array(GH);
    // Output r of accumulator texel (x, y) holds row 4y + r, its lanes columns 4x..4x+3.
    const aw = Math.ceil((K + 2) / 4);
    const accRows = acc.map((a) => texels(a, aw, Math.ceil(GH / 4)));
    const grad = (j: number, k: number): number => accRows[j & 3][((j >> 2) * aw + (k >> 2)) * 4 + (k & 3)];
    for (let j = 0; j < GH; j++) {
      for (let q = 0; q < K; q++) dW[j * K + q] = grad(j, q);
      db[j] = grad(j, K);
      dbh[j] = grad(j, K + 1);
    }
    for (let t = 0; t < T; t++) gradNorm[t] = Math.sqrt(gradNorm[t]);
    const dh0 = new Float32Array(BH);
    const dc0 = new Float32Array(BH);
    const qRows = Q.map((q) => texels(q, H4, B4));
    const zRows = cell === 'lstm' ? texels(Z[0], ZW, B4) : null;
    for (let b = 0; b < B; b++) {
      for (let u = 0; u < H; u++) {
        const qb = Math.floor(u / H4);
        dh0[b * H + u] = qRows[qb][((b >> 2) * H4 + u - qb * H4) * 4 + (b & 3)];
        if (zRows) dc0[b * H + u] = zRows[((b >> 2) * ZW + GH + H + u) * 4 + (b & 3)];
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
