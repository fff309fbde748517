// Every message from the quiz view is validated before the host acts on it: well-formed ones
// pass unchanged, anything else is rejected with a reason (never thrown).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, quizViewMessageSchema } from '../../../protocol';

const ok = (raw: unknown) => parseMessage(quizViewMessageSchema, raw);

describe('quiz view -> host messages', () => {
  it('accepts each well-formed message as it is', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'reveal', cardId: 'lstm-gates' },
      { type: 'grade', cardId: 'lstm-gates', rating: 3, shownAt: 1_772_000_000_000 },
      { type: 'undo' },
      { type: 'setFilter', level: 'advanced', tag: null, thisFile: true },
      { type: 'setFilter', level: null, tag: 'lstm', thisFile: false },
      { type: 'backToQueue' },
      { type: 'openDemo', demo: 'bptt' },
      { type: 'openLink', href: 'https://arxiv.org/abs/1503.04069' },
      { type: 'requestStats' },
      { type: 'setDecks', ids: ['foundations', 'practice'] },
      { type: 'setDecks', ids: [] },
    ];
    for (const raw of good) {
      const r = ok(raw);
      assert.ok(r.ok, `${JSON.stringify(raw)}: ${r.ok ? '' : r.reason}`);
      assert.deepEqual(r.msg, raw);
    }
  });

  it('rejects malformed input with a reason', () => {
    const bad: unknown[] = [
      undefined, null, 42, 'ready', [], {},
      { type: 'nope' },
      { type: 'grade', cardId: 'x', rating: 5, shownAt: 1 },
      { type: 'setDecks' },
      { type: 'setDecks', ids: 'practice' },
      { type: 'setDecks', ids: [''] },
      { type: 'setDecks', ids: [7] },
      { type: 'setDecks', ids: Array.from({ length: 21 }, (_, i) => `d${i}`) },
      { type: 'setDecks', ids: ['x'.repeat(101)] },
      { type: 'grade', cardId: 'x', rating: 0, shownAt: 1 },
      { type: 'grade', cardId: 'x', rating: '3', shownAt: 1 },
      { type: 'grade', cardId: 'x', rating: 2.5, shownAt: 1 },
      { type: 'grade', cardId: '', rating: 3, shownAt: 1 },
      { type: 'grade', cardId: 'x', rating: 3 },
      { type: 'grade', cardId: 'x', rating: 3, shownAt: -1 },
      { type: 'grade', cardId: 'x', rating: 3, shownAt: Number.NaN },
      { type: 'grade', cardId: 'x'.repeat(201), rating: 3, shownAt: 1 },
      { type: 'grade', cardId: 'x', rating: 3, shownAt: 1, extra: true },
      { type: 'reveal' },
      { type: 'reveal', cardId: 7 },
      { type: 'setFilter', level: 'advanced', tag: null },
      { type: 'setFilter', level: 1, tag: null, thisFile: false },
      { type: 'openDemo', demo: '' },
      // Free text as a demo id: the host would quote it; a link in it must never reach a notification.
      { type: 'openDemo', demo: '[x](command:workbench.action.terminal.new)' },
      { type: 'openDemo', demo: 'inspect' },
      { type: 'openLink', href: 'not a url' },
      { type: 'openLink', href: 'command:workbench.action.terminal.new' },
      { type: 'openLink', href: 'vscode://ms-python.python/run' },
      { type: 'openLink', href: 'file:///etc/passwd' },
      { type: 'openLink', href: 'http://example.com/' },
      // Deck ids are the known decks only: anything else would be saved into the user's settings.
      { type: 'setDecks', ids: ['evil'] },
      { type: 'setDecks', ids: ['practice', 'x\nforged line'] },
      { type: 'ready', __proto__: { type: 'grade' }, sneaky: 1 },
    ];
    for (const raw of bad) {
      const r = ok(raw);
      assert.equal(r.ok, false, `should reject ${JSON.stringify(raw)}`);
      if (!r.ok) assert.ok(r.reason.length > 0);
    }
  });
});
