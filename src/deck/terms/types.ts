// The shapes of the term index and of what the matcher reports, shared by every part of it.
import type { TermRole } from './words';

/** How a term was written in the card, which decides where it may match. */
export type TermKind = 'identifier' | 'dotted' | 'phrase' | 'kwarg';

export interface TermEntry {
  cardId: string;
  /** The term as the card writes it (shown by the CLI and in pick lists). */
  term: string;
  kind: TermKind;
  /** Card front matter `priority` (default 0): higher wins when several cards claim a term. */
  priority: number;
  /** Position of the term in the card's `terms` list: earlier terms are what the card is about. */
  order: number;
  /** Made only of ordinary words: matches only in an RNN context. */
  weak: boolean;
  /** Number of words in the term (ordinary multi-word terms may match inside identifiers). */
  words: number;
  /** Indexed under the last segment of a dotted name (`F.ctc_loss` -> `ctc_loss`), not as written. */
  alias: boolean;
  /** What the term is: a framework's API, a concept, or a naming convention (annotated or inferred). */
  role: TermRole;
  /** Languages and frameworks the term belongs to; empty: any. */
  languages: readonly string[];
  frameworks: readonly string[];
  /** Only as an argument of a call to a recurrent layer. */
  inRnn: boolean;
  /** A part of the classic cells: not in files about modern recurrent models. */
  classic: boolean;
  /** The text must be written exactly so (`caseSensitive`), or be followed by `!` (`bang`, Julia's `reset!`). */
  caseSensitive: boolean;
  bang: boolean;
  /** The term as written in the card, without annotations or a trailing `!`. */
  spelling: string;
  /**
   * An architecture's name (`LSTM`, `GRU`, `CTC`): it may also match as one snake_case or camelCase
   * part of a longer identifier (`lstm_out`, `CharLSTM`). No other term matches inside an identifier.
   */
  component: boolean;
}

export interface TermIndex {
  /** key -> entries, sorted best first. */
  readonly byKey: ReadonlyMap<string, readonly TermEntry[]>;
  /** The most words any term has (bounds the phrase search). */
  readonly maxPhraseWords: number;
  /**
   * The keys spelled out one character at a node (`n` -> `nn` -> `nn.` -> ...), each key's entries
   * on its last node. A run of words is looked up by walking down from the root a word at a
   * time: when the walk falls off, no longer run starting there can be a term, so a search reads
   * only as many words as could still match, and never builds the glued key.
   */
  readonly trie: TrieNode;
  /** Number of cards that contributed at least one term. */
  readonly cardCount: number;
}

/** A node of TermIndex.trie. */
export interface TrieNode {
  readonly next: Map<number, TrieNode>;
  entries?: readonly TermEntry[];
}

/** The node reached from `node` by the characters of `chars`, or undefined. */
export function descend(node: TrieNode | undefined, chars: string): TrieNode | undefined {
  for (let i = 0; node && i < chars.length; i++) node = node.next.get(chars.charCodeAt(i));
  return node;
}

export interface TermContext {
  /** The document is about RNNs (see isRnnContext): weak terms match only when this is true. */
  rnn?: boolean;
  /**
   * The document is about modern recurrent models (Mamba, RWKV, xLSTM, ...): the classic cells'
   * parts (`@classic` terms) and architecture names inside identifiers do not match in it.
   */
  modern?: boolean;
  /** The document's language (a VS Code language id: python, julia, rust, markdown, ...). */
  language?: string;
  /** The frameworks the document imports (see documentTopic); undefined: not known. */
  frameworks?: readonly string[];
  /** The names the document binds to imported modules (`rnn` after `from mxnet.gluon import rnn`). */
  modules?: readonly string[];
  /** Parameters of the recurrent layers the document defines (see documentTopic): `@in-rnn` terms match there as names. */
  layerParams?: readonly string[];
  /** The lines around the cursor's line, for phrases wrapped across a line break. */
  prevLine?: string;
  nextLine?: string;
  /** The k-th line above the cursor's line (k >= 1), for a call whose arguments span lines; without it only prevLine. */
  lineAbove?: (k: number) => string | undefined;
}

export interface TermMatch {
  /** The best card's term as the card writes it. */
  term: string;
  /** What that term is: a framework's API, a concept, or a naming convention. */
  role: TermRole;
  /** The matched text as written in the document (a wrapped phrase joined with one space). */
  text: string;
  /** 0-based columns of the match on the cursor's line; `end` is exclusive. */
  start: number;
  end: number;
  /** Cards for the term, best first (priority, then the more specific match). */
  cardIds: string[];
  /** The phrase began on the previous line (so a scan of the whole text has reported it already). */
  fromPreviousLine: boolean;
}

export interface FoundTerm {
  /** 1-based, as editors print positions. */
  line: number;
  column: number;
  term: string;
  cardIds: string[];
}
