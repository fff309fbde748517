// The float64 reference: plain loops written to be read against docs/KERNELS.md, one timestep and
// one batch row at a time. Every other backend is tested against this one, and this one is
// tested against central differences, so clarity wins over speed here.
import {
  type Activation, type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions,
  type ForwardResult, type Params, type Shape, type Vec, carriesBack, checkBackwardArgs, checkForwardInputs, dims, gateCount,
  truncationWindow,
} from './types';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function act(a: Activation, v: number): number {
  return a === 'tanh' ? Math.tanh(v) : a === 'relu' ? (v > 0 ? v : 0) : v;
}

/** act'(z) written in terms of y = act(z), which is what the forward pass keeps. */
function actGrad(a: Activation, y: number): number {
  return a === 'tanh' ? 1 - y * y : a === 'relu' ? (y > 0 ? 1 : 0) : 1;
}

function f64(v: Vec | undefined, n: number): Float64Array {
  const out = new Float64Array(n);
  if (v !== undefined) for (let i = 0; i < n; i++) out[i] = v[i];
  return out;
}

/** Row `row` of W times [xs; hs] over the given column range, plus nothing else. */
function dotRow(W: Vec, K: number, row: number, col0: number, v: ArrayLike<number>, off: number, len: number): number {
  let s = 0;
  const base = row * K + col0;
  for (let k = 0; k < len; k++) s += W[base + k] * v[off + k];
  return s;
}

/**
 * The bias of row `row` outside any reset gate: b, plus bh where it simply adds (everywhere but
 * the reset-after GRU's n rows, whose bh sits inside r ⊙ (U_n h + bh_n)).
 */
function outerBias(params: Params, H: number, resetAfter: boolean, row: number): number {
  const { b, bh } = params;
  return b[row] + (bh === undefined || (resetAfter && row >= 2 * H) ? 0 : bh[row]);
}

/** The reset-after GRU's U_n h_{t-1} + bh_n for unit u. */
function candidateRecurrent(params: Params, D: number, H: number, hPrev: ArrayLike<number>, hOff: number, u: number): number {
  const row = 2 * H + u;
  return dotRow(params.W, D + H, row, D, hPrev, hOff, H) + (params.bh === undefined ? 0 : params.bh[row]);
}

export function forward(cell: Cell, shape: Shape, params: Params, x: Vec, opts: ForwardOptions = {}): ForwardResult {
  const { activation, resetAfter } = checkForwardInputs(cell, shape, params, x, opts);
  const { T, B, D, H } = shape;
  const K = D + H;
  const { W } = params;
  const h0 = f64(opts.h0, B * H);
  const c0 = f64(opts.c0, B * H);
  const h = new Float64Array(T * B * H);
  const c = cell === 'lstm' ? new Float64Array(T * B * H) : undefined;
  const G = gateCount(cell);
  const gate = Array.from({ length: G }, () => new Float64Array(T * B * H));
  const rh = new Float64Array(H);

  for (let t = 0; t < T; t++) {
    for (let bi = 0; bi < B; bi++) {
      const xOff = (t * B + bi) * D;
      const hPrev = t === 0 ? h0 : h;
      const hOff = t === 0 ? bi * H : ((t - 1) * B + bi) * H;
      const out = (t * B + bi) * H;
      // pre(q, u): row q·H+u of W [x_t; h_{t-1}] + b (+ bh)
      const pre = (q: number, u: number): number => {
        const row = q * H + u;
        return outerBias(params, H, resetAfter, row) + dotRow(W, K, row, 0, x, xOff, D) + dotRow(W, K, row, D, hPrev, hOff, H);
      };
      if (cell === 'rnn') {
        for (let u = 0; u < H; u++) h[out + u] = act(activation, pre(0, u));
      } else if (cell === 'lstm') {
        const cPrev = t === 0 ? c0 : c!;
        for (let u = 0; u < H; u++) {
          const f = sigmoid(pre(0, u));
          const i = sigmoid(pre(1, u));
          const g = Math.tanh(pre(2, u));
          const o = sigmoid(pre(3, u));
          const ct = f * cPrev[hOff + u] + i * g;
          c![out + u] = ct;
          h[out + u] = o * Math.tanh(ct);
          gate[0][out + u] = f;
          gate[1][out + u] = i;
          gate[2][out + u] = g;
          gate[3][out + u] = o;
        }
      } else {
        for (let u = 0; u < H; u++) {
          gate[0][out + u] = sigmoid(pre(0, u));
          gate[1][out + u] = sigmoid(pre(1, u));
        }
        for (let u = 0; u < H; u++) rh[u] = gate[1][out + u] * hPrev[hOff + u];
        for (let u = 0; u < H; u++) {
          const row = 2 * H + u;
          const a = outerBias(params, H, resetAfter, row) + dotRow(W, K, row, 0, x, xOff, D) + (resetAfter
            ? gate[1][out + u] * candidateRecurrent(params, D, H, hPrev, hOff, u)
            : dotRow(W, K, row, D, rh, 0, H));
          const n = Math.tanh(a);
          const z = gate[0][out + u];
          gate[2][out + u] = n;
          h[out + u] = (1 - z) * hPrev[hOff + u] + z * n;
        }
      }
    }
  }
  if (cell === 'lstm') return { h, c, gates: { f: gate[0], i: gate[1], g: gate[2], o: gate[3] }, h0, c0, activation };
  if (cell === 'gru') return { h, gates: { z: gate[0], r: gate[1], n: gate[2] }, h0, activation, resetAfter };
  return { h, gates: {}, h0, activation };
}

