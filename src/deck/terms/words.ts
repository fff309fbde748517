// Words and keys: how a term or a stretch of text is reduced to the key the index is looked up by.
import type { Card } from '../card';
import type { TermKind } from './types';
import { MIN_STRONG_KEY_LENGTH, ORDINARY_WORDS } from './weak';

export interface Word {
  /** 0-based offsets in the string the word came from. */
  start: number;
  end: number;
  lower: string;
}

export const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
export const isIdentChar = (c: number): boolean => isAlnum(c) || c === 95; // [A-Za-z0-9_]

/**
 * Splits an identifier or phrase into words at non-alphanumerics and camelCase humps:
 * `GRUCell` -> gru|cell, `hiddenSize` -> hidden|size, `clip_grad_norm_` -> clip|grad|norm.
 * Digits stay with the letters before them (`seq2seq`, `conv1d` are one word). A short
 * lower-case prefix glued to an acronym at the start of a name is one word with it: it names a
 * variant of the architecture, not the architecture (`mLSTMCell` -> mlstm|cell, `minGRU` -> mingru).
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
      // lower|Upper hump: hidden|Size, but not a variant prefix: m|LSTM, min|GRU
      if (isUpper(c) && isLowerOrDigit(prev) && !isVariantPrefix(s, start, i)) break;
      // UPPER|Upperlower hump: GRU|Cell, LSTM|Cell
      if (isUpper(c) && isUpper(prev) && i + 1 < s.length && s.charCodeAt(i + 1) >= 97 && s.charCodeAt(i + 1) <= 122) break;
      i++;
    }
    words.push({ start: start + offset, end: i + offset, lower: s.slice(start, i).toLowerCase() });
  }
  return words;
}

/**
 * s[start, i) is one to three lower-case letters at the start of a name and an acronym of at
 * least three capitals follows (`mLSTM`, `xLSTM`, `minGRU`).
 */
function isVariantPrefix(s: string, start: number, i: number): boolean {
  if (i - start > 3 || (start > 0 && isIdentCharAt(s, start - 1))) return false;
  for (let k = start; k < i; k++) if (!(s.charCodeAt(k) >= 97 && s.charCodeAt(k) <= 122)) return false;
  let caps = 0;
  while (i + caps < s.length && isUpper(s.charCodeAt(i + caps))) caps++;
  // `LSTMCell`: the capital before a lower-case letter starts the next word.
  if (i + caps < s.length && s.charCodeAt(i + caps) >= 97 && s.charCodeAt(i + caps) <= 122) caps--;
  return caps >= 3;
}
const isIdentCharAt = (s: string, k: number): boolean => isIdentChar(s.charCodeAt(k));

/** Singular forms a plural last word may stand for: gradients -> gradient, dependencies -> dependency. */
export function singulars(word: string): string[] {
  const out: string[] = [];
  if (word.length > 3 && word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  if (word.length > 3 && word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  return out;
}

/**
 * The key of a run of words: the words joined by `_`, so every spelling of the same words is one
 * key (`hidden_size`, `hiddenSize`, `HIDDEN_SIZE`, "hidden size") and different words are not
 * (`nlayers` is not `n_layers`).
 */
export const keyOf = (words: readonly string[]): string => words.join('_');

/** The letters and digits of a key (what the shortness rule measures). */
export const keyLetters = (key: string): string => key.replace(/[_.]/g, '');

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
  /** The term as written, without its annotations. */
  text: string;
  annotations: TermAnnotations;
}

/** Which annotation words a term may carry (see docs/DECK-FORMAT.md, "Terms"). */
export const TERM_ROLES = ['api', 'concept', 'convention'] as const;
export type TermRole = (typeof TERM_ROLES)[number];
export const TERM_LANGUAGES = ['python', 'julia', 'r', 'rust', 'javascript', 'typescript', 'cpp', 'c'] as const;
export const TERM_FRAMEWORKS = ['pytorch', 'keras', 'tensorflow', 'tfjs', 'flax', 'jax', 'flux', 'torchaudio', 'mxnet'] as const;
export const TERM_CONSTRAINTS = ['in-rnn', 'classic', 'case', 'part'] as const;

export interface TermAnnotations {
  role?: TermRole;
  languages: string[];
  frameworks: string[];
  /** Only as an argument of a call to a recurrent layer (`dropout=` in `nn.LSTM(...)`). */
  inRnn: boolean;
  /** A part of the classic cells (gates, cell state): not in files about modern recurrent models. */
  classic: boolean;
  /** Matches only as written, letter case included (`Masking`, not "masking"). */
  caseSensitive: boolean;
  /** An architecture's name that may match as a part of a longer identifier (acronyms are, without it). */
  part: boolean;
  /** Annotation words that mean nothing: the linter warns. */
  unknown: string[];
}

/** Splits `reset! @api @julia` into the term and its annotations. */
export function splitAnnotations(raw: string): { text: string; annotations: TermAnnotations } {
  const annotations: TermAnnotations = { languages: [], frameworks: [], inRnn: false, classic: false, caseSensitive: false, part: false, unknown: [] };
  const parts = raw.trim().split(/\s+/);
  let n = parts.length;
  while (n > 1 && /^@[a-z][a-z0-9-]*$/.test(parts[n - 1])) n--;
  for (const tag of parts.slice(n).map((p) => p.slice(1))) {
    if ((TERM_ROLES as readonly string[]).includes(tag)) annotations.role = tag as TermRole;
    else if ((TERM_LANGUAGES as readonly string[]).includes(tag)) annotations.languages.push(tag);
    else if ((TERM_FRAMEWORKS as readonly string[]).includes(tag)) annotations.frameworks.push(tag);
    else if (tag === 'in-rnn') annotations.inRnn = true;
    else if (tag === 'classic') annotations.classic = true;
    else if (tag === 'case') annotations.caseSensitive = true;
    else if (tag === 'part') annotations.part = true;
    else annotations.unknown.push(tag);
  }
  return { text: parts.slice(0, n).join(' '), annotations };
}

export function parseTerm(raw: string): ParsedTerm | undefined {
  const { text, annotations } = splitAnnotations(raw);
  const parsed = parseBareTerm(text);
  return parsed && { ...parsed, text, annotations };
}

function parseBareTerm(raw: string): Omit<ParsedTerm, 'text' | 'annotations'> | undefined {
  let term = raw.trim().replace(/\(\)$/, '').replace(/!$/, '');
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

export function isWeakKey(key: string, words: readonly string[]): boolean {
  return keyLetters(key).length < MIN_STRONG_KEY_LENGTH || words.every((w) => ORDINARY_WORDS.has(w));
}

/** The parser only lets finite integers through; this also guards hand-made Card objects. */
export function cardPriority(card: Card): number {
  return Number.isFinite(card.priority) ? (card.priority as number) : 0;
}
