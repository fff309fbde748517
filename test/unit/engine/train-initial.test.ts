// TrainerConfig.initial: training starts from given cell weights (a checkpoint's layer) instead of
// the initialiser's. Step 0's parameters are the loaded ones; training moves them (bh included);
// a wrong size or a value that is not finite is refused in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTrainer, type TrainerConfig } from '../../../engine/train';

const H = 4;
const base: TrainerConfig = { cell: 'gru', H, seed: 2, task: { kind: 'recall', delay: 3, symbols: 4 }, batch: 4, backend: 'js', input: { kind: 'embedding', dim: 3 } };
// D = 3 (the embedding), G = 3: W is 3·4·(3+4) = 84 values.
const W = Array.from({ length: 3 * H * (3 + H) }, (_, i) => Math.sin(i) * 0.3);
const b = Array.from({ length: 3 * H }, (_, i) => 0.01 * i);
const bh = Array.from({ length: 3 * H }, (_, i) => -0.02 * i);

const close = (a: ArrayLike<number>, e: ArrayLike<number>) => {
  assert.equal(a.length, e.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - e[i]) < 1e-6, `[${i}] ${a[i]} vs ${e[i]}`);
};

test('step 0 parameters are the loaded ones; training changes them, bh included', () => {
  for (const resetAfter of [false, true]) {
    const t = createTrainer({ ...base, resetAfter, initial: { W, b, bh } });
    const p0 = t.parameters();
    close(p0.W, W);
    close(p0.b, b);
    close(p0.bh!, bh);
    t.step(20);
    const p = t.parameters();
    const moved = (a: ArrayLike<number>, e: ArrayLike<number>) => Array.from(a).some((x, i) => Math.abs(x - e[i]) > 1e-4);
    assert.ok(moved(p.W, W) && moved(p.b, b) && moved(p.bh!, bh), `resetAfter ${resetAfter}: every part moved`);
  }
});

test('the loaded weights change what the model computes (not the initialiser\'s)', () => {
  const drawn = createTrainer(base).parameters().W;
  const loaded = createTrainer({ ...base, initial: { W, b } }).parameters();
  assert.notDeepEqual(Array.from(drawn), Array.from(loaded.W));
  assert.equal(loaded.bh, undefined);
});

test('a bad size or value is refused in one line', () => {
  const refused = (cfg: TrainerConfig, pattern: RegExp) => assert.throws(() => createTrainer(cfg), (e: unknown) => {
    assert.ok(e instanceof RangeError && !e.message.includes('\n'), String(e));
    assert.match(e.message, pattern);
    return true;
  });
  refused({ ...base, initial: { W: W.slice(1), b } }, /^initial\.W has 83 values; a gru cell with input width D = 3 and H = 4 needs 3·4·\(3\+4\) = 84$/);
  refused({ ...base, initial: { W, b: [1] } }, /^initial\.b has 1 values; .* needs 3·4 = 12$/);
  refused({ ...base, initial: { W, b, bh: [] } }, /^initial\.bh has 0 values/);
  refused({ ...base, initial: { W: [...W.slice(0, 5), NaN, ...W.slice(6)], b } }, /^initial\.W\[5\] must be a finite number, got NaN$/);
  refused({ ...base, initial: 'weights' as unknown as TrainerConfig['initial'] }, /^initial must be an object/);
});
