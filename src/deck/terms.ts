// The term index and matcher behind hover tips, `Explain Term at Cursor` and the `terms` CLI.
// Pure: no vscode, no DOM.
//
// Every term and every piece of text is reduced to a *key*: its words (split at spaces, `_`,
// `-` and camelCase humps), lower-cased and glued together, so `hidden_size`, `hiddenSize`,
// `HIDDEN_SIZE` and "hidden size" are one key. Dotted API names keep their dots between
// segments (`nn.LSTM` -> `nn.lstm`), so `torch.nn.LSTM` can match its longest known suffix.
//
// Precision over recall: a hover on an everyday word is noise that makes people switch the
// feature off. Terms whose key is an ordinary word (gate, state, cell, attention, ...) are
// *weak*: they match only when the caller says the document is about RNNs (`isRnnContext`,
// computed once per document version by the host). Inside a longer identifier only strong
// terms (and, in an RNN context, ordinary phrases) match: `CharLSTM` -> LSTM, `init_hidden_state`
// -> "hidden state", but `state_dict` is never "state".
//
// Where nobody wants a flashcard the matcher stays quiet even on a strong term: inside URLs, file
// paths, Markdown image syntax and link targets, reStructuredText document roles and figures,
// `#include` lines, strings that only name something (`make_rng('lstm')`, `{'lstm': True}`) and
// the product name "RNN Lens" (see QUIET).
//
// Cost: `termAt` looks at a bounded window around the cursor (one line, plus the ends of the
// neighbouring lines for phrases wrapped in comments), so it does not grow with the file.
// `scanTerms` finds what `termAt` finds at every word in one pass over the text: words are looked
// up in a trie of the keys and a lookup stops at the first word no key continues with, so its
// time grows with the text, not with the length of the terms; it reads at most MAX_SCAN_CHARS.
import type { Card } from './card';

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
function descend(node: TrieNode | undefined, chars: string): TrieNode | undefined {
  for (let i = 0; node && i < chars.length; i++) node = node.next.get(chars.charCodeAt(i));
  return node;
}

export interface TermContext {
  /** The document is about RNNs (see isRnnContext): weak terms match only when this is true. */
  rnn?: boolean;
  /** The lines around the cursor's line, for phrases wrapped across a line break. */
  prevLine?: string;
  nextLine?: string;
}

export interface TermMatch {
  /** The best card's term as the card writes it. */
  term: string;
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

// ---------------------------------------------------------------------------------------------
// Words that are ordinary English or everyday code vocabulary: a term made only of them is
// weak ("state", "cell state", "batch_first", "hidden_size" all occur in code that has nothing
// to do with RNNs). Keep this list about meaning, not about the current deck.

const ORDINARY_WORDS = new Set([
  'activation', 'adam', 'alignment', 'attention', 'audio', 'backward', 'batch', 'beam', 'bias', 'biases',
  'bidirectional', 'blank', 'candidate', 'carry', 'cell', 'cells', 'chunk', 'clip', 'clipping',
  'collapse', 'context', 'conv', 'decoder', 'dense', 'decoding', 'detach', 'dropout', 'embedding', 'encoder', 'epoch',
  'first', 'forget', 'forward', 'global', 'grad', 'frame', 'frames', 'gate', 'gated', 'gates', 'gating',
  'gradient', 'gradients', 'graph', 'greedy', 'hidden', 'highway', 'identity', 'input', 'inputs',
  'jacobian', 'latency', 'layer', 'layers', 'linear', 'logits', 'loss', 'mask', 'masking', 'matrix', 'mechanism', 'memory',
  'model', 'module', 'network', 'norm', 'orthogonal', 'output', 'outputs', 'pack', 'packed',
  'padding', 'parallelism', 'parameter', 'parameters', 'perplexity', 'recurrence', 'recurrent', 'relu', 'reset', 'residual',
  'saturation', 'search', 'sequence', 'sequences', 'sequential', 'sgd', 'sigmoid', 'skip', 'softmax', 'spectral',
  'size', 'state', 'stateful', 'states', 'step', 'steps', 'streaming', 'tagging', 'tanh', 'time',
  'token', 'tokens', 'transformer', 'transformers', 'truncation', 'unit', 'units', 'unroll',
  'unrolled', 'unrolling', 'update', 'vector', 'vocab', 'weight', 'weights', 'window',
  // glue words of phrases and parameter names
  'joint', 'prediction', 'prefix', 'path', 'constant', 'maximum', 'minimum',
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'by', 'for', 'per', 'through', 'num', 'n', 'is', 'use',
  'return', 'last', 'length', 'lengths', 'dim', 'features', 'out', 'init', 'initial', 'get', 'set',
  // framework vocabulary that is not RNN-specific (Dense layers, VAEs and GANs use it too)
  'detach', 'embed', 'embeddings', 'initializer', 'kernel', 'latent', 'predictor', 'seq',
]);

/** Keys this short are initials or maths symbols (`h`, `ct`): too ambiguous without context. */
const MIN_STRONG_KEY_LENGTH = 3;

/** Half-width of the window of the line the matcher reads around the cursor. */
const WINDOW = 256;

/** Terms with more words than this, or a longer key, are not indexed. */
export const MAX_TERM_WORDS = 64;
export const MAX_TERM_KEY_CHARS = 512;

/**
 * `findTermsInText` reads at most this many characters of a text (up to the last line break
 * before the limit); `scanTerms` says when it stopped early.
 */
export const MAX_SCAN_CHARS = 1_000_000;

/** An identifier segment longer than this is data or minified code, never a term. */
const MAX_SEGMENT_CHARS = 128;

// ---------------------------------------------------------------------------------------------
// Words and keys

interface Word {
  /** 0-based offsets in the string the word came from. */
  start: number;
  end: number;
  lower: string;
}

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isIdentChar = (c: number): boolean => isAlnum(c) || c === 95; // [A-Za-z0-9_]

/**
 * Splits an identifier or phrase into words at non-alphanumerics and camelCase humps:
 * `GRUCell` -> gru|cell, `hiddenSize` -> hidden|size, `clip_grad_norm_` -> clip|grad|norm.
 * Digits stay with the letters before them (`seq2seq`, `conv1d` are one word).
 */
export function splitWords(s: string, offset = 0): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isAlnum(s.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (!isAlnum(c)) break;
      const prev = s.charCodeAt(i - 1);
      // lower|Upper hump: hidden|Size
      if (isUpper(c) && isLowerOrDigit(prev)) break;
      // UPPER|Upperlower hump: GRU|Cell, LSTM|Cell
      if (isUpper(c) && isUpper(prev) && i + 1 < s.length && s.charCodeAt(i + 1) >= 97 && s.charCodeAt(i + 1) <= 122) break;
      i++;
    }
    words.push({ start: start + offset, end: i + offset, lower: s.slice(start, i).toLowerCase() });
  }
  return words;
}

