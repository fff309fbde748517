// Build step (Node only): compiles the bundled decks' folders (BUNDLED_DECKS: cards/*.md and
// cards/practice/*.md) into the bundled deck that esbuild.mjs serves as
// the virtual module `rnn-lens:bundled-deck`, so activation parses no deck file. esbuild.mjs
// fails the build on any error diagnostic returned here.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BUNDLED_DECKS, type BundledDeck, type DeckDiagnostic } from '../src/deck/card';
import { lintDeck, type DeckFile } from '../src/deck/lint';
import { cardTooLarge, MAX_CARD_CHARS } from '../src/deck/limits';
import { readRegularFile } from '../cli/readFile';
import { renderDeckEquations } from '../cli/equations';

export interface BuiltDeck {
  bundle: BundledDeck;
  diagnostics: DeckDiagnostic[];
}

/** `root`-relative POSIX path: the same in the bundle on every OS. */
export function displayPath(file: string, root: string): string {
  return relative(root, file).split(sep).join('/');
}

/** A bundled deck's folder, as BUNDLED_DECKS names it. */
export interface DeckFolder {
  id: string;
  dir: string;
}

/** Every bundled deck's card files (each folder's *.md, sorted), tagged with the deck they belong to. */
export function readBundledDeckFiles(root: string, decks: readonly DeckFolder[] = BUNDLED_DECKS): { files: DeckFile[]; problems: DeckDiagnostic[] } {
  const files: DeckFile[] = [];
  const problems: DeckDiagnostic[] = [];
  for (const deck of decks) {
    const dir = join(root, deck.dir);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.md')).sort();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      problems.push({ file: displayPath(dir, root), line: 1, column: 1, severity: 'error', message: `cannot read the deck folder: ${message}` });
      continue;
    }
    if (names.length === 0) problems.push({ file: displayPath(dir, root), line: 1, column: 1, severity: 'error', message: `the bundled deck '${deck.id}' has no cards` });
    for (const n of names) {
      const full = join(dir, n);
      const path = displayPath(full, root);
      const r = readRegularFile(full, MAX_CARD_CHARS);
      if (r.ok) files.push({ path, text: r.text, deck: deck.id });
      else problems.push(r.reason === 'too-large' ? cardTooLarge(path, r.size) : { file: path, line: 1, column: 1, severity: 'error', message: `cannot read: ${r.message}` });
    }
  }
  return { files, problems };
}

/** Compiles the bundled decks (BUNDLED_DECKS, or the folders given) into one bundle. */
export function buildBundledDeck(root: string, decks: readonly DeckFolder[] = BUNDLED_DECKS): BuiltDeck {
  const { files, problems } = readBundledDeckFiles(root, decks);
  const result = lintDeck(files);
  const eq = renderDeckEquations(result.cards, root);
  return {
    bundle: { version: 1, cards: result.cards, equations: eq.equations },
    diagnostics: [...problems, ...result.diagnostics, ...eq.diagnostics],
  };
}
