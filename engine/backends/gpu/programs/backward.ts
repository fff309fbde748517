// Backward kernels per step: dL/dz of every gate row, and the carry dL/dh_{t-1}.
import { type Glsl, Q4, lanes, quadReturn, ret4, unpack } from './glsl';

/** The per-step backward passes: dz and the carry. */
export function backwardSources(c: Glsl) {
  const { cell, resetAfter, D, H, GH, G, B4, BHC, DACT, H4, GH4, idx4, clamp, mac16, acc16, carried } = c;
  return {
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
  };
}
