// CTC (engine/ctc.ts): against PyTorch's ctc_loss and autograd (fixtures from
// scripts/torch/ctc.py), against a brute-force sum over every frame path on tiny cases, against
// central differences; the decoders on hand-made cases; hostile inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bestAlignment, collapse, ctc, greedyDecode, logSoftmaxRows, minFrames, prefixBeamSearch,
} from '../../../engine/ctc';
import { mulberry32 } from '../../../engine/init';
import { ctc as ctcFromCore } from '../../../engine';
import { findRepoRoot } from '../../fixtures/repoRoot';

interface TorchSide { loss: number | 'Infinity'; dLogits: (number | 'NaN')[] }
interface CtcCase {
  name: string; T: number; C: number; blank: number; target: number[]; logits: number[];
  torch: TorchSide; zeroInfinity?: TorchSide;
}
const fixtures = JSON.parse(readFileSync(join(findRepoRoot(__dirname), 'test', 'fixtures', 'torch', 'ctc.json'), 'utf8')) as { cases: CtcCase[] };

const randomLogits = (n: number, seed: number, scale = 2) => {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => (r() * 2 - 1) * scale);
};

test('ctc equals PyTorch ctc_loss (reduction=sum) and its gradient, blank anywhere, repeats, T=400', () => {
  assert.ok(fixtures.cases.length >= 8);
  for (const c of fixtures.cases) {
    const r = ctc(c.logits, c.T, c.C, c.target, { blank: c.blank });
    if (c.torch.loss === 'Infinity') {
      // PyTorch: zero_infinity=False gives loss inf and a NaN gradient; zero_infinity=True gives
      // loss 0 and a zero gradient. The engine keeps the honest Infinity and the usable zero gradient.
      assert.equal(r.loss, Infinity, c.name);
      assert.ok(c.torch.dLogits.every((g) => g === 'NaN'), `${c.name}: PyTorch's gradient is NaN`);
      assert.deepEqual([...r.dLogits], c.zeroInfinity?.dLogits, `${c.name}: zero gradient as zero_infinity=True`);
      continue;
    }
    const rel = Math.abs(r.loss - c.torch.loss) / Math.abs(c.torch.loss);
    assert.ok(rel < 1e-6, `${c.name}: loss ${r.loss} vs torch ${c.torch.loss}`);
    let worst = 0;
    c.torch.dLogits.forEach((g, i) => { worst = Math.max(worst, Math.abs(r.dLogits[i] - (g as number))); });
    assert.ok(worst < 1e-5, `${c.name}: gradient off by ${worst}`);
  }
});

test('dist/lab-core exports ctc (the same function)', () => {
  assert.equal(ctcFromCore, ctc);
});

/** Every one of the C^T frame paths, summed by the label sequence it collapses to. */
function bruteForce(logits: number[], T: number, C: number, target: number[], blank: number): number {
  const lp = logSoftmaxRows(logits, T, C);
  let p = 0;
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < C ** T; n++) {
    let m = n, lg = 0;
    for (let t = 0; t < T; t++) { path[t] = m % C; m = Math.floor(m / C); lg += lp[t * C + path[t]]; }
    const labels = collapse(path, blank);
    if (labels.length === target.length && labels.every((k, i) => k === target[i])) p += Math.exp(lg);
  }
  return -Math.log(p);
}

test('ctc equals the brute-force sum over all alignments (tiny cases, repeats, every blank)', () => {
  const cases: [number, number, number, number[]][] = [
    [4, 3, 0, [1, 2]], [5, 3, 0, [1, 1]], [3, 3, 0, [1, 1]], [6, 4, 3, [0, 0, 1]],
    [5, 4, 1, [2, 3, 2]], [4, 2, 0, []], [1, 3, 2, [0]], [6, 3, 1, [2, 2, 2]],
  ];
  cases.forEach(([T, C, blank, target], i) => {
    const logits = randomLogits(T * C, 100 + i);
    const r = ctc(logits, T, C, target, { blank });
    const b = bruteForce(logits, T, C, target, blank);
    assert.ok(Math.abs(r.loss - b) / b < 1e-12, `case ${i}: ${r.loss} vs brute force ${b}`);
  });
});

