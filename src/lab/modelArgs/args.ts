// Argument reading: a constructor call's arguments as the model config the lab opens on, and the
// lines that say what was read, what fell back to a default and what was capped.
import type { RnnActivation } from '../../../engine/types';
import { LAB_DEFAULTS, LAB_LIMITS, type LabModelConfig, type ModelArgReading } from '../../../protocol';
import { demoFor, sourceOf, type ModelCall, type ModelSource } from './calls';
import { asPositiveInt, evaluate, shapePart, type Literal } from './evaluate';
import { parseArg, parseObjectProp, shorten, splitTopLevel, type Arg } from './tokens';

// A config must pass labModelConfigSchema (protocol/index.ts) for "Visualize" to open it: a
// reading's text is kept to READING_CHARS, and a layer count above MAX_LAYERS is unreadable.
const READING_CHARS = 200;
const MAX_LAYERS = 1000;

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
