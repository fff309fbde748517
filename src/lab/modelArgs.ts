// Reads the sizes of a recurrent layer from the call that constructs it (nn.LSTM(10, 20, 2),
// keras.layers.GRU(units=32), tf.layers.lstm({units: 32, inputShape: [10, 8]}), ...), so the
// lab can show "this" model. Pure: no vscode, no DOM; the CodeLens provider and the unit tests
// both call it on plain text.
//
// It reads literals only. A bare name is followed to one integer it is bound to in the same file
// (a default parameter value `hidden_size: int = 128` or a module constant `HIDDEN = 128`), because
// that is how most real models pass their sizes (examples/char_lstm.py); anything else (an
// expression, a name bound twice, a call) is unreadable, and the demo's default is used and named.
//
// Cost: a document is read in linear passes (ModelSource indexes its lines and its name bindings
// once, whatever the number of calls), and every step is bounded by CODELENS_LIMITS, so a hostile
// file (16,000 constructors, unclosed calls, a 1 MB line) costs milliseconds, not minutes.
import type { Cell, RnnActivation } from '../../engine/types';
import { LAB_DEFAULTS, LAB_LIMITS, type LabModelConfig, type ModelArgReading } from '../../protocol';

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

const sourceOf = (s: string | ModelSource): ModelSource => (typeof s === 'string' ? new ModelSource(s) : s);

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
function locateCalls(src: ModelSource, max = Infinity): { heads: CallHead[]; total: number } {
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

function withEnd(src: ModelSource, head: CallHead): ModelCall {
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

/** A layer the CodeLens shows, with the config its "Visualize" opens the lab on. */
export interface ModelLens {
  call: ModelCall;
  config: LabModelConfig;
}

/** A lens of text only: a limit was reached, and this says which. */
export interface LimitNote {
  line: number;
  column: number;
  title: string;
}

export interface ModelLensScan {
  lenses: ModelLens[];
  /** Constructors found (counted past `maxLenses`; 0 when the document is over `maxChars`). */
  total: number;
  note?: LimitNote;
}

/** What the CodeLens shows on a document: its layers up to the limits, and a note past them. */
export function scanModelLenses(text: string, limits: Readonly<CodeLensLimits> = CODELENS_LIMITS): ModelLensScan {
  if (text.length > limits.maxChars) {
    // Say so above the first constructor of the part that would have been read, if any.
    const first = locateCalls(new ModelSource(text.slice(0, limits.maxChars), limits), 1).heads[0];
    if (!first) return { lenses: [], total: 0 };
    const title = `RNN Lens: recurrent layers are not read in files over ${count(limits.maxChars)} characters (this one has ${count(text.length)})`;
    return { lenses: [], total: 0, note: { line: first.line, column: first.column, title } };
  }
  const source = new ModelSource(text, limits);
  const { heads, total } = locateCalls(source, limits.maxLenses + 1);
  const lenses = heads.slice(0, limits.maxLenses).map((head) => {
    const call = withEnd(source, head);
    return { call, config: readModelArgs(source, call) };
  });
  const next = heads[limits.maxLenses];
  if (!next) return { lenses, total };
  const rest = total - limits.maxLenses;
  const title = `RNN Lens: ${count(rest)} more ${rest === 1 ? 'layer from here has' : 'layers from here have'} ` +
    `no lens (at most ${count(limits.maxLenses)} per file)`;
  return { lenses, total, note: { line: next.line, column: next.column, title } };
}

function count(n: number): string {
  return n.toLocaleString('en');
}

/** The demo that shows a cell: the forward demo draws LSTM gates; GRU and RNN go to BPTT. */
export function demoFor(cell: Cell): 'lstm-forward' | 'bptt' {
  return cell === 'lstm' ? 'lstm-forward' : 'bptt';
}

// ---- argument reading -------------------------------------------------------------------------

type Literal = number | boolean | string | null | Literal[];

// A config must pass labModelConfigSchema (protocol/index.ts) for "Visualize" to open it: a
// reading's text is kept to READING_CHARS, and a layer count above MAX_LAYERS is unreadable.
const READING_CHARS = 200;
const MAX_LAYERS = 1000;

interface Arg {
  /** Keyword (`hidden_size=`, `units:`), or undefined for a positional argument. */
  name?: string;
  /** Source text of the value, trimmed. */
  text: string;
}

/** Positional parameter names of each constructor (only the ones the lab uses matter). */
function positionalNames(call: ModelCall): string[] {
  if (call.framework === 'pytorch') {
    if (call.isCell) return call.cell === 'rnn' ? ['input_size', 'hidden_size', 'bias', 'nonlinearity'] : ['input_size', 'hidden_size', 'bias'];
    return call.cell === 'rnn'
      ? ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional']
      : ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'];
  }
  if (call.framework === 'keras') return ['units', 'activation'];
  return []; // tf.layers.* takes one config object
}

/**
 * Reads the call's arguments into a model config for the lab. `source` is the whole document (to
 * follow names to their literal values); `call` comes from findModelCalls(source).
 */
export function readModelArgs(source: string | ModelSource, call: ModelCall): LabModelConfig {
  const src = sourceOf(source);
  const { text } = src;
  const inner = text.slice(call.openParen + 1, Math.max(call.openParen + 1, call.end - 1));
  let args = splitTopLevel(inner).map(parseArg).filter((a) => a.text !== '' || a.name);
  // tf.layers.lstm({...}): the single object literal's properties are the arguments.
  if (call.framework === 'tfjs' && args.length >= 1 && !args[0].name && args[0].text.startsWith('{')) {
    const body = args[0].text.replace(/^\{/, '').replace(/\}$/, '');
    args = splitTopLevel(body).map(parseObjectProp).filter((a) => a.text !== '');
  }
  const names = positionalNames(call);
  const byName = new Map<string, Arg>();
  args.forEach((a, i) => {
    const name = a.name ?? names[i];
    if (name && !byName.has(name)) byName.set(name, { name, text: a.text });
  });

  const readings: ModelArgReading[] = [];
  const demo = demoFor(call.cell);
  const defaults = LAB_DEFAULTS[demo];

  /**
   * Reads one parameter through `pick`: undefined when absent (no reading recorded) or when its
   * value is not what `pick` accepts (an "unreadable" reading). `shown` gives the reading's number.
   * Only integers resolve through a name (resolveName), so a string reading is always literal.
   */
  const read = <T>(param: string, pick: (v: Literal) => T | undefined, shown?: (v: T) => number): T | undefined => {
    const a = byName.get(param);
    if (!a) return undefined;
    const r = evaluate(a.text, src, call.start);
    const value = r.ok ? pick(r.value) : undefined;
    if (!r.ok || value === undefined) {
      readings.push({ param, text: shorten(a.text, READING_CHARS), status: 'unreadable' });
      return undefined;
    }
    const via = r.via === undefined ? undefined : shorten(r.via, READING_CHARS);
    readings.push({ param, text: shorten(a.text, READING_CHARS), status: via ? 'resolved' : 'literal', value: shown?.(value), via });
    return value;
  };
  const num = (param: string, pick: (v: Literal) => number | undefined = asPositiveInt): number | undefined =>
    read(param, pick, (v) => v);
  const bool = (param: string): boolean | undefined =>
    read(param, (v) => (typeof v === 'boolean' ? v : undefined), (v) => (v ? 1 : 0));
  const str = (param: string): string | undefined => read(param, (v) => (typeof v === 'string' ? v : undefined));

  let inputSize: number | undefined;
  let hiddenSize: number | undefined;
  let steps: number | undefined;
  let numLayers = 1;
  let bidirectional: boolean;
  let activation: RnnActivation | undefined;
  const missing: string[] = [];

  if (call.framework === 'pytorch') {
    inputSize = num('input_size');
    hiddenSize = num('hidden_size');
    numLayers = num('num_layers', (v) => {
      const n = asPositiveInt(v);
      return n !== undefined && n <= MAX_LAYERS ? n : undefined;
    }) ?? 1;
    bidirectional = bool('bidirectional') ?? false;
    const nl = str('nonlinearity');
    if (nl === 'relu' || nl === 'tanh') activation = nl;
    if (!byName.has('input_size')) missing.push('input_size');
    if (!byName.has('hidden_size')) missing.push('hidden_size');
  } else {
    hiddenSize = num('units');
    const act = str('activation');
    if (act === 'relu' || act === 'tanh') activation = act;
    // Keras infers the input size from the data; an input shape, when given, is (T, D).
    const shapeParam = call.framework === 'keras' ? 'input_shape' : 'inputShape';
    const shape = byName.has(shapeParam) ? num(shapeParam, (v) => shapePart(v, -1)) : undefined;
    if (shape !== undefined) {
      inputSize = shape;
      const r = evaluate(byName.get(shapeParam)!.text, src, call.start);
      steps = r.ok ? shapePart(r.value, -2) : undefined;
    } else if (call.framework === 'tfjs' && byName.has('inputDim')) {
      inputSize = num('inputDim');
    } else if (call.framework === 'keras' && byName.has('input_dim')) {
      inputSize = num('input_dim');
    } else {
      missing.push(call.framework === 'keras' ? 'input_shape' : 'inputShape');
    }
    if (!byName.has('units')) missing.push('units');
    bidirectional = /\bBidirectional\s*\(\s*$/.test(text.slice(Math.max(0, call.start - 40), call.start));
  }

  // Sizes not read fall back to the demo's defaults; sizes too big for an interactive frame are
  // capped (the full model would still be correct, just not live).
  const capped: LabModelConfig['capped'] = [];
  const cap = (param: string, v: number, max: number): number => {
    if (v <= max) return v;
    capped.push({ param, from: v, to: max });
    return max;
  };
  const D = cap('input size', inputSize ?? defaults.D, LAB_LIMITS.D);
  const H = cap('hidden size', hiddenSize ?? defaults.H, LAB_LIMITS.H);
  const T = steps === undefined ? undefined : cap('sequence length', steps, LAB_LIMITS.T);

  return {
    callee: call.callee,
    framework: call.framework,
    cell: call.cell,
    demo,
    line: call.line,
    inputSize: D,
    hiddenSize: H,
    ...(T === undefined ? {} : { steps: T }),
    numLayers,
    bidirectional,
    ...(activation ? { activation } : {}),
    readings,
    missing,
    capped,
  };
}

/** Lines the panel prints under "Your model": what was read, what fell back, what was capped. */
export function describeModelConfig(m: LabModelConfig): string[] {
  const out: string[] = [];
  for (const r of m.readings) {
    if (r.status === 'unreadable') out.push(`${r.param} = ${shorten(r.text)} could not be read; the demo's default is used.`);
    else if (r.status === 'resolved') out.push(`${r.param} = ${shorten(r.text)} read as ${r.value}${r.via ? ` (${r.via})` : ''}.`);
  }
  for (const p of m.missing) out.push(`${p} is not given; the demo's default is used.`);
  for (const c of m.capped) out.push(`${c.param} ${c.from} is capped to ${c.to} so the demo stays interactive.`);
  if (m.numLayers > 1) out.push(`${m.numLayers} stacked layers: the demo shows the first.`);
  if (m.bidirectional) out.push('Bidirectional: the demo shows the forward direction.');
  return out;
}

// ---- literal evaluation ----------------------------------------------------------------------

type Eval = { ok: true; value: Literal; via?: string } | { ok: false };

const NAME_RE = /^[A-Za-z_$][\w$]*$/;

function evaluate(code: string, src: ModelSource, before: number, depth = 0): Eval {
  const s = code.trim();
  const lit = parseLiteral(s);
  if (lit.ok) return lit;
  if (NAME_RE.test(s) && depth === 0) {
    const bound = resolveName(s, src, before);
    if (bound) return { ok: true, value: bound.value, via: bound.via };
  }
  if (/^[[(]/.test(s)) {
    // A list/tuple whose items may be names: evaluate each.
    const body = s.slice(1, -1);
    const items: Literal[] = [];
    let via: string | undefined;
    for (const part of splitTopLevel(body)) {
      if (part.trim() === '') continue;
      const r = evaluate(part, src, before, depth);
      if (!r.ok) return { ok: false };
      items.push(r.value);
      via = via ?? r.via;
    }
    return { ok: true, value: items, via };
  }
  return { ok: false };
}

function parseLiteral(s: string): Eval {
  if (/^[+-]?\d[\d_]*$/.test(s)) return { ok: true, value: Number(s.replace(/_/g, '')) };
  if (/^[+-]?(\d[\d_]*)?\.\d+(e[+-]?\d+)?$|^[+-]?\d+e[+-]?\d+$/i.test(s)) return { ok: true, value: Number(s.replace(/_/g, '')) };
  if (s === 'True' || s === 'true') return { ok: true, value: true };
  if (s === 'False' || s === 'false') return { ok: true, value: false };
  if (s === 'None' || s === 'null' || s === 'undefined') return { ok: true, value: null };
  const q = /^(['"`])(.*)\1$/s.exec(s);
  if (q && !/[\\$]/.test(q[2])) return { ok: true, value: q[2] };
  return { ok: false };
}

/** The integers one name is bound to, in document order. */
interface NameBindings {
  values: number[];
  offsets: number[];
  /** 1-based. */
  lines: number[];
  /** Whether every binding gives the same value. */
  agree: boolean;
}

/**
 * An integer bound to a name: a default parameter (`name=32`, `name: int = 32`) or a plain
 * assignment (`NAME = 32`, `const NAME = 32`). The name starts a line or follows white space, a
 * comma or a parenthesis; the value ends at a comma, a parenthesis, a semicolon, a comment or
 * the end of the line. Only the name is consumed, so a binding inside another's annotation
 * (`if big: h = 256`) is still seen.
 */
const BINDING_RE = /(?:^|(?<=[\s,(]))(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)(?=\s*(?::\s*[\w.[\]]+\s*)?=(?!=)\s*([+-]?\d[\d_]*)\s*(?:[,)\n;#]|$))/gm;

/** Every integer binding in the text, by name: one pass over the text. */
function indexBindings(text: string, lineStarts: number[]): Map<string, NameBindings> {
  const byName = new Map<string, NameBindings>();
  const re = new RegExp(BINDING_RE.source, BINDING_RE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = Number(m[2].replace(/_/g, ''));
    const line = lineOf(lineStarts, m.index) + 1;
    const b = byName.get(m[1]);
    if (!b) {
      byName.set(m[1], { values: [value], offsets: [m.index], lines: [line], agree: true });
      continue;
    }
    b.values.push(value);
    b.offsets.push(m.index);
    b.lines.push(line);
    b.agree &&= value === b.values[0];
  }
  return byName;
}

/**
 * The one integer `name` is bound to in the file (see BINDING_RE). A name bound to different
 * values in several places is ambiguous, hence unreadable; the nearest binding above the call
 * wins only when all bindings agree (the first one when none is above).
 */
function resolveName(name: string, src: ModelSource, before: number): { value: number; via: string } | undefined {
  const b = src.bindings.get(name);
  if (!b || !b.agree) return undefined;
  const i = Math.max(0, lastAtMost(b.offsets, before - 1));
  return { value: b.values[i], via: `${name} = ${b.values[i]} on line ${b.lines[i]}` };
}

function asPositiveInt(v: Literal): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Item `index` (negative counts from the end) of a shape like (T, D) or [null, T, D]. */
function shapePart(v: Literal, index: number): number | undefined {
  if (!Array.isArray(v)) return index === -1 ? asPositiveInt(v) : undefined;
  const item = v[v.length + index];
  return item === undefined ? undefined : asPositiveInt(item);
}

// ---- tokenising ------------------------------------------------------------------------------

/**
 * Offset just past the parenthesis that closes the one at `open` (strings and brackets
 * respected), or `limit` (at most the end of the text) when none closes it before there.
 */
export function matchingParen(text: string, open: number, limit = text.length): number {
  const stop = Math.min(limit, text.length);
  let depth = 0;
  for (let i = open; i < stop; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(text, i, stop);
      continue;
    }
    // A comment inside a multi-line call (`# (batch, time)`) may hold brackets: skip it.
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < stop && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return stop;
}

/** Offset of the last character of the string opening at `i`, or `stop` when it is not closed before. */
function skipString(text: string, i: number, stop = text.length): number {
  const q = text[i];
  const triple = text.startsWith(q.repeat(3), i) && q !== '`';
  const close = triple ? q.repeat(3) : q;
  for (let j = i + close.length; j < stop; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text.startsWith(close, j)) return j + close.length - 1;
  }
  return stop;
}

/** Splits on commas at bracket depth 0, outside strings; comments are dropped. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  /** Start of the run of `s` not yet added to `cur` (copied in slices, not by the character). */
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(s, i);
      continue;
    }
    if (ch === '#' || (ch === '/' && s[i + 1] === '/')) {
      cur += s.slice(run, i);
      const nl = s.indexOf('\n', i);
      run = nl < 0 ? s.length : nl;
      i = run - 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push((cur + s.slice(run, i)).trim());
      cur = '';
      run = i + 1;
    }
  }
  cur += s.slice(run);
  if (cur.trim() !== '') parts.push(cur.trim());
  return parts;
}

function parseArg(s: string): Arg {
  const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(s);
  return m ? { name: m[1], text: m[2].trim() } : { text: s.trim() };
}

function parseObjectProp(s: string): Arg {
  const m = /^['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*([\s\S]*)$/.exec(s);
  if (m) return { name: m[1], text: m[2].trim() };
  // Shorthand `{ units }`: the property is a name to follow.
  if (NAME_RE.test(s.trim())) return { name: s.trim(), text: s.trim() };
  return { text: s.trim() };
}

/** `s` on one line, at most `max` characters. */
function shorten(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  return Math.max(0, lastAtMost(starts, offset));
}

/** Index of the last item of the ascending `sorted` that is at most `x`; -1 when there is none. */
function lastAtMost(sorted: readonly number[], x: number): number {
  let lo = -1;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
