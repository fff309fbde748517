// The character model's pure parts: the features of the text and the units that track them, the
// text's statistics (the "other" symbol, ln V, the unigram entropy), the bounds on its text and on
// the export message, and the weights → CharModelWeights → safetensors round trip (the inspector
// reads back the layer `rnn`, and its forward is the view's own, GRU included).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forward } from '../../../../engine/api';
import { readCheckpoint } from '../../../../engine/checkpoint';
import { exportCharModel } from '../../../../engine/export';
import { encodeFloat32 } from '../../../../engine/floats';
import { createTrainer } from '../../../../engine/train';
import { textCharacters } from '../../../../engine/train/tasks';
import { CHAR_LIMITS, LAB_DEFAULTS, charExportSchema, labViewMessageSchema, parseMessage, type CharControls } from '../../../../protocol';
import { charExportName, charTextProblem, charWeights } from '../../../../src/lab/charModel';
import {
  charNeedsRestart, charShape, charTrainerConfig, correlation, exportMessage, hiddenStates, textFeatures, textStats, trackingUnits,
} from '../../../../webview/lab/demos/char/math';

const CODE = 'def f(x):\n    s = "a(b\\"c"\n    return g([x, \'y\'])\n';
const TEXT = CODE.repeat(40);

describe('features of the text', () => {
  it('marks quoted strings, the line\'s indentation and the bracket depth outside strings', () => {
    const chars = textCharacters(CODE);
    const f = textFeatures(chars);
    const at = (needle: string, from = 0) => CODE.indexOf(needle, from);
    // Inside "a(b\"c": the escaped quote does not close it, the ( inside it is no bracket.
    const open = at('"');
    const close = at('"\n');
    for (let t = open; t <= close; t++) assert.equal(f.string[t], 1, `string at ${t}`);
    assert.equal(f.string[close + 1], 0);
    assert.equal(f.brackets[at('(b')], 0);
    assert.equal(f.indent[at('def')], 0);
    assert.equal(f.indent[at('s =')], 4);
    assert.equal(f.indent[at('return')], 4);
    // g([x, 'y']): depth 1 after (, 2 after [, back to 0 after the closing ).
    assert.equal(f.brackets[at('([')], 1);
    assert.equal(f.brackets[at('[x')], 2);
    assert.equal(f.string[at("'y'") + 1], 1);
    assert.equal(f.brackets[at('])') + 1], 0);
    assert.equal(f.brackets[at('(x)')], 1);
    assert.equal(f.brackets[at('(x)') + 2], 0);
  });

  it('correlates each unit with a feature; picks the unit with the largest |r|; null where nothing varies', () => {
    const f = [0, 1, 2, 3, 4, 5];
    const H = 3;
    // Unit 0 is noise-like, unit 1 is −f (r = −1), unit 2 is constant.
    const h = new Float64Array(f.length * H);
    f.forEach((v, t) => {
      h[t * H] = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2][t];
      h[t * H + 1] = -0.1 * v;
      h[t * H + 2] = 0.7;
    });
    assert.ok(Math.abs(correlation(h, H, 1, f)! + 1) < 1e-12);
    assert.equal(correlation(h, H, 2, f), null);
    assert.equal(correlation(h, H, 0, [1, 1, 1, 1, 1, 1]), null);
    const best = trackingUnits(h, H, { string: f, indent: [2, 2, 2, 2, 2, 2], brackets: [3, -2, 5, 1, -4, 2] });
    assert.equal(best[0].feature, 'string');
    assert.equal(best[0].unit, 1);
    assert.ok(Math.abs(best[0].r! + 1) < 1e-12);
    assert.deepEqual(best[1], { feature: 'indent' }, 'a feature that does not vary has no unit');
    assert.equal(best[2].unit, 0);
    assert.ok(Math.abs(best[2].r! - 1) < 1e-12);
  });
});

describe('the text and its bounds', () => {
  it('measures ln V and the unigram entropy; over the vocabulary cap the rarest share "other", and says how many', () => {
    const s = textStats('aabb');
    assert.deepEqual(s.symbols, ['a', 'b']);
    assert.ok(Math.abs(s.uniform - Math.log(2)) < 1e-12);
    assert.ok(Math.abs(s.unigram - Math.log(2)) < 1e-12);
    assert.equal(s.shareOther, 0);
    // 120 distinct characters, the first 20 ten times more frequent than the rest.
    const many = Array.from({ length: 120 }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(i < 20 ? 10 : 1)).join('');
    const m = textStats(many);
    assert.equal(m.symbols.length, CHAR_LIMITS.vocabulary);
    assert.equal(m.distinct, 120);
    assert.equal(m.shareOther, 120 - (CHAR_LIMITS.vocabulary - 1));
    assert.ok(m.unigram < m.uniform);
  });

  it('refuses an empty text and one over the size cap, on one line naming the size, the cap and the selection', () => {
    assert.equal(charTextProblem(10, 'a.py', false), undefined);
    assert.equal(charTextProblem(CHAR_LIMITS.text + 1, 'big.log', false),
      'RNN Lens: big.log has 200,001 characters; a character model trains on at most 200,000. Select a part of it and run the command again.');
    assert.match(charTextProblem(0, 'a.py', true)!, /^RNN Lens: The selection in a\.py is empty/);
    assert.equal(charShape(33), 'The text has 33 characters; a character model needs at least 34.');
    assert.deepEqual(charShape(34), { T: 16, batch: 1 });
    assert.deepEqual(charShape(TEXT.length), { T: 32, batch: 8 });
    assert.deepEqual(charShape(300), { T: 16, batch: 8 });
  });

  it('names the export beside the source, <name>.char-<cell>.safetensors', () => {
    assert.equal(charExportName('char_lstm.py', 'lstm'), 'char_lstm.char-lstm.safetensors');
    assert.equal(charExportName('README', 'gru'), 'README.char-gru.safetensors');
    assert.equal(charExportName('.bashrc', 'rnn'), 'model.char-rnn.safetensors');
  });

  it('restarts for the model\'s settings, not for play/pause, temperature or the unit shown', () => {
    const c = LAB_DEFAULTS.char;
    for (const patch of [{ cell: 'gru' }, { H: 32 }, { embedding: 8 }, { lr: 0.002 }, { seed: 2 }] as Partial<CharControls>[]) assert.ok(charNeedsRestart(c, { ...c, ...patch }));
    for (const patch of [{ running: false }, { temperature: 1.5 }, { unit: 3 }] as Partial<CharControls>[]) assert.equal(charNeedsRestart(c, { ...c, ...patch }), false);
  });
});

