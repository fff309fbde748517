// The series task: next-step prediction on a user's numbers (MSE), normalised by the training
// part's mean and std, the last 20% held out and never trained on, and its two baselines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTrainer, type TrainerConfig } from '../../../engine/train';
import { createTask } from '../../../engine/train/tasks';
import { SERIES_MAX_VALUES, normalizeSeries, seriesBaselines, seriesSplit } from '../../../engine/train/series';

function throwsOneLine(cfg: unknown, pattern: RegExp): void {
  assert.throws(() => createTrainer(cfg as TrainerConfig), (e: unknown) => {
    assert.ok(e instanceof RangeError, String(e));
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

const ramp = Array.from({ length: 20 }, (_, i) => i * i * 0.1 - i);

test('the split holds out the last 20% and normalises by the training part', () => {
  const s = seriesSplit(ramp);
  assert.equal(s.trainN, 16);
  assert.equal(s.heldN, 4);
  const train = ramp.slice(0, 16);
  const mean = train.reduce((a, b) => a + b, 0) / 16;
  const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / 16);
  assert.ok(Math.abs(s.mean - mean) < 1e-12 && Math.abs(s.std - std) < 1e-12);
  const z = normalizeSeries(ramp, s);
  assert.ok(Math.abs(z[3] - (ramp[3] - mean) / std) < 1e-12);
  // A constant series keeps std 1 (no division by zero).
  assert.equal(seriesSplit(new Array(30).fill(5)).std, 1);
});

test('the baselines are the held-out tail\'s MSE of predicting the mean and the last value', () => {
  // Training part 0,2,0,2,... (mean 1, std 1); tail 1,3,1,3 in normalised units 0,2,0,2.
  const values = [0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 1, 3, 1, 3];
  const b = seriesBaselines(values);
  assert.equal(b.pairs, 3);
  // Targets 2, 0, 2: mean baseline (4 + 0 + 4) / 3; persistence (2² + 2² + 2²) / 3.
  assert.ok(Math.abs(b.mean - 8 / 3) < 1e-12, String(b.mean));
  assert.ok(Math.abs(b.persistence - 4) < 1e-12, String(b.persistence));
});

test('the first step\'s loss is the MSE computed by hand for a one-unit tanh RNN', () => {
  const cfg: TrainerConfig = { cell: 'rnn', H: 1, seed: 5, task: { kind: 'series', values: ramp, T: 3 }, batch: 1, backend: 'reference', optimizer: { kind: 'sgd', lr: 0.1 } };
  const t = createTrainer(cfg);
  const { W, b, V, c } = t.parameters();
  const z = normalizeSeries(ramp);
  let h = 0, sq = 0;
  for (let s = 0; s < 3; s++) {
    h = Math.tanh(W[0] * z[s] + W[1] * h + b[0]);
    sq += (V[0] * h + c[0] - z[s + 1]) ** 2;
  }
  const m = t.step(1);
  assert.ok(Math.abs(m.loss - sq / 3) < 1e-12, `${m.loss} vs ${sq / 3}`);
  assert.equal(m.accuracy, undefined);
  assert.notDeepEqual(Array.from(t.parameters().W), Array.from(W));
});

test('training reads only the first 80%; held-out windows only the last 20%', () => {
  // Training values below 1, held-out values 1000 and above: normalised, the tail is far above the rest.
  const values = [...Array.from({ length: 400 }, (_, i) => Math.sin(i / 5)), ...Array.from({ length: 100 }, (_, i) => 1000 + i)];
  const split = seriesSplit(values);
  assert.equal(split.trainN, 400);
  const z = normalizeSeries(values, split);
  const tailMin = Math.min(...z.slice(400));
  assert.ok(tailMin > 100);
  const task = createTask({ kind: 'series', values, T: 10 }, 4, 2);
  assert.equal(task.head, 'mse');
  assert.equal(task.inputs, 1);
  assert.equal(task.stream, true);
  const batch = task.newBatch(4);
  for (let k = 0; k < 50; k++) {
    task.nextTrain(batch);
    for (const x of batch.features!) assert.ok(x < 10, `training input ${x}`);
    for (const y of batch.values!) assert.ok(y < 10, `training target ${y}`);
  }
  for (let k = 0; k < 20; k++) {
    task.nextEval(batch);
    for (const x of batch.features!) assert.ok(x >= tailMin);
    for (const y of batch.values!) assert.ok(y >= tailMin);
  }
});

test('consecutive training windows continue each stream: the next window starts where the last ended', () => {
  const values = Array.from({ length: 200 }, (_, i) => i);
  const z = normalizeSeries(values);
  const task = createTask({ kind: 'series', values, T: 5 }, 2, 1);
  const batch = task.newBatch(2);
  assert.equal(task.nextTrain(batch), false);
  // Stream 1 starts at floor(160 / 2) = 80; step t of stream b is at t·B + b.
  assert.equal(batch.features![1], z[80]);
  assert.equal(batch.values![1], z[81]);
  assert.equal(task.nextTrain(batch), true);
  assert.equal(batch.features![0], z[5]);
});

test('a bad series is refused with a one-line error', () => {
  const base = { cell: 'lstm', H: 4, seed: 1, batch: 2, backend: 'js' };
  throwsOneLine({ ...base, task: { kind: 'series', values: [1, 2, 3], T: 2 } }, /^task.values has 3 values; 20 to 100000 are needed$/);
  throwsOneLine({ ...base, task: { kind: 'series', values: new Array(SERIES_MAX_VALUES + 1).fill(0), T: 2 } }, /has 100001 values/);
  throwsOneLine({ ...base, task: { kind: 'series', values: [...ramp.slice(0, 10), NaN, ...ramp], T: 2 } }, /^task.values\[10\] must be a finite number, got NaN$/);
  throwsOneLine({ ...base, task: { kind: 'series', values: 'abc', T: 2 } }, /^task.values must be an array/);
  throwsOneLine({ ...base, task: { kind: 'series', values: ramp, T: 30 } }, /^task.values: 20 values are too few for batch 2 and T 30/);
  throwsOneLine({ ...base, task: { kind: 'series', values: ramp, T: 2 }, input: { kind: 'embedding', dim: 3 } }, /series task takes real inputs/);
});

test('an LSTM learns a sine wave below both baselines', () => {
  const values = Array.from({ length: 600 }, (_, i) => Math.sin(i / 4) + 0.5 * Math.sin(i / 11));
  const t = createTrainer({ cell: 'lstm', H: 16, seed: 1, task: { kind: 'series', values, T: 20 }, batch: 8, backend: 'js', optimizer: { kind: 'adam', lr: 0.01 }, clip: 1 });
  t.step(300);
  const held = t.evaluate(8).loss;
  const base = seriesBaselines(values);
  assert.ok(held < base.persistence && held < base.mean, `held-out ${held}, baselines ${base.mean} and ${base.persistence}`);
});
