// Every backend against the float64 reference (docs/KERNELS.md): forward max abs error < 1e-5,
// gradients relative error < 1e-4, on random cases up to T = 64, H = 128. In Node the gpu
// backend is GPU.js's cpu mode; test/browser/ runs the same kernels on webgl2. The wasm backend
// runs the js backend's loops with SIMD products over whole register blocks (4 rows × 8 columns over
// a packed B, 4 × 8 for the weight gradient) and the plain loops for what is left over, so its cases also
// take shapes where every product has leftovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backward, forward } from '../../../engine/api';
import { maxAbsError, relError } from '../../../engine/compare';
import { createGpuEngine } from '../../../engine/backends/gpu';
import { initParams } from '../../../engine/init';
import * as labCore from '../../../engine';
import type { Activation, BackendName, BackwardResult, Cell, ForwardResult, Shape } from '../../../engine/types';
import { randn, randomCase } from '../../fixtures/kernelCase';

interface Run { f: ForwardResult; g: BackwardResult }

/** PyTorch's variants: a recurrent bias bh, and the GRU's reset-after candidate. */
interface Variant { bh?: boolean; resetAfter?: boolean }

function variantName(cell: Cell, v: Variant): string {
  return `${v.bh ? '+bh' : ''}${v.resetAfter && cell === 'gru' ? '/reset-after' : ''}`;
}

function runOne(backend: BackendName, cell: Cell, shape: Shape, act: Activation, seed: number, truncate?: number, v: Variant = {}): Run {
  const { B, H } = shape;
  const { p, x, h0, c0, dh, bh } = randomCase(cell, shape, seed);
  const params = v.bh ? { ...p, bh } : p;
  const f = forward(cell, shape, params, x, { backend, h0, c0, activation: act, resetAfter: v.resetAfter });
  const g = backward(cell, shape, params, x, f, dh, {
    backend, truncate, dhT: randn(B * H, seed + 5), dcT: randn(B * H, seed + 6),
  });
  return { f, g };
}

function compare(label: string, got: Run, ref: Run, cell: Cell): void {
  assert.ok(!(got.f.h instanceof Float64Array), `${label}: a fast backend returns Float32Array`);
  const fwd: [string, ArrayLike<number> | undefined, ArrayLike<number> | undefined][] = [['h', got.f.h, ref.f.h], ['c', got.f.c, ref.f.c]];
  for (const k of ['f', 'i', 'g', 'o', 'z', 'r', 'n'] as const) fwd.push([k, got.f.gates[k], ref.f.gates[k]]);
  for (const [name, a, b] of fwd) {
    assert.equal(a === undefined, b === undefined, `${label} ${name} presence`);
    if (a && b) {
      const e = maxAbsError(a, b);
      assert.ok(e < 1e-5, `${label} forward ${name}: max abs error ${e.toExponential(2)}`);
    }
  }
  const grads: [string, ArrayLike<number>, ArrayLike<number>][] = [
    ['dW', got.g.dW, ref.g.dW], ['db', got.g.db, ref.g.db], ['dx', got.g.dx, ref.g.dx],
    ['dh0', got.g.dh0, ref.g.dh0], ['gradNorm', got.g.gradNorm, ref.g.gradNorm],
  ];
  assert.equal(got.g.dbh === undefined, ref.g.dbh === undefined, `${label} dbh presence`);
  if (ref.g.dbh) grads.push(['dbh', got.g.dbh!, ref.g.dbh]);
  if (cell === 'lstm') grads.push(['dc0', got.g.dc0!, ref.g.dc0!]);
  for (const [name, a, b] of grads) {
    const e = relError(a, b);
    assert.ok(e < 1e-4, `${label} ${name}: relative error ${e.toExponential(2)}`);
  }
}

const cells: [Cell, Activation][] = [['rnn', 'tanh'], ['rnn', 'relu'], ['rnn', 'linear'], ['lstm', 'tanh'], ['gru', 'tanh']];

/**
 * Random shapes up to the given T, B, D, H, every cell, with and without truncation, with and
 * without PyTorch's recurrent bias bh and, for the GRU, its reset-after candidate.
 */
