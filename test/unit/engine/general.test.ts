// The general forward (engine/general.ts): projections and hard-sigmoid gates on every backend
// name, float64 for `reference`; its input checks; backward refused in one line. Its agreement
// with PyTorch and TF.js is checked on their checkpoints (test/unit/engine/checkpoint/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backward, forward } from '../../../engine/api';
import { mulberry32 } from '../../../engine/init';
import { memoryBias } from '../../../engine/summaries/inspect';

const rnd = mulberry32(5);
const fill = (n: number) => Float32Array.from({ length: n }, () => rnd() - 0.5);
const shape = { T: 4, B: 2, D: 3, H: 5 };
const P = 2;
const params = { W: fill(20 * (3 + P)), b: fill(20), bh: fill(20), Wr: fill(P * 5) };
const x = fill(4 * 2 * 3);

describe('general forward', () => {
  it('a projection LSTM gives h of (T, B, P) and c of (T, B, H), the same on every backend name', () => {
    const ref = forward('lstm', shape, params, x, { projSize: P, backend: 'reference' });
    assert.ok(ref.h instanceof Float64Array);
    assert.deepEqual([ref.h.length, ref.c?.length], [4 * 2 * P, 4 * 2 * 5]);
    for (const backend of ['js', 'wasm', 'gpu'] as const) {
      const got = forward('lstm', shape, params, x, { projSize: P, backend });
      assert.ok(got.h instanceof Float32Array);
      for (let k = 0; k < ref.h.length; k++) assert.ok(Math.abs(got.h[k] - ref.h[k]) < 1e-6, `${backend} h[${k}]`);
    }
  });

  it('hard-sigmoid gates saturate at exactly 0 and 1 where 0.2·a + 0.5 leaves [0, 1]', () => {
    const big = { W: new Float32Array(3 * 5 * (3 + 5)).fill(4), b: new Float32Array(15), bh: new Float32Array(15) };
    // Inputs of ±1: batch row 0 sums to −1 or −3 per step (a ≤ −4: z = 0), row 1 to +1 or +3 (z = 1).
    const signs = Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => (Math.floor(i / 3) % 2 ? 1 : -1));
    const r = forward('gru', shape, big, signs, { recurrentActivation: 'hardSigmoid', resetAfter: true });
    const z = Array.from(r.gates.z!);
    assert.ok(z.some((v) => v === 1) && z.some((v) => v === 0), 'some gates clip to 1 and some to 0');
    assert.ok(z.every((v) => v >= 0 && v <= 1));
  });

  it('checks its inputs in one line, and refuses backward', () => {
    const bad = (opts: object, p: object = params, pattern: RegExp) => assert.throws(() => forward('lstm', shape, p as typeof params, x, opts), pattern);
    bad({ projSize: 5 }, params, /projSize must be an integer in \[1, H\), got 5/);
    bad({ projSize: 2 }, { ...params, Wr: fill(3) }, /Wr must hold P·H = 10 numbers, got 3/);
    bad({ projSize: 2 }, { ...params, W: fill(7) }, /W must hold 4·H·\(D\+P\) = 100 numbers, got 7/);
    bad({ recurrentActivation: 'relu6' }, params, /unknown recurrentActivation 'relu6' \(sigmoid or hardSigmoid\)/);
    assert.throws(() => forward('gru', shape, params, x, { projSize: 2 }), /projSize is an LSTM's/);
    const fwd = forward('lstm', shape, params, x, { projSize: P });
    assert.throws(() => backward('lstm', shape, params, x, fwd, null, { projSize: P } as object), /forward only/);
  });

  it("the inspector's memory sentence uses the layer's own gate function", () => {
    const H = 2;
    const layer = { cell: 'lstm' as const, D: 1, H, params: { W: new Float32Array(4 * H * (1 + H)), b: Float32Array.from([1, 1, 0, 0, 0, 0, 0, 0]), bh: new Float32Array(4 * H) } };
    assert.match(memoryBias(layer)!.sentence, /^mean forget-gate bias 1\.00 → σ ≈ 0\.73 kept/);
    assert.match(memoryBias({ ...layer, options: { recurrentActivation: 'hardSigmoid' } })!.sentence, /^mean forget-gate bias 1\.00 → hard σ ≈ 0\.70 kept/);
  });
});
