// The Character Model's loop (webview/lab/demos/char/loop.ts), which runs in the lab's Worker and,
// where none starts, on the page: its replies to each command, the generations that drop a late
// command, a text that cannot train, and playing in slices. In Node, on js and wasm.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAB_DEFAULTS, charCommandSchema, charReplySchema, parseMessage, type CharCommand, type CharReply } from '../../../../protocol';
import { createTrainer } from '../../../../engine/train';
import { CharLoop, UNIT_CHARS } from '../../../../webview/lab/demos/char/loop';
import { charShape, charTrainerConfig } from '../../../../webview/lab/demos/char/math';

const TEXT = 'def f(x):\n    return (x + 1) * "two"\n\n'.repeat(80);
const controls = { ...LAB_DEFAULTS.char, H: 12, embedding: 6, seed: 3, running: false };

function loop(): { loop: CharLoop; replies: CharReply[] } {
  const replies: CharReply[] = [];
  return { loop: new CharLoop((r) => replies.push(r)), replies };
}

const send = (l: CharLoop, cmd: CharCommand) => {
  // What the Worker does first: a command is checked before the loop sees it.
  const checked = parseMessage(charCommandSchema, cmd);
  assert.ok(checked.ok, checked.ok ? '' : checked.reason);
  l.handle(checked.msg);
};

describe('the character model loop', () => {
  for (const backend of ['js', 'wasm'] as const) {
    it(`on ${backend}: steps, the held-out loss and the sample are the trainer's own`, () => {
      const { loop: l, replies } = loop();
      send(l, { type: 'start', gen: 1, controls, text: TEXT, backend });
      assert.deepEqual(replies.shift(), { type: 'started', gen: 1, backend });
      send(l, { type: 'step', gen: 1, n: 5 });
      send(l, { type: 'refresh', gen: 1, what: 'held', temperature: 0.8 });
      send(l, { type: 'refresh', gen: 1, what: 'sample', temperature: 0.8 });
      for (const r of replies) assert.ok(parseMessage(charReplySchema, r).ok, r.type);

      const t = createTrainer(charTrainerConfig(controls, TEXT, charShape(TEXT.length) as { T: number; batch: number }, backend));
      let sum = 0;
      for (let k = 0; k < 5; k++) sum += t.step(1).loss;
      const [progress, held, sample] = replies;
      assert.equal(progress.type === 'progress' && progress.step, 5);
      assert.ok(progress.type === 'progress' && Math.abs(progress.lossSum - sum) < 1e-9 && progress.lossN === 5);
      assert.deepEqual(held, { type: 'held', gen: 1, step: 5, loss: t.evaluate(2).loss });
      assert.deepEqual(sample, { type: 'sample', gen: 1, step: 5, text: t.sample(200, 0.8), temperature: 0.8 });
    });
  }

  it('sends the hidden units over the text and the parameters as Float32Arrays', () => {
    const { loop: l, replies } = loop();
    send(l, { type: 'start', gen: 2, controls, text: TEXT, backend: 'js' });
    send(l, { type: 'refresh', gen: 2, what: 'units', temperature: 1 });
    send(l, { type: 'parameters', gen: 2 });
    const units = replies.find((r) => r.type === 'units');
    assert.ok(units?.type === 'units');
    assert.equal(units.n, Math.min(UNIT_CHARS, TEXT.length));
    assert.ok(units.h instanceof Float32Array && units.h.length === units.n * controls.H);
    assert.deepEqual(units.tracking.map((u) => u.feature), ['string', 'indent', 'brackets']);
    const p = replies.find((r) => r.type === 'parameters');
    assert.ok(p?.type === 'parameters');
    assert.equal(p.W.length, 4 * controls.H * (controls.embedding + controls.H));
    assert.ok(p.E instanceof Float32Array && p.E.length % controls.embedding === 0);
  });

  it('drops commands of an older run and a start that is not newer', () => {
    const { loop: l, replies } = loop();
    send(l, { type: 'start', gen: 3, controls, text: TEXT, backend: 'js' });
    send(l, { type: 'start', gen: 3, controls: { ...controls, seed: 9 }, text: TEXT, backend: 'js' });
    send(l, { type: 'step', gen: 2, n: 4 });
    assert.deepEqual(replies.map((r) => r.type), ['started']);
    send(l, { type: 'step', gen: 3, n: 2 });
    const last = replies.at(-1);
    assert.ok(last?.type === 'progress' && last.gen === 3 && last.step === 2, JSON.stringify(last));
  });

  it('says in one line why a text cannot train, and then answers nothing for that run', () => {
    const { loop: l, replies } = loop();
    send(l, { type: 'start', gen: 1, controls, text: 'abc', backend: 'js' });
    assert.equal(replies.length, 1);
    const r = replies[0];
    assert.ok(r.type === 'failed' && /^The text has 3 characters; a character model needs at least \d+\.$/.test(r.message), JSON.stringify(r));
    send(l, { type: 'step', gen: 1, n: 1 });
    assert.equal(replies.length, 1);
  });

  it('plays in slices of at least one step while playing, and not once paused', () => {
    const { loop: l, replies } = loop();
    send(l, { type: 'start', gen: 1, controls, text: TEXT, backend: 'js' });
    assert.equal(l.playing, false);
    l.slice(5, () => 0);
    assert.equal(replies.length, 1, 'a paused run does not train');
    send(l, { type: 'run', gen: 1, running: true });
    assert.equal(l.playing, true);
    // A clock that never moves: the budget gives the first slice one step, and every slice at least one.
    l.slice(5, () => 0);
    l.slice(5, () => 0);
    const last = replies.at(-1);
    assert.ok(last?.type === 'progress' && last.step >= 2 && last.running, JSON.stringify(last));
    send(l, { type: 'run', gen: 1, running: false });
    const stopped = replies.length;
    l.slice(5, () => 0);
    assert.equal(replies.length, stopped);
  });

  it('refuses a command with a step count out of bounds before the loop sees it', () => {
    assert.equal(parseMessage(charCommandSchema, { type: 'step', gen: 1, n: 1e9 }).ok, false);
    assert.equal(parseMessage(charCommandSchema, { type: 'start', gen: 1, controls, text: 'x'.repeat(400_001) }).ok, false);
  });
});