test('an impossible target (repeats need blanks) is loss Infinity and a zero gradient, never NaN', () => {
  assert.equal(minFrames([1, 1, 1]), 5);
  assert.equal(minFrames([1, 2, 3]), 3);
  const logits = randomLogits(4 * 3, 7);
  const r = ctc(logits, 4, 3, [1, 1, 1]);
  assert.equal(r.loss, Infinity);
  assert.ok(r.dLogits.every((g) => g === 0));
  // One more frame makes it possible: exactly one alignment (1, 0, 1, 0, 1).
  const ok = ctc(randomLogits(5 * 3, 7), 5, 3, [1, 1, 1]);
  assert.ok(Number.isFinite(ok.loss));
  assert.equal(bruteForce(randomLogits(5 * 3, 7), 5, 3, [1, 1, 1], 0).toFixed(9), ok.loss.toFixed(9));
});

test('ctc gradient matches central differences', () => {
  const T = 7, C = 4, target = [1, 3, 3, 2];
  const logits = randomLogits(T * C, 42);
  const r = ctc(logits, T, C, target, { blank: 0 });
  const eps = 1e-5;
  for (let i = 0; i < T * C; i++) {
    const up = logits.slice(), dn = logits.slice();
    up[i] += eps;
    dn[i] -= eps;
    const num = (ctc(up, T, C, target).loss - ctc(dn, T, C, target).loss) / (2 * eps);
    assert.ok(Math.abs(num - r.dLogits[i]) < 1e-7, `logit ${i}: numeric ${num} vs ${r.dLogits[i]}`);
  }
});

test('α·β: every frame carries the whole probability (Σ_s α β / y = p), each gradient row sums to 0', () => {
  const T = 30, C = 5, target = [1, 2, 2, 4, 1];
  const r = ctc(randomLogits(T * C, 9, 3), T, C, target);
  const S = r.extended.length;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < S; j++) s += Math.exp(r.alpha[t * S + j] + r.beta[t * S + j] - r.logProbs[t * C + r.extended[j]]);
    assert.ok(Math.abs(-Math.log(s) - r.loss) < 1e-9, `frame ${t}`);
    let g = 0;
    for (let k = 0; k < C; k++) g += r.dLogits[t * C + k];
    assert.ok(Math.abs(g) < 1e-12);
  }
});

test('stable for T = 2000 with a long target: finite loss, finite gradient', () => {
  const T = 2000, C = 20;
  const target = Array.from({ length: 600 }, (_, i) => 1 + ((i * 7) % 19));
  const r = ctc(randomLogits(T * C, 3, 8), T, C, target);
  assert.ok(Number.isFinite(r.loss) && r.loss > 0);
  assert.ok(r.dLogits.every(Number.isFinite));
});

test('collapse: merge repeats, drop blanks; a blank between repeats keeps them', () => {
  assert.deepEqual(collapse([0, 1, 1, 0, 0, 2, 2, 2, 0]), [1, 2]);
  assert.deepEqual(collapse([1, 1, 0, 1]), [1, 1]);
  assert.deepEqual(collapse([1, 1, 1]), [1]);
  assert.deepEqual(collapse([3, 3, 0, 0], 3), [0]);
  assert.deepEqual(collapse([]), []);
});

test('greedy decoding takes each frame\'s argmax and collapses it', () => {
  const lp = [
    [0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.1, 0.7], [0.6, 0.2, 0.2],
  ].flat().map(Math.log);
  const g = greedyDecode(lp, 6, 3);
  assert.deepEqual(g.path, [1, 1, 0, 1, 2, 0]);
  assert.deepEqual(g.labels, [1, 1, 2]);
});

