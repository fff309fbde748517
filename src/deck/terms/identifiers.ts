// Code-shaped candidates: identifiers, the dotted names they are part of, and the words inside them.
import { MAX_SEGMENT_CHARS } from './bounds';
import { acronymSingular, lookupGlued, usable, walkEnds, walkHits, walkWords, type Candidate, type MatchEnv } from './candidates';
import { descend, type TermIndex } from './types';
import { isIdentChar, keyOf, splitWords, type Word } from './words';

/**
 * Words before which an ordinary word is an idiom, not a term: "pay attention", "draw attention".
 * Checked only for weak single words (strong terms are unambiguous).
 */
const IDIOM_BEFORE = /(?:^|[^A-Za-z])(?:pay|pays|paid|paying|draw|draws|drew|drawn|needs|undivided|special|close|your|my|our|their)\s+$/i;

/**
 * A class named like an ordinary word (`Embedding`, `Masking`) is the class where code uses it:
 * called, after a `.`, as a type (`x::Embedding`, `e: Embedding`), imported, or in backticks; in
 * prose ("the Output Embedding") it is the word.
 */
const isCodePosition = (s: string, start: number, end: number): boolean =>
  s[end] === '(' || s[end] === '`' || s[start - 1] === '.' || s[start - 1] === '`' || /(?:::|:\s?)$/.test(s.slice(Math.max(0, start - 3), start))
  || /^\s*(?:from\s|import\s|using\s|use\s)/.test(s);

/** `units` in `tf.layers.lstm({ units, returnSequences })`: a shorthand property. */
const isShorthandProperty = (s: string, start: number, end: number): boolean =>
  /[{,]\s*$/.test(s.slice(Math.max(0, start - 8), start)) && /^\s*[,}]/.test(s.slice(end, end + 8));

const isKwargPosition = (s: string, end: number): boolean => /^\s*(?:=(?!=)|:\s*\S)/.test(s.slice(end, end + 8)) && !/^\s*::/.test(s.slice(end, end + 8));

/**
 * Code-shaped matches: the identifier under the cursor with the dotted chain before it
 * (`torch.nn.LSTM` -> tries `torch.nn.lstm`, `nn.lstm`, `lstm`), and strong terms inside
 * longer identifiers (`CharLSTM`, `init_hidden_state`).
 */
export function identifierCandidates(index: TermIndex, s: string, pos: number, env: MatchEnv, out: Candidate[], words?: Word[], above?: LinesAbove): void {
  const chain = dottedChain(s, pos, words, env.language);
  if (!chain) return;
  // A segment of a module path (`rnn` in `torch.nn.utils.rnn.pack_padded_sequence`) names a
  // module, not the concept: only whole dotted names through it match there.
  const root = s.slice(chain.segments[0].start, chain.segments[0].end);
  const isModule = PACKAGE_ROOTS.has(root) || env.modules?.includes(root) === true;
  // The chain's head is a module the file imports (`rnn.LSTM` after `from mxnet.gluon import rnn`,
  // `stateful.run()` after `import stateful`), or a segment in the middle of a package's path.
  const modulePath = chain.cursorIndex < chain.segments.length - 1 && isModule && (chain.cursorIndex > 0 || !PACKAGE_ROOTS.has(root));
  dottedNameCandidates(index, s, chain, env, out, modulePath, above);
  comprehensionCandidate(index, s, chain, env, out);
  if (!modulePath) innerWordCandidates(index, s, chain.cursorWords, env, out);
}

/** Names of packages and their usual aliases, whose dotted paths lead to modules. */
const PACKAGE_ROOTS = new Set(['torch', 'nn', 'tf', 'tensorflow', 'keras', 'jax', 'flax', 'optax', 'mxnet', 'gluon', 'paddle', 'torchaudio', 'torchtext', 'tch', 'candle_nn', 'burn', 'np', 'numpy', 'brain']);

/** Words a name may end with and still be the term (`weight_hh_l0`, `weight_ih_l0_reverse`, `h_n2`). */
const AFFIX = /^(?:l\d*|reverse|\d+)$/;

/** The k-th line above the cursor's line (1: the line before), or undefined above the first. */
export type LinesAbove = (k: number) => string | undefined;

/** How many lines above its argument a call may open (one argument a line, as R and Keras code write). */
const MAX_CALL_LINES_UP = 8;

