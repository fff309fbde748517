// Pure pieces of the lab view: colour maps, the decay-rate fit and the overlays beside the BPTT
// curves, the LSTM equations with numbers, the input presets, the log-axis range.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorFor, diverging, sequential, symmetricLimit } from '../../../../webview/ui/render/colormap';
import { boundCurve, fitDecayRate, forLogAxis, forgetProduct, recurrentBlock, sig } from '../../../../engine/summaries/bptt';
import { fmt, lstmEquationsTex, lstmNumbersTex, lstmResidual } from '../../../../webview/lab/demos/lstm-forward/equations';
import { makeInput } from '../../../../webview/lab/common/inputs';
import { opaque } from '../../../../webview/ui/render/theme';

const lum = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('colour maps', () => {
  it('sequential (gates): dark when closed, bright when open, monotone in brightness, clamped', () => {
    let last = -1;
    for (let k = 0; k <= 10; k++) {
      const l = lum(sequential(k / 10));
      assert.ok(l > last, `brightness increases at ${k / 10}`);
      last = l;
    }
    assert.deepEqual(sequential(-3), sequential(0));
    assert.deepEqual(sequential(7), sequential(1));
    assert.deepEqual(sequential(NaN), sequential(0));
  });

  it('diverging (states): blue below zero, near-white at zero, red above, symmetric range', () => {
    const [r0, g0, b0] = diverging(0);
    assert.ok(r0 > 230 && g0 > 230 && b0 > 230, 'zero is near white');
    const neg = diverging(-1);
    const pos = diverging(1);
    assert.ok(neg[2] > neg[0], 'negative is blue');
    assert.ok(pos[0] > pos[2], 'positive is red');
    assert.deepEqual(diverging(5, 10), diverging(0.5, 1));
    assert.deepEqual(colorFor({ kind: 'diverging', limit: 2 }, -2), diverging(-1));
    assert.equal(symmetricLimit([0.2, -3, 1, NaN]), 3);
  });
});

describe('BPTT numbers', () => {
  it('fits the per-step decay of a geometric curve exactly', () => {
    const g = Array.from({ length: 20 }, (_, t) => 5 * 0.8 ** (19 - t));
    const fit = fitDecayRate(g)!;
    assert.ok(Math.abs(fit.rate - 0.8) < 1e-12, `rate ${fit.rate}`);
    assert.equal(fit.points, 20);
    const up = fitDecayRate(Array.from({ length: 10 }, (_, t) => 1.5 ** (9 - t)))!;
    assert.ok(Math.abs(up.rate - 1.5) < 1e-12, 'growing going back (exploding) has a rate above 1');
  });

  it('ignores zeros and non-finite points, and needs two points', () => {
    const g = [0, 0, NaN, 0.25, 0.5, 1];
    assert.ok(Math.abs(fitDecayRate(g)!.rate - 0.5) < 1e-12);
    assert.equal(fitDecayRate([0, 0, 1]), undefined);
    assert.ok(Math.abs(fitDecayRate(g, 4, 5)!.rate - 0.5) < 1e-12, 'a window');
  });

  it('draws the bound (γσ)^(T−1−t) through the last point', () => {
    const b = boundCurve(0.5, 1, 4, 2);
    assert.deepEqual(b, [0.25, 0.5, 1, 2]);
  });

  it('takes the mean over units of the forget-gate product along the path', () => {
    // T = 3, H = 2: rows are steps. At t the path runs through f_{t+1} ... f_{T-1}.
    const f = [0.1, 0.2, 0.5, 1, 0.8, 0.6];
    const p = forgetProduct(f, 3, 2, 2);
    assert.deepEqual(p.map((v) => +v.toFixed(12)), [2 * ((0.5 * 0.8 + 1 * 0.6) / 2), 2 * ((0.8 + 0.6) / 2), 2]);
  });

  it('cuts W_hh out of the fused W (columns D..D+H−1)', () => {
    const D = 2;
    const H = 2;
    const W = [1, 2, 3, 4, 5, 6, 7, 8]; // (H, D+H) = rows [1 2 | 3 4], [5 6 | 7 8]
    assert.deepEqual([...recurrentBlock(W, D, H)], [3, 4, 7, 8]);
  });

  it('leaves gaps where a log axis cannot draw', () => {
    assert.deepEqual(forLogAxis([1, 0, -1, Infinity, NaN, 1e-40, 1e40, 2e-3]), [1, null, null, null, null, null, null, 2e-3]);
    assert.equal(sig(0.000012345), '1.23e-5');
    assert.equal(sig(0.5), '0.500');
  });
});

