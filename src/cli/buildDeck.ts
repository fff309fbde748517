// Build step (Node only): compiles cards/*.md into the bundled deck that esbuild.mjs serves as
// the virtual module `rnn-lens:bundled-deck`, so activation parses no deck file. esbuild.mjs
// fails the build on any error diagnostic returned here.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BundledDeck, DeckDiagnostic } from '../deck/card';
import { lintDeck, type DeckFile } from '../deck/lint';
import { cardTooLarge, MAX_CARD_CHARS } from '../deck/parse';
import { readRegularFile } from './readFile';
import { renderDeckEquations } from './equations';

export interface BuiltDeck {
  bundle: BundledDeck;
  diagnostics: DeckDiagnostic[];
}

/** `root`-relative POSIX path: the same in the bundle on every OS. */
export function displayPath(file: string, root: string): string {
  return relative(root, file).split(sep).join('/');
}

export function buildBundledDeck(cardsDir: string, root: string): BuiltDeck {
  let names: string[];
  try {
    names = readdirSync(cardsDir).filter((n) => n.endsWith('.md')).sort();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      bundle: { version: 1, cards: [] },
      diagnostics: [{ file: displayPath(cardsDir, root), line: 1, column: 1, severity: 'error', message: `cannot read the deck folder: ${message}` }],
    };
  }
  const files: DeckFile[] = [];
  const unread: DeckDiagnostic[] = [];
  for (const n of names) {
    const full = join(cardsDir, n);
    const path = displayPath(full, root);
    const r = readRegularFile(full, MAX_CARD_CHARS);
    if (r.ok) files.push({ path, text: r.text });
    else unread.push(r.reason === 'too-large' ? cardTooLarge(path, r.size) : { file: path, line: 1, column: 1, severity: 'error', message: `cannot read: ${r.message}` });
  }
  const result = lintDeck(files);
  result.diagnostics.unshift(...unread);
  if (result.cards.length === 0 && result.diagnostics.every((d) => d.severity !== 'error')) {
    result.diagnostics.push({ file: displayPath(cardsDir, root), line: 1, column: 1, severity: 'error', message: 'the bundled deck has no cards' });
  }
  const eq = renderDeckEquations(result.cards, root);
  return {
    bundle: { version: 1, cards: result.cards, equations: eq.equations },
    diagnostics: [...result.diagnostics, ...eq.diagnostics],
  };
}
