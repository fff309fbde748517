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
export function singulars(word: string): string[] {
  const out: string[] = [];
  if (word.length > 3 && word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  if (word.length > 3 && word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  return out;
}

export const keyOf = (words: readonly string[]): string => words.join('');

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

export function parseTerm(raw: string): ParsedTerm | undefined {
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

export function isWeakKey(key: string, words: readonly string[]): boolean {
  return key.length < MIN_STRONG_KEY_LENGTH || words.every((w) => ORDINARY_WORDS.has(w));
}

/** The parser only lets finite integers through; this also guards hand-made Card objects. */
export function cardPriority(card: Card): number {
  return Number.isFinite(card.priority) ? (card.priority as number) : 0;
}
