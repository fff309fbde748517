// Review progress from bad data, in the real VS Code: a progress file whose card was last
// reviewed in the future (another machine's clock ran ahead), with a command link and an image
// link as card ids. Importing it names the entries as plain text (no link in any notification),
// the quiz then grades through the whole queue without an error, and Reset Review Progress asks
// first, clears, and leaves a backup in the export format. Screenshots light and dark go to
// artifacts/e2e/quiz-hostile-*.png.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { VSCode } from './harness';
import { closeNotificationCentre, notificationText } from './notifications';
import { cardOnScreen, DARK, importProgressFile, LIGHT, openQuizFromActivityBar, waitForStatusCount } from './quizPage';
import { shotsInThemes } from './screenshots';
import { suiteSession } from './session';

const NEW_PER_DAY = 3;
const COMMAND_LINK_ID = '[x](command:workbench.action.quit)';
const IMAGE_LINK_ID = '![](https://evil.example/x.png)';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * A card first learned two days ago, and reviewed again by a machine whose clock runs a year
 * ahead; its learning step came due a minute ago.
 */
function fromTheFuture(now: number): unknown {
  const ahead = now + 365 * DAY;
  const learned = now - 2 * DAY;
  const memory = { stability: 2.3, difficulty: 2.1, elapsedDays: 0, lastElapsedDays: 0, scheduledDays: 0 };
  return {
    card: { due: now - MIN, stability: 2.3, difficulty: 2.1, elapsedDays: 0, scheduledDays: 0, learningSteps: 1, reps: 2, lapses: 0, state: 1, lastReview: ahead },
    log: [
      { rating: 3, state: 0, due: learned, ...memory, stability: 0, difficulty: 0, learningSteps: 0, review: learned },
      { rating: 3, state: 1, due: learned + 10 * MIN, ...memory, learningSteps: 1, review: ahead },
    ],
  };
}

/** The text of every notification toast on screen, zero-width spaces removed. */
async function toastTexts(vsc: VSCode): Promise<string[]> {
  return (await vsc.page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\u200b/g, '').replace(/\s+/g, ' '));
}

