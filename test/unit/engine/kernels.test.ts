// The float64 reference against central differences, and the theory checks docs/KERNELS.md states:
// gradient checks for every cell (with and without truncation, with a loss on the final state),
// orthogonal W_hh preserving the gradient norm, clipping, spectral norms, seeded initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backward, forward } from '../../../engine/reference';
import {
  clipGlobalNorm, gaussianSource, initParams, randomOrthogonal, spectralNorm, spectralRadius,
} from '../../../engine/init';
import { type Activation, type Cell, type Out, type Shape, gateCount } from '../../../engine/types';
import { randomInputs } from '../../fixtures/kernelCase';

function randn(n: number, seed: number, scale = 1): Float64Array {
  const g = gaussianSource(seed);
  return Float64Array.from({ length: n }, () => g() * scale);
}

interface Case {
  cell: Cell;
  shape: Shape;
  act: Activation;
  W: Float64Array;
  b: Float64Array;
  bh?: Float64Array;
  resetAfter?: boolean;
  x: Float64Array;
  h0: Float64Array;
  c0: Float64Array;
  dh: Float64Array;
  dhT: Float64Array;
  dcT: Float64Array;
}

/** A random case; `pytorch` adds a recurrent bias bh and, for the GRU, the reset-after candidate. */
function makeCase(cell: Cell, shape: Shape, act: Activation, seed: number, pytorch = false): Case {
  const { D, H } = shape;
  const G = gateCount(cell);
  return {
    cell, shape, act,
    ...(pytorch ? { bh: randn(G * H, seed + 8, 0.3), resetAfter: cell === 'gru' } : {}),
    W: randn(G * H * (D + H), seed, 0.6),
    b: randn(G * H, seed + 1, 0.3),
    ...randomInputs(shape, seed + 2, randn),
  };
}

/**
 * The loss the backward pass differentiates: sum(dh ⊙ h) + dhT·h_{T-1} + dcT·c_{T-1}. With a
 * truncation window k, the state entering each later chunk is a constant taken from the
 * unperturbed run, which is exactly what detach() between chunks means.
 */
function loss(c: Case, k: number, fixedH: Out, fixedC: Out | undefined): number {
  const { T, B, D, H } = c.shape;
  const BH = B * H;
  let L = 0;
  for (let s = 0; s < T; s += k) {
    const e = Math.min(T, s + k);
    const h0 = s === 0 ? c.h0 : fixedH.subarray((s - 1) * BH, s * BH);
    const c0 = s === 0 ? c.c0 : fixedC?.subarray((s - 1) * BH, s * BH);
    const f = forward(c.cell, { T: e - s, B, D, H }, { W: c.W, b: c.b, bh: c.bh }, c.x.subarray(s * B * D, e * B * D), {
      h0, c0, activation: c.act, resetAfter: c.resetAfter,
    });
    for (let i = 0; i < f.h.length; i++) L += c.dh[s * BH + i] * f.h[i];
    if (e === T) {
      for (let i = 0; i < BH; i++) L += c.dhT[i] * f.h[(e - s - 1) * BH + i];
      if (f.c) for (let i = 0; i < BH; i++) L += c.dcT[i] * f.c[(e - s - 1) * BH + i];
    }
  }
  return L;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den = Math.max(den, a[i] * a[i], b[i] * b[i]);
  }
  let na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const scale = Math.max(Math.sqrt(na), Math.sqrt(nb));
  return scale === 0 ? 0 : Math.sqrt(num) / scale;
}