function trained(cell: CharControls['cell']) {
  const c: CharControls = { ...LAB_DEFAULTS.char, cell, H: 12, embedding: 6, seed: 3 };
  const shape = charShape(TEXT.length) as { T: number; batch: number };
  const trainer = createTrainer(charTrainerConfig(c, TEXT, { ...shape, batch: 4 }, 'js'));
  trainer.step(3);
  const symbols = textStats(TEXT).symbols;
  return { c, trainer, symbols, msg: exportMessage(c, trainer.parameters(), symbols, trainer.steps) };
}

describe('the export message', () => {
  it('is accepted as the view builds it, and bounded: vocabulary, sizes, tensor lengths, base64 only', () => {
    const { msg } = trained('lstm');
    assert.ok(parseMessage(labViewMessageSchema, msg).ok);
    const bad = (patch: Record<string, unknown>) => parseMessage(charExportSchema, { ...msg, ...patch }).ok;
    assert.equal(bad({ vocab: Array.from({ length: CHAR_LIMITS.vocabulary + 1 }, (_, i) => String.fromCharCode(33 + i)) }), false);
    assert.equal(bad({ vocab: ['a'] }), false);
    assert.equal(bad({ vocab: ['abc', 'd'] }), false);
    assert.equal(bad({ H: CHAR_LIMITS.H + 1 }), false);
    assert.equal(bad({ embeddingDim: 1 }), false);
    assert.equal(bad({ cell: 'transformer' }), false);
    assert.equal(bad({ W: 'not base64!' }), false);
    assert.equal(bad({ W: 'A'.repeat(4 * 1024 * 1024) }), false);
    assert.equal(bad({ extra: 1 }), false);
  });

  it('reads back as CharModelWeights equal to the trainer\'s parameters; sizes that do not match are refused', () => {
    const { trainer, msg, symbols } = trained('lstm');
    const w = charWeights(msg);
    assert.ok(typeof w !== 'string', String(w));
    const p = trainer.parameters();
    assert.deepEqual(w.vocab, symbols);
    assert.deepEqual([w.cell, w.H, w.embeddingDim, w.layers.length], ['lstm', 12, 6, 1]);
    assert.deepEqual(Array.from(w.layers[0].W), Array.from(Float32Array.from(p.W)));
    assert.deepEqual(Array.from(w.E), Array.from(Float32Array.from(p.E!)));
    assert.deepEqual(Array.from(w.c), Array.from(Float32Array.from(p.c)));
    assert.match(charWeights({ ...msg, H: 13 }) as string, /^W is not [\d,]+ float32 values \(lstm, vocabulary \d+, embedding 6, H 13\)$/);
    assert.equal(charWeights({ ...msg, vocab: [...msg.vocab.slice(0, -1), msg.vocab[0]] }), 'the vocabulary lists a character twice');
    assert.equal(charWeights({ ...msg, c: encodeFloat32(new Float32Array(msg.vocab.length).fill(Number.NaN)) }), 'c holds a value that is not finite');
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: the safetensors reads back as layer rnn whose forward is the view's hidden states`, () => {
      const { c, trainer, msg, symbols } = trained(cell);
      const w = charWeights(msg);
      assert.ok(typeof w !== 'string');
      const read = readCheckpoint(exportCharModel(w), `x.char-${cell}.safetensors`);
      assert.equal(read.layers.length, 1);
      const layer = read.layers[0];
      assert.deepEqual([layer.name, layer.cell, layer.layer, layer.D, layer.H], ['rnn', cell, 0, 6, 12]);
      const chars = textCharacters(TEXT.slice(0, 80));
      const h = hiddenStates(c, trainer.parameters(), chars, symbols);
      const p = trainer.parameters();
      const ids = chars.map((ch) => symbols.indexOf(ch));
      const x = new Float32Array(ids.length * 6);
      ids.forEach((id, t) => x.set(p.E!.subarray(id * 6, id * 6 + 6), t * 6));
      const again = forward(cell, { T: chars.length, B: 1, D: 6, H: 12 }, layer.params, x, { ...layer.options, backend: 'js' }).h;
      let err = 0;
      for (let i = 0; i < h.length; i++) err = Math.max(err, Math.abs(h[i] - again[i]));
      assert.ok(err < 1e-5, `the checkpoint's forward matches the view's (max |Δh| ${err})`);
    });
  }
});