/** Singular forms a plural last word may stand for: gradients -> gradient, dependencies -> dependency. */
function singulars(word: string): string[] {
  const out: string[] = [];
  if (word.length > 3 && word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  if (word.length > 3 && word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  return out;
}

const keyOf = (words: readonly string[]): string => words.join('');

/** The key of a term as written in a card (what the CLI and the deck linter compare). */
export function normalizeTerm(term: string): string {
  return parseTerm(term)?.key ?? '';
}

interface ParsedTerm {
  kind: TermKind;
  key: string;
  words: string[];
  /** Dotted names: the words of the last segment. */
  lastSegmentWords?: string[];
}

function parseTerm(raw: string): ParsedTerm | undefined {
  let term = raw.trim().replace(/\(\)$/, '');
  if (!term) return undefined;
  const kwarg = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(term);
  if (kwarg) {
    const words = splitWords(kwarg[1]).map((w) => w.lower);
    return words.length ? { kind: 'kwarg', key: keyOf(words), words } : undefined;
  }
  if (!/\s/.test(term) && /[A-Za-z0-9_](\.|::)[A-Za-z_]/.test(term)) {
    term = term.replace(/::/g, '.');
    const segments = term.split('.').filter(Boolean).map((s) => splitWords(s).map((w) => w.lower));
    if (segments.some((s) => s.length === 0)) return undefined;
    const last = segments[segments.length - 1];
    return {
      kind: 'dotted',
      key: segments.map(keyOf).join('.'),
      words: segments.flat(),
      lastSegmentWords: last,
    };
  }
  const words = splitWords(term).map((w) => w.lower);
  if (words.length === 0) return undefined;
  return { kind: /[\s-]/.test(term) ? 'phrase' : 'identifier', key: keyOf(words), words };
}

function isWeakKey(key: string, words: readonly string[]): boolean {
  return key.length < MIN_STRONG_KEY_LENGTH || words.every((w) => ORDINARY_WORDS.has(w));
}

/** The parser only lets finite integers through; this also guards hand-made Card objects. */
function cardPriority(card: Card): number {
  return Number.isFinite(card.priority) ? (card.priority as number) : 0;
}

// ---------------------------------------------------------------------------------------------
// Index

function compareEntries(a: TermEntry, b: TermEntry): number {
  return b.priority - a.priority
    || Number(a.alias) - Number(b.alias)
    || a.order - b.order
    || (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0);
}

/** Builds the index from every card's `terms`. Cheap: a map insert per term and plural form. */
export function buildTermIndex(cards: readonly Card[]): TermIndex {
  const byKey = new Map<string, TermEntry[]>();
  const cardsWithTerms = new Set<string>();
  let maxPhraseWords = 1;
  const add = (key: string, entry: TermEntry) => {
    maxPhraseWords = Math.max(maxPhraseWords, entry.words);
    const list = byKey.get(key) ?? [];
    // One entry per card and key (keyword-only claims apart, since they match in fewer places):
    // the card's earliest, non-alias claim.
    const existing = list.findIndex((e) => e.cardId === entry.cardId && (e.kind === 'kwarg') === (entry.kind === 'kwarg'));
    if (existing >= 0) {
      if (compareEntries(entry, list[existing]) < 0) list[existing] = entry;
    } else {
      list.push(entry);
    }
    byKey.set(key, list);
  };
  for (const card of cards) {
    const priority = cardPriority(card);
    card.terms.forEach((term, order) => {
      const parsed = parseTerm(term);
      // A term longer than anyone would hover is not indexed (and cannot make the index large).
      if (!parsed || parsed.words.length > MAX_TERM_WORDS || parsed.key.length > MAX_TERM_KEY_CHARS) return;
      cardsWithTerms.add(card.id);
      const base = { cardId: card.id, term: term.trim(), kind: parsed.kind, priority, order, alias: false, words: parsed.words.length };
      if (parsed.kind === 'dotted') {
        const lastWords = parsed.lastSegmentWords ?? [];
        const last = keyOf(lastWords);
        // `torch.nn.utils.clip_grad_norm_` is generic training code: weak like its last segment.
        add(parsed.key, { ...base, weak: isWeakKey(last, lastWords) });
        // The bare last segment of an API name is a term of its own unless it is an ordinary word
        // (`nn.Linear` must not make every "linear" a hover).
        if (last && !isWeakKey(last, lastWords)) {
          add(last, { ...base, weak: false, alias: true, words: lastWords.length });
        }
        return;
      }
      const weak = isWeakKey(parsed.key, parsed.words);
      add(parsed.key, { ...base, weak });
      if (parsed.words.length > 1) {
        // A plural term also answers to its singular ("vanishing gradients" ~ "vanishing gradient").
        const head = parsed.words.slice(0, -1);
        for (const s of singulars(parsed.words[parsed.words.length - 1])) {
          const key = keyOf([...head, s]);
          add(key, { ...base, weak });
        }
      }
    });
  }
  for (const list of byKey.values()) list.sort(compareEntries);
  const trie: TrieNode = { next: new Map() };
  for (const [key, entries] of byKey) {
    let node = trie;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map() }));
      node = child;
    }
    node.entries = entries;
  }
  return { byKey, maxPhraseWords, trie, cardCount: cardsWithTerms.size };
}

