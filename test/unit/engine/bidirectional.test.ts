// The Bidirectional RNN demo's model (engine/train/bidirectional.ts): the toy's tags,
// and a seeded run in which the bidirectional GRU tags what comes later and the unidirectional
// one cannot, as the demo says; what each output can see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAG_SYMBOLS, Tagger, tagBatch, tagsOf } from '../../../engine/train/bidirectional';

test('the tag of position t is the symbol two places later, "end" for the last two', () => {
  assert.deepEqual([...tagsOf([0, 1, 2, 3, 1], 5, 1)], [2, 3, 1, 4, 4]);
  const b = tagBatch(6, 3, 9);
  for (let t = 0; t < 4; t++) for (let k = 0; k < 3; k++) assert.equal(b.tags[t * 3 + k], b.symbols[(t + 2) * 3 + k]);
  assert.equal(TAG_SYMBOLS.length, 4);
});

test('seeded: the bidirectional GRU learns the tags (> 95%), the unidirectional stays near chance on them (< 45%)', () => {
  const test = tagBatch(16, 64, 31337);
  const uni = new Tagger(false, 1), bi = new Tagger(true, 1);
  uni.train(400);
  bi.train(400);
  const u = uni.evaluate(test), b = bi.evaluate(test);
  // Positions before the last two: the symbol two places later, which a left-to-right reader has not seen.
  const acc = (pred: Int32Array) => {
    let hit = 0, n = 0;
    for (let r = 0; r < 14 * 64; r++, n++) if (pred[r] === test.tags[r]) hit++;
    return hit / n;
  };
  assert.ok(acc(b.predicted) > 0.95, `bidirectional ${acc(b.predicted)}`);
  assert.ok(acc(u.predicted) < 0.45, `unidirectional ${acc(u.predicted)}`);
  assert.ok(b.accuracy > u.accuracy + 0.4);
});

test('what output t can see: the unidirectional GRU nothing after t, the bidirectional everything', () => {
  const seq = [0, 1, 2, 3, 0, 1, 2, 3];
  const uni = new Tagger(false, 2), bi = new Tagger(true, 2);
  uni.train(20);
  bi.train(20);
  const su = uni.sensitivity(seq, 3), sb = bi.sensitivity(seq, 3);
  for (let s = 0; s <= 3; s++) assert.ok(su[s] > 0, `uni sees ${s}`);
  for (let s = 4; s < 8; s++) assert.equal(su[s], 0, `uni cannot see ${s}`);
  for (let s = 0; s < 8; s++) assert.ok(sb[s] > 0, `bi sees ${s}`);
  assert.throws(() => bi.sensitivity(seq, 8), RangeError);
});
