// The CTC demo's recognizer (engine/train/ctcAligner.ts): synthetic utterances, and a
// seeded run that learns to spell its word from unsegmented frames, as the demo says it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapse, greedyDecode, prefixBeamSearch } from '../../../engine/ctc';
import { CtcAligner, FEATURES, alphabetOf, checkWord, utterance } from '../../../engine/train/ctcAligner';

test('utterances: every letter sounds for 2–4 frames, in order, with an onset mark; silence is -1', () => {
  const u = utterance('hello', 3);
  assert.equal(u.features.length, u.T * FEATURES);
  assert.deepEqual(u.target, [1, 2, 3, 3, 4]);
  assert.deepEqual(alphabetOf('hello'), ['∅', 'h', 'e', 'l', 'o']);
  // The frame letters collapse (silence as blank) to the word's letter positions.
  assert.deepEqual(collapse([...u.frameLetter].map((i) => i + 1), 0), [1, 2, 3, 4, 5]);
  const onsets = [...u.frameLetter].filter((i, t) => i >= 0 && u.frameLetter[t - 1] !== i).length;
  assert.equal(onsets, 5);
  assert.equal([...Array(u.T).keys()].filter((t) => u.features[t * FEATURES + FEATURES - 1] === 1).length, 5);
  assert.notDeepEqual(utterance('hello', 4).frameLetter, u.frameLetter);
});

test('the word is checked: letters a–z, 1 to 12', () => {
  assert.equal(checkWord(' Hello '), 'hello');
  for (const bad of ['', 'héllo', 'a b', 'abcdefghijklm', 42]) assert.throws(() => checkWord(bad), RangeError);
});

test('seeded: the GRU trained with CTC alone spells "hello" (double l included) on an utterance it never trained on', () => {
  const a = new CtcAligner('hello', 1);
  const test = utterance('hello', 424242);
  const before = a.evaluate(test).loss;
  a.train(300);
  const r = a.evaluate(test);
  assert.ok(r.loss < before / 10, `loss ${before} → ${r.loss}`);
  const spell = (labels: number[]) => labels.map((k) => a.alphabet[k]).join('');
  assert.equal(spell(greedyDecode(r.logProbs, test.T, a.C).labels), 'hello');
  assert.equal(spell(prefixBeamSearch(r.logProbs, test.T, a.C, 4)[0].labels), 'hello');
});
