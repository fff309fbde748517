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
// Cost: `termAt` looks at a bounded window around the cursor (one line, plus the ends of the
// neighbouring lines for phrases wrapped in comments), so it does not grow with the file.
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
  /** The most words any phrase term has (bounds the phrase search). */
  readonly maxPhraseWords: number;
  /** Number of cards that contributed at least one term. */
  readonly cardCount: number;
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
  'collapse', 'context', 'conv', 'decoder', 'dense', 'decoding', 'dropout', 'embedding', 'encoder', 'epoch',
  'first', 'forget', 'forward', 'global', 'grad', 'frame', 'frames', 'gate', 'gated', 'gates', 'gating',
  'gradient', 'gradients', 'graph', 'greedy', 'hidden', 'highway', 'identity', 'input', 'inputs',
  'jacobian', 'latency', 'layer', 'layers', 'linear', 'logits', 'loss', 'mask', 'masking', 'matrix', 'memory',
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
      if (!parsed) return;
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
        maxPhraseWords = Math.max(maxPhraseWords, parsed.words.length);
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
  return { byKey, maxPhraseWords, cardCount: cardsWithTerms.size };
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

/** Index lookup for a sequence of words, trying singular forms of the last word. */
function lookupWords(index: TermIndex, words: readonly string[]): { key: string; entries: readonly TermEntry[] } | undefined {
  const key = keyOf(words);
  const hit = index.byKey.get(key);
  if (hit) return { key, entries: hit };
  const last = words[words.length - 1];
  for (const s of singulars(last)) {
    const k = keyOf([...words.slice(0, -1), s]);
    const h = index.byKey.get(k);
    if (h) return { key: k, entries: h };
  }
  return undefined;
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
function identifierCandidates(index: TermIndex, s: string, pos: number, rnn: boolean, out: Candidate[]): void {
  if (pos >= s.length || !isIdentChar(s.charCodeAt(pos))) return;
  let segStart = pos;
  while (segStart > 0 && isIdentChar(s.charCodeAt(segStart - 1))) segStart--;
  let segEnd = pos;
  while (segEnd < s.length && isIdentChar(s.charCodeAt(segEnd))) segEnd++;
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
    while (st > 0 && isIdentChar(s.charCodeAt(st - 1))) st--;
    if (st === e || segments.length >= 8) break;
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
    while (e < s.length && isIdentChar(s.charCodeAt(e))) e++;
    if (e === right + sep) break;
    segments.push({ start: right + sep, end: e });
    right = e;
  }
  const segWords = segments.map((g) => splitWords(s.slice(g.start, g.end), g.start));
  const segKey = (k: number) => keyOf(segWords[k].map((w) => w.lower));
  for (let j = segments.length - 1; j > cursorIndex; j--) {
    for (let i = 0; i <= cursorIndex; i++) {
      const key = Array.from({ length: j - i + 1 }, (_, k) => segKey(i + k)).join('.');
      const ok = usable(index.byKey.get(key), rnn, false);
      if (ok.length === 0) continue;
      const start = segments[i].start;
      const end = segments[j].end;
      out.push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
    }
  }
  segments.length = cursorIndex + 1;
  segWords.length = cursorIndex + 1;
  const cursorSeg = segments[cursorIndex];
  const cursorWords = segWords[segWords.length - 1];
  if (cursorWords.length === 0) return;
  const kwarg = isKwargPosition(s, cursorSeg.end);

  // Whole dotted suffixes, longest first.
  for (let i = 0; i < segments.length; i++) {
    const parts = segWords.slice(i);
    if (parts.some((p) => p.length === 0)) continue;
    const key = parts.map((p) => keyOf(p.map((w) => w.lower))).join('.');
    let entries = index.byKey.get(key);
    if (!entries && i === segments.length - 1) {
      const lowers = cursorWords.map((w) => w.lower);
      entries = lookupWords(index, lowers)?.entries;
      const acr = acronymSingular(s.slice(cursorSeg.start, cursorSeg.end));
      if (!entries && acr) entries = index.byKey.get(acr);
    }
    if (!entries) continue;
    // A keyword-only term (`bidirectional=True`) needs keyword position; an ordinary word after
    // "pay" or "draw" is an idiom.
    const idiom = i === segments.length - 1 && segments.length === 1 && IDIOM_BEFORE.test(s.slice(Math.max(0, cursorSeg.start - 24), cursorSeg.start));
    const ok = usable(entries, rnn, false).filter((e) => (e.kind !== 'kwarg' || kwarg) && !(idiom && e.weak && e.words === 1));
    if (ok.length === 0) continue;
    const start = segments[i].start;
    out.push({ start, end: cursorSeg.end, entries: ok, length: cursorSeg.end - start, fromPreviousLine: false, text: s.slice(start, cursorSeg.end) });
  }

  // Strong terms inside a longer identifier: word spans of the cursor's segment.
  const n = cursorWords.length;
  if (n < 2) return;
  const lowers = cursorWords.map((w) => w.lower);
  for (let a = 0; a < n; a++) {
    for (let b = n; b > a; b--) {
      if (a === 0 && b === n) continue; // the whole segment was tried above
      const hit = lookupWords(index, lowers.slice(a, b));
      if (!hit) continue;
      const ok = usable(hit.entries, rnn, true).filter((e) => e.kind !== 'kwarg');
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

/** Separators that may stand between the words of a phrase: spaces or one hyphen. */
const PHRASE_GAP = /^(?:[ \t]+|[ \t]*-[ \t]*)$/;
/** A comment or quote marker at the start of a continuation line ("# through time"). */
const CONTINUATION_PREFIX = /^[ \t]*(?:#+|\/\/+|\/?\*+|--+|;+|%+|>+)?[ \t]*/;

/** Alphanumeric runs of a string (no camelCase split: prose words). */
function proseWords(s: string, line: -1 | 0 | 1): ProseWord[] {
  const out: ProseWord[] = [];
  const re = /[A-Za-z0-9]+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase(), line });
  return out;
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
  while (lo > 0 && at - lo < maxWords - 1 && PHRASE_GAP.test(s.slice(words[lo - 1].end, words[lo].start))) lo--;
  let hi = at;
  while (hi + 1 < words.length && hi - at < maxWords - 1 && PHRASE_GAP.test(s.slice(words[hi].end, words[hi + 1].start))) hi++;
  const seq: ProseWord[] = words.slice(lo, hi + 1);
  let cursor = at - lo;
  if (lo === 0 && ctx?.prevLine !== undefined && /^[ \t]*(?:#+|\/\/+|\/?\*+|--+|;+|%+|>+)?[ \t]*$/.test(s.slice(0, words[0].start))) {
    const prev = ctx.prevLine.slice(-WINDOW);
    const pw = proseWords(prev, -1);
    const take: ProseWord[] = [];
    for (let k = pw.length - 1; k >= 0 && take.length < maxWords - 1; k--) {
      const gap = prev.slice(pw[k].end, k + 1 < pw.length ? pw[k + 1].start : prev.length);
      if (k === pw.length - 1 ? !/^[ \t-]*$/.test(gap) : !PHRASE_GAP.test(gap)) break;
      take.unshift(pw[k]);
    }
    seq.unshift(...take);
    cursor += take.length;
  }
  if (hi === words.length - 1 && ctx?.nextLine !== undefined && /^[ \t-]*$/.test(s.slice(words[words.length - 1].end))) {
    const next = ctx.nextLine.slice(0, WINDOW);
    const prefix = CONTINUATION_PREFIX.exec(next)?.[0].length ?? 0;
    const nw = proseWords(next, 1);
    let k = 0;
    while (k < nw.length && nw[k].start < prefix) k++;
    if (k < nw.length && nw[k].start === prefix) {
      const take: ProseWord[] = [nw[k]];
      while (take.length < maxWords - 1 && k + 1 < nw.length && PHRASE_GAP.test(next.slice(nw[k].end, nw[k + 1].start))) {
        k++;
        take.push(nw[k]);
      }
      seq.push(...take);
    }
  }
  const lowers = seq.map((w) => w.lower);
  for (let a = Math.max(0, cursor - maxWords + 1); a <= cursor; a++) {
    for (let b = Math.min(seq.length, a + maxWords); b > cursor && b - a >= 2; b--) {
      const hit = lookupWords(index, lowers.slice(a, b));
      if (!hit) continue;
      const ok = usable(hit.entries, rnn, false).filter((e) => e.kind !== 'kwarg');
      if (ok.length === 0) continue;
      const span = seq.slice(a, b);
      const onLine = span.filter((w) => w.line === 0);
      const start = onLine[0].start;
      const end = onLine[onLine.length - 1].end;
      out.push({
        start, end, entries: ok,
        length: span.reduce((n, w) => n + w.end - w.start + 1, -1),
        fromPreviousLine: span[0].line === -1,
        text: joinSpan(span, s, ctx),
      });
    }
  }
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
  // Every card any match names, best first: card priority, then the longer (more specific)
  // match, then what the index ranked first for that key.
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
 * Every term in a text, left to right, without overlaps: what `rnn-lens terms FILE` prints and
 * what "Quiz Me on the Terms in This File" reads. Uses `termAt`, so it agrees with the hover.
 */
export function findTermsInText(index: TermIndex, text: string): FoundTerm[] {
  const rnn = isRnnContext(text);
  const lines = text.split(/\r?\n/);
  const found: FoundTerm[] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const ctx: TermContext = { rnn, prevLine: ln > 0 ? lines[ln - 1] : undefined, nextLine: ln + 1 < lines.length ? lines[ln + 1] : undefined };
    let covered = 0;
    const re = /[A-Za-z0-9_]+/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      // Try each word of the run (camelCase humps and snake parts), so `CharLSTM` finds LSTM.
      const positions = [m.index, ...splitWords(m[0], m.index).map((w) => w.start)];
      for (const p of positions) {
        if (p < covered) continue;
        const hit = termAt(index, line, p, ctx);
        if (!hit || hit.start < covered || hit.fromPreviousLine) continue;
        found.push({ line: ln + 1, column: hit.start + 1, term: hit.term, cardIds: hit.cardIds });
        covered = hit.end;
      }
    }
  }
  return found;
}