test('prefix beam search sums alignments: it finds the label sequence best-path decoding misses', () => {
  // Two frames over {blank, a}: best path is (blank, blank) → "" with 0.36, but "a" has
  // (a,a) + (a,blank) + (blank,a) = 0.16 + 0.24 + 0.24 = 0.64.
  const lp = [0.6, 0.4, 0.6, 0.4].map(Math.log);
  assert.deepEqual(greedyDecode(lp, 2, 2).labels, []);
  const beams = prefixBeamSearch(lp, 2, 2, 4);
  assert.deepEqual(beams[0].labels, [1]);
  assert.ok(Math.abs(Math.exp(beams[0].logProb) - 0.64) < 1e-12);
  assert.deepEqual(beams[1].labels, []);
  assert.ok(Math.abs(Math.exp(beams[1].logProb) - 0.36) < 1e-12);
  // With the beam as wide as it needs, every prefix's probability equals exp(−ctc loss).
  const T = 5, C = 3;
  const logits = randomLogits(T * C, 5);
  const lps = logSoftmaxRows(logits, T, C);
  for (const h of prefixBeamSearch(lps, T, C, 64)) {
    assert.ok(Math.abs(h.logProb + ctc(logits, T, C, h.labels).loss) < 1e-9, `prefix ${h.labels.join(',')}`);
  }
  // A blank other than 0.
  assert.deepEqual(prefixBeamSearch([0.4, 0.6, 0.4, 0.6].map(Math.log), 2, 2, 4, 1)[0].labels, [0]);
});

test('bestAlignment is the most probable single path through the lattice and collapses to the target', () => {
  const T = 9, C = 4, target = [2, 2, 3];
  const logits = randomLogits(T * C, 11);
  const lp = logSoftmaxRows(logits, T, C);
  const path = bestAlignment(lp, T, C, target);
  const ext = ctc(logits, T, C, target).extended;
  assert.deepEqual(collapse(path.map((s) => ext[s])), target);
  const score = (p: number[]) => p.reduce((a, s, t) => a + lp[t * C + ext[s]], 0);
  // No other valid path scores higher: check against every frame path that collapses to the target.
  let best = -Infinity;
  const p = new Array<number>(T).fill(0);
  for (let n = 0; n < C ** T; n++) {
    let m = n, lg = 0;
    for (let t = 0; t < T; t++) { p[t] = m % C; m = Math.floor(m / C); lg += lp[t * C + p[t]]; }
    const l = collapse(p);
    if (l.length === 3 && l[0] === 2 && l[1] === 2 && l[2] === 3) best = Math.max(best, lg);
  }
  assert.ok(Math.abs(score(path) - best) < 1e-12);
  assert.deepEqual(bestAlignment(lp.slice(0, 2 * C), 2, C, [1, 1, 1]), []);
});

test('hostile inputs get a one-line RangeError', () => {
  const bad: [string, () => unknown][] = [
    ['T', () => ctc([1, 2], 0, 2, [])],
    ['entries', () => ctc([1, 2, 3], 2, 2, [1])],
    ['finite', () => ctc([1, NaN], 1, 2, [1])],
    ['finite', () => ctc([1, Infinity], 1, 2, [1])],
    ['blank', () => ctc([1, 2], 1, 2, [0])],
    ['target\\[0\\]', () => ctc([1, 2], 1, 2, [5])],
    ['blank', () => ctc([1, 2], 1, 2, [1], { blank: 2 })],
    ['target must be an array', () => ctc([1, 2], 1, 2, 'ab' as unknown as number[])],
    ['T', () => ctc([], 20_000, 2, [])],
    ['beamWidth', () => prefixBeamSearch([0, 0], 1, 2, 0)],
    ['T·C', () => ctc({ length: 5000 * 4000 } as ArrayLike<number>, 5000, 4000, [])],
  ];
  for (const [word, f] of bad) {
    assert.throws(f, (e: unknown) => e instanceof RangeError && new RegExp(word).test(e.message) && !e.message.includes('\n'), word);
  }
});
