// Every backend against PyTorch's own nn.RNN (tanh and relu), nn.LSTM and nn.GRU, forward and
// autograd backward, from the fixtures scripts/torch/cells.py writes (regenerate there): both
// biases (bh is PyTorch's bias_hh), the GRU reset-after as PyTorch computes it. Tolerances as in
// docs/KERNELS.md for the float32 backends (forward < 1e-5 abs, gradients < 1e-4 rel); 1e-9 for the
// float64 reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backward, forward } from '../../../engine/api';
import { maxAbsError, relError } from '../../../engine/compare';
import type { Activation, BackendName, Cell, Shape } from '../../../engine/types';
import { findRepoRoot } from '../../fixtures/repoRoot';

interface TorchCase {
  name: string;
  cell: Cell;
  activation: Activation;
  resetAfter: boolean;
  shape: Shape;
  W: number[];
  b: number[];
  bh?: number[];
  x: number[];
  h0: number[];
  c0?: number[];
  dh: number[];
  dhT: number[];
  dcT?: number[];
  h: number[];
  cT?: number[];
  dW: number[];
  db?: number[];
  dbh?: number[];
  dx: number[];
  dh0: number[];
  dc0?: number[];
}

const file = join(findRepoRoot(__dirname), 'test', 'fixtures', 'torch', 'cells.json');
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: TorchCase[] };

/** Our forward and backward on a case, with the case's options overridden by `over`. */
function ours(c: TorchCase, backend: BackendName, over: { resetAfter?: boolean; bh?: number[] | undefined } = {}) {
  const params = { W: c.W, b: c.b, bh: 'bh' in over ? over.bh : c.bh };
  const resetAfter = over.resetAfter ?? c.resetAfter;
  const f = forward(c.cell, c.shape, params, c.x, { backend, h0: c.h0, c0: c.c0, activation: c.activation, resetAfter });
  const g = backward(c.cell, c.shape, params, c.x, f, c.dh, { backend, dhT: c.dhT, dcT: c.dcT });
  return { f, g };
}

function lastStep(a: ArrayLike<number>, s: Shape): ArrayLike<number> {
  const BH = s.B * s.H;
  return Array.from(a).slice((s.T - 1) * BH);
}

test('the PyTorch fixtures cover every cell, both biases, relu and the reset-after GRU', () => {
  const names = cases.map((c) => `${c.cell}/${c.activation}${c.bh ? '+bh' : ''}${c.resetAfter ? '/after' : ''}`);
  for (const want of ['rnn/tanh+bh', 'rnn/relu+bh', 'rnn/relu', 'lstm/tanh+bh', 'lstm/tanh', 'gru/tanh+bh/after', 'gru/tanh/after']) {
    assert.ok(names.includes(want), `a case ${want} (have ${names.join(', ')})`);
  }
});

const backends: [BackendName, number, number][] = [['reference', 1e-9, 1e-9], ['js', 1e-5, 1e-4], ['wasm', 1e-5, 1e-4], ['gpu', 1e-5, 1e-4]];

for (const [backend, fwdTol, gradTol] of backends) {
  test(`${backend} matches PyTorch on every fixture: h, c_T and every gradient`, () => {
    for (const c of cases) {
      const { f, g } = ours(c, backend);
      const label = `${backend} ${c.name}`;
      const fwd: [string, ArrayLike<number>, ArrayLike<number>][] = [['h', f.h, c.h]];
      if (c.cT) fwd.push(['c_T', lastStep(f.c!, c.shape), c.cT]);
      for (const [name, a, b] of fwd) {
        const e = maxAbsError(a, b);
        assert.ok(e < fwdTol, `${label} ${name}: max abs error ${e.toExponential(2)}`);
      }
      const grads: [string, ArrayLike<number> | undefined, ArrayLike<number> | undefined][] = [
        ['dW', g.dW, c.dW], ['dx', g.dx, c.dx], ['dh0', g.dh0, c.dh0], ['dc0', g.dc0, c.dc0],
      ];
      if (c.db) grads.push(['db', g.db, c.db], ['dbh', g.dbh, c.dbh]);
      else assert.equal(g.dbh, undefined, `${label}: no bh, no dbh`);
      for (const [name, a, b] of grads) {
        assert.equal(a === undefined, b === undefined, `${label} ${name} presence`);
        if (a && b) {
          const e = relError(a, b);
          assert.ok(e < gradTol, `${label} ${name}: relative error ${e.toExponential(2)}`);
        }
      }
    }
  });
}

test('the PyTorch comparison can fail: no bh, or the reset-before GRU, is far from PyTorch', () => {
  for (const c of cases.filter((k) => k.bh)) {
    const noBh = ours(c, 'reference', { bh: undefined });
    assert.ok(maxAbsError(noBh.f.h, c.h) > 1e-3, `${c.name} without bh`);
  }
  for (const c of cases.filter((k) => k.cell === 'gru')) {
    const before = ours(c, 'reference', { resetAfter: false });
    assert.ok(maxAbsError(before.f.h, c.h) > 1e-3, `${c.name} reset-before`);
    assert.equal(before.f.resetAfter, false);
  }
});
