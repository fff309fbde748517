// The Card model shared by the host, the CLI, the build and (as plain data) the webviews.
// Pure: no vscode, no DOM.

export const LEVELS = ['foundational', 'intermediate', 'advanced', 'expert'] as const;
export type Level = (typeof LEVELS)[number];

export const KINDS = ['concept', 'system-design', 'coding', 'math', 'cert'] as const;
export type Kind = (typeof KINDS)[number];

/** Demo ids the lab knows; a card's `demo` must name one of these. */
export const DEMOS = ['lstm-forward', 'bptt', 'train', 'ctc', 'bidirectional', 'rnn-vs-attention', 'seq2seq'] as const;
export type DemoId = (typeof DEMOS)[number];

/**
 * The decks bundled with the extension, each compiled from one folder of card files (not its
 * subfolders). `source` is what the linter asks of a card's `source` field there: `seed-or-url`
 * lets the seed deck keep `source: seed` (its cards were imported from the seed file); `url`
 * asks every card for the documentation that backs it (see SOURCE_URL in ./lint.ts).
 */
export const BUNDLED_DECKS = [
  { id: 'foundations', name: 'RNN foundations', dir: 'cards', source: 'seed-or-url' },
  { id: 'practice', name: 'RNNs in practice', dir: 'cards/practice', source: 'url' },
] as const satisfies readonly { id: string; name: string; dir: string; source: 'seed-or-url' | 'url' }[];
export type BundledDeckId = (typeof BUNDLED_DECKS)[number]['id'];

/** The deck every card from the `rnnLens.decks` files belongs to. */
export const USER_DECK = { id: 'user', name: 'Your decks' } as const;

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