function gradCheck(c: Case, truncate: number | undefined): void {
  const { T } = c.shape;
  const k = truncate ?? T;
  const params = { W: c.W, b: c.b, bh: c.bh };
  const base = forward(c.cell, c.shape, params, c.x, { h0: c.h0, c0: c.c0, activation: c.act, resetAfter: c.resetAfter });
  const g = backward(c.cell, c.shape, params, c.x, base, c.dh, {
    dhT: c.dhT, dcT: c.cell === 'lstm' ? c.dcT : undefined, truncate,
  });
  if (c.cell !== 'lstm') c.dcT = new Float64Array(c.dcT.length);
  const eps = 1e-5;
  const numeric = (arr: Float64Array): Float64Array => {
    const out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      arr[i] = v + eps;
      const lp = loss(c, k, base.h, base.c);
      arr[i] = v - eps;
      const lm = loss(c, k, base.h, base.c);
      arr[i] = v;
      out[i] = (lp - lm) / (2 * eps);
    }
    return out;
  };
  const label = `${c.cell}/${c.act}${c.bh ? '+bh' : ''}${c.resetAfter ? '/reset-after' : ''} k=${k}`;
  const checks: [string, Float64Array, ArrayLike<number>][] = [
    ['dW', c.W, g.dW], ['db', c.b, g.db], ['dx', c.x, g.dx], ['dh0', c.h0, g.dh0],
  ];
  if (c.cell === 'lstm') checks.push(['dc0', c.c0, g.dc0!]);
  assert.equal(g.dbh === undefined, c.bh === undefined, `${label}: dbh exactly when bh is given`);
  if (c.bh) checks.push(['dbh', c.bh, g.dbh!]);
  for (const [name, arr, analytic] of checks) {
    const e = relErr(numeric(arr), analytic);
    assert.ok(e < 1e-6, `${label} ${name}: relative error ${e.toExponential(2)}`);
  }
  // Every gradient must be non-trivial, or the check above proves nothing.
  assert.ok(Math.hypot(...Array.from(g.dW)) > 1e-3, `${label}: dW is ~0`);
}

const small: Shape = { T: 6, B: 2, D: 3, H: 4 };
const cellCases: [Cell, Activation][] = [['rnn', 'tanh'], ['rnn', 'relu'], ['rnn', 'linear'], ['lstm', 'tanh'], ['gru', 'tanh']];

for (const [cell, act] of cellCases) {
  test(`reference ${cell} (${act}) passes a central-difference gradient check, full BPTT`, () => {
    gradCheck(makeCase(cell, small, act, 11), undefined);
  });
  test(`reference ${cell} (${act}) passes a central-difference gradient check, truncated (k = 2, 4)`, () => {
    gradCheck(makeCase(cell, small, act, 23), 2);
    gradCheck(makeCase(cell, { ...small, T: 7 }, act, 37), 4);
  });
}

for (const cell of ['rnn', 'lstm', 'gru'] as const) {
  const what = cell === 'gru' ? 'a recurrent bias bh and the reset-after candidate' : 'a recurrent bias bh';
  test(`reference ${cell} with ${what} passes a central-difference gradient check, full and truncated`, () => {
    gradCheck(makeCase(cell, small, 'tanh', 41, true), undefined);
    gradCheck(makeCase(cell, { ...small, T: 7 }, cell === 'rnn' ? 'relu' : 'tanh', 43, true), 3);
  });
}

test('reference GRU reset-after without bh, and reset-before with bh, pass a central-difference gradient check', () => {
  const after = makeCase('gru', small, 'tanh', 47);
  after.resetAfter = true;
  gradCheck(after, undefined);
  const before = makeCase('gru', small, 'tanh', 53, true);
  before.resetAfter = false;
  gradCheck(before, 2);
});

test('the gradient check can fail: a wrong gradient is caught', () => {
  const c = makeCase('lstm', small, 'tanh', 5);
  const base = forward('lstm', c.shape, { W: c.W, b: c.b }, c.x, { h0: c.h0, c0: c.c0 });
  const g = backward('lstm', c.shape, { W: c.W, b: c.b }, c.x, base, c.dh, { dhT: c.dhT, dcT: c.dcT });
  // The truncated gradient is not the full one: comparing them must show a large error.
  const gt = backward('lstm', c.shape, { W: c.W, b: c.b }, c.x, base, c.dh, { dhT: c.dhT, dcT: c.dcT, truncate: 2 });
  assert.ok(relErr(g.dW, gt.dW) > 1e-3);
});

