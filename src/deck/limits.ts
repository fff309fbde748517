// The bounds a card file is held to (what each one caps: the top of ./parse/index.ts), apart from the
// parser so that code which only checks a size (reading user decks, choosing a hover's
// equation) does not load the parser and with it KaTeX, markdown-it and yaml.
// Pure: no vscode, no DOM, no fs.
import type { DeckDiagnostic } from './card';

export const MAX_CARD_CHARS = 128 * 1024;
export const MAX_FORMULAS = 200;
export const MAX_FORMULA_CHARS = 2000;
export const MAX_FORMULA_TOTAL_CHARS = 10_000;
export const MAX_TERM_WORDS = 6;
export const MAX_TERM_CHARS = 64;
export const MAX_TERMS = 50;

/** The error for a card file over MAX_CARD_CHARS (characters, or bytes where a reader checks first). */
export function cardTooLarge(file: string, size: number): DeckDiagnostic {
  return {
    file, line: 1, column: 1, severity: 'error',
    message: `card file is too large (${Math.ceil(size / 1024)} KiB; at most ${MAX_CARD_CHARS / 1024} KiB): it is left out`,
  };
}