/**
 * The callee of the call whose arguments hold `at` (`nn.LSTM` in `nn.LSTM(8, 16, dropout=0.2)`,
 * `tf.layers.lstm` in `tf.layers.lstm({units: 8})`), looking back on the line and up to
 * MAX_CALL_LINES_UP lines above it (brackets closed on a later line balance those opened on an
 * earlier one; a blank line ends the search).
 */
function calleeAt(s: string, at: number, above: LinesAbove | undefined): string | undefined {
  let depth = 0;
  let text = s;
  let from = at;
  for (let up = 0; up <= MAX_CALL_LINES_UP; up++) {
    if (up > 0) {
      const t = above?.(up);
      if (t === undefined || !/\S/.test(t)) return undefined;
      text = t;
      from = t.length;
    }
    for (let k = from - 1; k >= 0 && from - k < 512; k--) {
      const c = text[k];
      if (c === ')' || c === '}' || c === ']') depth++;
      else if (c === '(' || c === '{' || c === '[') {
        if (depth > 0) { depth--; continue; }
        let e = k;
        while (e > 0 && (text[e - 1] === '(' || text[e - 1] === '{' || text[e - 1] === ' ')) e--;
        let b = e;
        while (b > 0 && /[\w.:$]/.test(text[b - 1])) b--;
        return text.slice(b, e) || undefined;
      }
    }
    if (up === 0 && depth > 0) return undefined;
  }
  return undefined;
}

/** A call to a recurrent layer: `nn.LSTM`, `layers.GRU`, `tf.layers.simpleRNN`, `layer_lstm`, `nn_gru`. */
const isRnnCallee = (callee: string | undefined): boolean =>
  callee !== undefined && splitWords(callee).some((w) => /^(?:bi)?(?:lstm|gru|rnn)(?:cell)?$/.test(w.lower));

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
function dottedChain(s: string, pos: number, words?: Word[], language?: string): DottedChain | undefined {
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
  // TypeScript names interfaces with an `I` before the name (`IRNNHiddenLayer` is an RNN's hidden
  // layer, not an IRNN): the `I` is not a word.
  const iface = language === 'typescript' && /^I[A-Z](?:[a-z]|[A-Z]+[A-Z][a-z])/.test(s.slice(segStart, segEnd)) ? 1 : 0;
  const cursorWords = words ?? splitWords(s.slice(segStart + iface, segEnd), segStart + iface);
  if (cursorWords.length === 0) return undefined;
  return { segments, cursorIndex, segEnd, cursorWords, keys: [] };
}

/** A segment's key: its words, lower-cased, joined by `_` (keyOf). */
function segKey(s: string, chain: DottedChain, k: number): string {
  return (chain.keys[k] ??= k === chain.cursorIndex
    ? keyOf(chain.cursorWords.map((w) => w.lower))
    : keyOf(splitWords(s.slice(chain.segments[k].start, chain.segments[k].end)).map((w) => w.lower)));
}

/**
 * Whole dotted names through the cursor's segment and on to its right, and dotted suffixes
 * ending at it (`torch.nn.LSTM` -> `torch.nn.lstm`, `nn.lstm`, `lstm`), each walked from its
 * first segment only while the key can still grow into a term.
 */