describe('quiz with hostile progress', () => {
  let vsc: VSCode;
  suiteSession({ name: 'quiz-hostile', settings: { 'workbench.colorTheme': LIGHT, 'rnnLens.quiz.newCardsPerDay': NEW_PER_DAY } }, (v) => (vsc = v));

  it('imports a file with a future review date and link-like ids, naming them as plain text', async () => {
    const view = await openQuizFromActivityBar(vsc);
    await cardOnScreen(view);
    await waitForStatusCount(vsc, (n) => n === NEW_PER_DAY, String(NEW_PER_DAY));
    const now = Date.now();
    const file = vsc.workspaceFile('rnn-lens-progress-hostile.json');
    writeFileSync(file, JSON.stringify({
      format: 'rnn-lens-progress',
      schema: 1,
      exportedAt: now,
      cards: {
        'lstm-gates': fromTheFuture(now),
        [COMMAND_LINK_ID]: fromTheFuture(now),
        [IMAGE_LINK_ID]: { card: { due: 1e300 }, log: [] },
      },
    }));
    await importProgressFile(vsc, file);
    const { item, message: text } = await notificationText(vsc, /imported rnn-lens-progress-hostile\.json/);
    const message = text.replace(/\s+/g, ' ');
    assert.match(message, /2 cards added, 0 updated, 0 unchanged, 4 reviews added/);
    assert.ok(message.includes(`skipped 1 invalid entry: '${IMAGE_LINK_ID}' (card.due: not a time (1e+300 is after the year 9999))`), message);
    assert.ok(message.includes(`took 2 review times in the future as now: 'lstm-gates', '${COMMAND_LINK_ID}'`), message);
    // What VS Code would turn into a clickable link is an <a> in the message: there is none.
    assert.equal(await item.locator('.notification-list-item-message a').count(), 0, 'no link in the notification');
    await closeNotificationCentre(vsc);
    // The imported card is due (its learning step passed): one more than today's new cards.
    await waitForStatusCount(vsc, (n) => n === NEW_PER_DAY + 1, String(NEW_PER_DAY + 1));
    await shotsInThemes(vsc, 'import-light', [DARK, 'import-dark']);
  });

  it('grades Good through the whole queue: it empties, with no error and nothing set aside', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const seen: string[] = [];
    for (let i = 0; i <= NEW_PER_DAY + 1; i++) {
      if (await view.locator('#empty:not([hidden])').isVisible()) break;
      const card = await cardOnScreen(view);
      assert.equal(card.mode, 'question', `card ${card.id}`);
      seen.push(card.id);
      await view.locator('#question').click();
      await vsc.page.keyboard.press('Space');
      await view.locator(`#card[data-card-id="${card.id}"][data-mode="answer"]`).waitFor({ timeout: 15_000 });
      assert.doesNotMatch(await view.locator('#grades').innerText(), /NaN|Infinity/);
      await vsc.page.keyboard.press('3');
      await view.locator(`#card[data-mode="question"]:not([data-card-id="${card.id}"]), #empty:not([hidden])`).first().waitFor({ timeout: 15_000 });
    }
    assert.equal(seen.length, NEW_PER_DAY + 1, `graded ${seen.join(', ')}`);
    assert.ok(seen.includes('lstm-gates'), 'the card from the future came up and was graded');
    await view.locator('#empty:not([hidden])').waitFor({ timeout: 15_000 });
    assert.match(await view.locator('#empty-text').innerText(), /All caught up/);
    await waitForStatusCount(vsc, (n) => n === 0, '0');
    assert.equal(await view.locator('#set-aside').isVisible(), false, 'no card set aside');
    assert.equal(await view.locator('#read-only').isVisible(), false);
    assert.equal((await view.locator('#notice').innerText()).trim(), '', 'no notice in the view');
    for (const text of await toastTexts(vsc)) assert.doesNotMatch(text, /delta_t|cannot be scheduled|could not save|error/i, text);
    await shotsInThemes(vsc, 'caught-up-dark', [LIGHT, 'caught-up-light']);
  });

  it('Reset Review Progress asks first, writes a backup in the export format, and clears', async () => {
    const view = await openQuizFromActivityBar(vsc);
    await vsc.quickOpen('>RNN Lens: Reset Review Progress...');
    await vsc.pick('RNN Lens: Reset Review Progress...');
    const dialog = vsc.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Reset the review progress of 5 cards\?/);
    await vsc.screenshot('reset-dialog-light');
    await dialog.locator('.monaco-button', { hasText: /^Reset$/ }).click();
    const toast = vsc.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /review progress reset/ });
    await toast.waitFor({ timeout: 30_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /review progress reset \(5 cards\)/);
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Open Backup' }).isVisible(), 'offers to open the backup');
    const backup = /Backup: (\/\S+\.json)/.exec(text)?.[1];
    assert.ok(backup && existsSync(backup), `backup file on disk: ${text}`);
    const saved = JSON.parse(readFileSync(backup, 'utf8')) as { format: string; schema: number; cards: Record<string, { log: unknown[] }> };
    assert.equal(saved.format, 'rnn-lens-progress');
    assert.equal(saved.schema, 1);
    assert.equal(Object.keys(saved.cards).length, 5);
    assert.equal(saved.cards['lstm-gates'].log.length, 3, 'the two imported reviews and today\'s grade');
    assert.equal(saved.cards[COMMAND_LINK_ID].log.length, 2, 'the command-link id kept as data');
    // Cleared: today's new cards are due again, and a question is up.
    await waitForStatusCount(vsc, (n) => n === NEW_PER_DAY, String(NEW_PER_DAY));
    const card = await cardOnScreen(view);
    assert.equal(card.mode, 'question');
    assert.equal(await view.locator('#undo').isVisible(), false, 'nothing to undo after a reset');
    await vsc.screenshot('after-reset-light');
  });

  it('runs under the strict CSP without violations or errors', () => {
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues, [], `webview issues:\n${issues.map((i) => `${i.kind}: ${i.text}`).join('\n')}`);
  });
});
