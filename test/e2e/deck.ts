// The bundled deck as the e2e tests compute what the extension must show from it.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Card } from '../../src/deck/card';
import { markdownToHoverText } from '../../src/hover/content';
import { ROOT } from './harness';

/** The bundled deck's cards, compiled from cards/ the way esbuild.mjs does for the .vsix. */
export async function bundledCards(): Promise<Card[]> {
  const outfile = join(ROOT, 'out', 'test', 'e2e-support', 'deck-compiler.cjs');
  await esbuild.build({ entryPoints: [join(ROOT, 'src/cli/buildDeck.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
  const compiler = createRequire(__filename)(outfile) as { buildBundledDeck(root: string): Promise<{ bundle: { cards: Card[] } }> | { bundle: { cards: Card[] } } };
  return (await compiler.buildBundledDeck(ROOT)).bundle.cards;
}

/** The question as the hover prints it: Markdown escapes removed, math as Unicode. */
export function questionText(card: Card): string {
  return markdownToHoverText(card.question).replace(/\\(.)/g, '$1').replace(/`/g, '');
}
