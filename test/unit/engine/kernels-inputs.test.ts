// lab-core checks its inputs and says what is wrong, in one line, on every backend: each test
// starts from a bad argument a caller could pass (from JavaScript, where the types do not hold)
// and checks the error's kind and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as labCore from '../../../engine';
import {
  type BackendName, type Cell, type ForwardOptions, type Params, type Shape, type Vec, MAX_ORTHOGONAL_H, MAX_SEQUENCE_FLOATS,
  MAX_SPECTRAL_RADIUS_H, MAX_WEIGHT_FLOATS,
} from '../../../engine/types';

const backends: BackendName[] = ['reference', 'js', 'wasm', 'gpu'];
const shape: Shape = { T: 3, B: 2, D: 2, H: 3 };
const x = new Float32Array(3 * 2 * 2).fill(0.5);
const dh = new Float32Array(3 * 2 * 3).fill(1);
const paramsOf = (cell: Cell): Params => labCore.initParams(cell, 2, 3, { scheme: 'xavier', seed: 1 });

/** fn must throw `kind` with a one-line message matching `message`. */
function throwsOneLine(fn: () => unknown, kind: typeof TypeError | typeof RangeError, message: RegExp, label: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof kind, `${label}: ${kind.name} expected, got ${String(e)}`);
    assert.match(e.message, message, label);
    assert.ok(!e.message.includes('\n'), `${label}: one line`);
    return true;
  });
}

// A caller's wrong values, typed as what the API says so the test can pass them.
const as = <T>(v: unknown): T => v as T;

for (const backend of backends) {
  const fwd = (cell: Cell, s: unknown, p: unknown, xv: unknown, opts: ForwardOptions = {}) =>
    labCore.forward(cell, as<Shape>(s), as<Params>(p), as<Vec>(xv), { ...opts, backend });

  test(`${backend}: a shape without B, or with a bad size, is named`, () => {
    throwsOneLine(() => fwd('lstm', { T: 3, D: 2, H: 3 }, paramsOf('lstm'), x), RangeError, /^shape\.B must be a positive integer, got undefined$/, 'no B');
    throwsOneLine(() => fwd('rnn', { ...shape, H: 2.5 }, paramsOf('rnn'), x), RangeError, /^shape\.H must be a positive integer, got 2\.5$/, 'H 2.5');
    throwsOneLine(() => fwd('gru', { ...shape, T: '3' }, paramsOf('gru'), x), RangeError, /^shape\.T must be a positive integer, got '3'$/, 'T string');
  });

  test(`${backend}: null shape, params, x or options are named`, () => {
    throwsOneLine(() => fwd('gru', null, paramsOf('gru'), x), TypeError, /^shape must be an object \{ T, B, D, H \}, got null$/, 'shape');
    throwsOneLine(() => fwd('gru', shape, null, x), TypeError, /^params must be an object \{ W, b, bh\? \}, got null$/, 'params');
    throwsOneLine(() => fwd('gru', shape, { W: paramsOf('gru').W, b: null }, x), TypeError, /^b must be an array of numbers, got null$/, 'b');
    throwsOneLine(() => fwd('gru', shape, paramsOf('gru'), 5), TypeError, /^x must be an array of numbers, got 5$/, 'x');
    throwsOneLine(() => labCore.forward('gru', shape, paramsOf('gru'), x, as<ForwardOptions>(null)), TypeError, /^options must be an object, got null$/, 'opts');
    throwsOneLine(() => fwd('lstm', shape, { ...paramsOf('lstm'), bh: new Float32Array(3) }, x), RangeError, /^bh must hold 4·H = 12 numbers, got 3$/, 'bh');
    throwsOneLine(() => fwd(as<Cell>('elman'), shape, paramsOf('rnn'), x), RangeError, /^unknown cell 'elman' \(rnn, lstm or gru\)$/, 'cell');
  });

  test(`${backend}: an unknown activation or a non-boolean resetAfter is refused`, () => {
    throwsOneLine(() => fwd('rnn', shape, paramsOf('rnn'), x, { activation: as<'tanh'>('sigmoid') }), RangeError,
      /^unknown activation 'sigmoid' \(tanh, relu or linear\)$/, 'activation');
    throwsOneLine(() => fwd('gru', shape, paramsOf('gru'), x, { resetAfter: as<boolean>('yes') }), TypeError,
      /^resetAfter must be true or false, got 'yes'$/, 'resetAfter');
    const f = fwd('rnn', shape, paramsOf('rnn'), x);
    throwsOneLine(() => labCore.backward('rnn', shape, paramsOf('rnn'), x, f, dh, { backend, activation: as<'tanh'>('gelu') }), RangeError,
      /^unknown activation 'gelu'/, 'backward activation');
  });

  test(`${backend}: a forward result from another shape or cell is refused, not read as NaN`, () => {
    const p = paramsOf('lstm');
    const other = labCore.forward('lstm', { ...shape, T: 2 }, p, x.subarray(0, 8), { backend });
    throwsOneLine(() => labCore.backward('lstm', shape, p, x, other, dh, { backend }), RangeError,
      /^fwd\.h holds 12 numbers, not T·B·H = 18: a forward result from another shape or cell\?$/, 'shorter T');
    const gru = labCore.forward('gru', shape, paramsOf('gru'), x, { backend });
    throwsOneLine(() => labCore.backward('lstm', shape, p, x, gru, dh, { backend }), TypeError,
      /^fwd\.c must be an array of numbers, got undefined$/, 'gru result into lstm');
    throwsOneLine(() => labCore.backward('lstm', shape, p, x, as<never>(null), dh, { backend }), TypeError, /^fwd must be a forward result, got null$/, 'null fwd');
    throwsOneLine(() => labCore.backward('lstm', shape, p, x, labCore.forward('lstm', shape, p, x, { backend }), dh.subarray(1), { backend }),
      RangeError, /^dh must hold T·B·H = 18 numbers, got 17$/, 'dh');
  });

  test(`${backend}: sizes above the documented caps get a RangeError before anything is allocated`, () => {
    const big = Math.floor(MAX_SEQUENCE_FLOATS / 2) + 1;
    throwsOneLine(() => fwd('rnn', { T: big, B: 2, D: 1, H: 1 }, { W: [0, 0], b: [0] }, []), RangeError,
      new RegExp(`^T·B·H = ${2 * big} is above the cap of ${MAX_SEQUENCE_FLOATS}$`), 'T·B·H');
    const H = 1100;
    throwsOneLine(() => fwd('lstm', { T: 1, B: 1, D: 1, H }, { W: [], b: [] }, [0]), RangeError,
      new RegExp(`^G·H·\\(D\\+H\\) = ${4 * H * (H + 1)} weights is above the cap of ${MAX_WEIGHT_FLOATS}$`), 'W');
  });
}

