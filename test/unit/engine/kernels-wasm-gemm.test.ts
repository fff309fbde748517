// The wasm backend's products called directly (backends/wasm.ts, gemm.wat), against float64 sums,
// at shapes the register tiles do not divide: A·Bᵀ in 4 × 8 tiles over a packed B (rows, columns and
// the q length not multiples of 4 or 8, q = 1, a single row, leftovers of every kind), Aᵀ·B in 4 × 8
// tiles, with row strides wider than the rows, at offsets, overwriting and accumulating. Each runs on
// the mul + add build and, where this runtime validates it, on the relaxed-SIMD (FMA) build; in a
// runtime without relaxed SIMD that case is skipped and says so (Chromium runs it: test/browser/kernels).
// The bound is float32 summation's: |C - C64| <= 2·n·2^-24·Σ|a·b| (+ 1e-30), which an error in any
// element (a wrong index, a lost leftover) exceeds by orders of magnitude.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmEngine, createWasmWorkspace, hasRelaxedSimd } from '../../../engine/backends/wasm';
import { jsEngine } from '../../../engine/backends/js';
import { maxAbsError, relError } from '../../../engine/compare';
import { randn, randomCase } from '../../fixtures/kernelCase';

const EPS = 2 ** -24;

/** ABt: C[i, k] (+)= Σ_q A[i, q]·B[k, q]; shapes, strides and offsets all given, as the engine calls it. */
function checkAbt(relaxed: boolean, m: number, nb: number, n: number, acc: boolean, seed: number): void {
  const lda = n + (seed % 3), ldb = n + (seed % 5), ldc = nb + (seed % 2) * 3;
  const aOff = seed % 4, bOff = (seed + 1) % 3, cOff = seed % 2;
  const ws = createWasmWorkspace({ relaxedSimd: relaxed });
  const aLen = aOff + m * lda, bLen = bOff + nb * ldb, cLen = cOff + m * ldc;
  ws.reserve(aLen + bLen + cLen + 64, 2 * bLen + 64);
  const A = ws.input(randn(aLen, seed), aLen);
  const Bm = ws.input(randn(bLen, seed + 1), bLen);
  const C0 = randn(cLen, seed + 2);
  const C = ws.input(C0, cLen);
  // Twice: the second call reads the B it packed in the first.
  for (let rep = 0; rep < 2; rep++) {
    C.set(C0);
    ws.abt(A, aOff, lda, m, Bm, bOff, ldb, nb, n, C, cOff, ldc, acc);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < nb; k++) {
        let s = 0, mag = 0;
        for (let q = 0; q < n; q++) {
          const p = A[aOff + i * lda + q] * Bm[bOff + k * ldb + q];
          s += p; mag += Math.abs(p);
        }
        const at = cOff + i * ldc + k;
        const want = acc ? C0[at] + s : s;
        const err = Math.abs(C[at] - want);
        assert.ok(err <= 2 * (n + 1) * EPS * (mag + Math.abs(C0[at])) + 1e-30,
          `abt m=${m} nb=${nb} n=${n} acc=${acc} relaxed=${relaxed} rep ${rep}: C[${i}, ${k}] off by ${err.toExponential(2)}`);
      }
    }
    // Nothing outside the C block moved: the padding columns of each row keep their values.
    for (let i = 0; i < m; i++) for (let k = nb; k < ldc && cOff + i * ldc + k < cLen; k++) assert.equal(C[cOff + i * ldc + k], C0[cOff + i * ldc + k]);
  }
}

/** AtB: C[j, c] (+)= Σ_r A[r, j]·B[r, c] for j < mm, c < nn over `rows` rows. */
function checkAtb(relaxed: boolean, rows: number, mm: number, nn: number, acc: boolean, seed: number): void {
  const lda = mm + (seed % 3), ldb = nn + (seed % 2), ldc = nn + 5;
  const ws = createWasmWorkspace({ relaxedSimd: relaxed });
  const aLen = rows * lda, bLen = rows * ldb, cLen = mm * ldc;
  ws.reserve(aLen + bLen + cLen + 64);
  const A = ws.input(randn(aLen, seed), aLen);
  const Bm = ws.input(randn(bLen, seed + 1), bLen);
  const C0 = randn(cLen, seed + 2);
  const C = ws.input(C0, cLen);
  ws.atb(A, 0, lda, Bm, 0, ldb, rows, mm, nn, C, 0, ldc, acc);
  for (let j = 0; j < mm; j++) {
    for (let c = 0; c < nn; c++) {
      let s = 0, mag = 0;
      for (let r = 0; r < rows; r++) {
        const p = A[r * lda + j] * Bm[r * ldb + c];
        s += p; mag += Math.abs(p);
      }
      const want = acc ? C0[j * ldc + c] + s : s;
      const err = Math.abs(C[j * ldc + c] - want);
      assert.ok(err <= 2 * (rows + 1) * EPS * (mag + Math.abs(C0[j * ldc + c])) + 1e-30,
        `atb rows=${rows} m=${mm} n=${nn} acc=${acc} relaxed=${relaxed}: C[${j}, ${c}] off by ${err.toExponential(2)}`);
    }
  }
}

