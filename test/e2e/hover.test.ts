// Hover tips in the real VS Code: hovering `nn.LSTM` in examples/char_lstm.py shows the card the
// matcher picks (its question, its equation as an SVG image, working command links); a plain
// variable shows nothing from RNN Lens; `Explain Term at Cursor` opens the card. Screenshots in
// light, dark and high-contrast themes go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { expectedLstmCard, questionText, type LstmCard } from './deck';
import { ROOT, VSCode, type Theme } from './harness';
import { hoverShowsLstmCard } from './hoverPage';
import { screenshotAndCloseAfter } from './session';

const FILE = 'char_lstm.py';

describe('hover tips', () => {
  let vsc: VSCode;
  let expected: LstmCard;

  before(async () => {
    expected = await expectedLstmCard(FILE);
    vsc = await VSCode.start({ name: 'hover', settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    await vsc.openFile(FILE, expected.line);
  });
  screenshotAndCloseAfter(() => vsc);

  const themes: Theme[] = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast'];
  for (const theme of themes) {
    it(`explains nn.LSTM with the card's question, equation image and links (${theme})`, async () => {
      await vsc.setTheme(theme);
      await hoverShowsLstmCard(vsc, expected);
      await vsc.screenshot(`hover-nn-lstm-${theme.replace(/^Default /, '').toLowerCase().replace(/ /g, '-')}`);
    });
  }

  it('opens the card from the hover\'s "Open card" link', async () => {
    await vsc.setTheme('Default Dark Modern');
    await vsc.hoverWord('LSTM', { line: expected.line, until: /Open card/ });
    await vsc.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'Open card' }).first().click();
    const first = questionText(expected.card).split(/[$ₜ]/)[0].slice(0, 30);
    const frame = await vsc.findWebview(`text=${first}`);
    assert.ok(await frame.locator(`text=${first}`).first().isVisible(), 'the quiz view shows the card');
    await vsc.screenshot('hover-open-card');
  });

  it('shows nothing from RNN Lens on a plain variable name', async () => {
    await vsc.openFile(FILE, 1);
    const line = readFileSync(join(ROOT, 'examples', FILE), 'utf8').split('\n').findIndex((l) => l.includes('self.chars =')) + 1;
    let text = '';
    try {
      text = (await vsc.hoverWord('chars', { line, timeout: 1 })).text;
    } catch (err) {
      // No hover at all (no other provider answers for a plain Python name here): nothing shown.
      assert.match(String(err), /Timeout|waiting for/i, String(err));
    }
    assert.doesNotMatch(text, /RNN Lens|Open card/, `hover on "chars" shows:\n${text}`);
  });

  it('opens the card with "Explain Term at Cursor"', async () => {
    await vsc.openFile(FILE, expected.line);
    const col = readFileSync(join(ROOT, 'examples', FILE), 'utf8').split('\n')[expected.line - 1].indexOf('LSTM(') + 2;
    await vsc.goTo(expected.line, col);
    await vsc.runCommand('RNN Lens: Explain Term at Cursor');
    if (expected.more > 0) await vsc.pick(questionText(expected.card));
    const first = questionText(expected.card).split(/[$ₜ]/)[0].slice(0, 30);
    const frame = await vsc.findWebview(`text=${first}`);
    assert.ok(await frame.locator(`text=${first}`).first().isVisible());
  });
});