export function backward(
  cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts: BackwardOptions = {},
): BackwardResult {
  const { activation, resetAfter } = checkBackwardArgs(cell, shape, params, x, fwd, dh, opts);
  const { T, B, D, H, K, G } = dims(cell, shape);
  const { W } = params;
  const h0 = f64(opts.h0 ?? fwd.h0, B * H);
  const c0 = f64(opts.c0 ?? fwd.c0, B * H);
  const k = truncationWindow(T, opts.truncate);
  const { h } = fwd;
  const c = fwd.c;
  const gt = fwd.gates;

  const dW = new Float64Array(G * H * K);
  const db = new Float64Array(G * H);
  const dbh = new Float64Array(G * H);
  const dx = new Float64Array(T * B * D);
  const gradNorm = new Float64Array(T);
  // Gradient arriving at h_{t} (and c_t) from step t+1, per batch row.
  let dhNext = f64(opts.dhT, B * H);
  let dcNext = f64(opts.dcT, B * H);
  // dz: dL/d(pre-activation) of each row. dzh: the gradient at that row's recurrent product
  // (W_h h + bh); the same but for the reset-after GRU's n rows, where it is dz ⊙ r.
  const dz = new Float64Array(G * H);
  const dzh = new Float64Array(G * H);
  const dhTot = new Float64Array(H);
  const rh = new Float64Array(H);
  // The reset-before GRU's n rows take r*h_prev as their h-input; every other row takes h_prev.
  const rhRows = cell === 'gru' && !resetAfter ? 2 * H : G * H;

  for (let t = T - 1; t >= 0; t--) {
    const dhPrev = new Float64Array(B * H);
    const dcPrev = new Float64Array(B * H);
    let sq = 0;
    for (let bb = 0; bb < B; bb++) {
      const out = (t * B + bb) * H;
      const xOff = (t * B + bb) * D;
      const hPrev = t === 0 ? h0 : h;
      const hOff = t === 0 ? bb * H : ((t - 1) * B + bb) * H;
      for (let u = 0; u < H; u++) {
        dhTot[u] = (dh ? dh[out + u] : 0) + dhNext[bb * H + u];
        sq += dhTot[u] * dhTot[u];
      }
      if (cell === 'rnn') {
        for (let u = 0; u < H; u++) dz[u] = dhTot[u] * actGrad(activation, h[out + u]);
      } else if (cell === 'lstm') {
        const cPrev = t === 0 ? c0 : c!;
        for (let u = 0; u < H; u++) {
          const f = gt.f![out + u], i = gt.i![out + u], g = gt.g![out + u], o = gt.o![out + u];
          const tc = Math.tanh(c![out + u]);
          const dcT = dcNext[bb * H + u] + dhTot[u] * o * (1 - tc * tc);
          dz[u] = dcT * cPrev[hOff + u] * f * (1 - f);
          dz[H + u] = dcT * g * i * (1 - i);
          dz[2 * H + u] = dcT * i * (1 - g * g);
          dz[3 * H + u] = dhTot[u] * tc * o * (1 - o);
          dcPrev[bb * H + u] = dcT * f;
        }
      } else {
        for (let u = 0; u < H; u++) {
          const z = gt.z![out + u], n = gt.n![out + u];
          dz[u] = dhTot[u] * (n - hPrev[hOff + u]) * z * (1 - z);
          dz[2 * H + u] = dhTot[u] * z * (1 - n * n);
          rh[u] = gt.r![out + u] * hPrev[hOff + u];
          dhPrev[bb * H + u] += dhTot[u] * (1 - z);
        }
        if (resetAfter) {
          // n = tanh(W_n x + b_n + r ⊙ a) with a = U_n h_prev + bh_n: r's gradient is dz_n ⊙ a,
          // and a's, dz_n ⊙ r, flows on into U_n, bh_n and h_prev.
          for (let u = 0; u < H; u++) {
            const r = gt.r![out + u];
            dz[H + u] = dz[2 * H + u] * candidateRecurrent(params, D, H, hPrev, hOff, u) * r * (1 - r);
          }
        } else {
          // n = tanh(W_n [x; r*h_prev] + b_n): its h-columns see r*h_prev, so r's gradient
          // comes through W_n's h-columns.
          for (let u = 0; u < H; u++) {
            let dRh = 0;
            for (let j = 0; j < H; j++) dRh += W[(2 * H + j) * K + D + u] * dz[2 * H + j];
            const r = gt.r![out + u];
            dz[H + u] = dRh * hPrev[hOff + u] * r * (1 - r);
            dhPrev[bb * H + u] += dRh * r;
          }
        }
      }
      dzh.set(dz);
      if (cell === 'gru' && resetAfter) for (let u = 0; u < H; u++) dzh[2 * H + u] = dz[2 * H + u] * gt.r![out + u];
      // Parameter gradients and dx.
      for (let row = 0; row < G * H; row++) {
        const d = dz[row];
        db[row] += d;
        dbh[row] += dzh[row];
        const hIn = row >= rhRows ? rh : hPrev;
        const hInOff = row >= rhRows ? 0 : hOff;
        for (let dd = 0; dd < D; dd++) {
          dW[row * K + dd] += d * x[xOff + dd];
          dx[xOff + dd] += W[row * K + dd] * d;
        }
        for (let u = 0; u < H; u++) dW[row * K + D + u] += dzh[row] * hIn[hInOff + u];
      }
      for (let u = 0; u < H; u++) {
        let s = 0;
        for (let row = 0; row < rhRows; row++) s += W[row * K + D + u] * dzh[row];
        dhPrev[bb * H + u] += s;
      }
    }
    gradNorm[t] = Math.sqrt(sq);
    if (t === 0 || carriesBack(t, k)) {
      dhNext = dhPrev;
      dcNext = dcPrev;
    } else {
      dhNext = new Float64Array(B * H);
      dcNext = new Float64Array(B * H);
    }
  }
  const res: BackwardResult = { dW, db, dx, dh0: dhNext, gradNorm };
  if (params.bh !== undefined) res.dbh = dbh;
  if (cell === 'lstm') res.dc0 = dcNext;
  return res;
}

export const referenceEngine: Engine = { name: 'reference', forward, backward };