describe('LSTM equations with numbers', () => {
  const v = { step: 3, unit: 1, f: 0.75, i: 0.5, g: -0.25, o: 0.9, cPrev: 0.2, c: 0.75 * 0.2 + 0.5 * -0.25, h: 0 };
  v.h = v.o * Math.tanh(v.c);

  it('formats numbers with 3 decimals, no negative zero, non-finite readable', () => {
    assert.equal(fmt(0.12345), '0.123');
    assert.equal(fmt(-0.0001), '0.000');
    assert.equal(fmt(-1.5), '-1.500');
    assert.equal(fmt(NaN), '\\text{NaN}');
  });

  it('substitutes the unit and step, in the card’s gate order, with each term marked for highlighting', () => {
    const lines = lstmNumbersTex(v);
    assert.equal(lines.length, 3);
    assert.match(lines[0], /f_\{3,1\} = 0\.750.*i_\{3,1\} = 0\.500.*g_\{3,1\} = -0\.250.*o_\{3,1\} = 0\.900/);
    assert.ok(lines[1].includes('\\htmlClass{term-f}{0.750}\\cdot\\htmlClass{term-cprev}{0.200}'));
    assert.ok(lines[1].includes('\\htmlClass{term-g}{(-0.250)}'), 'negative factors get parentheses');
    assert.ok(lines[1].endsWith(`\\htmlClass{term-c}{${fmt(v.c)}}`));
    assert.ok(lines[2].endsWith(`\\htmlClass{term-h}{${fmt(v.h)}}`));
    assert.ok(lstmResidual(v) < 1e-12);
    for (const t of ['f', 'i', 'g', 'o', 'c', 'h']) assert.ok(lstmEquationsTex().join(' ').includes(`term-${t}`), t);
  });
});

describe('input presets', () => {
  it('are seeded, sized (T, D) and labelled per step', () => {
    for (const preset of ['sine', 'square', 'noise', 'copy'] as const) {
      const a = makeInput(preset, 5, 12, 7);
      const b = makeInput(preset, 5, 12, 7);
      assert.equal(a.x.length, 12 * 5, preset);
      assert.equal(a.labels.length, 12);
      assert.deepEqual(a.x, b.x, `${preset} is deterministic`);
    }
    assert.notDeepEqual(makeInput('noise', 5, 12, 1).x, makeInput('noise', 5, 12, 2).x);
  });

  it('copy task: one-hot rows, symbols then blanks and a delimiter', () => {
    const s = makeInput('copy', 6, 16, 3);
    for (let t = 0; t < 16; t++) {
      const row = [...s.x.slice(t * 6, t * 6 + 6)];
      assert.equal(row.reduce((a, b) => a + b, 0), 1, `row ${t} is one-hot`);
    }
    assert.ok(s.labels.includes('⏎'));
    assert.match(s.labels[0], /[A-Z]/);
  });

  it('"type a word": one step per character, one-hot by character code', () => {
    const s = makeInput('word', 8, 99, 1, 'hi a');
    assert.equal(s.T, 4);
    assert.deepEqual(s.labels, ['h', 'i', '␣', 'a']);
    assert.equal(s.x['h'.charCodeAt(0) % 8], 1);
  });
});

describe('series colours are drawn opaque', () => {
  it('drops the alpha of #rgba, #rrggbbaa and rgba(); keeps other colours', () => {
    for (const [input, expected] of [
      ['#d186167e', '#d18616'],
      ['#f808', '#f80'],
      ['rgba(209, 134, 22, 0.5)', 'rgb(209, 134, 22)'],
      ['rgb(209 134 22 / 50%)', 'rgb(209, 134, 22)'],
      ['#1a85ff', '#1a85ff'],
      ['orange', 'orange'],
    ]) assert.equal(opaque(input), expected);
  });
});
