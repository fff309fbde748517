// The bundled deck as the e2e tests compute what the extension must show from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Card } from '../../src/deck/card';
import { buildTermIndex, isRnnContext, termAt } from '../../src/deck/terms';
import { markdownToHoverText } from '../../src/hover/content';
import { ROOT } from './harness';

/** The bundled deck's cards, compiled from cards/ the way esbuild.mjs does for the .vsix. */
export async function bundledCards(): Promise<Card[]> {
  const outfile = join(ROOT, 'out', 'test', 'e2e-support', 'deck-compiler.cjs');
  await esbuild.build({ entryPoints: [join(ROOT, 'build/buildDeck.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
  const compiler = createRequire(__filename)(outfile) as { buildBundledDeck(root: string): Promise<{ bundle: { cards: Card[] } }> | { bundle: { cards: Card[] } } };
  return (await compiler.buildBundledDeck(ROOT)).bundle.cards;
}

/** The question as the hover prints it: Markdown escapes removed, math as Unicode. */
export function questionText(card: Card): string {
  return markdownToHoverText(card.question).replace(/\\(.)/g, '$1').replace(/`/g, '');
}

export interface LstmCard {
  card: Card;
  /** The 1-based line of `nn.LSTM(` in the file. */
  line: number;
  /** How many more cards the term matches ("+N more" in the hover). */
  more: number;
}

/** The card the hover must show for nn.LSTM in examples/`file`, found with the extension's own matcher and deck. */
export async function expectedLstmCard(file: string): Promise<LstmCard> {
  const cards = await bundledCards();
  const text = readFileSync(join(ROOT, 'examples', file), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('nn.LSTM(')) + 1;
  assert.ok(line > 0, `${file} constructs an nn.LSTM`);
  const lineText = lines[line - 1];
  const match = termAt(buildTermIndex(cards), lineText, lineText.indexOf('LSTM('), { rnn: isRnnContext(text) });
  assert.ok(match, 'the bundled deck has a card for nn.LSTM');
  const card = cards.find((c) => c.id === match.cardIds[0]);
  assert.ok(card);
  return { card, line, more: match.cardIds.length - 1 };
}
