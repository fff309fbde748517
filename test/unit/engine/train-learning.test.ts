// The engine learns: seeded LSTM runs with the recommended settings (TRAIN_DEFAULTS) on the
// wasm backend reach the targets within a few thousand steps, judged on held-out
// batches. (Where a tanh RNN stands on the same settings is measured by bench/train.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRAIN_DEFAULTS, createTrainer, type Metrics, type TaskConfig } from '../../../engine/train';

function trainUntil(task: TaskConfig, done: (m: Metrics) => boolean, maxSteps: number): { m: Metrics; steps: number } {
  const t = createTrainer({ cell: 'lstm', seed: 1, task, backend: 'wasm', ...TRAIN_DEFAULTS });
  let m = t.evaluate(8);
  while (t.steps < maxSteps && !done(m)) {
    t.step(100);
    m = t.evaluate(8);
  }
  return { m, steps: t.steps };
}

test('LSTM on adding, T = 30: held-out MSE below 0.05 (always answering 1 scores about 0.167)', (ctx) => {
  const { m, steps } = trainUntil({ kind: 'adding', T: 30 }, (x) => x.loss < 0.05, 4000);
  ctx.diagnostic(`MSE ${m.loss.toFixed(4)} after ${steps} steps`);
  assert.ok(m.loss < 0.05, `MSE ${m.loss} after ${steps} steps`);
});

test('LSTM on recall, delay 20, 8 symbols: held-out accuracy at least 0.9 (chance 0.125)', (ctx) => {
  const { m, steps } = trainUntil({ kind: 'recall', delay: 20 }, (x) => (x.accuracy ?? 0) >= 0.9, 4000);
  ctx.diagnostic(`accuracy ${m.accuracy} after ${steps} steps`);
  assert.ok((m.accuracy ?? 0) >= 0.9, `accuracy ${m.accuracy} after ${steps} steps`);
});
