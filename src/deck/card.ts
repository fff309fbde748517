// The Card model shared by the host, the CLI and the build. The words a card is written in
// (levels, kinds, decks, demos) are protocol's, since the webviews show them too; they are
// re-exported here for the deck code. Pure: no vscode, no DOM.
import type { Kind, Level } from '../../protocol/common';
import type { DemoId } from '../../protocol/lab';

export { BUNDLED_DECKS, KINDS, LEVELS, USER_DECK, type BundledDeckId, type Kind, type Level } from '../../protocol/common';
export { DEMOS, type DemoId } from '../../protocol/lab';

export interface Card {
  id: string;
  /** The deck it belongs to: a BUNDLED_DECKS id, or USER_DECK.id (unset: a user card). */
  deck?: string;
  level: Level;
  kind: Kind;
  tags: string[];
  terms: string[];
  demo?: DemoId;
  source?: string;
  /** Tie-break for a term several cards claim: the highest priority is the best match (default 0). */
  priority?: number;
  /** Markdown source of the question (the first level-1 heading, without `# `). */
  question: string;
  /** Markdown source of the answer (everything after the question heading). */
  answer: string;
  /**
   * Sanitised HTML (markdown-it, html disabled): raw HTML shows as text, and each formula is an
   * empty `[data-tex]` element for the webview to draw with katex.render (see cardHtml.ts).
   */
  questionHtml: string;
  answerHtml: string;
  /** Where the card came from: a path (relative for the bundled deck) and the question's line (1-based). */
  file: string;
  line: number;
}

export type Severity = 'error' | 'warning';

export interface DeckDiagnostic {
  file: string;
  /** 1-based line and column, as editors and `file:line:col` print them. */
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

export interface ParseResult {
  cards: Card[];
  diagnostics: DeckDiagnostic[];
}

/** The deck compiled from cards/ at build time (virtual module `rnn-lens:bundled-deck`). */
export interface BundledDeck {
  version: 1;
  cards: Card[];
  /**
   * Each card's key equation, drawn at build time as an SVG for hover tips (keyed by card id).
   * The extension's bundles leave it out: they load it as `rnn-lens:bundled-equations`.
   */
  equations?: Record<string, { tex: string; svg?: string }>;
}
