// Reads the sizes of a recurrent layer from the call that constructs it (nn.LSTM(10, 20, 2),
// keras.layers.GRU(units=32), tf.layers.lstm({units: 32, inputShape: [10, 8]}), ...), so the
// lab can show "this" model. Pure: no vscode, no DOM; the CodeLens provider and the unit tests
// both call it on plain text.
//
// It reads literals only. A bare name is followed to one integer it is bound to in the same file
// (a default parameter value `hidden_size: int = 128` or a module constant `HIDDEN = 128`), because
// that is how most real models pass their sizes (examples/char_lstm.py); anything else (an
// expression, a name bound twice, a call) is unreadable, and the demo's default is used and named.
import { LAB_DEFAULTS, LAB_LIMITS, type LabModelConfig, type ModelArgReading } from '../protocol';

export type Framework = 'pytorch' | 'keras' | 'tfjs';
export type CellKind = 'lstm' | 'gru' | 'rnn';

export interface ModelCall {
  /** The constructor as written, e.g. `nn.LSTM`, `tf.keras.layers.GRU`, `tf.layers.lstm`. */
  callee: string;
  framework: Framework;
  cell: CellKind;
  /** A single-step cell (nn.LSTMCell) rather than a layer over a sequence. */
  isCell: boolean;
  /** Offset of the callee's first character, and of the opening parenthesis. */
  start: number;
  openParen: number;
  /** Offset just past the closing parenthesis (the end of the text when the call is unclosed). */
  end: number;
  /** 0-based line of the callee, for the CodeLens. */
  line: number;
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

const CELL_OF: Record<string, CellKind> = {
  LSTM: 'lstm', LSTMCell: 'lstm', lstm: 'lstm',
  GRU: 'gru', GRUCell: 'gru', gru: 'gru',
  RNN: 'rnn', RNNCell: 'rnn', SimpleRNN: 'rnn', simpleRNN: 'rnn',
};

/** Every recurrent-layer constructor call in `text`, in document order (comments skipped). */
export function findModelCalls(text: string): ModelCall[] {
  const calls: ModelCall[] = [];
  const lineStarts = lineStartOffsets(text);
  for (const rule of CALLEES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const start = m.index;
      const openParen = start + m[0].length - 1;
      const line = lineOf(lineStarts, start);
      const lineText = text.slice(lineStarts[line], start);
      if (/(^|\s)(#|\/\/)/.test(lineText) || /^\s*\*/.test(lineText)) continue; // in a comment
      const callee = m[0].slice(0, m[0].indexOf('(')).replace(/\s+$/, '');
      const name = m[1];
      calls.push({
        callee, framework: rule.framework, cell: CELL_OF[name], isCell: /Cell$/.test(name),
        start, openParen, end: matchingParen(text, openParen), line,
      });
    }
  }
  return calls.sort((a, b) => a.start - b.start);
}

/** The demo that shows a cell: the forward demo draws LSTM gates; GRU and RNN go to BPTT. */
export function demoFor(cell: CellKind): 'lstm-forward' | 'bptt' {
  return cell === 'lstm' ? 'lstm-forward' : 'bptt';
}

// ---- argument reading -------------------------------------------------------------------------

type Literal = number | boolean | string | null | Literal[];

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
 * Reads the call's arguments into a model config for the lab. `text` is the whole document (to
 * follow names to their literal values); `call` comes from findModelCalls(text).
 */
export function readModelArgs(text: string, call: ModelCall): LabModelConfig {
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
    const r = evaluate(a.text, text, call.start);
    const value = r.ok ? pick(r.value) : undefined;
    if (!r.ok || value === undefined) {
      readings.push({ param, text: a.text, status: 'unreadable' });
      return undefined;
    }
    readings.push({ param, text: a.text, status: r.via ? 'resolved' : 'literal', value: shown?.(value), via: r.via });
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
  let activation: 'tanh' | 'relu' | undefined;
  const missing: string[] = [];

  if (call.framework === 'pytorch') {
    inputSize = num('input_size');
    hiddenSize = num('hidden_size');
    numLayers = num('num_layers') ?? 1;
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
      const r = evaluate(byName.get(shapeParam)!.text, text, call.start);
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

function evaluate(src: string, text: string, before: number, depth = 0): Eval {
  const s = src.trim();
  const lit = parseLiteral(s);
  if (lit.ok) return lit;
  if (NAME_RE.test(s) && depth === 0) {
    const bound = resolveName(s, text, before);
    if (bound) return { ok: true, value: bound.value, via: bound.via };
  }
  if (/^[[(]/.test(s)) {
    // A list/tuple whose items may be names: evaluate each.
    const body = s.slice(1, -1);
    const items: Literal[] = [];
    let via: string | undefined;
    for (const part of splitTopLevel(body)) {
      if (part.trim() === '') continue;
      const r = evaluate(part, text, before, depth);
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

/**
 * The one integer `name` is bound to in the file: a default parameter (`name=32`,
 * `name: int = 32`) or a plain assignment (`NAME = 32`, `const NAME = 32`). A name bound to
 * different values in several places is ambiguous, hence unreadable; the nearest binding above
 * the call wins only when all bindings agree.
 */
function resolveName(name: string, text: string, before: number): { value: number; via: string } | undefined {
  const esc = name.replace(/\$/g, '\\$');
  const re = new RegExp(`(?:^|[\\s,(])(?:(?:const|let|var)\\s+)?${esc}\\s*(?::\\s*[\\w.\\[\\]]+\\s*)?=(?!=)\\s*([+-]?\\d[\\d_]*)\\s*(?=[,)\\n;#]|$)`, 'gm');
  const found: { value: number; offset: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) found.push({ value: Number(m[1].replace(/_/g, '')), offset: m.index });
  if (found.length === 0) return undefined;
  if (new Set(found.map((f) => f.value)).size > 1) return undefined;
  const above = found.filter((f) => f.offset < before);
  const chosen = (above.length ? above[above.length - 1] : found[0]);
  const line = lineOf(lineStartOffsets(text), chosen.offset + (text[chosen.offset] === '\n' ? 1 : 0)) + 1;
  return { value: chosen.value, via: `${name} = ${chosen.value} on line ${line}` };
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

/** Offset just past the parenthesis that closes the one at `open` (strings and brackets respected). */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(text, i);
      continue;
    }
    // A comment inside a multi-line call (`# (batch, time)`) may hold brackets: skip it.
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

function skipString(text: string, i: number): number {
  const q = text[i];
  const triple = text.startsWith(q.repeat(3), i) && q !== '`';
  const close = triple ? q.repeat(3) : q;
  for (let j = i + close.length; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text.startsWith(close, j)) return j + close.length - 1;
  }
  return text.length;
}

/** Splits on commas at bracket depth 0, outside strings; comments are dropped. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = skipString(s, i);
      cur += s.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === '#' || (ch === '/' && s[i + 1] === '/')) {
      const nl = s.indexOf('\n', i);
      i = (nl < 0 ? s.length : nl) - 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
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

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