test('initParams: a bad cell, size, seed or scheme is named, and the O(H³) inits are capped', () => {
  throwsOneLine(() => labCore.initParams('gru', 2, 0, { scheme: 'xavier', seed: 1 }), RangeError, /^D and H must be positive integers, got D = 2, H = 0$/, 'H');
  throwsOneLine(() => labCore.initParams('gru', 2, 3, as<never>(null)), TypeError, /^init options must be an object/, 'opts');
  throwsOneLine(() => labCore.initParams('gru', 2, 3, { scheme: as<'xavier'>('he'), seed: 1 }), RangeError, /^unknown scheme 'he'/, 'scheme');
  throwsOneLine(() => labCore.initParams('gru', 2, 3, { scheme: 'xavier', seed: as<number>(undefined) }), TypeError, /^seed must be a finite number, got undefined$/, 'seed');
  throwsOneLine(() => labCore.initParams('rnn', 1, MAX_ORTHOGONAL_H + 1, { scheme: 'orthogonal', seed: 1 }), RangeError,
    new RegExp(`^orthogonal init is capped at H = ${MAX_ORTHOGONAL_H} \\(its QR is O\\(H³\\)\\), got H = ${MAX_ORTHOGONAL_H + 1}$`), 'orthogonal');
  throwsOneLine(() => labCore.initParams('rnn', 1, MAX_SPECTRAL_RADIUS_H + 1, { scheme: 'gaussian', seed: 1, spectralRadius: 1 }), RangeError,
    new RegExp(`^a spectralRadius target for gaussian init is capped at H = ${MAX_SPECTRAL_RADIUS_H} `), 'spectral radius');
  throwsOneLine(() => labCore.initParams('lstm', 10, 1100, { scheme: 'gaussian', seed: 1 }), RangeError, /weights is above the cap/, 'W');
  // Just under the caps still works.
  assert.equal(labCore.initParams('rnn', 1, 64, { scheme: 'orthogonal', seed: 1 }).W.length, 64 * 65);
});

test('spectralNorm and clipGlobalNorm name bad arguments', () => {
  throwsOneLine(() => labCore.spectralNorm([1, 2], -1, 2), RangeError, /^rows and cols must be integers >= 0, got -1 and 2$/, 'rows');
  throwsOneLine(() => labCore.spectralNorm(as<number[]>(null), 1, 1), TypeError, /^matrix must be an array of numbers, got null$/, 'matrix');
  throwsOneLine(() => labCore.clipGlobalNorm([new Float32Array(2)], NaN), RangeError, /^maxNorm must be a number >= 0, got NaN$/, 'maxNorm');
  throwsOneLine(() => labCore.clipGlobalNorm(as<Float32Array>(null), 1), TypeError, /^grads must be an array or an object of arrays, got null$/, 'grads');
});
