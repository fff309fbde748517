// src/l10n.ts: the pure modules' l10n.t formats English as vscode.l10n.t does until activate()
// installs vscode.l10n.t, and from then on their messages go through the installed translator.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { english, l10n, setTranslator } from '../../../src/l10n';
import { noTermsMessage } from '../../../src/quiz/notices';
import { unreadableReason } from '../../../src/lab/readableFile';

describe('l10n for pure modules', () => {
  afterEach(() => setTranslator(undefined));

  it('formats {n} with the n-th argument, and leaves a placeholder without one as it is', () => {
    assert.equal(english('{1} before {0}, {0} again', 'a', 2), '2 before a, a again');
    assert.equal(english('no {0} here {1}', true), 'no true here {1}');
    assert.equal(l10n.t('RNN Lens: {0} cards loaded.', 13), 'RNN Lens: 13 cards loaded.');
  });

  it('sends the pure modules\' messages through the installed translator', () => {
    const asked: string[] = [];
    setTranslator((message, ...args) => {
      asked.push(message);
      return `[de] ${english(message, ...args)}`;
    });
    // (escapeNotification breaks the bracket pair with a zero-width space, so it cannot become a link.)
    assert.match(noTermsMessage('notes.md'), /^\[de\]\u200b? RNN Lens: no RNN terms from the deck appear in notes\.md\.$/);
    assert.equal(unreadableReason({ type: 2, size: 0 }, 10), '[de] it is a folder');
    assert.deepEqual(asked, ['RNN Lens: no RNN terms from the deck appear in {0}.', 'it is a folder']);
    setTranslator(undefined);
    assert.equal(unreadableReason({ type: 2, size: 0 }, 10), 'it is a folder');
  });
});
