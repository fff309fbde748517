// The Attention in Seq2seq demo's models (engine/train/seq2seq.ts): the gradient of the
// encoder-decoder with additive attention against central differences (float64 reference
// kernels), and a seeded run in which attention beats the bottleneck on long inputs, as the demo says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Seq2seq, reverseBatch } from '../../../engine/train/seq2seq';

test('reverseBatch: the target is the source reversed', () => {
  const b = reverseBatch(4, 2, 5, 3);
  for (let t = 0; t < 4; t++) for (let k = 0; k < 2; k++) assert.equal(b.tgt[t * 2 + k], b.src[(3 - t) * 2 + k]);
  assert.ok([...b.src].every((s) => s >= 1 && s <= 5));
});

for (const attention of [true, false]) {
  test(`gradient of every parameter matches central differences (${attention ? 'with' : 'without'} attention)`, () => {
    const m = new Seq2seq({ attention, symbols: 3, H: 3, seed: 1, backend: 'reference' });
    const batch = reverseBatch(3, 2, 3, 5);
    const { grads } = m.lossAndGrad(batch);
    const params = m.paramList();
    assert.equal(params.length, attention ? 9 : 6);
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        const v = p[i];
        p[i] = v + 1e-6;
        const up = m.lossAndGrad(batch).loss;
        p[i] = v - 1e-6;
        const dn = m.lossAndGrad(batch).loss;
        p[i] = v;
        const num = (up - dn) / 2e-6;
        assert.ok(Math.abs(num - grads[k][i]) < 1e-7, `param ${k}[${i}]: numeric ${num} vs ${grads[k][i]}`);
      }
    });
  });
}

test('seeded: both learn short inputs; on long inputs attention beats the bottleneck by a wide margin', () => {
  const cfg = { symbols: 8, H: 16, seed: 1 };
  const none = new Seq2seq({ ...cfg, attention: false }), attn = new Seq2seq({ ...cfg, attention: true });
  none.train(1500, 16);
  attn.train(1500, 16);
  const acc = (m: Seq2seq, L: number) => m.accuracy(reverseBatch(L, 64, 8, 999 + L));
  assert.ok(acc(none, 4) > 0.85 && acc(attn, 4) > 0.85, `short: ${acc(none, 4)} / ${acc(attn, 4)}`);
  assert.ok(acc(attn, 12) > acc(none, 12) + 0.25, `length 12: attention ${acc(attn, 12)} vs ${acc(none, 12)}`);
  // Exposure bias: fed the true previous symbols (as in training) the bottleneck model does better
  // than fed its own outputs.
  const b12 = reverseBatch(12, 64, 8, 999 + 12);
  assert.ok(none.teacherForcedAccuracy(b12) > acc(none, 12) + 0.05, `teacher-forced ${none.teacherForcedAccuracy(b12)} vs greedy ${acc(none, 12)}`);
  // Attention weights are distributions over the source.
  const d = attn.decode(reverseBatch(6, 1, 8, 4));
  for (let t = 0; t < 6; t++) assert.ok(Math.abs(d.alpha!.subarray(t * 6, t * 6 + 6).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.equal(none.decode(reverseBatch(6, 1, 8, 4)).alpha, null);
});
