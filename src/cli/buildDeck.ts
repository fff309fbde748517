// Build step (Node only): compiles cards/*.md into the bundled deck that esbuild.mjs serves as
// the virtual module `rnn-lens:bundled-deck`, so activation parses no deck file. esbuild.mjs
// fails the build on any error diagnostic returned here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BundledDeck, DeckDiagnostic } from '../deck/card';
import { lintDeck } from '../deck/lint';
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
  const files = names.map((n) => {
    const full = join(cardsDir, n);
    return { path: displayPath(full, root), text: readFileSync(full, 'utf8') };
  });
  const result = lintDeck(files);
  if (result.cards.length === 0 && result.diagnostics.every((d) => d.severity !== 'error')) {
    result.diagnostics.push({ file: displayPath(cardsDir, root), line: 1, column: 1, severity: 'error', message: 'the bundled deck has no cards' });
  }
  const eq = renderDeckEquations(result.cards, root);
  return {
    bundle: { version: 1, cards: result.cards, equations: eq.equations },
    diagnostics: [...result.diagnostics, ...eq.diagnostics],
  };
}