// ---------------------------------------------------------------------------------------------
// RNN context

/**
 * Evidence that a text is about recurrent networks: the names of the architectures and of the
 * APIs that build them. Upper-case names also count inside identifiers (`CharLSTM`, `BiGRU`);
 * lower-case ones must stand as words (`lstm_out`, `rnn.`), so `grunt` or `grub` do not count.
 */
const RNN_EVIDENCE = new RegExp(
  [
    String.raw`(?:LSTM|GRU|RNN|BPTT)`,
    String.raw`(?<![A-Za-z])(?:lstm|gru|rnn|bptt|seq2seq|elman)(?![a-z])`,
    String.raw`(?<![A-Za-z])(?:Lstm|Gru|Rnn|Seq2Seq|Seq2seq|Elman)(?![a-z])`,
    // "recurrent" alone is also billing vocabulary; Keras' recurrent_dropout & co. are not.
    String.raw`(?<![A-Za-z])[Rr]ecurrent[ _]?(?:[Nn]eural|[Nn]et|[Ll]ayer|[Uu]nit|[Cc]ell|[Dd]ropout|[Ww]eight|[Kk]ernel|[Ss]tate|[Aa]ctivation|[Ii]nitializer|[Rr]egularizer|[Cc]onstraint|[Cc]onnection|[Mm]odel)`,
    String.raw`(?<![A-Za-z])(?:[Ff]orget[_ -]?[Gg]ate|[Bb]ackpropagation[ -][Tt]hrough[ -][Tt]ime)`,
  ].join('|'),
);

/**
 * Whether a document is about RNNs, so that ordinary words (gate, state, cell, attention) may
 * be terms in it. One regular-expression scan: the host computes it once per document version.
 */
export function isRnnContext(text: string): boolean {
  return RNN_EVIDENCE.test(text);
}

// ---------------------------------------------------------------------------------------------
// Quiet spans: where a term's name is part of an address or a label, not a mention

