// Finding the recurrent-layer constructors in a document: which calls, where they open and close.
import type { Cell } from '../../../engine/types';
import type { LabModelConfig } from '../../../protocol';
import { indexBindings, type NameBindings } from './evaluate';
import { lineOf, lineStartOffsets, matchingParen } from './tokens';

/**
 * The bounds of the CodeLens. A document longer than `maxChars` gets no layer lenses, only one
 * lens saying so (above its first constructor); past `maxLenses` layers, one lens says how many
 * more there are; an argument list is read up to `maxCallChars` characters (an unclosed call, a
 * call still being typed, is read up to there or to the end of the text).
 */
export interface CodeLensLimits {
  maxChars: number;
  maxLenses: number;
  maxCallChars: number;
}

export const CODELENS_LIMITS: Readonly<CodeLensLimits> = { maxChars: 2_000_000, maxLenses: 1_000, maxCallChars: 2_000 };

export type Framework = LabModelConfig['framework'];

export interface ModelCall {
  /** The constructor as written, e.g. `nn.LSTM`, `tf.keras.layers.GRU`, `tf.layers.lstm`. */
  callee: string;
  framework: Framework;
  cell: Cell;
  /** A single-step cell (nn.LSTMCell) rather than a layer over a sequence. */
  isCell: boolean;
  /** Offset of the callee's first character, and of the opening parenthesis. */
  start: number;
  openParen: number;
  /** Offset just past the closing parenthesis (the end of the text when the call is unclosed). */
  end: number;
  /** 0-based line and column of the callee, for the CodeLens. */
  line: number;
  column: number;
}

interface CalleeRule {
  re: RegExp;
  framework: Framework;
}

// One pattern per family; the capture is the class name. Order does not matter: matches are
// collected by offset.
const CALLEES: CalleeRule[] = [
  { re: /\b(?:torch\.)?nn\.(LSTM|GRU|RNN|LSTMCell|GRUCell|RNNCell)\s*\(/g, framework: 'pytorch' },
  { re: /\b(?:(?:tf\.)?keras\.)?layers\.(LSTM|GRU|SimpleRNN)\s*\(/g, framework: 'keras' },
  { re: /\btf\.layers\.(lstm|gru|simpleRNN)\s*\(/g, framework: 'tfjs' },
];

const CELL_OF: Record<string, Cell> = {
  LSTM: 'lstm', LSTMCell: 'lstm', lstm: 'lstm',
  GRU: 'gru', GRUCell: 'gru', gru: 'gru',
  RNN: 'rnn', RNNCell: 'rnn', SimpleRNN: 'rnn', simpleRNN: 'rnn',
};

/**
 * A document's text with what reading it needs, each built once on first use: its line starts
 * and the index of its name bindings. Read every call of one document through one ModelSource.
 */
export class ModelSource {
  private starts: number[] | undefined;
  private names: Map<string, NameBindings> | undefined;

  constructor(readonly text: string, readonly limits: Readonly<CodeLensLimits> = CODELENS_LIMITS) {}

  get lineStarts(): number[] {
    return (this.starts ??= lineStartOffsets(this.text));
  }

  get bindings(): Map<string, NameBindings> {
    return (this.names ??= indexBindings(this.text, this.lineStarts));
  }
}

export const sourceOf = (s: string | ModelSource): ModelSource => (typeof s === 'string' ? new ModelSource(s) : s);

/** Every recurrent-layer constructor call in the text, in document order (comments skipped). */
export function findModelCalls(source: string | ModelSource): ModelCall[] {
  const src = sourceOf(source);
  return locateCalls(src).heads.map((head) => withEnd(src, head));
}

type CallHead = Omit<ModelCall, 'end'>;

/** Each rule's pattern, anchored: re-reads one match at a known offset. */
const STICKY = CALLEES.map((rule) => new RegExp(rule.re.source, 'y'));

/**
 * The calls, in document order, without their ends (finding where a call closes costs up to
 * `maxCallChars`): all of them are counted, the first `max` described.
 */
export function locateCalls(src: ModelSource, max = Infinity): { heads: CallHead[]; total: number } {
  const { text, lineStarts } = src;
  // Pass 1: offsets only (offset * 4 + rule), so a file of 100,000 calls costs no objects.
  const keys: number[] = [];
  // Where each line's comment starts (Infinity: none), found once per line that holds a call.
  const commentStart = new Map<number, number>();
  CALLEES.forEach((rule, r) => {
    rule.re.lastIndex = 0;
    let line = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const start = m.index;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= start) line++;
      let comment = commentStart.get(line);
      if (comment === undefined) {
        comment = lineCommentStart(text, lineStarts[line]);
        commentStart.set(line, comment);
      }
      if (comment >= start) keys.push(start * 4 + r);
    }
  });
  // One family's matches come in order; calls of several families need merging.
  const sorted = keys.every((key, i) => i === 0 || keys[i - 1] < key) ? keys : Float64Array.from(keys).sort();
  const heads: CallHead[] = [];
  for (let k = 0; k < sorted.length && k < max; k++) {
    const start = Math.floor(sorted[k] / 4);
    const r = sorted[k] - start * 4;
    const re = STICKY[r];
    re.lastIndex = start;
    const m = re.exec(text)!;
    const line = lineOf(lineStarts, start);
    heads.push({
      callee: m[0].slice(0, -1).trimEnd(), framework: CALLEES[r].framework, cell: CELL_OF[m[1]], isCell: /Cell$/.test(m[1]),
      start, openParen: start + m[0].length - 1, line, column: start - lineStarts[line],
    });
  }
  return { heads, total: sorted.length };
}

export function withEnd(src: ModelSource, head: CallHead): ModelCall {
  return { ...head, end: matchingParen(src.text, head.openParen, head.openParen + src.limits.maxCallChars) };
}

/**
 * Offset where the line starting at `lineStart` turns into a comment: a `#` or `//` at the
 * line's start or after white space, or the line's start for a block-comment line (` * ...`);
 * Infinity when it has none.
 */
function lineCommentStart(text: string, lineStart: number): number {
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '*') return lineStart;
  for (let j = lineStart; j < text.length && text[j] !== '\n'; j++) {
    const ch = text[j];
    if ((ch === '#' || (ch === '/' && text[j + 1] === '/')) && (j === lineStart || /\s/.test(text[j - 1]))) return j;
  }
  return Infinity;
}

/** The demo that shows a cell: the forward demo draws LSTM gates; GRU and RNN go to BPTT. */
export function demoFor(cell: Cell): 'lstm-forward' | 'bptt' {
  return cell === 'lstm' ? 'lstm-forward' : 'bptt';
}
