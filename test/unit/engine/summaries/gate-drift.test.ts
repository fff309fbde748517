// gateWeightChanges: per gate, ‖W_g − W_g0‖ / ‖W_g0‖ over the gate's [W_ih | W_hh] rows, in
// PyTorch's letters and order, as the playground plots while it trains a checkpoint's layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateWeightChanges } from '../../../../engine/summaries/diff';
import type { RecurrentLayer } from '../../../../engine/checkpoint/layer';
import { createTrainer } from '../../../../engine/train';

function layer(cell: RecurrentLayer['cell'], D: number, H: number, W: ArrayLike<number>, b: ArrayLike<number>): RecurrentLayer {
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  return { name: '', cell, layer: 0, reverse: false, D, H, params: { W: Float32Array.from(W), b: Float32Array.from(b), bh: new Float32Array(G * H) }, options: {} };
}

test('an RNN gate by hand: W0 = [3, 4], W = [3, 0]: ‖(0, −4)‖ / ‖(3, 4)‖ = 0.8; biases do not count', () => {
  const a = layer('rnn', 1, 1, [3, 4], [1]);
  const b = layer('rnn', 1, 1, [3, 0], [9]);
  assert.deepEqual(gateWeightChanges(a, b), [{ gate: 'h', relChange: 0.8 }]);
});

test('LSTM gates come in PyTorch order, each its own block (engine order f, i, g, o)', () => {
  const D = 1, H = 1, K = D + H;
  const W0 = Float32Array.from({ length: 4 * K }, () => 1);
  const W = W0.slice();
  // Engine block 0 is f: double it.
  W[0] = 2;
  W[1] = 2;
  const r = gateWeightChanges(layer('lstm', D, H, W0, new Float32Array(4)), layer('lstm', D, H, W, new Float32Array(4)));
  assert.deepEqual(r.map((g) => g.gate), ['i', 'f', 'g', 'o']);
  assert.deepEqual(r.map((g) => g.relChange), [0, 1, 0, 0]);
});

test('from a trainer started at a layer: zero at step 0, above zero after training; other sizes are refused', () => {
  const H = 3, D = 2;
  const W0 = Array.from({ length: 3 * H * (D + H) }, (_, i) => Math.cos(i) * 0.4);
  const b0 = new Array<number>(3 * H).fill(0.1);
  const from = layer('gru', D, H, W0, b0);
  const t = createTrainer({ cell: 'gru', H, seed: 1, batch: 4, backend: 'js', task: { kind: 'recall', delay: 2, symbols: 3 }, input: { kind: 'embedding', dim: D }, initial: { W: W0, b: b0 } });
  const now = () => layer('gru', D, H, t.parameters().W, t.parameters().b);
  assert.ok(gateWeightChanges(from, now()).every((g) => g.relChange !== null && g.relChange < 1e-6));
  t.step(10);
  assert.ok(gateWeightChanges(from, now()).every((g) => (g.relChange ?? 0) > 1e-4));
  assert.throws(() => gateWeightChanges(from, layer('gru', D, H + 1, new Array(3 * 4 * 6).fill(0), new Array(12).fill(0))), /^RangeError: gateWeightChanges: the layers differ \(input 2 → 2, hidden 3 → 4\)$/);
});
