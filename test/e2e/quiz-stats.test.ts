// The quiz's FSRS statistics and deck choice in the real VS Code. Review history is imported
// (made with the extension's own scheduler): the card on screen then shows its stability,
// difficulty, retrievability, forgetting curve and review history; true retention is drawn
// against the desired retention; the 30-day forecast is drawn. Unticking "RNN foundations"
// leaves only the practice deck in the queue and the status bar count. Screenshots of the
// statistics in light and dark themes go to artifacts/e2e/quiz-stats-*.png.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReviewStore } from '../../src/quiz/reviewStore';
import { Scheduler } from '../../src/quiz/scheduler';
import { ROOT, VSCode } from './harness';
import { cardOnScreen, DARK, importProgressFile, LIGHT, openQuizFromActivityBar, statusCount, waitForStatusCount } from './quizPage';
import { shotsInThemes } from './screenshots';
import { suiteSession } from './session';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const PRACTICE_IDS = new Set(readdirSync(join(ROOT, 'cards', 'practice')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)));

/**
 * Two cards learned 60 days ago: `packed-sequences` (practice deck) passed a review (Hard) 28 days
 * ago and is due again by now; `lstm-gates` (foundations) failed one 20 days ago and is relearning,
 * due now. True retention over the last 30 days: 1 of 2 reviews passed.
 */
function progressJson(now: number): string {
  const s = new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
  const store = ReviewStore.empty();
  for (const id of ['packed-sequences', 'lstm-gates']) {
    s.grade(store, id, 3, now - 60 * DAY);
    s.grade(store, id, 3, now - 60 * DAY + 10 * MIN);
  }
  s.grade(store, 'packed-sequences', 2, now - 28 * DAY);
  s.grade(store, 'lstm-gates', 1, now - 20 * DAY);
  assert.ok(store.get('packed-sequences')!.card.due < now, 'packed-sequences is due again');
  return store.exportJson(now);
}