const FILE_EXTENSIONS = 'png|jpe?g|gif|svg|webp|pdf|txt|csv|tsv|json|ya?ml|md|rst|html?|ipynb|py|pt|pth|ckpt|h5|hdf5|onnx|npy|npz|pkl|wav|flac|mp3|tar|gz|zip|cpp|hpp|jl';
const FILE_NAME_END = new RegExp(String.raw`\.(?:${FILE_EXTENSIONS})(?![\w(])`);
const PATH_CALL = /\b(?:join|Path|open|exists|isfile|isdir|makedirs|listdir|glob)\(/;

/**
 * Parts of a line where a term is only part of a name or address: nobody hovering there wants a
 * flashcard. Each pattern runs only on lines holding its marker, and none of them backtracks over
 * more than one token, so the check stays linear in the line.
 */
const QUIET: readonly { marker: (line: string) => boolean; pattern: RegExp }[] = [
  // URLs
  { marker: (s) => s.includes('://') || s.includes('www.'), pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"'`()[\]]*|\bwww\.[^\s<>"'`()[\]]+/g },
  // C and C++ includes
  { marker: (s) => s.includes('#'), pattern: /^\s*#\s*(?:include|import)\s*[<"].*$/g },
  // Markdown images (alt text and target), link targets, reference definitions
  { marker: (s) => s.includes(']'), pattern: /!\[[^[\]]*\]\([^()]*\)|\]\([^()\s[\]]*(?:\s+"[^"]*")?\)|^\s*\[[^\]]+\]:\s*\S+/g },
  // reStructuredText document roles, figure and image directives, directive options
  { marker: (s) => s.includes(':`') || s.includes('..') || /^\s*(?:#+|\/\/+|\*)?\s*:/.test(s), pattern: /:(?:doc|ref|download|numref|file|label|any|rfc|pep):`[^`]*`|^\s*(?:#+|\/\/+|\*)?\s*\.\.\s+(?:figure|image|include|literalinclude|video|download|raw)::.*$|^\s*(?:#+|\/\/+|\*)?\s*:(?:alt|target|align|width|height|scale|class|name|figwidth|figclass):(?!`).*$/g },
  // HTML images and address attributes
  { marker: (s) => s.includes('=') || s.includes('<img'), pattern: /<img\b[^<>]*>|\b(?:src|href|alt)\s*=\s*(?:"[^"\n]*"|'[^'\n]*')/gi },
  // file paths: a string holding a slash, a path from `/`, `./`, `~/`, a file name with an extension
  { marker: (s) => s.includes('/') || s.includes('\\'), pattern: /"[^"\s]*[/\\][^"\s]*"|'[^'\s]*[/\\][^'\s]*'|(?:^|(?<=[\s(=,[]))(?:~|\.{1,2})?\/[\w.-]+(?:\/[\w.-]*)*/g },
  { marker: (s) => FILE_NAME_END.test(s), pattern: new RegExp(String.raw`(?<![\w/-])[\w/-]*[\w-]\.(?:${FILE_EXTENSIONS})(?![\w(])`, 'g') },
  // strings that only name something: dict keys, subscripts, names given to layers, RNG streams, scopes
  { marker: (s) => s.includes('"') || s.includes("'"), pattern: /(?<=(?:^|[{,])\s*)(?:"[A-Za-z_][\w.-]*"|'[A-Za-z_][\w.-]*')(?=\s*:(?!:))|(?<=[\w)\]]\s*\[\s*)(?:"[A-Za-z_][\w.-]*"|'[A-Za-z_][\w.-]*')(?=\s*\])|(?<=\b(?:make_rng|param|variable|get_variable|name_scope|variable_scope|register_buffer|register_parameter|add_module|get_submodule|get_parameter|sow)\(\s*|\b(?:name|scope|prefix|rng_name|collection)\s*=\s*)(?:"[^"\n]*"|'[^'\n]*')/g },
  // strings that build paths (`os.path.join(root, 'lstm')`)
  { marker: (s) => PATH_CALL.test(s), pattern: /(?<=\b(?:join|Path|open|exists|isfile|isdir|makedirs|listdir|glob)\([^()\n]{0,80})(?:"[^"\n]*"|'[^'\n]*')/g },
  // the product's own name
  { marker: (s) => s.includes('ens'), pattern: /(?<![A-Za-z0-9])[Rr][Nn][Nn][ _-]?[Ll]ens(?![a-z])/g },
];

/** The quiet spans of a line (or of the window of it that the matcher reads), as [start, end). */
function quietSpans(s: string): [number, number][] {
  const out: [number, number][] = [];
  for (const { marker, pattern } of QUIET) {
    if (!marker(s)) continue;
    for (const m of s.matchAll(pattern)) if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

const isQuiet = (quiet: readonly [number, number][], c: { start: number; end: number }): boolean =>
  quiet.some(([qs, qe]) => c.start < qe && qs < c.end);

// ---------------------------------------------------------------------------------------------
// Matching around a position

interface Candidate {
  /** Offsets in the window string. */
  start: number;
  end: number;
  entries: readonly TermEntry[];
  /** Longer matches are more specific. */
  length: number;
  fromPreviousLine: boolean;
  text: string;
}

/**
 * Entries that may match here: strong ones always, weak ones in an RNN context, and inside a
 * longer identifier (`insideIdentifier`) never a weak single word (`state_dict` is not "state").
 */
function usable(entries: readonly TermEntry[] | undefined, rnn: boolean, insideIdentifier: boolean): TermEntry[] {
  if (!entries) return [];
  return entries.filter((e) => !e.weak || (rnn && (!insideIdentifier || e.words > 1)));
}

/** Index entries for words glued into `key`, the last of them `last`, trying its singular forms. */
function lookupGlued(index: TermIndex, key: string, last: string): readonly TermEntry[] | undefined {
  const hit = index.byKey.get(key);
  if (hit || last.charCodeAt(last.length - 1) !== 115 /* s */) return hit;
  const head = key.slice(0, key.length - last.length);
  for (const s of singulars(last)) {
    const h = index.byKey.get(head + s);
    if (h) return h;
  }
  return undefined;
}

/** Where walkWords writes what it found: the end of each run that is a term, and its entries. */
const walkEnds: number[] = [];
const walkHits: (readonly TermEntry[])[] = [];

/**
 * Finds every run `lowers[a..b)` that is a term, b growing from a + 1 up to `limit`, trying
 * singular forms of the last word; writes them to walkEnds / walkHits and returns how many. Walks
 * the index trie a word at a time and stops where it falls off, so it reads as many words as the
 * longest term starting at `a` could have matched, usually one.
 */
function walkWords(index: TermIndex, lowers: readonly string[], a: number, limit: number): number {
  let found = 0;
  let node: TrieNode | undefined = index.trie;
  for (let b = a + 1; b <= limit && node; b++) {
    const w = lowers[b - 1];
    const head: TrieNode = node;
    node = descend(head, w);
    let hit = node?.entries;
    if (!hit && w.charCodeAt(w.length - 1) === 115 /* s */) {
      for (const s of singulars(w)) if ((hit = descend(head, s)?.entries)) break;
    }
    if (hit) {
      walkEnds[found] = b;
      walkHits[found++] = hit;
    }
  }
  return found;
}

/** Acronym plurals in prose: LSTMs, RNNs, GRUs. */
function acronymSingular(segment: string): string | undefined {
  return /^[A-Z][A-Z0-9]+s$/.test(segment) ? segment.slice(0, -1).toLowerCase() : undefined;
}

/**
 * Words before which an ordinary word is an idiom, not a term: "pay attention", "draw attention".
 * Checked only for weak single words (strong terms are unambiguous).
 */
const IDIOM_BEFORE = /(?:^|[^A-Za-z])(?:pay|pays|paid|paying|draw|draws|drew|drawn|needs|undivided|special|close|your|my|our|their)\s+$/i;

const isKwargPosition = (s: string, end: number): boolean => /^\s*(?:=(?!=)|:\s*\S)/.test(s.slice(end, end + 8)) && !/^\s*::/.test(s.slice(end, end + 8));

/**
 * Code-shaped matches: the identifier under the cursor with the dotted chain before it
 * (`torch.nn.LSTM` -> tries `torch.nn.lstm`, `nn.lstm`, `lstm`), and strong terms inside
 * longer identifiers (`CharLSTM`, `init_hidden_state`).
 */
function identifierCandidates(index: TermIndex, s: string, pos: number, rnn: boolean, out: Candidate[], words?: Word[]): void {
  const chain = dottedChain(s, pos, words);
  if (!chain) return;
  dottedNameCandidates(index, s, chain, rnn, out);
  comprehensionCandidate(index, s, chain, rnn, out);
  innerWordCandidates(index, s, chain.cursorWords, rnn, out);
}

/** The identifier at the cursor and the segments chained to it by `.` or `::` on either side. */
interface DottedChain {
  segments: { start: number; end: number }[];
  /** Which of `segments` holds the cursor. */
  cursorIndex: number;
  /** The cursor's segment's end in the line. */
  segEnd: number;
  /** The cursor's segment as words (camelCase, snake_case and digits split). */
  cursorWords: Word[];
  /** segKey's results, by segment. */
  keys: string[];
}

/** The chain at `pos`; undefined where there is no identifier, or one too long to be a name. */
function dottedChain(s: string, pos: number, words?: Word[]): DottedChain | undefined {
  if (pos >= s.length || !isIdentChar(s.charCodeAt(pos))) return undefined;
  let segStart = pos;
  while (segStart > 0 && isIdentChar(s.charCodeAt(segStart - 1))) segStart--;
  let segEnd = pos;
  while (segEnd < s.length && isIdentChar(s.charCodeAt(segEnd))) segEnd++;
  if (segEnd - segStart > MAX_SEGMENT_CHARS) return undefined;
  // Julia mutating functions (`reset!`) and the like are not dotted; only `.` and `::` chain.
  const segments: { start: number; end: number }[] = [{ start: segStart, end: segEnd }];
  let left = segStart;
  for (;;) {
    let sep = 0;
    if (left >= 1 && s[left - 1] === '.' && !(left >= 2 && s[left - 2] === '.')) sep = 1;
    else if (left >= 2 && s[left - 1] === ':' && s[left - 2] === ':') sep = 2;
    if (!sep) break;
    let st = left - sep;
    const e = st;
    while (st > 0 && e - st <= MAX_SEGMENT_CHARS && isIdentChar(s.charCodeAt(st - 1))) st--;
    if (st === e || e - st > MAX_SEGMENT_CHARS || segments.length >= 8) break;
    segments.unshift({ start: st, end: e });
    left = st;
  }
  const cursorIndex = segments.length - 1;
  // The chain may go on to the right of the cursor (`nn` in `nn.LSTM`): whole dotted names
  // that contain the cursor's segment match from any of their segments.
  let right = segEnd;
  while (segments.length < 16) {
    const sep = s[right] === '.' && s[right + 1] !== '.' ? 1 : s[right] === ':' && s[right + 1] === ':' ? 2 : 0;
    if (!sep) break;
    let e = right + sep;
    while (e < s.length && e - right <= MAX_SEGMENT_CHARS && isIdentChar(s.charCodeAt(e))) e++;
    if (e === right + sep || e - right > MAX_SEGMENT_CHARS) break;
    segments.push({ start: right + sep, end: e });
    right = e;
  }
  const cursorWords = words ?? splitWords(s.slice(segStart, segEnd), segStart);
  if (cursorWords.length === 0) return undefined;
  return { segments, cursorIndex, segEnd, cursorWords, keys: [] };
}

/** A segment's key is its letters and digits, lower-cased (what keyOf(splitWords(..)) gives). */
function segKey(s: string, chain: DottedChain, k: number): string {
  return (chain.keys[k] ??= k === chain.cursorIndex
    ? keyOf(chain.cursorWords.map((w) => w.lower))
    : s.slice(chain.segments[k].start, chain.segments[k].end).replace(/_/g, '').toLowerCase());
}

/**
 * Whole dotted names through the cursor's segment and on to its right, and dotted suffixes
 * ending at it (`torch.nn.LSTM` -> `torch.nn.lstm`, `nn.lstm`, `lstm`), each walked from its
 * first segment only while the key can still grow into a term.
 */
function dottedNameCandidates(index: TermIndex, s: string, chain: DottedChain, rnn: boolean, out: Candidate[]): void {
  const { segments, cursorIndex, segEnd, cursorWords } = chain;
  const segStart = segments[cursorIndex].start;
  const through: Candidate[][] = [];
  const suffixes: Candidate[] = [];
  let kwarg: boolean | undefined;
  for (let i = 0; i <= cursorIndex; i++) {
    let key = segKey(s, chain, i);
    let node = descend(index.trie, key);
    if (!node && i < cursorIndex) continue;
    for (let j = i; j < segments.length; j++) {
      if (j > i) {
        key += '.' + segKey(s, chain, j);
        node = descend(node?.next.get(46 /* . */), segKey(s, chain, j));
      }
      if (j > cursorIndex) {
        const ok = usable(index.byKey.get(key), rnn, false);
        if (ok.length > 0) {
          const start = segments[i].start;
          const end = segments[j].end;
          (through[j] ??= []).push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
        }
      } else if (j === cursorIndex) {
        let entries = index.byKey.get(key);
        if (!entries && i === cursorIndex) {
          entries = lookupGlued(index, key, cursorWords[cursorWords.length - 1].lower);
          const acr = s.charCodeAt(segEnd - 1) === 115 /* s */ ? acronymSingular(s.slice(segStart, segEnd)) : undefined;
          if (!entries && acr) entries = index.byKey.get(acr);
        }
        if (entries) {
          // A keyword-only term (`bidirectional=True`) needs keyword position; an ordinary word
          // after "pay" or "draw" is an idiom.
          const idiom = cursorIndex === 0 && IDIOM_BEFORE.test(s.slice(Math.max(0, segStart - 24), segStart));
          kwarg ??= isKwargPosition(s, segEnd);
          const ok = usable(entries, rnn, false).filter((e) => (e.kind !== 'kwarg' || kwarg) && !(idiom && e.weak && e.words === 1));
          if (ok.length > 0) {
            const start = segments[i].start;
            suffixes.push({ start, end: segEnd, entries: ok, length: segEnd - start, fromPreviousLine: false, text: s.slice(start, segEnd) });
          }
        }
      }
      if (!node) break;
    }
  }
  for (let j = segments.length - 1; j > cursorIndex; j--) if (through[j]) out.push(...through[j]);
  out.push(...suffixes);
}

/**
 * A comprehension's variable stands for what it iterates over: in `tuple(v.detach() for v in h)`
 * the `v.detach()` is `h.detach()`.
 */
function comprehensionCandidate(index: TermIndex, s: string, chain: DottedChain, rnn: boolean, out: Candidate[]): void {
  const { segments, cursorIndex } = chain;
  const k = cursorIndex === 0 ? 0 : cursorIndex - 1;
  if (k === 0 && segments.length >= 2 && out.every((c) => c.start !== segments[0].start || c.end !== segments[1].end)) {
    const receiver = s.slice(segments[0].start, segments[0].end);
    const after = s.slice(segments[1].end, segments[1].end + 160);
    const source = after.includes('for') && new RegExp(String.raw`^[^\n]*?\bfor\s+${receiver}\s+in\s+([A-Za-z_]\w*)\b`).exec(after)?.[1];
    const ok = source ? usable(index.byKey.get(`${source.replace(/_/g, '').toLowerCase()}.${segKey(s, chain, 1)}`), rnn, false) : [];
    if (ok.length > 0) {
      const start = segments[0].start;
      const end = segments[1].end;
      out.push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
    }
  }
}

/** Strong terms inside a longer identifier: word spans of the cursor's segment. */
function innerWordCandidates(index: TermIndex, s: string, cursorWords: Word[], rnn: boolean, out: Candidate[]): void {
  const n = cursorWords.length;
  if (n < 2) return;
  const lowers = cursorWords.map((w) => w.lower);
  for (let a = 0; a < n; a++) {
    const found = walkWords(index, lowers, a, Math.min(n, a + index.maxPhraseWords));
    for (let f = 0; f < found; f++) {
      const b = walkEnds[f];
      if (a === 0 && b === n) continue; // the whole segment was tried above
      const ok = usable(walkHits[f], rnn, true).filter((e) => e.kind !== 'kwarg');
      if (ok.length === 0) continue;
      const start = cursorWords[a].start;
      const end = cursorWords[b - 1].end;
      out.push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
    }
  }
}

interface ProseWord extends Word {
  /** Which string it came from: -1 previous line, 0 the cursor's line, 1 next line. */
  line: -1 | 0 | 1;
}

/** Whether s[from, to) may stand between the words of a phrase: spaces or tabs, or one hyphen. */
function isPhraseGap(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  let hyphens = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) hyphens++;
    else if (c !== 32 && c !== 9) return false;
  }
  return hyphens <= 1;
}
/** A comment or quote marker at the start of a continuation line ("# through time"). */
const CONTINUATION_PREFIX = /^[ \t]*(?:#+|\/\/+|\/?\*+|--+|;+|%+|>+)?[ \t]*/;
/** Nothing but such a marker before the first word of a line: a phrase may come from the line above. */
const ONLY_CONTINUATION_PREFIX = /^[ \t]*(?:#+|\/\/+|\/?\*+|--+|;+|%+|>+)?[ \t]*$/;

/** Alphanumeric runs of a string (no camelCase split: prose words). */
function proseWords(s: string, line: -1 | 0 | 1): ProseWord[] {
  const out: ProseWord[] = [];
  const re = /[A-Za-z0-9]+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase(), line });
  return out;
}

/** The last words of the previous line that a phrase wrapped onto this one may begin with. */
function wrappedFromPrevious(prevLine: string, maxWords: number): ProseWord[] {
  let last = prevLine.length - 1;
  while (last >= 0 && (prevLine[last] === ' ' || prevLine[last] === '\t' || prevLine[last] === '-')) last--;
  if (last < 0 || !isAlnum(prevLine.charCodeAt(last))) return [];
  const prev = prevLine.slice(-WINDOW);
  const pw = proseWords(prev, -1);
  const take: ProseWord[] = [];
  for (let k = pw.length - 1; k >= 0 && take.length < maxWords - 1; k--) {
    const gap = prev.slice(pw[k].end, k + 1 < pw.length ? pw[k + 1].start : prev.length);
    if (k === pw.length - 1 ? !/^[ \t-]*$/.test(gap) : !isPhraseGap(prev, pw[k].end, pw[k + 1].start)) break;
    take.unshift(pw[k]);
  }
  return take;
}

/** The first words of the next line (after a comment marker) that may end a wrapped phrase. */
function wrappedToNext(nextLine: string, maxWords: number): ProseWord[] {
  const next = nextLine.slice(0, WINDOW);
  const prefix = CONTINUATION_PREFIX.exec(next)?.[0].length ?? 0;
  const nw = proseWords(next, 1);
  let k = 0;
  while (k < nw.length && nw[k].start < prefix) k++;
  if (k >= nw.length || nw[k].start !== prefix) return [];
  const take: ProseWord[] = [nw[k]];
  while (take.length < maxWords - 1 && k + 1 < nw.length && isPhraseGap(next, nw[k].end, nw[k + 1].start)) {
    k++;
    take.push(nw[k]);
  }
  return take;
}

/**
 * Multi-word phrases of `seq` (words joined by phrase gaps) that start at a word in
 * [aFrom, aTo] and end after word `minEnd - 1`, each with at least one word on the line `s`.
 */
function phraseSpans(
  index: TermIndex, seq: readonly ProseWord[], s: string, rnn: boolean, ctx: TermContext | undefined,
  aFrom: number, aTo: number, minEnd: number, out: Candidate[],
): void {
  const lowers = seq.map((w) => w.lower);
  for (let a = aFrom; a <= aTo; a++) {
    const found = walkWords(index, lowers, a, Math.min(seq.length, a + index.maxPhraseWords));
    for (let f = 0; f < found; f++) {
      const b = walkEnds[f];
      if (b - a < 2 || b < minEnd) continue;
      const ok = usable(walkHits[f], rnn, false).filter((e) => e.kind !== 'kwarg');
      if (ok.length === 0) continue;
      const span = seq.slice(a, b);
      const onLine = span.filter((w) => w.line === 0);
      if (onLine.length === 0) continue;
      out.push({
        start: onLine[0].start,
        end: onLine[onLine.length - 1].end,
        entries: ok,
        length: span.reduce((n, w) => n + w.end - w.start + 1, -1),
        fromPreviousLine: span[0].line === -1,
        text: joinSpan(span, s, ctx),
      });
    }
  }
}

/** Multi-word phrases ("forget gate", "backpropagation through\n# time") containing the cursor. */
function phraseCandidates(index: TermIndex, s: string, pos: number, rnn: boolean, ctx: TermContext | undefined, out: Candidate[]): void {
  const maxWords = index.maxPhraseWords;
  if (maxWords < 2) return;
  const words = proseWords(s, 0);
  const at = words.findIndex((w) => w.start <= pos && pos < w.end);
  if (at < 0) return;
  // Words joined by a phrase gap, reaching into the neighbouring lines only at line ends.
  let lo = at;
  while (lo > 0 && at - lo < maxWords - 1 && isPhraseGap(s, words[lo - 1].end, words[lo].start)) lo--;
  let hi = at;
  while (hi + 1 < words.length && hi - at < maxWords - 1 && isPhraseGap(s, words[hi].end, words[hi + 1].start)) hi++;
  const seq: ProseWord[] = words.slice(lo, hi + 1);
  let cursor = at - lo;
  if (lo === 0 && ctx?.prevLine !== undefined && ONLY_CONTINUATION_PREFIX.test(s.slice(0, words[0].start))) {
    const take = wrappedFromPrevious(ctx.prevLine, maxWords);
    seq.unshift(...take);
    cursor += take.length;
  }
  if (hi === words.length - 1 && ctx?.nextLine !== undefined && /^[ \t-]*$/.test(s.slice(words[words.length - 1].end))) {
    seq.push(...wrappedToNext(ctx.nextLine, maxWords));
  }
  phraseSpans(index, seq, s, rnn, ctx, Math.max(0, cursor - maxWords + 1), cursor, cursor + 1, out);
}

/** The matched phrase as written, a line break shown as one space. */
function joinSpan(span: readonly ProseWord[], s: string, ctx: TermContext | undefined): string {
  const src = (w: ProseWord): string => (w.line === 0 ? s : w.line === -1 ? (ctx?.prevLine ?? '').slice(-WINDOW) : (ctx?.nextLine ?? '').slice(0, WINDOW));
  let text = '';
  for (let k = 0; k < span.length; k++) {
    const w = span[k];
    if (k > 0) {
      const p = span[k - 1];
      text += p.line === w.line ? src(w).slice(p.end, w.start) : ' ';
    }
    text += src(w).slice(w.start, w.end);
  }
  return text;
}

/**
 * The best of the candidates covering a position, as a match on the line (`offset` is where the
 * candidates' string starts in it). Every card any candidate names, best first: card priority,
 * then the longer (more specific) match, then what the index ranked first for that key.
 */
function bestMatch(hits: readonly Candidate[], offset: number): TermMatch | undefined {
  if (hits.length === 0) return undefined;
  const ranked: { entry: TermEntry; cand: Candidate; rank: number }[] = [];
  let rank = 0;
  for (const cand of [...hits].sort((a, b) => b.length - a.length)) {
    for (const entry of cand.entries) ranked.push({ entry, cand, rank: rank++ });
  }
  ranked.sort((a, b) => b.entry.priority - a.entry.priority || b.cand.length - a.cand.length || a.rank - b.rank);
  const cardIds: string[] = [];
  for (const r of ranked) if (!cardIds.includes(r.entry.cardId)) cardIds.push(r.entry.cardId);
  const best = ranked[0];
  return {
    term: best.entry.term,
    text: best.cand.text,
    start: best.cand.start + offset,
    end: best.cand.end + offset,
    cardIds,
    fromPreviousLine: best.cand.fromPreviousLine,
  };
}

/**
 * The RNN term at `character` (0-based) in `lineText`, or undefined. Looks only at a window of
 * the line around the cursor (and the neighbouring lines' ends for wrapped phrases).
 */
export function termAt(index: TermIndex, lineText: string, character: number, ctx?: TermContext): TermMatch | undefined {
  if (character < 0 || character >= lineText.length) return undefined;
  const offset = Math.max(0, character - WINDOW);
  const s = lineText.slice(offset, character + WINDOW);
  const pos = character - offset;
  if (!isAlnum(s.charCodeAt(pos)) && s.charCodeAt(pos) !== 95) return undefined;
  const rnn = ctx?.rnn === true;
  const cands: Candidate[] = [];
  identifierCandidates(index, s, pos, rnn, cands);
  phraseCandidates(index, s, pos, rnn, ctx, cands);
  const hits = cands.filter((c) => c.start <= pos && pos < c.end);
  if (hits.length === 0) return undefined;
  const quiet = quietSpans(s);
  return bestMatch(quiet.length ? hits.filter((c) => !isQuiet(quiet, c)) : hits, offset);
}

/** What `scanTerms` found, and whether the text was longer than it reads. */
export interface TermScan {
  terms: FoundTerm[];
  /** Characters read: the whole text, or up to the last line break before MAX_SCAN_CHARS. */
  scannedChars: number;
  truncated: boolean;
}

/**
 * Every term in a text, left to right, without overlaps: what `rnn-lens terms FILE` prints and
 * what "Quiz Me on the Terms in This File" reads. It finds what `termAt` finds at each word, in
 * one pass: each line is split into words once, and each run of words is looked up only as far
 * as a term could still match (see `walkWords`), so the time grows with the text's length, not
 * with the length of the terms. Reads at most MAX_SCAN_CHARS characters.
 */
export function scanTerms(index: TermIndex, text: string): TermScan {
  let scanned = text;
  if (text.length > MAX_SCAN_CHARS) {
    const cut = text.lastIndexOf('\n', MAX_SCAN_CHARS);
    scanned = text.slice(0, cut > 0 ? cut : MAX_SCAN_CHARS);
  }
  const rnn = isRnnContext(scanned);
  const lines = scanned.split(/\r?\n/);
  const found: FoundTerm[] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const ctx: TermContext = { rnn, prevLine: ln > 0 ? lines[ln - 1] : undefined, nextLine: ln + 1 < lines.length ? lines[ln + 1] : undefined };
    for (const hit of scanLine(index, lines[ln], ctx)) {
      found.push({ line: ln + 1, column: hit.start + 1, term: hit.term, cardIds: hit.cardIds });
    }
  }
  return { terms: found, scannedChars: scanned.length, truncated: scanned.length < text.length };
}

/** `scanTerms(index, text).terms`. */
export function findTermsInText(index: TermIndex, text: string): FoundTerm[] {
  return scanTerms(index, text).terms;
}

/**
 * False when the scan needs no identifierCandidates for the run line[start, end) (its `words`):
 * no run of its words (a singular last word included) is a key, nor is the singular of an
 * acronym plural (`LSTMs`), the whole run does not begin a
 * dotted key that goes on after it, and it is not a receiver that a comprehension may stand in
 * for. A dotted match that begins at an earlier segment of the chain was already a candidate at
 * that segment, where the scan took it or something covering it.
 */
function mayHoldTerm(index: TermIndex, line: string, start: number, end: number, words: readonly Word[]): boolean {
  if (line.charCodeAt(end - 1) === 115 /* s */) {
    const acr = acronymSingular(line.slice(start, end));
    if (acr && index.byKey.has(acr)) return true;
  }
  const dotAfter = line.charCodeAt(end) === 46 || (line.charCodeAt(end) === 58 && line.charCodeAt(end + 1) === 58);
  if (dotAfter) {
    let key = '';
    for (const w of words) key += w.lower;
    if (descend(index.trie, key)?.next.has(46)) return true;
    if (line.charCodeAt(end) === 46 && line.slice(end, end + 160).includes('for')) return true;
  }
  const lowers = words.map((w) => w.lower);
  for (let a = 0; a < lowers.length; a++) if (walkWords(index, lowers, a, Math.min(lowers.length, a + index.maxPhraseWords)) > 0) return true;
  return false;
}

/** The terms of one line, left to right, without overlaps (see scanTerms). */
function scanLine(index: TermIndex, line: string, ctx: TermContext): TermMatch[] {
  const rnn = ctx.rnn === true;
  // Every phrase of the line, found once: the words joined by phrase gaps, the first and last
  // such run reaching into the neighbouring lines as termAt's do.
  const phrases: Candidate[] = [];
  const maxWords = index.maxPhraseWords;
  const words = proseWords(line, 0);
  if (maxWords >= 2 && words.length > 0) {
    let runStart = 0;
    for (let k = 1; k <= words.length; k++) {
      if (k < words.length && isPhraseGap(line, words[k - 1].end, words[k].start)) continue;
      const seq: ProseWord[] = words.slice(runStart, k);
      if (runStart === 0 && ctx.prevLine !== undefined && ONLY_CONTINUATION_PREFIX.test(line.slice(0, words[0].start))) {
        seq.unshift(...wrappedFromPrevious(ctx.prevLine, maxWords));
      }
      if (k === words.length && ctx.nextLine !== undefined && /^[ \t-]*$/.test(line.slice(words[k - 1].end))) {
        seq.push(...wrappedToNext(ctx.nextLine, maxWords));
      }
      if (seq.length >= 2) phraseSpans(index, seq, line, rnn, ctx, 0, seq.length - 1, 0, phrases);
      runStart = k;
    }
  }
  phrases.sort((a, b) => a.start - b.start);
  let quiet: [number, number][] | undefined;
  const found: TermMatch[] = [];
  let covered = 0;
  let next = 0;
  let active: Candidate[] = [];
  const ident: Candidate[] = [];
  const re = /[A-Za-z0-9_]+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (ident.length) ident.length = 0;
    const run = m[0];
    // The run's words (camelCase humps and snake parts): each is tried, so `CharLSTM` finds LSTM.
    const runWords = /[A-Z_]/.test(run) ? splitWords(run, m.index) : [{ start: m.index, end: m.index + run.length, lower: run }];
    if (m.index + run.length > covered && mayHoldTerm(index, line, m.index, m.index + run.length, runWords)) {
      identifierCandidates(index, line, m.index, rnn, ident, runWords);
    }
    for (let k = -1; k < runWords.length; k++) {
      const p = k < 0 ? m.index : runWords[k].start;
      while (next < phrases.length && phrases[next].start <= p) active.push(phrases[next++]);
      if (active.some((c) => c.end <= p)) active = active.filter((c) => p < c.end);
      if (p < covered || (ident.length === 0 && active.length === 0)) continue;
      let hits = ident.filter((c) => c.start <= p && p < c.end).concat(active);
      if (hits.length === 0) continue;
      quiet ??= quietSpans(line);
      if (quiet.length) hits = hits.filter((c) => !isQuiet(quiet as [number, number][], c));
      const hit = bestMatch(hits, 0);
      if (!hit || hit.start < covered || hit.fromPreviousLine) continue;
      found.push(hit);
      covered = hit.end;
    }
  }
  return found;
}
