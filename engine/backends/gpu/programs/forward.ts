// Forward kernels: the input projection, then the per-step stages of the RNN, GRU and LSTM.
import { type Glsl, Q4, copyQuad, lanes, quadReturn, ret4, unpack } from './glsl';

/** The forward passes of every cell (only the cell's own are compiled). */
export function forwardSources(c: Glsl) {
  const { resetAfter, D, H, B4, HC, ACT, H4, D4, idx4, recur, mac16, acc16, stage, preact } = c;
  return {
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

  };
}
