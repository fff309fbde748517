// The hover on nn.LSTM as a user sees it: the card's question, its key equation drawn as an
// SVG image, and the command links.
import assert from 'node:assert/strict';
import { keyEquation } from '../../src/hover/equation';
import { questionText, type LstmCard } from './deck';
import type { HoverResult, VSCode } from './harness';

/** Hovers LSTM on the `nn.LSTM(` line of the active file and checks that the hover shows `expected`'s card. */
export async function hoverShowsLstmCard(vsc: VSCode, expected: LstmCard): Promise<HoverResult> {
  const question = questionText(expected.card);
  const hover = await vsc.hoverWord('LSTM', { line: expected.line, until: /RNN Lens/ });
  assert.ok(hover.text.includes(question), `hover shows the question "${question}"; it shows:\n${hover.text}`);
  assert.match(hover.text, /Open card/);
  assert.match(hover.text, /Quiz me on this/);
  if (expected.card.demo) assert.match(hover.text, /Open demo/);
  if (expected.more > 0) assert.match(hover.text, new RegExp(`\\+${expected.more} more`));
  assert.doesNotMatch(hover.text, /\$|\\[a-z]+\{/, 'no raw LaTeX in the hover');
  if (keyEquation(expected.card)) {
    const svgs = hover.images.filter((src) => src.startsWith('data:image/svg+xml'));
    assert.equal(svgs.length, 1, `one equation image; images: ${hover.images.map((s) => s.slice(0, 40)).join(', ')}`);
    // The image decoded and laid out (a broken image has no natural size).
    const sizes = await vsc.page.locator('.monaco-hover:not(.hidden) img').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth));
    assert.ok(sizes[0] > 20, `the equation image rendered (natural width ${sizes[0]})`);
  }
  return hover;
}
