// The sidebar quiz in the real VS Code: open it from the activity bar, reveal the answer with
// Space, grade Good with `3`, reload the window: the graded card is no longer due and the status
// bar count dropped by one. Math is drawn by KaTeX, and the view runs under its strict CSP
// without a single violation (the toolkit's <style> gets the nonce). Screenshots of question,
// answer and statistics in light and dark themes go to artifacts/e2e/quiz-*.png.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildTermIndex, findTermsInText } from '../../src/deck/terms';
import { bundledCards } from './deck';
import { ROOT, VSCode } from './harness';
import { closeNotificationCentre, notificationText } from './notifications';
import { cardOnScreen, DARK, importProgressFile, LIGHT, openQuizFromActivityBar, quizOnThisFile, statusCount, waitForStatusCount } from './quizPage';
import { shotsInThemes } from './screenshots';
import { suiteSession } from './session';

describe('sidebar quiz', () => {
  let vsc: VSCode;
  suiteSession({ name: 'quiz', settings: { 'workbench.colorTheme': LIGHT } }, (v) => (vsc = v));

  let graded: { id: string; question: string } | undefined;
  let countBefore = 0;

  it('opens from the activity bar with a question and the due count in the status bar', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const card = await cardOnScreen(view);
    assert.equal(card.mode, 'question');
    assert.ok(card.question.length > 10, `a question is shown: "${card.question}"`);
    assert.equal(await view.locator('#answer').isVisible(), false, 'the answer is hidden until revealed');
    countBefore = await waitForStatusCount(vsc, (n) => n > 0, 'positive');
    // A fresh profile: today's new cards are due (10 by default, fewer if the deck is smaller).
    assert.ok(countBefore > 0 && countBefore <= 10, `due count ${countBefore}`);
    assert.match(await view.locator('#counts').innerText(), new RegExp(`^${countBefore} cards? due`));
    await shotsInThemes(vsc, 'question-light', ['Default High Contrast', 'question-hc'], [DARK, 'question-dark']);
  });

  it('reveals the answer with Space and labels the grade buttons with their next interval', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const before = await cardOnScreen(view);
    await view.locator('#question').click();
    await vsc.page.keyboard.press('Space');
    await view.locator('#answer').waitFor({ state: 'visible', timeout: 15_000 });
    const after = await cardOnScreen(view);
    assert.equal(after.id, before.id);
    assert.equal(after.mode, 'answer');
    assert.ok((await view.locator('#answer').innerText()).trim().length > 20, 'the answer text is shown');
    // A new card under FSRS-6 defaults (learning steps 1m, 10m): Again 1m, Hard 6m, Good 10m.
    // Each button reads its grade and interval, then (to a screen reader only) when the card comes back and its key.
    const labels = await Promise.all([1, 2, 3, 4].map((r) => view.locator(`#grade-${r}`).evaluate((b) => (b.textContent ?? '').trim())));
    assert.deepEqual(labels.slice(0, 3), ['Again1m: next review in 1m (key 1)', 'Hard6m: next review in 6m (key 2)', 'Good10m: next review in 10m (key 3)']);
    assert.match(labels[3] ?? '', /^Easy\d+d: next review in \d+d \(key 4\)$/);
    assert.equal(await view.locator('#grade-1').getAttribute('aria-label'), null);
    assert.match(await view.locator('#grade-3').innerText(), /Good\s*10m/);
    await shotsInThemes(vsc, 'answer-dark', [LIGHT, 'answer-light']);
    graded = { id: after.id, question: after.question };
  });

  it('grades Good with 3: the next card comes up and the count drops by one', async () => {
    assert.ok(graded, 'the previous test revealed a card');
    const view = await openQuizFromActivityBar(vsc);
    await view.locator('#answer').click();
    await vsc.page.keyboard.press('3');
    await waitForStatusCount(vsc, (n) => n === countBefore - 1, String(countBefore - 1));
    if (countBefore > 1) {
      await view.locator(`#card[data-mode="question"]:not([data-card-id="${graded.id}"])`).waitFor({ timeout: 15_000 });
    } else {
      await view.locator('#empty:not([hidden])').waitFor({ timeout: 15_000 });
    }
  });

  it('after a window reload the graded card is no longer due and the count stays one lower', async () => {
    assert.ok(graded);
    await vsc.reloadWindow();
    const view = await openQuizFromActivityBar(vsc);
    const count = await waitForStatusCount(vsc, (n) => n >= 0 && n !== countBefore, `different from ${countBefore}`);
    assert.equal(count, countBefore - 1, 'the status bar count dropped by one');
    if (countBefore > 1) {
      const card = await cardOnScreen(view);
      assert.notEqual(card.id, graded.id, 'the graded card is not the one asked first');
    }
    // The card is in learning for 10 minutes: "Quiz Me on a Card" is not how it comes back;
    // the queue's counts show it: one new card fewer, none learning due.
    assert.match(await view.locator('#counts').innerText(), new RegExp(`^(${countBefore - 1} cards? due: ${countBefore - 1} new, 0 learning, 0 review|Nothing due)$`));
  });

  it('shows statistics: one review today, one card learning', async () => {
    const view = await openQuizFromActivityBar(vsc);
    await vsc.runCommand('RNN Lens: Show Review Statistics');
    const stats = view.locator('#stats[open] #stats-body');
    await stats.locator('.heatmap').waitFor({ timeout: 15_000 });
    assert.equal(await stats.locator('.heatmap .cell:not(.pad)').count(), 84, '12 weeks of days');
    assert.equal(await stats.locator('.heatmap .cell.l4').count(), 1, "today's cell is the busiest");
    const text = await stats.innerText();
    assert.match(text, /1 review in all/);
    assert.match(text, /Learning: 1/);
    assert.match(text, /True retention \(last 30 days\): no reviews of cards in review yet \(desired 90%\)/);
    await shotsInThemes(vsc, 'stats-light', [DARK, 'stats-dark']);
  });

  it('opens a card from the deck with its answer and its math drawn by KaTeX, without grading', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const count = await statusCount(vsc);
    // Not runCommand: that waits for the palette to close, and this command opens a pick list.
    await vsc.quickOpen('>RNN Lens: Open Card...');
    await vsc.pick('RNN Lens: Open Card...');
    await vsc.pick(/Describe the LSTM cell's gates/);
    await view.locator('#card[data-card-id="lstm-gates"][data-mode="browse"]').waitFor({ timeout: 15_000 });
    assert.equal(await view.locator('#grades').isVisible(), false, 'no grade buttons on an opened card');
    assert.ok(await view.locator('#answer').isVisible());
    // KaTeX drew the formulas (MathML for screen readers plus HTML); no raw TeX is left.
    assert.ok(await view.locator('#answer .katex .katex-html').count() >= 3, 'formulas rendered');
    assert.doesNotMatch(await view.locator('#answer').innerText(), /\\odot|\$/);
    // The formula's layout came through: KaTeX sets strut heights with the CSSOM, which the CSP allows.
    const strutHeight = await view.locator('#answer .katex .strut').first().evaluate((e) => (e as HTMLElement).style.height);
    assert.match(strutHeight, /em$/);
    await vsc.screenshot('open-card-dark');
    await view.locator('#back').click();
    await view.locator('#card[data-mode="question"]').waitFor({ timeout: 15_000 });
    assert.equal(await statusCount(vsc), count, 'opening a card graded nothing');
  });

  it('filters to the cards whose terms appear in the active editor, and by level', async () => {
    const cards = await bundledCards();
    const text = readFileSync(join(ROOT, 'examples', 'char_lstm.py'), 'utf8');
    const expected = new Set(findTermsInText(buildTermIndex(cards), text).flatMap((f) => f.cardIds));
    assert.ok(expected.size > 0, 'char_lstm.py names RNN terms');
    const bundledIds = new Set(cards.map((c) => c.id));
    await vsc.openFile('char_lstm.py', 1);
    const { view, n } = await quizOnThisFile(vsc, /^char_lstm\.py: \d+ cards? for its terms$/);
    // The user deck in examples/decks may add cards for the same terms.
    assert.ok(n >= expected.size, `${n} cards for the file's terms (bundled deck alone: ${expected.size})`);
    const card = await cardOnScreen(view);
    assert.ok(expected.has(card.id) || !bundledIds.has(card.id), `${card.id} is about a term in char_lstm.py (${[...expected].join(', ')})`);
    assert.match(await view.locator('#filters summary').innerText(), /Filter: this file/);
    await vsc.screenshot('filter-this-file-dark');

    // Level: the dropdown, by keyboard (focus, open, arrow to a level, Enter).
    const levels = await view.locator('#filter-level vscode-option').allInnerTexts();
    assert.equal(levels[0].trim(), 'All levels');
    const level = levels[1].trim();
    await view.locator('#filter-level').focus();
    await vsc.page.keyboard.press('ArrowDown');
    await view.locator('#filters summary').filter({ hasText: new RegExp(`Filter: ${level}, this file`) }).waitFor({ timeout: 15_000 });
    const shown = view.locator('#card:not([hidden]) #card-meta, #empty:not([hidden]) #empty-text').first();
    const shownText = await shown.innerText();
    assert.ok(shownText.startsWith(level) || /under this filter|No cards for the terms/.test(shownText), `${level} card or an empty filter: ${shownText}`);

    // Clear both filters again, by keyboard.
    await view.locator('#filter-level').focus();
    await vsc.page.keyboard.press('Home');
    await view.locator('#filter-this-file').focus();
    await vsc.page.keyboard.press('Space');
    await view.locator('#filters summary').filter({ hasText: /^Filter$/ }).waitFor({ timeout: 15_000 });
  });

  it('undoes a grade with u: the same card comes back as a question and the count is restored', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const count = await statusCount(vsc);
    const card = await cardOnScreen(view);
    assert.equal(card.mode, 'question');
    await view.locator('#question').click();
    await vsc.page.keyboard.press('Space');
    await view.locator('#card[data-mode="answer"]').waitFor({ timeout: 15_000 });
    await vsc.page.keyboard.press('1');
    await waitForStatusCount(vsc, (n) => n === count - 1, String(count - 1));
    await view.locator('#undo, #empty-undo').filter({ visible: true }).first().waitFor({ timeout: 15_000 });
    await vsc.page.keyboard.press('u');
    await view.locator(`#card[data-card-id="${card.id}"][data-mode="question"]`).waitFor({ timeout: 15_000 });
    await waitForStatusCount(vsc, (n) => n === count, String(count));
  });

  it('exports progress to JSON and imports it back, reporting an invalid entry instead of dropping it silently', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const count = await statusCount(vsc);
    // Export: VS Code's own save dialog (in the browser: a path box), pre-filled by the command.
    await vsc.quickOpen('>RNN Lens: Export Review Progress...');
    await vsc.pick('RNN Lens: Export Review Progress...');
    const pathBox = vsc.page.locator('.quick-input-widget .quick-input-box input');
    await vsc.page.waitForFunction(() => /rnn-lens-progress-\d{4}-\d\d-\d\d\.json$/.test((document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ?? ''), undefined, { timeout: 30_000 });
    const exportPath = await pathBox.inputValue();
    await vsc.page.keyboard.press('Enter');
    const file = vsc.workspaceFile(exportPath.split('/').pop() ?? '');
    const deadline = Date.now() + 30_000;
    while (!existsSync(file) && Date.now() < deadline) await vsc.page.waitForTimeout(200);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; schema: number; cards: Record<string, { card: { state: number }; log: { rating: number; review: number }[] }> };
    assert.equal(exported.format, 'rnn-lens-progress');
    assert.equal(exported.schema, 1);
    const ids = Object.keys(exported.cards);
    assert.equal(ids.length, 1, `one card reviewed so far: ${ids.join(', ')}`);
    assert.equal(ids[0], graded?.id);
    assert.deepEqual(exported.cards[ids[0]].log.map((l) => l.rating), [3], 'the Good grade (the undone Again is gone)');

    // Import: the same file plus another machine's review of a second card and a damaged entry.
    const other = (await cardOnScreen(view)).id;
    const reviewed = structuredClone(exported.cards[ids[0]]);
    exported.cards[other] = reviewed;
    (exported.cards as Record<string, unknown>)['damaged-card'] = { card: { due: 'tomorrow' }, log: [] };
    writeFileSync(file, JSON.stringify(exported));
    await importProgressFile(vsc, file);
    const message = (await notificationText(vsc, /imported rnn-lens-progress/)).message.replace(/\s+/g, ' ');
    await closeNotificationCentre(vsc);
    assert.match(message, /1 card added, 0 updated, 1 unchanged, 1 review added/);
    assert.match(message, /skipped 1 invalid entry: 'damaged-card' \(card\.due: /);
    // The imported card left today's queue: it is in learning now.
    await waitForStatusCount(vsc, (n) => n === count - 1, String(count - 1));
    // The open statistics follow: two reviews now, two cards learning.
    await view.locator('#stats[open] #stats-body').filter({ hasText: /2 reviews in all/ }).filter({ hasText: /Learning: 2/ }).waitFor({ timeout: 15_000 });
    await vsc.screenshot('import-report-dark');
  });

  it('runs under the strict CSP without violations or errors', () => {
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues, [], `webview issues:\n${issues.map((i) => `${i.kind}: ${i.text}`).join('\n')}`);
  });
});
