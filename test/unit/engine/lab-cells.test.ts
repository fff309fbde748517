// The forward demo for every cell: the vanilla RNN's pre-activation split as the card writes it
// (W_xh x_t, W_hh h_{t-1}, b_h) and the GRU's update, filled in with the engine's own numbers;
// "Open demo" from the vanilla-RNN and GRU cards opens the forward demo at that cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB_DEFAULTS, type LabViewState } from '../../../protocol';
import { withCardSetting } from '../../../src/lab/cardSettings';
import { forward } from '../../../engine/api';
import { initParams } from '../../../engine/init';
import { gruNumbersTex, gruResidual, rnnNumbersTex, rnnResidual } from '../../../webview/lab/demos/lstm-forward/equations';
import { rnnParts } from '../../../webview/lab/demos/lstm-forward/math';
import { makeInput } from '../../../webview/lab/common/inputs';

const T = 12, D = 3, H = 5;

test('vanilla RNN: tanh(W_xh x_t + W_hh h_{t-1} + b) of the shown parts is the engine\'s h, at every step and unit', () => {
  const input = makeInput('sine', D, T, 2, '');
  const params = initParams('rnn', D, H, { scheme: 'xavier', seed: 2 });
  const r = forward('rnn', { T, B: 1, D, H }, params, input.x, { backend: 'reference' });
  const parts = rnnParts(params, input.x, r.h, r.h0, T, D, H);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      const v = { step: t, unit: j, wx: parts.wx[t * H + j], uh: parts.uh[t * H + j], b: params.b[j], h: r.h[t * H + j] };
      assert.ok(rnnResidual(v) < 1e-12, `t=${t} j=${j}`);
    }
  }
  // At t = 0 there is no previous state: W_hh h_{-1} is 0 with h0 = 0.
  assert.ok(Array.from({ length: H }, (_, j) => parts.uh[j]).every((v) => v === 0));
  const tex = rnnNumbersTex({ step: 3, unit: 1, wx: 0.5, uh: -0.25, b: 0.1, h: Math.tanh(0.35) }).join('\n');
  assert.match(tex, /h_\{3,1\}/);
  assert.match(tex, /0\.500/);
  assert.match(tex, /\(-0\.250\)/);
  assert.match(tex, /\\tanh\(\\htmlClass\{term-a\}\{0\.350\}\) = \\htmlClass\{term-h\}\{0\.336\}/);
});

test('GRU: (1 − z) h_{t-1} + z h̃ with the engine\'s gates is its h (the seed card\'s convention)', () => {
  const input = makeInput('noise', D, T, 4, '');
  const params = initParams('gru', D, H, { scheme: 'xavier', seed: 4 });
  const r = forward('gru', { T, B: 1, D, H }, params, input.x, { backend: 'reference' });
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      const at = (a: ArrayLike<number>) => a[t * H + j];
      const v = { step: t, unit: j, z: at(r.gates.z!), r: at(r.gates.r!), n: at(r.gates.n!), hPrev: t ? r.h[(t - 1) * H + j] : 0, h: at(r.h) };
      assert.ok(gruResidual(v) < 1e-12, `t=${t} j=${j}`);
    }
  }
  const tex = gruNumbersTex({ step: 0, unit: 2, z: 0.25, r: 0.5, n: -0.5, hPrev: 0.2, h: 0.75 * 0.2 + 0.25 * -0.5 }).join('\n');
  assert.match(tex, /\(1 - \\htmlClass\{term-z\}\{0\.250\}\)\\cdot\\htmlClass\{term-hprev\}\{0\.200\}/);
  assert.match(tex, /= \\htmlClass\{term-h\}\{0\.025\}/);
});

test('Open demo from the vanilla-RNN and GRU cards opens the forward demo at that cell; other cards and demos are left alone', () => {
  const base: LabViewState = {
    demo: 'lstm-forward', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train },
  };
  assert.equal(withCardSetting(base, 'vanilla-rnn').forward.cell, 'rnn');
  assert.equal(withCardSetting(base, 'gru-vs-lstm').forward.cell, 'gru');
  assert.equal(withCardSetting({ ...base, forward: { ...base.forward, cell: 'gru' } }, 'lstm-gates').forward.cell, 'lstm');
  assert.equal(withCardSetting(base, 'bptt'), base);
  assert.equal(withCardSetting(base, undefined), base);
  assert.equal(withCardSetting(base, '__proto__'), base);
  const bptt = { ...base, demo: 'bptt' as const };
  assert.equal(withCardSetting(bptt, 'vanilla-rnn'), bptt);
});