function agreesOnRandomCases(backend: BackendName, max: Shape, numRuns: number, seed: number): void {
  fc.assert(fc.property(
    fc.constantFrom(...cells), fc.integer({ min: 1, max: max.T }), fc.integer({ min: 1, max: max.B }),
    fc.integer({ min: 1, max: max.D }), fc.integer({ min: 1, max: max.H }), fc.integer({ min: 0, max: 4 }), fc.integer(),
    fc.boolean(), fc.boolean(),
    ([cell, act], T, B, D, H, k, caseSeed, bh, resetAfter) => {
      const shape = { T, B, D, H };
      const truncate = k === 0 ? undefined : k;
      const v = { bh, resetAfter };
      compare(`${backend} ${cell}/${act}${variantName(cell, v)} ${JSON.stringify(shape)} k=${k}`,
        runOne(backend, cell, shape, act, caseSeed, truncate, v), runOne('reference', cell, shape, act, caseSeed, truncate, v), cell);
    }), { numRuns, seed });
}

for (const backend of ['js', 'wasm', 'gpu'] as const) {
  test(`${backend} agrees with reference on random small cases (every cell, with and without truncation)`, () => {
    agreesOnRandomCases(backend, { T: 9, B: 3, D: 5, H: 9 }, 40, 20261124);
  });
}

test('wasm agrees with reference where products split into SIMD blocks and leftovers', () => {
  agreesOnRandomCases('wasm', { T: 6, B: 7, D: 13, H: 21 }, 60, 20261125);
});

// The big cases: few, since GPU.js's cpu mode is slow, but at the sizes the issue names.
const big: [BackendName, Cell, Shape, number | undefined][] = [
  ['js', 'lstm', { T: 64, B: 2, D: 8, H: 128 }, undefined],
  ['js', 'gru', { T: 64, B: 2, D: 8, H: 128 }, 16],
  ['js', 'rnn', { T: 64, B: 3, D: 8, H: 128 }, undefined],
  ['wasm', 'lstm', { T: 64, B: 16, D: 32, H: 128 }, undefined],
  ['wasm', 'gru', { T: 64, B: 5, D: 12, H: 100 }, 16],
  ['wasm', 'rnn', { T: 64, B: 7, D: 9, H: 128 }, 10],
  ['gpu', 'lstm', { T: 64, B: 1, D: 8, H: 128 }, 20],
  ['gpu', 'gru', { T: 48, B: 1, D: 4, H: 96 }, undefined],
];
for (const [backend, cell, shape, truncate] of big) {
  test(`${backend} agrees with reference: ${cell} T=${shape.T} B=${shape.B} D=${shape.D} H=${shape.H}${truncate ? ` k=${truncate}` : ''}`, () => {
    compare(`${backend} ${cell}`, runOne(backend, cell, shape, 'tanh', 77, truncate), runOne('reference', cell, shape, 'tanh', 77, truncate), cell);
  });
}
for (const backend of ['js', 'wasm'] as const) {
  test(`${backend} agrees with reference: PyTorch's GRU (bh, reset-after) T=64 B=6 D=12 H=100`, () => {
    const shape = { T: 64, B: 6, D: 12, H: 100 };
    const v = { bh: true, resetAfter: true };
    compare(`${backend} gru+bh/reset-after`, runOne(backend, 'gru', shape, 'tanh', 78, undefined, v),
      runOne('reference', 'gru', shape, 'tanh', 78, undefined, v), 'gru');
  });
}

test('the agreement check can fail: a perturbed weight is caught', () => {
  const shape = { T: 8, B: 2, D: 3, H: 5 };
  const p = initParams('lstm', 3, 5, { scheme: 'xavier', seed: 1 });
  const x = randn(48, 2);
  const a = forward('lstm', shape, p, x, { backend: 'js' });
  const q = { W: p.W.slice(), b: p.b };
  q.W[7] += 1e-3;
  const b = forward('lstm', shape, q, x, { backend: 'reference' });
  assert.ok(maxAbsError(a.h, b.h) > 1e-5);
});

test('wasm results belong to the caller: later calls, larger or smaller, leave them as they were', () => {
  const small = { T: 6, B: 4, D: 8, H: 16 };
  const large = { T: 40, B: 8, D: 16, H: 64 };
  const first = runOne('wasm', 'lstm', small, 'tanh', 5);
  const kept = { h: first.f.h.slice(), dW: first.g.dW.slice(), dx: first.g.dx.slice() };
  // A larger call moves the engine to a new, larger memory; a smaller one reuses it.
  runOne('wasm', 'lstm', large, 'tanh', 6);
  const again = runOne('wasm', 'lstm', small, 'tanh', 7);
  assert.deepEqual(first.f.h, kept.h);
  assert.deepEqual(first.g.dW, kept.dW);
  assert.deepEqual(first.g.dx, kept.dx);
  assert.notDeepEqual(again.f.h, kept.h, 'a different case gives different h');
  compare('wasm after growth', runOne('wasm', 'gru', small, 'tanh', 8, 3), runOne('reference', 'gru', small, 'tanh', 8, 3), 'gru');
});

