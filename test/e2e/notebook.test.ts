// RNN Lens in a Jupyter notebook, in the real VS Code (its built-in .ipynb support):
// hovering `LSTM` in a code cell of examples/notebooks/char_lstm.ipynb shows the card the matcher
// picks (question, equation image, links), and "Quiz Me on the Terms in This File" with the
// notebook active filters the quiz to the cards for the terms in all its cells, not the focused one.
// Screenshots in light and dark themes go to artifacts/e2e/notebook-*.png.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Card } from '../../src/deck/card';
import { buildTermIndex, findTermsInText, isRnnContext, termAt } from '../../src/deck/terms';
import { keyEquation } from '../../src/hover/equation';
import { bundledCards, questionText } from './deck';
import { ROOT, VSCode } from './harness';
import { cardOnScreen, DARK, LIGHT, quizOnThisFile } from './quizPage';
import { shotsInThemes } from './screenshots';
import { screenshotAndCloseAfter } from './session';

const NOTEBOOK = 'notebooks/char_lstm.ipynb';
const LSTM_CALL = 'nn.LSTM(';

interface NotebookCell { cell_type: string; source: string[] | string }

/** The text of each cell of the example notebook, code and Markdown. */
function cellTexts(): { kind: string; text: string }[] {
  const nb = JSON.parse(readFileSync(join(ROOT, 'examples', NOTEBOOK), 'utf8')) as { nbformat: number; cells: NotebookCell[] };
  assert.equal(nb.nbformat, 4);
  return nb.cells.map((c) => ({ kind: c.cell_type, text: Array.isArray(c.source) ? c.source.join('') : c.source }));
}

describe('notebooks', () => {
  let vsc: VSCode;
  let cards: Card[];
  before(async () => {
    cards = await bundledCards();
    vsc = await VSCode.start({ name: 'notebook', settings: { 'workbench.colorTheme': LIGHT } });
    await vsc.openFile(NOTEBOOK);
  });
  screenshotAndCloseAfter(() => vsc);

  it('explains nn.LSTM in a code cell with the card\'s question, equation image and links', async () => {
    // The card the extension's own matcher finds at `LSTM` in the cell that constructs the layer
    // (the hover reads one cell: its document is the cell).
    const cell = cellTexts().find((c) => c.kind === 'code' && c.text.includes(LSTM_CALL));
    assert.ok(cell, `a code cell of ${NOTEBOOK} constructs an nn.LSTM`);
    const lineText = cell.text.split('\n').find((l) => l.includes(LSTM_CALL)) ?? '';
    const match = termAt(buildTermIndex(cards), lineText, lineText.indexOf(LSTM_CALL) + 3, { rnn: isRnnContext(cell.text) });
    assert.ok(match, 'the bundled deck has a card for nn.LSTM');
    const card = cards.find((c) => c.id === match.cardIds[0]);
    assert.ok(card);
    const question = questionText(card);

    for (const theme of [LIGHT, DARK]) {
      await vsc.setTheme(theme);
      const hover = await vsc.hoverNotebookWord('LSTM', { within: LSTM_CALL, until: /RNN Lens/ });
      assert.ok(hover.text.includes(question), `hover shows the question "${question}"; it shows:\n${hover.text}`);
      assert.match(hover.text, /Open card/);
      assert.match(hover.text, /Quiz me on this/);
      if (card.demo) assert.match(hover.text, /Open demo/);
      if (match.cardIds.length > 1) assert.match(hover.text, new RegExp(`\\+${match.cardIds.length - 1} more`));
      assert.doesNotMatch(hover.text, /\$|\\[a-z]+\{/, 'no raw LaTeX in the hover');
      if (keyEquation(card)) {
        const svgs = hover.images.filter((src) => src.startsWith('data:image/svg+xml'));
        assert.equal(svgs.length, 1, `one equation image; images: ${hover.images.map((s) => s.slice(0, 40)).join(', ')}`);
        const sizes = await vsc.page.locator('.monaco-hover:not(.hidden) img').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth));
        assert.ok(sizes[0] > 20, `the equation image rendered (natural width ${sizes[0]})`);
      }
      await vsc.screenshot(`hover-${theme === LIGHT ? 'light' : 'dark'}`);
    }
    await vsc.hideHover();
  });

  it('"Quiz Me on the Terms in This File" asks about the terms in every cell of the notebook', async () => {
    const index = buildTermIndex(cards);
    const cells = cellTexts();
    // The whole notebook, as one text: the cards for the terms of all its cells.
    const expected = new Set(findTermsInText(index, cells.map((c) => c.text).join('\n')).flatMap((f) => f.cardIds));
    // One cell alone, the one with the cursor, would give fewer cards.
    const lstmCell = cells.find((c) => c.text.includes(LSTM_CALL))?.text ?? '';
    const oneCell = new Set(findTermsInText(index, lstmCell).flatMap((f) => f.cardIds));
    assert.ok(expected.size > oneCell.size, `the notebook has more cards (${expected.size}) than its nn.LSTM cell (${oneCell.size})`);
    const bundledIds = new Set(cards.map((c) => c.id));

    await vsc.setTheme(LIGHT);
    // Focus a code cell's editor, as a user editing the notebook would.
    await vsc.page.locator('.notebook-editor .monaco-editor .view-line').filter({ hasText: LSTM_CALL }).first().click();
    const { view, n } = await quizOnThisFile(vsc, /^char_lstm\.ipynb: \d+ cards? for its terms$/);
    // The user deck in examples/decks may add cards for the same terms (one file, one card each).
    const userDeck = readdirSync(join(ROOT, 'examples', 'decks')).filter((f) => f.endsWith('.md')).length;
    assert.ok(n >= expected.size && n <= expected.size + userDeck, `${n} cards for the notebook's terms (bundled deck alone: ${expected.size})`);
    const shown = await cardOnScreen(view);
    assert.ok(expected.has(shown.id) || !bundledIds.has(shown.id), `${shown.id} is about a term in the notebook (${[...expected].join(', ')})`);
    assert.match(await view.locator('#filters summary').innerText(), /Filter: this file/);
    await shotsInThemes(vsc, 'quiz-this-file-light', [DARK, 'quiz-this-file-dark']);
  });

  it('runs the quiz view under the strict CSP without violations or errors', () => {
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues, [], `webview issues:\n${issues.map((i) => `${i.kind}: ${i.text}`).join('\n')}`);
  });
});
