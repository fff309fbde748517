// The GRU's loops for the js and wasm backends, gates z, r, n, h_t = (1 − z) ⊙ h_{t-1} + z ⊙ n:
//   reset-before (the default): n = tanh(W_n x + U_n (r ⊙ h_{t-1}) + b_n (+ bh_n));
//   reset-after (PyTorch, cuDNN): n = tanh(W_n x + b_n + r ⊙ (U_n h_{t-1} + bh_n)).
import { ftanh, sigmoid } from '../approx';
import { type BackwardSteps, type CellBackward, type ForwardSteps, addColumnSums, stepBefore } from '../workspace';

export interface GruGates { z: Float32Array; r: Float32Array; n: Float32Array }

/** bh is the recurrent bias when given: only the reset-after n rows read it here (elsewhere it is in XP). */
export function gruForward(s: ForwardSteps, resetAfter: boolean, bh: Float32Array | undefined): GruGates {
  const { ws, T, B, D, H, K, GH, BH, W, XP, h0, h } = s;
  const z = ws.alloc(T * BH), r = ws.alloc(T * BH), n = ws.alloc(T * BH);
  const A = ws.alloc(B * GH);
  // r ⊙ h_{t-1} (reset-before) or U_n h_{t-1} (reset-after), (B, H).
  const hn = ws.alloc(BH);
  const nRows = 2 * H * K + D;
  for (let t = 0; t < T; t++) {
    const [hp, po] = stepBefore(t, h0, h, BH);
    const o = t * BH;
    A.set(XP.subarray(t * B * GH, (t + 1) * B * GH));
    ws.abt(hp, po, H, B, W, D, K, 2 * H, H, A, 0, GH, true);
    for (let bb = 0; bb < B; bb++) {
      for (let u = 0; u < H; u++) {
        const q = o + bb * H + u;
        z[q] = sigmoid(A[bb * GH + u]);
        const rq = sigmoid(A[bb * GH + H + u]);
        r[q] = rq;
        if (!resetAfter) hn[bb * H + u] = rq * hp[po + bb * H + u];
      }
    }
    if (resetAfter) ws.abt(hp, po, H, B, W, nRows, K, H, H, hn, 0, H, false);
    else ws.abt(hn, 0, H, B, W, nRows, K, H, H, A, 2 * H, GH, true);
    for (let bb = 0; bb < B; bb++) {
      for (let u = 0; u < H; u++) {
        const q = o + bb * H + u;
        let a = A[bb * GH + 2 * H + u];
        if (resetAfter) a += r[q] * (hn[bb * H + u] + (bh === undefined ? 0 : bh[2 * H + u]));
        const nq = ftanh(a);
        const zq = z[q];
        n[q] = nq;
        h[q] = (1 - zq) * hp[po + bb * H + u] + zq * nq;
      }
    }
  }
  return { z, r, n };
}

export function gruBackward(
  s: BackwardSteps, fwd: GruGates, resetAfter: boolean, bh: Float32Array | undefined,
): CellBackward {
  const { ws, T, B, D, H, K, GH, BH, W, WhT, h0, h, dZ } = s;
  const { z, r, n } = fwd;
  const TB = T * B;
  const nRows = 2 * H * K + D;
  // Reset-before: W_n,hᵀ dz_n of one step, (B, H), and r ⊙ h_{t-1} of every step for dW.
  // Reset-after: dz_n ⊙ r of every step (the gradient at U_n h_{t-1} + bh_n), and that
  // product itself, recomputed for all steps at once.
  const dRh = resetAfter ? dZ : ws.alloc(BH);
  const RH = resetAfter ? dZ : ws.alloc(T * BH);
  const DA = resetAfter ? ws.alloc(T * BH) : dZ;
  const AN = resetAfter ? ws.alloc(T * BH) : dZ;
  if (resetAfter) {
    ws.abt(h0, 0, H, B, W, nRows, K, H, H, AN, 0, H, false);
    if (T > 1) ws.abt(h, 0, H, TB - B, W, nRows, K, H, H, AN, BH, H, false);
    if (bh !== undefined) for (let q = 0; q < T * BH; q++) AN[q] += bh[2 * H + (q % H)];
  }
  return {
    hRows: 2 * H,
    gates(t, dhTot) {
      const [hp, po] = stepBefore(t, h0, h, BH);
      for (let bb = 0; bb < B; bb++) {
        const zb = t * B * GH + bb * GH;
        for (let u = 0; u < H; u++) {
          const q = t * BH + bb * H + u;
          const zq = z[q], nq = n[q], hv = hp[po + bb * H + u];
          const dht = dhTot[bb * H + u];
          const dn = dht * zq * (1 - nq * nq);
          dZ[zb + u] = dht * (nq - hv) * zq * (1 - zq);
          dZ[zb + 2 * H + u] = dn;
          if (resetAfter) {
            const rq = r[q];
            dZ[zb + H + u] = dn * AN[q] * rq * (1 - rq);
            DA[q] = dn * rq;
          } else {
            RH[q] = r[q] * hv;
          }
        }
        if (!resetAfter) {
          ws.abt(dZ, zb + 2 * H, GH, 1, WhT, 2 * H, GH, H, H, dRh, bb * H, H, false);
          for (let u = 0; u < H; u++) {
            const rq = r[t * BH + bb * H + u];
            dZ[zb + H + u] = dRh[bb * H + u] * hp[po + bb * H + u] * rq * (1 - rq);
          }
        }
      }
    },
    carry(t, dhTot, dhPrev) {
      const o = t * BH;
      if (resetAfter) {
        for (let q = 0; q < BH; q++) dhPrev[q] = dhTot[q] * (1 - z[o + q]);
        ws.abt(DA, o, H, B, WhT, 2 * H, GH, H, H, dhPrev, 0, H, true);
      } else {
        for (let q = 0; q < BH; q++) dhPrev[q] = dRh[q] * r[o + q] + dhTot[q] * (1 - z[o + q]);
      }
      return true;
    },
    next: () => undefined,
    finish(dW, dbh) {
      if (!resetAfter) {
        ws.atb(dZ, 2 * H, GH, RH, 0, H, TB, H, H, dW, nRows, K, false);
        return;
      }
      ws.atb(DA, 0, H, h0, 0, H, B, H, H, dW, nRows, K, false);
      if (T > 1) ws.atb(DA, BH, H, h, 0, H, TB - B, H, H, dW, nRows, K, true);
      if (dbh !== undefined) {
        dbh.fill(0, 2 * H, 3 * H);
        addColumnSums(dbh, 2 * H, DA, 0, H, TB, H);
      }
    },
  };
}