test('gpu backend: results do not depend on earlier calls, whose rows stay in its reused textures', () => {
  // Every kernel renders into the same texture on each call, and a chunk's first pass copies
  // rows from the previous call: a leak of those rows into a result would show up here.
  const eng = createGpuEngine('cpu');
  // Forward chunks of 8 steps at these batch sizes (chunkSteps) and backward chunks of 4
  // (backSteps), with partial chunks at the end.
  const shapes = [{ T: 11, B: 2, D: 3, H: 32 }, { T: 5, B: 3, D: 2, H: 48 }, { T: 5, B: 1, D: 4, H: 3 }];
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const once = (shape: (typeof shapes)[number], seed: number) => {
      const p = initParams(cell, shape.D, shape.H, { scheme: 'orthogonal', seed });
      const x = randn(shape.T * shape.B * shape.D, seed + 1);
      const f = eng.forward(cell, shape, p, x);
      const g = eng.backward(cell, shape, p, x, f, randn(shape.T * shape.B * shape.H, seed + 2), { truncate: 4 });
      return { h: Array.from(f.h), dW: Array.from(g.dW), dx: Array.from(g.dx), dh0: Array.from(g.dh0), gradNorm: Array.from(g.gradNorm) };
    };
    const first = once(shapes[0], 2);
    once(shapes[0], 7);
    // Two more shapes push the first out of the engine's kernel cache and back in.
    once(shapes[1], 3);
    once(shapes[2], 4);
    assert.deepEqual(once(shapes[0], 2), first, cell);
    const s0 = shapes[0];
    const p = initParams(cell, s0.D, s0.H, { scheme: 'orthogonal', seed: 2 });
    const x = randn(s0.T * s0.B * s0.D, 3);
    const f = forward(cell, s0, p, x, { backend: 'reference' });
    const ref = backward(cell, s0, p, x, f, randn(s0.T * s0.B * s0.H, 4), { truncate: 4, backend: 'reference' });
    assert.ok(maxAbsError(first.h, f.h) < 1e-5, `${cell}: h against the reference`);
    assert.ok(relError(first.dW, ref.dW) < 1e-4, `${cell}: dW against the reference`);
  }
  eng.dispose?.();
});

test('labCore exports exactly the five functions, the trainer, the checkpoint reader and CTC, and js is the default backend', () => {
  assert.deepEqual(Object.keys(labCore).sort(), [
    'CheckpointError', 'TRAIN_DEFAULTS', 'TRAIN_LIMITS', 'backward', 'bestAlignment', 'clipGlobalNorm', 'collapse', 'createTrainer', 'ctc',
    'forward', 'greedyDecode', 'initParams', 'logSoftmaxRows', 'prefixBeamSearch', 'readCheckpoint', 'spectralNorm',
  ]);
  const shape = { T: 3, B: 1, D: 2, H: 2 };
  const p = labCore.initParams('gru', 2, 2, { scheme: 'gaussian', seed: 1 });
  const f = labCore.forward('gru', shape, p, new Float32Array(6).fill(0.5));
  assert.ok(f.h instanceof Float32Array);
  assert.deepEqual(Object.keys(f.gates).sort(), ['n', 'r', 'z']);
  const g = labCore.backward('gru', shape, p, new Float32Array(6).fill(0.5), f, new Float32Array(6).fill(1));
  assert.ok(g.dW instanceof Float32Array && g.gradNorm.length === 3 && g.dc0 === undefined);
  const r = labCore.forward('lstm', shape, labCore.initParams('lstm', 2, 2, { scheme: 'xavier', seed: 1 }),
    new Float32Array(6), { backend: 'reference' });
  assert.ok(r.h instanceof Float64Array && r.c instanceof Float64Array);
  assert.throws(() => labCore.forward('gru', shape, p, new Float32Array(6), { backend: 'nope' as BackendName }), RangeError);
});
