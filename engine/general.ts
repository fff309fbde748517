// Forward for what the fast backends do not compute: an LSTM with a projection (PyTorch's
// proj_size) and gates squashed by Keras/TF.js's hard sigmoid. Checkpoints from those
// frameworks need them to reproduce their layers; training never does. Plain loops, one timestep
// and one batch row at a time, float64 for the reference backend and float32 storage otherwise,
// whatever backend was asked for (api.ts routes here). Forward only.
//   LSTM (gates f, i, g, o): c_t = f ⊙ c_{t-1} + i ⊙ g, m_t = o ⊙ tanh c_t, h_t = Wr m_t (or m_t);
//   GRU  (z, r, n): n = tanh(W_n x + b_n + r ⊙ (U_n h + bh_n)) reset-after, else
//        tanh(W_n x + U_n (r ⊙ h) + b_n + bh_n); h_t = (1 − z) h_{t-1} + z n;
//   RNN: h_t = act(W x + U h + b + bh).
import {
  type Activation, type Cell, type ForwardOptions, type ForwardResult, type GateActivation, type Out, type Params, type Shape, type Vec,
  GATE_ACTIVATIONS, checkInputs, checkOptions, checkState, gateCount,
} from './types';

/** Whether these options need this file's forward rather than a backend's. */
export function needsGeneralForward(opts: ForwardOptions | undefined): boolean {
  return opts !== undefined && (opts.projSize !== undefined || (opts.recurrentActivation !== undefined && opts.recurrentActivation !== 'sigmoid'));
}

function gateFn(kind: GateActivation): (v: number) => number {
  return kind === 'hardSigmoid' ? (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)) : (v) => 1 / (1 + Math.exp(-v));
}

function act(a: Activation, v: number): number {
  return a === 'tanh' ? Math.tanh(v) : a === 'relu' ? (v > 0 ? v : 0) : v;
}

function checkGeneral(cell: Cell, shape: Shape, params: Params, x: Vec, opts: ForwardOptions): { R: number; gate: GateActivation } {
  checkOptions(opts);
  const gate = opts.recurrentActivation ?? 'sigmoid';
  if (!GATE_ACTIVATIONS.includes(gate)) throw new RangeError(`unknown recurrentActivation '${String(gate).slice(0, 40)}' (sigmoid or hardSigmoid)`);
  const P = opts.projSize;
  if (P === undefined) {
    checkInputs(cell, shape, params, x);
    return { R: shape.H, gate };
  }
  if (cell !== 'lstm') throw new RangeError(`projSize is an LSTM's (PyTorch proj_size), not a ${cell}'s`);
  if (!Number.isInteger(P) || P < 1 || !(P < (shape?.H ?? 0))) throw new RangeError(`projSize must be an integer in [1, H), got ${String(P)}`);
  checkInputs(cell, shape, params, x, P);
  const n = params.Wr === undefined ? -1 : params.Wr.length;
  if (n !== P * shape.H) throw new RangeError(`Wr must hold P·H = ${P * shape.H} numbers, got ${n}`);
  return { R: P, gate };
}

export function generalForward(cell: Cell, shape: Shape, params: Params, x: Vec, opts: ForwardOptions, float64: boolean): ForwardResult {
  const { R, gate } = checkGeneral(cell, shape, params, x, opts);
  const { T, B, D, H } = shape;
  checkState('h0', opts.h0, B * R);
  checkState('c0', opts.c0, B * H);
  const activation: Activation = opts.activation ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu' && activation !== 'linear') throw new RangeError(`unknown activation '${String(activation).slice(0, 40)}' (tanh, relu or linear)`);
  const resetAfter = cell === 'gru' && opts.resetAfter === true;
  const make = (n: number): Out => (float64 ? new Float64Array(n) : new Float32Array(n));
  const sig = gateFn(gate);
  const G = gateCount(cell);
  const K = D + R;
  const { W, b } = params;
  const bh = params.bh;
  const Wr = params.Wr;
  const h0 = make(B * R);
  const c0 = make(B * H);
  if (opts.h0) h0.set(Array.from(opts.h0));
  if (opts.c0) c0.set(Array.from(opts.c0));
  const h = make(T * B * R);
  const c = cell === 'lstm' ? make(T * B * H) : undefined;
  const gates = Array.from({ length: G }, () => make(T * B * H));
  const a = new Float64Array(G * H);
  const hr = new Float64Array(H);
  const m = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const xo = (t * B + bb) * D;
      const hp = t === 0 ? h0 : h;
      const ho = t === 0 ? bb * R : ((t - 1) * B + bb) * R;
      for (let row = 0; row < G * H; row++) {
        let s = b[row];
        for (let d = 0; d < D; d++) s += W[row * K + d] * x[xo + d];
        const candidate = cell === 'gru' && row >= 2 * H;
        if (!candidate) {
          for (let v = 0; v < R; v++) s += W[row * K + D + v] * hp[ho + v];
          if (bh) s += bh[row];
        } else if (!resetAfter && bh) {
          s += bh[row];
        }
        a[row] = s;
      }
      const q0 = (t * B + bb) * H;
      if (cell === 'lstm') {
        const cp = t === 0 ? c0 : c!;
        const co = t === 0 ? bb * H : ((t - 1) * B + bb) * H;
        for (let u = 0; u < H; u++) {
          const f = sig(a[u]), i = sig(a[H + u]), g = Math.tanh(a[2 * H + u]), o = sig(a[3 * H + u]);
          const ct = f * cp[co + u] + i * g;
          c![q0 + u] = ct;
          m[u] = o * Math.tanh(ct);
          gates[0][q0 + u] = f; gates[1][q0 + u] = i; gates[2][q0 + u] = g; gates[3][q0 + u] = o;
        }
        const out = (t * B + bb) * R;
        if (Wr) {
          for (let p = 0; p < R; p++) {
            let s = 0;
            for (let u = 0; u < H; u++) s += Wr[p * H + u] * m[u];
            h[out + p] = s;
          }
        } else {
          for (let u = 0; u < H; u++) h[out + u] = m[u];
        }
      } else if (cell === 'gru') {
        for (let u = 0; u < H; u++) {
          gates[0][q0 + u] = sig(a[u]);
          gates[1][q0 + u] = sig(a[H + u]);
        }
        for (let u = 0; u < H; u++) {
          const row = 2 * H + u;
          let rec = 0;
          if (resetAfter) {
            for (let v = 0; v < H; v++) rec += W[row * K + D + v] * hp[ho + v];
            if (bh) rec += bh[row];
            hr[u] = gates[1][q0 + u] * rec;
          } else {
            for (let v = 0; v < H; v++) rec += W[row * K + D + v] * gates[1][q0 + v] * hp[ho + v];
            hr[u] = rec;
          }
        }
        for (let u = 0; u < H; u++) {
          const n = Math.tanh(a[2 * H + u] + hr[u]);
          const z = gates[0][q0 + u];
          gates[2][q0 + u] = n;
          h[q0 + u] = (1 - z) * hp[ho + u] + z * n;
        }
      } else {
        for (let u = 0; u < H; u++) h[q0 + u] = act(activation, a[u]);
      }
    }
  }
  const result: ForwardResult = { h, gates: {}, h0, activation };
  if (cell === 'lstm') {
    result.c = c;
    result.c0 = c0;
    result.gates = { f: gates[0], i: gates[1], g: gates[2], o: gates[3] };
  } else if (cell === 'gru') {
    result.gates = { z: gates[0], r: gates[1], n: gates[2] };
    result.resetAfter = resetAfter;
  }
  return result;
}
