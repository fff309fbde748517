// The stacked character LM (engine/train/charlm.ts): seeded and deterministic per backend, it
// learns a small text, its samples repeat under a seed, the exported weights carry the
// vocabulary, and every bound is a one-line RangeError.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportCharModel } from '../../../engine/export';
import { CHAR_LM_DEFAULTS, type CharLMConfig, createCharLM, sampleChars } from '../../../engine/train/charlm';
import { evalLoss } from '../../../engine/train/charNet';
import { OTHER_SYMBOL } from '../../../engine/train/tasks';
import { findRepoRoot } from '../../fixtures/repoRoot';

const TEXT = readFileSync(join(findRepoRoot(__dirname), 'test', 'fixtures', 'charlm', 'text.txt'), 'utf8');
const small = (o: Partial<CharLMConfig> = {}): CharLMConfig => ({
  ...CHAR_LM_DEFAULTS, text: TEXT, H: 16, layers: 2, embedding: 8, batch: 4, bptt: 16, lr: 0.01, backend: 'js', ...o,
});

describe('char LM: training', () => {
  it('the same seed gives the same losses and weights on js and on wasm; another seed does not', () => {
    for (const backend of ['js', 'wasm'] as const) {
      const a = createCharLM(small({ backend }));
      const b = createCharLM(small({ backend }));
      const la = [a.step(5).loss, a.step(5).loss];
      const lb = [b.step(5).loss, b.step(5).loss];
      assert.deepEqual(la, lb);
      assert.deepEqual(Array.from(a.weights().layers[1].W), Array.from(b.weights().layers[1].W));
      assert.notEqual(createCharLM(small({ backend, seed: 2 })).step(5).loss, la[0]);
    }
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: 150 updates take the loss over the text well below the letter-count level`, () => {
      const lm = createCharLM(small({ cell, layers: 1, H: 32, batch: 8 }));
      const before = evalLoss(lm.weights(), TEXT);
      assert.ok(Math.abs(before - Math.log(lm.vocab.length)) < 0.05, `untrained ${before} ≈ ln V`);
      lm.step(150);
      const after = evalLoss(lm.weights(), TEXT);
      assert.equal(lm.steps, 150);
      assert.ok(after < 2.6, `${cell}: ${after} nats per character after 150 updates`);
    });
  }

  it('samples repeat under a seed, use only the vocabulary, and temperature 0 is the argmax path', () => {
    const lm = createCharLM(small());
    lm.step(30);
    const s = lm.sample(60, 1, 7);
    assert.equal([...s].length, 60);
    assert.equal(lm.sample(60, 1, 7), s);
    assert.ok([...s].every((ch) => lm.vocab.includes(ch)));
    const w = lm.weights();
    assert.equal(sampleChars(w, 20, 0, 1, 'the '), sampleChars(w, 20, 0, 99, 'the '));
  });

  it('the weights export with the vocabulary; a capped vocabulary ends with the other symbol', () => {
    const lm = createCharLM(small({ vocabulary: 10 }));
    assert.equal(lm.vocab.length, 10);
    assert.equal(lm.vocab.at(-1), OTHER_SYMBOL);
    const bytes = exportCharModel(lm.weights());
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const meta = (JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as { __metadata__: Record<string, string> }).__metadata__;
    assert.deepEqual(JSON.parse(meta.vocab), lm.vocab);
    assert.equal(meta.nlayers, '2');
    // Characters outside the cap read as the other symbol: the loss is still defined.
    assert.ok(Number.isFinite(evalLoss(lm.weights(), 'zebra quagga')));
  });
});

describe('char LM: bounds', () => {
  it('refuses each bad setting with one line', () => {
    for (const [o, pattern] of [
      [{ H: 257 }, /^H must be an integer from 1 to 256, got 257$/],
      [{ layers: 5 }, /^layers must be an integer from 1 to 4, got 5$/],
      [{ layers: 0 }, /^layers must be an integer from 1 to 4/],
      [{ cell: 'tcn' }, /^unknown cell 'tcn'/],
      [{ bptt: 1000, batch: 512, H: 256 }, /^bptt·batch·H must be at most 1048576/],
      [{ lr: 0 }, /^lr must be a number > 0/],
      [{ vocabulary: 1 }, /^vocabulary must be an integer from 2 to 256/],
      [{ text: 'x'.repeat(1_000_001) }, /^the text has more than 1000000 characters$/],
      [{ text: 'short' }, /^task\.text is too short/],
      [{ backend: 'gpu' }, /^backend must be js or wasm/],
    ] as [Partial<CharLMConfig>, RegExp][]) {
      assert.throws(() => createCharLM(small(o)), (e: Error) => e instanceof RangeError && pattern.test(e.message) && !e.message.includes('\n'), JSON.stringify(o).slice(0, 60));
    }
    const lm = createCharLM(small());
    assert.throws(() => lm.step(0), /^RangeError: step\(n\): n must be an integer from 1/);
    assert.throws(() => lm.sample(-1), /sample: n must be an integer from 0 to 10000/);
    assert.throws(() => evalLoss(lm.weights(), 'a'), /at least 2 characters/);
  });
});
