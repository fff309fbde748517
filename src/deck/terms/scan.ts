// Every term in a text in one pass, finding what termAt would find at each word.
import { MAX_SCAN_CHARS } from './bounds';
import { acronymSingular, matchEnv, walkWords, type Candidate, type MatchEnv } from './candidates';
import { documentTopic } from './context';
import { identifierCandidates } from './identifiers';
import { bestMatch } from './match';
import { isPhraseGap, ONLY_CONTINUATION_PREFIX, phraseSpans, proseWords, wrappedFromPrevious, wrappedToNext, type ProseWord } from './phrases';
import { isQuiet, quietSpans } from './quiet';
import { descend, type FoundTerm, type TermContext, type TermIndex, type TermMatch } from './types';
import { splitWords, type Word } from './words';

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
export function scanTerms(index: TermIndex, text: string, options: { language?: string } = {}): TermScan {
  let scanned = text;
  if (text.length > MAX_SCAN_CHARS) {
    const cut = text.lastIndexOf('\n', MAX_SCAN_CHARS);
    scanned = text.slice(0, cut > 0 ? cut : MAX_SCAN_CHARS);
  }
  const topic = documentTopic(scanned);
  const lines = scanned.split(/\r?\n/);
  const found: FoundTerm[] = [];
  // One context for the whole text; only the neighbouring lines change from line to line.
  const ctx: TermContext = { ...topic, language: options.language };
  const env = matchEnv(ctx);
  let ln = 0;
  ctx.lineAbove = (k) => (ln - k >= 0 ? lines[ln - k] : undefined);
  for (; ln < lines.length; ln++) {
    ctx.prevLine = ln > 0 ? lines[ln - 1] : undefined;
    ctx.nextLine = ln + 1 < lines.length ? lines[ln + 1] : undefined;
    for (const hit of scanLine(index, lines[ln], ctx, env)) {
      found.push({ line: ln + 1, column: hit.start + 1, term: hit.term, cardIds: hit.cardIds });
    }
  }
  return { terms: found, scannedChars: scanned.length, truncated: scanned.length < text.length };
}

/** `scanTerms(index, text, options).terms`. */
export function findTermsInText(index: TermIndex, text: string, options: { language?: string } = {}): FoundTerm[] {
  return scanTerms(index, text, options).terms;
}

/**
 * False when the scan needs no identifierCandidates for the run line[start, end) (its `words`):
 * no run of its words (a singular last word included) is a key, nor is the singular of an
 * acronym plural (`LSTMs`) nor its words joined into one, the whole run does not begin a
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
    const key = words.map((w) => w.lower).join('_');
    if (descend(index.trie, key)?.next.has(46)) return true;
    if (line.charCodeAt(end) === 46 && line.slice(end, end + 160).includes('for')) return true;
  }
  const lowers = words.map((w) => w.lower);
  // One token however its capitals split it (`CuDNN`, see identifierCandidates).
  if (lowers.length > 1 && index.byKey.has(lowers.join(''))) return true;
  for (let a = 0; a < lowers.length; a++) if (walkWords(index, lowers, a, Math.min(lowers.length, a + index.maxPhraseWords)) > 0) return true;
  return false;
}

/** The terms of one line, left to right, without overlaps (see scanTerms). */
function scanLine(index: TermIndex, line: string, ctx: TermContext, env: MatchEnv): TermMatch[] {
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
      if (seq.length >= 2) phraseSpans(index, seq, line, env, ctx, 0, seq.length - 1, 0, phrases);
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
    // (TypeScript's interface prefix is not a word: see dottedChain.)
    const iface = env.language === 'typescript' && /^I[A-Z](?:[a-z]|[A-Z]+[A-Z][a-z])/.test(run) ? 1 : 0;
    const runWords = /[A-Z_]/.test(run) ? splitWords(run.slice(iface), m.index + iface) : [{ start: m.index, end: m.index + run.length, lower: run }];
    if (m.index + run.length > covered && mayHoldTerm(index, line, m.index, m.index + run.length, runWords)) {
      identifierCandidates(index, line, m.index + iface, env, ident, runWords, ctx.lineAbove);
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
