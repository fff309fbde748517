// Backward kernels per chunk: the dW accumulator and dx.
import { type Glsl, Q4, lanes, quadReturn } from './glsl';

/** The per-chunk backward passes: dW (with db and dbh) and dx. */
export function gradientSources(c: Glsl) {
  const { cell, CB, D, H, K, GH, B4, ZS, GH4, idx4, clamp, mac16, acc16, gruFlags, gruInputs } = c;
  return {
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
