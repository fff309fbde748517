// Code-shaped candidates: identifiers, the dotted names they are part of, and the words inside them.
import { MAX_SEGMENT_CHARS } from './bounds';
import { acronymSingular, lookupGlued, usable, walkEnds, walkHits, walkWords, type Candidate } from './candidates';
import { descend, type TermIndex } from './types';
import { isIdentChar, keyOf, splitWords, type Word } from './words';

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
export function identifierCandidates(index: TermIndex, s: string, pos: number, rnn: boolean, out: Candidate[], words?: Word[]): void {
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
