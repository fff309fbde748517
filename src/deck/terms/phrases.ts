// Prose-shaped candidates: multi-word phrases, which may wrap onto the next line of a comment.
import { WINDOW } from './bounds';
import { usable, walkEnds, walkHits, walkWords, type Candidate, type MatchEnv } from './candidates';
import type { TermContext, TermIndex } from './types';
import { isAlnum, type Word } from './words';

export interface ProseWord extends Word {
  /** Which string it came from: -1 previous line, 0 the cursor's line, 1 next line. */
  line: -1 | 0 | 1;
}

/** Whether s[from, to) may stand between the words of a phrase: spaces or tabs, or one hyphen. */
export function isPhraseGap(s: string, from: number, to: number): boolean {
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
export const ONLY_CONTINUATION_PREFIX = /^[ \t]*(?:#+|\/\/+|\/?\*+|--+|;+|%+|>+)?[ \t]*$/;

/** Alphanumeric runs of a string (no camelCase split: prose words). */
export function proseWords(s: string, line: -1 | 0 | 1): ProseWord[] {
  const out: ProseWord[] = [];
  const re = /[A-Za-z0-9]+/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase(), line });
  return out;
}

/** The last words of the previous line that a phrase wrapped onto this one may begin with. */
export function wrappedFromPrevious(prevLine: string, maxWords: number): ProseWord[] {
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
export function wrappedToNext(nextLine: string, maxWords: number): ProseWord[] {
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
export function phraseSpans(
  index: TermIndex, seq: readonly ProseWord[], s: string, env: MatchEnv, ctx: TermContext | undefined,
  aFrom: number, aTo: number, minEnd: number, out: Candidate[],
): void {
  const lowers = seq.map((w) => w.lower);
  for (let a = aFrom; a <= aTo; a++) {
    const found = walkWords(index, lowers, a, Math.min(seq.length, a + index.maxPhraseWords));
    for (let f = 0; f < found; f++) {
      const b = walkEnds[f];
      if (b - a < 2 || b < minEnd) continue;
      const ok = usable(walkHits[f], env, 'phrase');
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
export function phraseCandidates(index: TermIndex, s: string, pos: number, env: MatchEnv, ctx: TermContext | undefined, out: Candidate[]): void {
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
  phraseSpans(index, seq, s, env, ctx, Math.max(0, cursor - maxWords + 1), cursor, cursor + 1, out);
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