test('gradNorm is the norm of the total dL/dh_t, and truncation cuts the carry at chunk starts', () => {
  const shape: Shape = { T: 6, B: 2, D: 2, H: 3 };
  const c = makeCase('rnn', shape, 'tanh', 3);
  const f = forward('rnn', shape, { W: c.W, b: c.b }, c.x, { h0: c.h0 });
  const dh = new Float64Array(6 * 2 * 3);
  dh.set(c.dh.subarray(5 * 6, 6 * 6), 5 * 6); // loss on the last step only
  const full = backward('rnn', shape, { W: c.W, b: c.b }, c.x, f, dh);
  const cut = backward('rnn', shape, { W: c.W, b: c.b }, c.x, f, dh, { truncate: 3 });
  let n = 0;
  for (let i = 30; i < 36; i++) n += dh[i] * dh[i];
  assert.ok(Math.abs(full.gradNorm[5] - Math.sqrt(n)) < 1e-12);
  for (let t = 0; t < 5; t++) assert.ok(full.gradNorm[t] > 0, `full BPTT reaches step ${t}`);
  assert.ok(cut.gradNorm[3] > 0 && cut.gradNorm[4] > 0);
  for (let t = 0; t < 3; t++) assert.equal(cut.gradNorm[t], 0, `chunk [0,3) gets nothing from step 5 (t=${t})`);
  assert.ok(cut.dh0.every((v) => v === 0));
});

test('a linear RNN with orthogonal W_hh preserves the gradient norm step to step (float64)', () => {
  const T = 40, B = 3, D = 4, H = 16;
  const p = initParams('rnn', D, H, { scheme: 'orthogonal', seed: 7 });
  // Float32 rounding would break orthogonality at 1e-7 per step: rebuild W_hh in float64.
  const W = Float64Array.from(p.W);
  const Q = randomOrthogonal(H, gaussianSource(99));
  for (let u = 0; u < H; u++) for (let v = 0; v < H; v++) W[u * (D + H) + D + v] = Q[u * H + v];
  const x = randn(T * B * D, 1);
  const f = forward('rnn', { T, B, D, H }, { W, b: new Float64Array(H) }, x, { activation: 'linear' });
  const g = backward('rnn', { T, B, D, H }, { W, b: new Float64Array(H) }, x, f, null, { dhT: randn(B * H, 2) });
  for (let t = 0; t < T - 1; t++) {
    const ratio = g.gradNorm[t] / g.gradNorm[t + 1];
    assert.ok(Math.abs(ratio - 1) < 1e-6, `step ${t}: ratio ${ratio}`);
  }
  // The same with a non-orthogonal W_hh must not hold, or the check above proves nothing.
  const Wg = Float64Array.from(initParams('rnn', D, H, { scheme: 'gaussian', seed: 7, spectralRadius: 0.8 }).W);
  const fg = forward('rnn', { T, B, D, H }, { W: Wg, b: new Float64Array(H) }, x, { activation: 'linear' });
  const gg = backward('rnn', { T, B, D, H }, { W: Wg, b: new Float64Array(H) }, x, fg, null, { dhT: randn(B * H, 2) });
  assert.ok(gg.gradNorm[0] < 0.01 * gg.gradNorm[T - 1], 'spectral radius 0.8 vanishes over 40 steps');
});

test('clipGlobalNorm scales like clip_grad_norm_ and returns the norm before clipping', () => {
  const a = new Float32Array([3, 0]);
  const b = new Float64Array([0, 4]);
  const n = clipGlobalNorm([a, b], 1);
  assert.equal(n, 5);
  const after = Math.hypot(a[0], a[1], b[0], b[1]);
  assert.ok(Math.abs(after - 1) < 1e-6, `clipped norm ${after}`);
  assert.ok(Math.abs(a[0] / b[1] - 0.75) < 1e-6, 'direction kept');
  const c = { dW: new Float32Array([0.3, 0.4]), db: new Float32Array([0]) };
  assert.ok(Math.abs(clipGlobalNorm(c, 1) - 0.5) < 1e-7);
  assert.deepEqual(Array.from(c.dW), [Math.fround(0.3), Math.fround(0.4)], 'below maxNorm: untouched');
});