// m: rows of A (tiles of 4, then single rows); nb: rows of B, C's columns (panels of 8, then the plain
// loops); n: the q length (unrolled by 4, then one at a time).
const ABT_SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 8, 1], [4, 8, 4], [3, 7, 5], [5, 9, 1], [7, 17, 3], [4, 16, 13], [9, 24, 31], [16, 40, 128], [2, 64, 2], [6, 8, 33],
];
const ATB_SHAPES: [number, number, number][] = [[1, 1, 1], [1, 4, 8], [3, 5, 9], [37, 12, 16], [40, 7, 15], [130, 8, 24], [64, 13, 17]];

const builds: [string, boolean, string | false][] = [
  ['mul + add', false, false],
  ['relaxed SIMD', true, hasRelaxedSimd() ? false : 'this runtime does not validate relaxed SIMD (f32x4.relaxed_madd)'],
];

for (const [name, relaxed, skip] of builds) {
  describe(`wasm products, ${name} build`, { skip }, () => {
    it('A·Bᵀ over a packed B equals the float64 sums at shapes the 4 × 8 tile does not divide, q = 1 and single rows included', () => {
      let seed = 100;
      for (const [m, nb, n] of ABT_SHAPES) for (const acc of [false, true]) checkAbt(relaxed, m, nb, n, acc, seed++);
    });
    it('Aᵀ·B equals the float64 sums, leftover rows and columns included', () => {
      let seed = 200;
      for (const [rows, mm, nn] of ATB_SHAPES) for (const acc of [false, true]) checkAtb(relaxed, rows, mm, nn, acc, seed++);
    });
    it('an LSTM forward and backward with H a multiple of 4 (the SIMD cell steps) and without agree with the js backend', () => {
      const wasm = createWasmEngine({ relaxedSimd: relaxed });
      for (const shape of [{ T: 5, B: 3, D: 6, H: 8 }, { T: 4, B: 2, D: 3, H: 7 }, { T: 3, B: 1, D: 1, H: 4 }]) {
        const { p, x, h0, c0, dh } = randomCase('lstm', shape, 31);
        const run = (e: typeof jsEngine) => {
          const f = e.forward('lstm', shape, p, x, { h0, c0 });
          return { f, g: e.backward('lstm', shape, p, x, f, dh) };
        };
        const a = run(wasm), b = run(jsEngine);
        assert.equal(wasm.info.relaxedSimd, relaxed);
        assert.ok(maxAbsError(a.f.h, b.f.h) < 1e-6, `h at ${JSON.stringify(shape)}`);
        assert.ok(maxAbsError(a.f.c!, b.f.c!) < 1e-6, `c at ${JSON.stringify(shape)}`);
        for (const k of ['dW', 'dx', 'db', 'dh0'] as const) assert.ok(relError(a.g[k], b.g[k]) < 1e-5, `${k} at ${JSON.stringify(shape)}`);
      }
    });
  });
}

it('the check can fail: a product off by one element is caught', () => {
  const ws = createWasmWorkspace({ relaxedSimd: false });
  ws.reserve(1024, 1024);
  const A = ws.input(randn(4 * 8, 1), 32), Bm = ws.input(randn(8 * 8, 2), 64), C = ws.alloc(32);
  ws.abt(A, 0, 8, 4, Bm, 0, 8, 8, 8, C, 0, 8, false);
  let s = 0;
  for (let q = 0; q < 8; q++) s += A[q] * Bm[q];
  assert.ok(Math.abs(C[0] - s) < 1e-5);
  assert.ok(Math.abs(C[1] - s) > 1e-3, 'C[0, 1] is another row of B, not a copy of C[0, 0]');
});
