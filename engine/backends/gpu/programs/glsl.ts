// The pieces every kernel source is built from: lanes of a texel, four-output returns, and the
// per-shape snippets (index clamps, the recurrent product, the forward stage wrapper) that
// the programs share. Sources, not functions: see ../index.ts for why.
import { type Cell, type Shape, dims } from '../../../types';
import { backLayout, layout } from '../layout';

export const SIG = 'function sig(v) { return 1.0 / (1.0 + Math.exp(-v)); }';
// tanh through exp: GLSL ES 1.0 (webgl) has no tanh(); exp overflow gives the right limits.
export const TANH = 'function th(v) { if (v > 15.0) { return 1.0; } if (v < -15.0) { return -1.0; } const e = Math.exp(2.0 * v); return (e - 1.0) / (e + 1.0); }';

export const Q4 = [0, 1, 2, 3];
/** `f(lane)` for the four batch lanes of a texel, joined by `sep`. */
export const lanes = (f: (l: number) => string, sep = ' '): string => Q4.map(f).join(sep);
/** Declares `name0..name3` from the vec4 expression `v` (a texel: four batch rows). */
export const unpack = (name: string, v: string): string => `const ${name} = ${v}; ${lanes((l) => `const ${name}${l} = ${name}[${l}];`)}`;
export const ret4 = (f: (l: number) => string): string => `return [${lanes(f, ', ')}];`;
/**
 * Returns four vec4 outputs, lane l of output q being `f(q, l)`: output 0 is the kernel's
 * result, 1..3 its sub-kernels o1..o3 (createKernelMap; WebGL2 draws them in one pass).
 */
export const quadReturn = (f: (q: number, l: number) => string): string =>
  `${[1, 2, 3].map((q) => `o${q}([${lanes((l) => f(q, l), ', ')}]);`).join(' ')} return [${lanes((l) => f(0, l), ', ')}];`;
/** Returns texel (y, x) of the four textures name0..name3, unchanged. */
export const copyQuad = (name: string, y: string, x: string): string =>
  `${Q4.map((q) => `const c${q} = ${name}${q}[${y}][${x}];`).join(' ')} ${quadReturn((q, l) => `c${q}[${l}]`)}`;

/**
 * Kernel sources, parameterised by literal constants so that loops have fixed bounds. Every
 * texture but W and the dW accumulator is batch-packed: a texel holds four batch rows (lanes) of
 * one column, rows are (step, group of four), so each product reads a weight once for four rows.
 * The products write four outputs per pixel (`quad`: the kernel's result and its sub-kernels
 * o1..o3), so that a pixel's eight reads per step (four weight texels, four input texels) serve
 * 64 multiply-adds.
 */
export function glsl(cell: Cell, s: Shape, CB: number, act: number, resetAfter: boolean) {
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
    cell, CB, resetAfter, D, H, K, GH, G, B4, HC, BHC, ZS, ACT, DACT, H4, GH4, D4,
    idx4, clamp, recur, mac16, acc16, stage, preact, carried, gruFlags, gruInputs,
  };
}

/** One shape's constants and snippets, what every program is built from. */
export type Glsl = ReturnType<typeof glsl>;
