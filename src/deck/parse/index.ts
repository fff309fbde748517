// The Markdown card parser: one `cards/*.md` file -> at most one Card plus diagnostics.
// Pure: no vscode, no DOM, no fs. Never throws: every input yields cards and diagnostics.
//
// A card file (docs/DECK-FORMAT.md):
//
//   ---
//   id: lstm-gates            required, kebab-case, unique across every loaded deck
//   level: intermediate       required: foundational | intermediate | advanced | expert
//   kind: concept             required: concept | system-design | coding | math | cert
//   tags: [lstm, gating]      optional kebab-case topic tags
//   terms: [nn.LSTM, LSTM]    optional: what the hover matches to this card
//   demo: lstm-forward        optional: a lab demo id (DEMOS in ../card.ts)
//   source: https://pytorch.org/docs/2.5/generated/torch.nn.LSTM.html (PyTorch 2.5)
//                             optional: the documentation that backs the card, an http(s) URL
//                             and the version in parentheses; `seed` for the cards imported
//                             from the seed file. ../lint.ts checks it (a warning in user
//                             decks, an error in the bundled decks, which require it)
//   priority: 1               optional integer, default 0: when several cards claim the same
//                             term, the card with the highest priority is the best match; a
//                             tie at the top is a lint error (see ../lint.ts), so a shared term
//                             always has one deliberate owner
//   ---
//   # The question (the first level-1 heading; it may hold $math$)
//
//   The answer: everything after the question heading.
//
// Positions are 1-based line:column of the offending text in the file itself (front matter
// lines included), so `file:line:col` lands on it in an editor.
//
// Bounds, so that a hostile file costs little (each breach is a diagnostic, never a hang; the
// numbers are in ../limits.ts):
//   - a card file is at most MAX_CARD_CHARS (128 KiB) characters; a larger one is left out
//     (readers check the size before reading: CARD_TOO_LARGE);
//   - a card holds at most MAX_FORMULAS (200) formulas of at most MAX_FORMULA_CHARS (2,000)
//     characters each and MAX_FORMULA_TOTAL_CHARS (10,000) in all (KaTeX's time grows with a
//     formula's length); beyond any of these the card is left out, and no formula is handed to KaTeX;
//   - a term is one line (every run of whitespace reads as one space) of at most MAX_TERM_WORDS
//     (6) words and MAX_TERM_CHARS (64) characters; a longer one is ignored with a warning;
//     a card claims at most MAX_TERMS (50) terms (the rest are ignored with a warning).
// Values quoted in messages are shortened to one line (../escape.ts).
import {
  cardTooLarge, MAX_CARD_CHARS, MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS,
} from '../limits';
import type { Card, DeckDiagnostic, Kind, Level, ParseResult } from '../card';
import { readBody, type CardBody } from './body';
import { readFields, type CardFields, type CardSourceInfo } from './fields';
import { checkFormulas } from './formulas';
import { readFrontMatter } from './frontMatter';
import { diag, errorMessage, type Report } from './report';

export { KEBAB_CASE, type CardSourceInfo } from './fields';

export { cardTooLarge, MAX_CARD_CHARS, MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS };

export interface DetailedParseResult extends ParseResult {
  /** Present when `cards` holds a card. */
  info?: CardSourceInfo;
}

/** Parses one card file; see the top of this file for the format. */
export function parseCardFile(text: string, file: string): ParseResult {
  const { cards, diagnostics } = parseCardFileDetailed(text, file);
  return { cards, diagnostics };
}

/** parseCardFile plus the positions of the values the linter compares across cards. */
export function parseCardFileDetailed(text: string, file: string): DetailedParseResult {
  try {
    return parseUnsafe(String(text), file);
  } catch (err) {
    // A bug here must not take the deck down: report it on the card and leave the card out.
    return { cards: [], diagnostics: [diag(file, 1, 1, 'error', `internal error while parsing this card: ${errorMessage(err)}`)] };
  }
}

/** Lines with their ends removed; CRLF, CR and a BOM do not change line numbers. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

function parseUnsafe(text: string, file: string): DetailedParseResult {
  if (text.length > MAX_CARD_CHARS) return { cards: [], diagnostics: [cardTooLarge(file, text.length)] };
  const diagnostics: DeckDiagnostic[] = [];
  const report: Report = {
    diagnostics,
    err: (line, column, message) => diagnostics.push(diag(file, line, column, 'error', message)),
    warn: (line, column, message) => diagnostics.push(diag(file, line, column, 'warning', message)),
  };
  const lines = splitLines(text);
  const front = readFrontMatter(lines, report);
  if (!front) return { cards: [], diagnostics };
  const fields = readFields(front, report);
  const body = readBody(lines, front.close + 1, report);
  checkFormulas(body, report);
  if (diagnostics.some((d) => d.severity === 'error')) return { cards: [], diagnostics };
  return { cards: [assembleCard(fields, body, file)], diagnostics, info: fields.info };
}

/** The card, from fields and a body that carry no error (so id, level and kind are set). */
function assembleCard(fields: CardFields, body: CardBody, file: string): Card {
  const card: Card = {
    id: fields.id as string,
    level: fields.level as Level,
    kind: fields.kind as Kind,
    tags: fields.tags,
    terms: fields.terms,
    question: body.question,
    answer: body.answer,
    questionHtml: body.questionHtml,
    answerHtml: body.answerHtml,
    file,
    line: body.questionLine,
  };
  if (fields.demo) card.demo = fields.demo;
  if (fields.source !== undefined) card.source = fields.source;
  if (fields.priority !== undefined) card.priority = fields.priority;
  return card;
}
