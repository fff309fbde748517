// The trainer's update step against PyTorch: the fixtures (scripts/torch/train.py) hold a few
// torch.optim.Adam / SGD(momentum) steps with clip_grad_norm_ on small LSTM, GRU (ours and
// torch.nn.GRU's reset-after form) and RNN models
// with one-hot, embedding and real inputs, cross-entropy and MSE heads, with and without
// truncated BPTT. Our loss, gradient norm before clipping and weights after the last step must
// match: to 1e-9 on the float64 reference backend, 1e-5 abs / 1e-4 rel on the float32 ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../fixtures/repoRoot';
import { Model, type ModelParams } from '../../../engine/train/model';
import { createOptimizer } from '../../../engine/train/optim';
import { trainStep } from '../../../engine/train/step';
import type { Batch } from '../../../engine/train/tasks';
import type { OptimizerConfig } from '../../../engine/train/config';
import type { BackendName, Cell } from '../../../engine/types';

interface Run {
  losses: number[];
  gradNorms: number[];
  params: Record<string, number[]>;
}

interface Case {
  name: string;
  cell: Cell;
  resetAfter?: boolean;
  input: 'onehot' | 'embedding' | 'features';
  head: 'ce' | 'mse';
  V: number;
  E?: number;
  D: number;
  H: number;
  O: number;
  T: number;
  B: number;
  optimizer: OptimizerConfig;
  clip: number;
  truncate: number;
  steps: number;
  init: Record<string, number[]>;
  tokens?: number[];
  features?: number[];
  classes?: number[];
  values?: (number | null)[];
  float64: Run;
  float32: Run;
}

const root = findRepoRoot(__dirname);
const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'torch', 'train.json'), 'utf8')) as { cases: Case[] };

function close(actual: number, expected: number, abs: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= abs || err <= rel * Math.abs(expected), `${what}: ${actual} vs torch ${expected} (error ${err.toExponential(2)})`);
}

function train(c: Case, backend: BackendName): Run {
  const params: ModelParams = {
    W: Float64Array.from(c.init.W), b: Float64Array.from(c.init.b), V: Float64Array.from(c.init.V), c: Float64Array.from(c.init.c),
    E: c.init.E ? Float64Array.from(c.init.E) : null,
  };
  const model = new Model({
    cell: c.cell, resetAfter: c.resetAfter, activation: 'tanh', H: c.H, input: c.input, inputs: c.V, embeddingDim: c.E, outputs: c.O, head: c.head, backend,
  }, backend === 'reference' ? params : {
    W: Float32Array.from(params.W), b: Float32Array.from(params.b), V: Float32Array.from(params.V), c: Float32Array.from(params.c),
    E: params.E ? Float32Array.from(params.E) : null,
  });
  const batch: Batch = {
    T: c.T, B: c.B,
    tokens: c.tokens ? Int32Array.from(c.tokens) : null,
    features: c.features ? Float64Array.from(c.features) : null,
    classes: c.classes ? Int32Array.from(c.classes) : null,
    values: c.values ? Float64Array.from(c.values, (v) => (v === null ? NaN : v)) : null,
  };
  const opt = createOptimizer(c.optimizer);
  const list = model.paramList();
  const run: Run = { losses: [], gradNorms: [], params: {} };
  for (let s = 0; s < c.steps; s++) {
    const r = trainStep(model, opt, list, batch, { clip: c.clip, truncate: c.truncate });
    run.losses.push(r.loss);
    run.gradNorms.push(r.gradNorm);
  }
  const p = model.params;
  run.params = { W: [...p.W], b: [...p.b], V: [...p.V], c: [...p.c], ...(p.E ? { E: [...p.E] } : {}) };
  return run;
}

function compare(ours: Run, torch: Run, abs: number, rel: number, name: string): void {
  ours.losses.forEach((l, i) => close(l, torch.losses[i], abs, rel, `${name} loss at step ${i}`));
  ours.gradNorms.forEach((g, i) => close(g, torch.gradNorms[i], abs, rel, `${name} grad norm at step ${i}`));
  assert.deepEqual(Object.keys(ours.params).sort(), Object.keys(torch.params).sort());
  for (const [k, v] of Object.entries(torch.params)) {
    assert.equal(ours.params[k].length, v.length, `${name} ${k} size`);
    v.forEach((e, i) => close(ours.params[k][i], e, abs, rel, `${name} ${k}[${i}] after ${ours.losses.length} steps`));
  }
}

test('the fixtures cover LSTM, GRU and RNN; Adam and SGD; clipping that bites; truncation', () => {
  const cs = fixture.cases;
  assert.ok(cs.length >= 5);
  assert.deepEqual(new Set(cs.map((c) => c.cell)), new Set(['lstm', 'gru', 'rnn']));
  assert.deepEqual(new Set(cs.map((c) => c.optimizer.kind)), new Set(['adam', 'sgd']));
  assert.ok(cs.some((c) => c.clip > 0 && c.float64.gradNorms.some((g) => g > c.clip)), 'some clip must scale a gradient');
  assert.ok(cs.some((c) => c.truncate > 0));
  assert.ok(cs.some((c) => c.resetAfter), 'torch.nn.GRU itself, reset-after');
});

for (const c of fixture.cases) {
  test(`torch ${c.name}: reference backend (float64) to 1e-9`, () => compare(train(c, 'reference'), c.float64, 1e-9, 1e-9, c.name));
  for (const backend of ['js', 'wasm'] as const) {
    test(`torch ${c.name}: ${backend} backend (float32) to 1e-5 abs / 1e-4 rel`, () => compare(train(c, backend), c.float32, 1e-5, 1e-4, c.name));
  }
}