describe('quiz statistics and decks', () => {
  let vsc: VSCode;
  let dueBoth = 0;
  suiteSession({ name: 'quiz-stats', settings: { 'workbench.colorTheme': LIGHT } }, (v) => (vsc = v));

  it('shows the card on screen: stability, difficulty, retrievability, its forgetting curve and history', async () => {
    const view = await openQuizFromActivityBar(vsc);
    await cardOnScreen(view);
    const fresh = await waitForStatusCount(vsc, (n) => n > 0, 'positive');
    const file = vsc.workspaceFile('rnn-lens-progress-stats.json');
    writeFileSync(file, progressJson(Date.now()));
    await importProgressFile(vsc, file);
    // Two cards due on top of today's new ones.
    dueBoth = await waitForStatusCount(vsc, (n) => n === fresh + 2, String(fresh + 2));
    // The card on screen stays until graded: put lstm-gates up with "Quiz Me on a Card...".
    await vsc.quickOpen('>RNN Lens: Quiz Me on a Card...');
    await vsc.pick('RNN Lens: Quiz Me on a Card...');
    await vsc.page.locator('.quick-input-widget .quick-input-box input').fill("Describe the LSTM cell's gates");
    await vsc.pick(/^Describe the LSTM cell's gates/);
    await view.locator('#card[data-card-id="lstm-gates"][data-mode="question"]').waitFor({ timeout: 30_000 });

    await vsc.runCommand('RNN Lens: Show Review Statistics');
    const stats = view.locator('#stats[open] #stats-body');
    await stats.locator('#forgetting-curve path.curve').waitFor({ timeout: 15_000 });
    assert.equal(await stats.locator('#card-stats-heading').innerText(), 'This card: lstm-gates');
    const info = (await stats.locator('#card-stats').innerText()).replace(/\s+/g, ' ');
    assert.match(info, /State Relearning/);
    assert.match(info, /Stability \d+(\.\d)? (days|h) \(the time for recall to fall to 90%\)/);
    assert.match(info, /Difficulty \d+\.\d of 10/);
    assert.match(info, /Retrievability now \d+%/);
    assert.match(info, /Reviews 3 \(1 lapse\)/);
    // The curve: a path of 61 points, the desired-retention line, and "now" on it.
    const d = (await stats.locator('#forgetting-curve path.curve').getAttribute('d')) ?? '';
    assert.equal(d.split(/[ML]/).filter(Boolean).length, 61);
    assert.equal(await stats.locator('#forgetting-curve circle.now').count(), 1);
    assert.equal(await stats.locator('#forgetting-curve line.target').count(), 1);
    const curveName = (await stats.locator('#forgetting-curve').getAttribute('aria-label')) ?? '';
    assert.match(curveName, /^Forgetting curve of this card: retrievability \d+% now, \d+\.\d days after the last review; it falls to 90% after about/);
    assert.equal(await stats.locator('#forgetting-curve').getAttribute('tabindex'), '0', 'the chart takes keyboard focus');
    // History, latest first: Again 20 days ago, then the two learning steps.
    const rows = await stats.locator('#review-history tbody tr').allInnerTexts();
    assert.equal(rows.length, 3);
    assert.match(rows[0], /Again\s+Review\s+\d+/);
    assert.match(rows[2], /Good\s+New/);
    await stats.locator('#card-stats-heading').scrollIntoViewIfNeeded();
    await shotsInThemes(vsc, 'card-light', [DARK, 'card-dark']);
  });

  it('draws true retention against the desired retention, and the 30-day forecast', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const stats = view.locator('#stats[open] #stats-body');
    const retention = await stats.locator('#true-retention').innerText();
    assert.equal(retention, 'True retention (last 30 days): 50%, 1 of 2 reviews of cards in review passed; desired 90%.');
    assert.equal(await stats.locator('#retention-chart rect.bar-low').getAttribute('width'), '150.0', 'half of the bar');
    assert.equal(await stats.locator('#retention-chart line.target').getAttribute('x1'), '270.0', 'the 90% mark');
    const bars = stats.locator('#forecast-chart rect.bar');
    assert.equal(await bars.count(), 30);
    assert.ok(Number(await bars.first().getAttribute('height')) > 0, "today's bar is drawn");
    assert.match(await bars.first().locator('title').textContent() ?? '', /^Today \(and overdue\): 2 cards$/);
    assert.match((await stats.locator('#forecast-chart').getAttribute('aria-label')) ?? '', /^Due in the next 30 days: \d+ cards?, 2 today/);
    // Keyboard: Tab from the retention chart reaches the forecast's text alternative's chart.
    await stats.locator('#retention-chart').focus();
    await vsc.page.keyboard.press('Tab');
    assert.equal(await view.locator(':focus').getAttribute('id'), 'forecast-chart');
    await stats.locator('#forecast-chart').scrollIntoViewIfNeeded();
    await shotsInThemes(vsc, 'forecast-dark', [LIGHT, 'forecast-light']);
  });

  it('studies only the decks ticked: the queue, the status bar and the statistics follow', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const filters = view.locator('#filters');
    if (!(await filters.getAttribute('open'))) await view.locator('#filters > summary').click();
    const foundations = view.locator('#deck-foundations');
    await foundations.waitFor({ timeout: 15_000 });
    assert.match(await foundations.innerText(), /^RNN foundations \(13\)$/);
    assert.match(await view.locator('#deck-practice').innerText(), new RegExp(`^RNNs in practice \\(${PRACTICE_IDS.size}\\)$`));
    const fresh = dueBoth - 2;
    assert.equal(await view.locator('#counts').innerText(), `${dueBoth} cards due: ${fresh} new, 1 learning, 1 review`);
    await foundations.click();
    // lstm-gates (relearning) leaves the queue and the count; today's new cards now come from the
    // other decks. (lstm-gates, asked for by name, stays on screen until it is graded.)
    await waitForStatusCount(vsc, (n) => n === dueBoth - 1, String(dueBoth - 1));
    assert.equal(await view.locator('#counts').innerText(), `${dueBoth - 1} cards due: ${fresh} new, 0 learning, 1 review`);
    assert.match(await view.locator('#filters > summary').innerText(), /^Filter: RNNs in practice( \+ Your decks)?$/);
    const stats = view.locator('#stats[open] #stats-body');
    await stats.filter({ hasText: /True retention \(last 30 days\): 100%, 1 of 1 review of cards in review passed/ }).waitFor({ timeout: 15_000 });
    await vsc.screenshot('decks-light');
    // Ticking it again brings the whole deck back.
    await foundations.click();
    await waitForStatusCount(vsc, (n) => n === dueBoth, String(dueBoth));
    assert.equal(await statusCount(vsc), dueBoth);
  });

  it('runs under the strict CSP without violations or errors', () => {
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues, [], `webview issues:\n${issues.map((i) => `${i.kind}: ${i.text}`).join('\n')}`);
  });
});