test('spectralNorm is the largest singular value', () => {
  assert.ok(Math.abs(spectralNorm([3, 0, 0, 0, -5, 0, 0, 0, 2], 3, 3) - 5) < 1e-10);
  // [[1,2],[3,4],[5,6]]: σ_max² is the larger eigenvalue of AᵀA = [[35,44],[44,56]].
  const tr = 91, det = 35 * 56 - 44 * 44;
  const s = Math.sqrt((tr + Math.sqrt(tr * tr - 4 * det)) / 2);
  assert.ok(Math.abs(spectralNorm([1, 2, 3, 4, 5, 6], 3, 2) - s) < 1e-10);
  // Not the spectral radius: eigenvalues ±i (radius 1), singular values 2 and 0.5.
  assert.ok(Math.abs(spectralNorm([0, 2, -0.5, 0], 2, 2) - 2) < 1e-10);
  assert.ok(Math.abs(spectralRadius([0, 2, -0.5, 0], 2) - 1) < 1e-3);
  assert.ok(Math.abs(spectralRadius([0.9, 1, 0, 0.9], 2) - 0.9) < 0.01, 'Jordan block');
  const Q = randomOrthogonal(32, gaussianSource(4));
  assert.ok(Math.abs(spectralNorm(Q, 32, 32) - 1) < 1e-9);
  assert.throws(() => spectralNorm([1, 2, 3], 2, 2), RangeError);
});

test('initParams is deterministic by seed and follows each scheme', () => {
  for (const scheme of ['gaussian', 'orthogonal', 'identity', 'xavier'] as const) {
    const a = initParams('lstm', 5, 8, { scheme, seed: 42 });
    const b = initParams('lstm', 5, 8, { scheme, seed: 42 });
    const c = initParams('lstm', 5, 8, { scheme, seed: 43 });
    assert.deepEqual(a, b, scheme);
    assert.notDeepEqual(a.W, c.W, scheme);
    assert.equal(a.W.length, 4 * 8 * 13);
    assert.deepEqual(Array.from(a.b), [...Array(8).fill(1), ...Array(24).fill(0)], `${scheme}: forget bias 1`);
  }
  assert.ok(initParams('lstm', 2, 3, { scheme: 'xavier', seed: 1, forgetBias: 0 }).b.every((v) => v === 0));
  const D = 3, H = 6, K = D + H;
  const id = initParams('rnn', D, H, { scheme: 'identity', seed: 1 });
  for (let u = 0; u < H; u++) for (let v = 0; v < H; v++) assert.equal(id.W[u * K + D + v], u === v ? 1 : 0);
  const whh = (W: Float32Array, q: number, h: number, d: number): Float64Array => {
    const out = new Float64Array(h * h);
    for (let u = 0; u < h; u++) for (let v = 0; v < h; v++) out[u * h + v] = W[(q * h + u) * (d + h) + d + v];
    return out;
  };
  const orth = initParams('gru', D, H, { scheme: 'orthogonal', seed: 3 });
  for (let q = 0; q < 3; q++) assert.ok(Math.abs(spectralNorm(whh(orth.W, q, H, D), H, H) - 1) < 1e-6);
  const scaled = initParams('rnn', 4, 24, { scheme: 'gaussian', seed: 9, spectralRadius: 1.3 });
  const rho = spectralRadius(whh(scaled.W, 0, 24, 4), 24);
  assert.ok(Math.abs(rho - 1.3) < 1e-3, `spectral radius ${rho}`);
  const orth2 = initParams('rnn', 4, 8, { scheme: 'orthogonal', seed: 9, spectralRadius: 0.5 });
  assert.ok(Math.abs(spectralNorm(whh(orth2.W, 0, 8, 4), 8, 8) - 0.5) < 1e-6);
  assert.throws(() => initParams('rnn', 0, 4, { scheme: 'gaussian', seed: 1 }), RangeError);
});

test('forward checks shapes', () => {
  assert.throws(() => forward('lstm', small, { W: new Float64Array(3), b: new Float64Array(16) }, new Float64Array(36)), RangeError);
});