function dottedNameCandidates(index: TermIndex, s: string, chain: DottedChain, env: MatchEnv, out: Candidate[], modulePath: boolean, above: LinesAbove | undefined): void {
  const { segments, cursorIndex, segEnd, cursorWords } = chain;
  const segStart = segments[cursorIndex].start;
  const segText = s.slice(segStart, segEnd);
  const through: Candidate[][] = [];
  const suffixes: Candidate[] = [];
  let kwarg: boolean | undefined;
  let rnnCall: boolean | undefined;
  let codePos: boolean | undefined;
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
        const ok = usable(index.byKey.get(key), env, 'whole');
        if (ok.length > 0) {
          const start = segments[i].start;
          const end = segments[j].end;
          (through[j] ??= []).push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
        }
      } else if (j === cursorIndex && !(modulePath && i === cursorIndex)) {
        let entries = index.byKey.get(key);
        if (!entries && i === cursorIndex) {
          entries = lookupGlued(index, key, cursorWords[cursorWords.length - 1].lower);
          const acr = s.charCodeAt(segEnd - 1) === 115 /* s */ ? acronymSingular(segText) : undefined;
          if (!entries && acr) entries = index.byKey.get(acr);
          // An architecture's name, or a name the card spells as one camel-cased token (`cuDNN`), is
          // one token however its capitals split it (`CuDNN`, `BiLSTM`).
          if (!entries && cursorWords.length > 1) {
            entries = index.byKey.get(cursorWords.map((w) => w.lower).join(''))?.filter((e) => e.component || /^[A-Za-z]*[a-z][A-Z][A-Za-z]*$/.test(e.spelling));
            if (entries?.length === 0) entries = undefined;
          }
          // A numbered instance of an architecture (`lstm1`, `GRU2`) is that architecture.
          const numbered = !entries && /^[a-z]{3,}\d+$/.test(cursorWords[cursorWords.length - 1].lower) && cursorWords.length === 1;
          if (numbered) {
            entries = index.byKey.get(cursorWords[0].lower.replace(/\d+$/, ''))?.filter((e) => e.component);
            if (entries?.length === 0) entries = undefined;
          }
          // Documented affixes: a layer index or direction after a parameter's name.
          for (let n = cursorWords.length - 1; !entries && n > 0 && AFFIX.test(cursorWords[n].lower); n--) {
            entries = index.byKey.get(keyOf(cursorWords.slice(0, n).map((w) => w.lower)))?.filter((e) => e.kind === 'identifier');
            if (entries?.length === 0) entries = undefined;
          }
        }
        if (entries) {
          // A keyword-only term (`bidirectional=True`) needs keyword position; an ordinary word
          // after "pay" or "draw" is an idiom.
          const idiom = cursorIndex === 0 && IDIOM_BEFORE.test(s.slice(Math.max(0, segStart - 24), segStart));
          kwarg ??= isKwargPosition(s, segEnd);
          const bang = s.charCodeAt(segEnd) === 33; /* ! */
          // In a recurrent layer's own definition its parameters are its arguments wherever they appear.
          const layerParam = i === cursorIndex && cursorIndex === 0 && env.layerParams?.includes(segText.toLowerCase()) === true;
          const ok = usable(entries, env, 'whole', segText).filter((e) => (e.kind !== 'kwarg' || kwarg || (layerParam && e.inRnn)) && !(idiom && e.weak && e.words === 1)
            && e.bang === bang && (!(e.caseSensitive && e.weak) || (codePos ??= isCodePosition(s, segStart, segEnd)))
            && (!e.inRnn || layerParam || ((kwarg || isShorthandProperty(s, segStart, segEnd)) && (rnnCall ??= isRnnCallee(calleeAt(s, segments[0].start, above))))));
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
function comprehensionCandidate(index: TermIndex, s: string, chain: DottedChain, env: MatchEnv, out: Candidate[]): void {
  const { segments, cursorIndex } = chain;
  const k = cursorIndex === 0 ? 0 : cursorIndex - 1;
  if (k === 0 && segments.length >= 2 && out.every((c) => c.start !== segments[0].start || c.end !== segments[1].end)) {
    const receiver = s.slice(segments[0].start, segments[0].end);
    const after = s.slice(segments[1].end, segments[1].end + 160);
    const source = after.includes('for') && new RegExp(String.raw`^[^\n]*?\bfor\s+${receiver}\s+in\s+([A-Za-z_]\w*)\b`).exec(after)?.[1];
    const ok = source ? usable(index.byKey.get(`${keyOf(splitWords(source).map((w) => w.lower))}.${segKey(s, chain, 1)}`), env, 'whole') : [];
    if (ok.length > 0) {
      const start = segments[0].start;
      const end = segments[1].end;
      out.push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
    }
  }
}

/** Architecture names inside a longer identifier: word spans of the cursor's segment. */
function innerWordCandidates(index: TermIndex, s: string, cursorWords: Word[], env: MatchEnv, out: Candidate[]): void {
  const n = cursorWords.length;
  if (n < 2) return;
  const lowers = cursorWords.map((w) => w.lower);
  for (let a = 0; a < n; a++) {
    const found = walkWords(index, lowers, a, Math.min(n, a + index.maxPhraseWords));
    for (let f = 0; f < found; f++) {
      const b = walkEnds[f];
      if (a === 0 && b === n) continue; // the whole segment was tried above
      const ok = usable(walkHits[f], env, 'inside').filter((e) => e.kind !== 'kwarg');
      if (ok.length === 0) continue;
      const start = cursorWords[a].start;
      const end = cursorWords[b - 1].end;
      out.push({ start, end, entries: ok, length: end - start, fromPreviousLine: false, text: s.slice(start, end) });
    }
  }
}
