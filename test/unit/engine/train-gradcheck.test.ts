// The whole model's gradient (input -> cell -> head -> loss) against central differences in
// float64 on the reference backend: every cell, one-hot / embedding / real inputs, cross-entropy
// and MSE heads, a carried-in state, with and without truncated BPTT. With truncation window k,
// the state entering each later chunk is a constant taken from the unperturbed run (what
// detaching the hidden state between windows means), so the check differentiates that loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianSource, mulberry32 } from '../../../engine/init';
import { Model, type ModelSpec } from '../../../engine/train/model';
import type { Batch } from '../../../engine/train/tasks';
import type { Cell } from '../../../engine/types';

const T = 7, B = 2, H = 3;

function makeModel(cell: Cell, input: ModelSpec['input'], head: ModelSpec['head'], seed: number, resetAfter = false): Model {
  const spec: ModelSpec = {
    cell, resetAfter, activation: 'tanh', H, input, inputs: input === 'features' ? 3 : 5, embeddingDim: 2,
    outputs: head === 'ce' ? 4 : 1, head, backend: 'reference',
  };
  const m = Model.init(spec, { scheme: 'gaussian', seed });
  // Larger, non-trivial biases so every gate is away from its symmetric point.
  const g = gaussianSource(seed + 7);
  for (const p of m.paramList()) for (let i = 0; i < p.length; i++) p[i] += 0.3 * g();
  return m;
}

function makeBatch(m: Model, seed: number): Batch {
  const u = mulberry32(seed);
  const { input, inputs, outputs, head } = m.spec;
  const b: Batch = {
    T, B,
    tokens: input === 'features' ? null : Int32Array.from({ length: T * B }, () => Math.floor(u() * inputs)),
    features: input === 'features' ? Float64Array.from({ length: T * B * inputs }, () => u()) : null,
    classes: head === 'ce' ? Int32Array.from({ length: T * B }, () => (u() < 0.6 ? Math.floor(u() * outputs) : -1)) : null,
    values: head === 'mse' ? Float64Array.from({ length: T * B }, (_, i) => (i >= (T - 2) * B || u() < 0.3 ? 2 * u() : NaN)) : null,
  };
  return b;
}

function slice(b: Batch, s: number, e: number): Batch {
  const F = b.features ? b.features.length / (b.T * b.B) : 0;
  return {
    T: e - s, B: b.B,
    tokens: b.tokens ? b.tokens.subarray(s * B, e * B) : null,
    features: b.features ? b.features.subarray(s * B * F, e * B * F) : null,
    classes: b.classes ? b.classes.subarray(s * B, e * B) : null,
    values: b.values ? b.values.subarray(s * B, e * B) : null,
  };
}

/** The loss the truncated gradient differentiates: chunks of k steps from fixed boundary states. */
function lossAt(m: Model, b: Batch, k: number, h0: Float64Array | undefined, c0: Float64Array | undefined,
  fixedH: ArrayLike<number>, fixedC: ArrayLike<number> | undefined): number {
  const BH = B * H;
  let total = 0, count = 0;
  for (let s = 0; s < T; s += k) {
    const e = Math.min(T, s + k);
    const part = slice(b, s, e);
    const hs = s === 0 ? h0 : Float64Array.from({ length: BH }, (_, i) => fixedH[(s - 1) * BH + i]);
    const cs = s === 0 ? c0 : fixedC ? Float64Array.from({ length: BH }, (_, i) => fixedC[(s - 1) * BH + i]) : undefined;
    const { fwd } = m.forward(part, hs, cs, new Float64Array(part.T * B * m.D));
    const r = m.head(part, fwd.h, null);
    total += r.loss * r.count;
    count += r.count;
  }
  return total / count;
}

function check(cell: Cell, input: ModelSpec['input'], head: ModelSpec['head'], truncate: number, carried: boolean, seed: number, resetAfter = false): void {
  const m = makeModel(cell, input, head, seed, resetAfter);
  const b = makeBatch(m, seed + 1);
  const g = gaussianSource(seed + 2);
  const h0 = carried ? Float64Array.from({ length: B * H }, () => 0.5 * g()) : undefined;
  const c0 = carried ? Float64Array.from({ length: B * H }, () => 0.5 * g()) : undefined;
  const k = truncate > 0 ? truncate : T;
  const r = m.lossAndGrad(b, h0, c0, truncate);
  const fixedH = Float64Array.from(r.fwd.h);
  const fixedC = r.fwd.c ? Float64Array.from(r.fwd.c) : undefined;
  const grads = r.grads.map((a) => Float64Array.from(a));
  assert.ok(Math.abs(lossAt(m, b, k, h0, c0, fixedH, fixedC) - r.loss) < 1e-12, 'the chunked loss is the loss');
  const names = ['W', 'b', 'V', 'c', 'E'];
  const eps = 1e-6;
  m.paramList().forEach((p, pi) => {
    for (let i = 0; i < p.length; i++) {
      const keep = p[i];
      p[i] = keep + eps;
      const up = lossAt(m, b, k, h0, c0, fixedH, fixedC);
      p[i] = keep - eps;
      const down = lossAt(m, b, k, h0, c0, fixedH, fixedC);
      p[i] = keep;
      const num = (up - down) / (2 * eps);
      const err = Math.abs(num - grads[pi][i]);
      assert.ok(err <= 1e-7 + 1e-6 * Math.abs(num), `${names[pi]}[${i}]: analytic ${grads[pi][i]} vs numeric ${num}`);
    }
  });
  // Every parameter group gets a gradient, so no comparison above was 0 against 0.
  grads.forEach((a, pi) => assert.ok(a.some((v) => Math.abs(v) > 1e-4), `${names[pi]} has a gradient`));
}

for (const cell of ['rnn', 'lstm', 'gru'] as const) {
  for (const [input, head] of [['onehot', 'ce'], ['embedding', 'ce'], ['features', 'mse']] as const) {
    test(`gradient check ${cell}, ${input} input, ${head} head, full BPTT`, () => check(cell, input, head, 0, false, 11));
    test(`gradient check ${cell}, ${input} input, ${head} head, truncated to 3, carried-in state`, () => check(cell, input, head, 3, true, 23));
  }
}

test('gradient check, torch.nn.GRU\'s reset-after GRU, embedding input, truncated to 3, carried-in state', () => {
  check('gru', 'embedding', 'ce', 3, true, 31, true);
  check('gru', 'features', 'mse', 0, false, 37, true);
});

test('truncation changes the gradient (the check above is not vacuous)', () => {
  const m = makeModel('lstm', 'onehot', 'ce', 5);
  const b = makeBatch(m, 6);
  const full = Float64Array.from(m.lossAndGrad(b).grads[0]);
  const cut = m.lossAndGrad(b, undefined, undefined, 2).grads[0];
  let diff = 0;
  for (let i = 0; i < full.length; i++) diff = Math.max(diff, Math.abs(full[i] - cut[i]));
  assert.ok(diff > 1e-4, `max difference ${diff}`);
});
