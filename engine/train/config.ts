// The trainer's configuration, its documented caps, and the one-line checks every createTrainer
// call runs before anything is allocated. Pure: no editor, no DOM.
import { isCell, unknownCell } from '../cells/registry';
import { SERIES_MAX_VALUES, SERIES_MIN_VALUES } from './series';
import type { BackendName, Cell, InitScheme, OptimizerKind, RnnActivation } from '../types';

export type TaskConfig =
  | { kind: 'recall'; delay: number; symbols?: number; length?: number }
  | { kind: 'adding'; T: number }
  /**
   * Next-character prediction. `vocabulary` caps the symbols (default and most
   * TRAINER_LIMITS.vocabulary): the rarer characters share one "other" symbol (tasks.ts OTHER_SYMBOL).
   */
  | { kind: 'text'; text: string; T: number; vocabulary?: number }
  /** Next-step prediction (MSE) on a series of numbers; the last 20% held out (series.ts). */
  | { kind: 'series'; values: number[]; T: number };

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  /** SGD only; default 0 (plain SGD). */
  momentum?: number;
  /** Adam only; defaults 0.9, 0.999, 1e-8 (torch.optim.Adam's). */
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * Starting weights for the cell instead of the initialiser (a checkpoint's layer, to train on
 * from there), in the engine's layout: W (G·H, D+H) over [x; h], b (G·H), and PyTorch's recurrent
 * bias bh (G·H), trained as a parameter of its own. D is the cell's input width as the task and
 * `input` make it (trainer.ts checks the sizes once it knows D).
 */
export interface InitialWeights {
  W: ArrayLike<number>;
  b: ArrayLike<number>;
  bh?: ArrayLike<number>;
}

/** How symbols enter the cell: a one-hot vector (D = vocabulary size) or a learned embedding row. */
export type InputConfig = { kind: 'onehot' } | { kind: 'embedding'; dim: number };

export interface TrainerConfig {
  cell: Cell;
  /** The RNN cell's nonlinearity; LSTM and GRU ignore it. Default tanh. */
  activation?: RnnActivation;
  /**
   * GRU only: the candidate as torch.nn.GRU computes it, n = tanh(W_n x + b_n + r ⊙ (U_n h)),
   * instead of the default n = tanh(W_n x + U_n (r ⊙ h) + b_n).
   */
  resetAfter?: boolean;
  H: number;
  seed: number;
  init?: { scheme: InitScheme; spectralRadius?: number; forgetBias?: number };
  task: TaskConfig;
  batch: number;
  optimizer?: OptimizerConfig;
  /** Global gradient-norm clip (clip_grad_norm_); absent or 0: no clipping. */
  clip?: number;
  /** Truncated BPTT window: the gradient flows back at most this many steps (state still carried). */
  truncate?: number;
  backend?: BackendName;
  /** Symbolic tasks only (recall, text); default one-hot. The adding task takes its two real channels. */
  input?: InputConfig;
  /** The cell's weights to start from; absent: `init` draws them. */
  initial?: InitialWeights;
}

/**
 * The caps createTrainer enforces; anything above is refused with a one-line error. The lab's
 * playground offers narrower ones (protocol's PLAYGROUND_LIMITS), sized for a webview.
 */
export const TRAINER_LIMITS = {
  /** Hidden units; the spectrum (O(H³) per gate) stays under a second at this size. */
  H: 256,
  /** Sequence length: adding's T, text's T, and recall's length + delay + 1 + length. */
  T: 1000,
  batch: 512,
  /**
   * T·batch·H: the size of one step's state history (every gate array has this many floats). It
   * also bounds one update's work: at the cap an LSTM step is a few seconds, not minutes.
   */
  stateFloats: 1 << 20,
  /** Updates one step(n) call makes at most. */
  stepsPerCall: 10_000,
  symbols: 64,
  recallLength: 32,
  textChars: 1_000_000,
  vocabulary: 256,
  embeddingDim: 512,
  lr: 10,
} as const;

export const DEFAULT_OPTIMIZER: OptimizerConfig = { kind: 'adam', lr: 0.01 };

/**
 * Settings that make the demos learn fast on the js and wasm backends: with them an LSTM solves
 * recall at delay 20 and adding at T = 30 within about a thousand steps (test/unit/engine/train-learning.test.ts).
 */
export const TRAIN_DEFAULTS = { H: 32, batch: 32, optimizer: DEFAULT_OPTIMIZER, clip: 1 } as const;

/** A value as an error message shows it: short and on one line. */
export function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.slice(0, 40).replace(/\s+/g, ' ')}${v.length > 40 ? '…' : ''}'`;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

export function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

export function int(name: string, v: unknown, lo: number, hi: number): number {
  if (!isInt(v, lo, hi)) throw new RangeError(`${name} must be an integer from ${lo} to ${hi}, got ${show(v)}`);
  return v;
}

export function num(name: string, v: unknown, lo: number, hi: number, loOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo)) {
    throw new RangeError(`${name} must be a number ${loOpen ? '>' : '>='} ${lo} and <= ${hi}, got ${show(v)}`);
  }
  return v;
}

/** Sequence length of a task as configured (recall: length + delay + cue + length). */
export function taskLength(task: TaskConfig): number {
  if (task.kind === 'recall') return 2 * (task.length ?? 1) + task.delay + 1;
  return task.T;
}

/** Throws a one-line RangeError naming the first problem; returns nothing when the config is usable. */
export function validateConfig(config: TrainerConfig): void {
  if (config === null || typeof config !== 'object') throw new RangeError('config must be an object');
  const { cell } = config;
  if (!isCell(cell)) throw new RangeError(unknownCell(show(cell)));
  if (config.activation !== undefined && config.activation !== 'tanh' && config.activation !== 'relu') {
    throw new RangeError(`unknown activation ${show(config.activation)} (tanh or relu)`);
  }
  if (config.resetAfter !== undefined) {
    if (typeof config.resetAfter !== 'boolean') throw new RangeError(`resetAfter must be true or false, got ${show(config.resetAfter)}`);
    if (config.resetAfter && cell !== 'gru') throw new RangeError(`resetAfter is a GRU option; cell is ${show(cell)}`);
  }
  int('H', config.H, 1, TRAINER_LIMITS.H);
  if (typeof config.seed !== 'number' || !Number.isFinite(config.seed)) throw new RangeError(`seed must be a number, got ${show(config.seed)}`);
  const B = int('batch', config.batch, 1, TRAINER_LIMITS.batch);
  for (const key of ['init', 'optimizer', 'input', 'initial'] as const) {
    const v: unknown = config[key];
    if (v !== undefined && (v === null || typeof v !== 'object')) throw new RangeError(`${key} must be an object, got ${show(v)}`);
  }
  if (config.init !== undefined) {
    const { scheme, spectralRadius, forgetBias } = config.init;
    if (!['gaussian', 'orthogonal', 'identity', 'xavier'].includes(scheme)) {
      throw new RangeError(`unknown init scheme ${show(scheme)} (gaussian, orthogonal, identity or xavier)`);
    }
    if (spectralRadius !== undefined) num('init.spectralRadius', spectralRadius, 0, 10);
    if (forgetBias !== undefined) num('init.forgetBias', forgetBias, -10, 10);
  }
  const task = config.task;
  if (task === null || typeof task !== 'object') throw new RangeError('task must be an object');
  if (task.kind === 'recall') {
    int('task.symbols', task.symbols ?? 8, 2, TRAINER_LIMITS.symbols);
    int('task.length', task.length ?? 1, 1, TRAINER_LIMITS.recallLength);
    int('task.delay', task.delay, 0, TRAINER_LIMITS.T);
  } else if (task.kind === 'adding') {
    int('task.T', task.T, 2, TRAINER_LIMITS.T);
  } else if (task.kind === 'text') {
    int('task.T', task.T, 1, TRAINER_LIMITS.T);
    if (typeof task.text !== 'string') throw new RangeError('task.text must be a string');
    if (task.vocabulary !== undefined) int('task.vocabulary', task.vocabulary, 2, TRAINER_LIMITS.vocabulary);
    // Characters are code points, as the task counts them; UTF-16 length bounds the count from above.
    if (task.text.length > TRAINER_LIMITS.textChars && codePointCount(task.text) > TRAINER_LIMITS.textChars) {
      throw new RangeError(`task.text has ${codePointCount(task.text)} characters; at most ${TRAINER_LIMITS.textChars}`);
    }
  } else if (task.kind === 'series') {
    int('task.T', task.T, 1, TRAINER_LIMITS.T);
    const values: unknown = task.values;
    if (!Array.isArray(values)) throw new RangeError(`task.values must be an array of numbers, got ${show(values)}`);
    if (values.length < SERIES_MIN_VALUES || values.length > SERIES_MAX_VALUES) {
      throw new RangeError(`task.values has ${values.length} values; ${SERIES_MIN_VALUES} to ${SERIES_MAX_VALUES} are needed`);
    }
    const bad = values.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) throw new RangeError(`task.values[${bad}] must be a finite number, got ${show(values[bad])}`);
  } else {
    throw new RangeError(`unknown task ${show((task as { kind: unknown }).kind)} (recall, adding, text or series)`);
  }
  const T = taskLength(task);
  if (T > TRAINER_LIMITS.T) throw new RangeError(`sequence length ${T} is above the cap of ${TRAINER_LIMITS.T}`);
  if (T * B * config.H > TRAINER_LIMITS.stateFloats) {
    throw new RangeError(`T·batch·H = ${T * B * config.H} is above the cap of ${TRAINER_LIMITS.stateFloats}; lower T, batch or H`);
  }
  const opt = config.optimizer;
  if (opt !== undefined) {
    if (opt.kind !== 'adam' && opt.kind !== 'sgd') throw new RangeError(`unknown optimizer ${show(opt.kind)} (adam or sgd)`);
    num('optimizer.lr', opt.lr, 0, TRAINER_LIMITS.lr, true);
    if (opt.momentum !== undefined) num('optimizer.momentum', opt.momentum, 0, 1);
    if (opt.beta1 !== undefined) num('optimizer.beta1', opt.beta1, 0, 1);
    if (opt.beta2 !== undefined) num('optimizer.beta2', opt.beta2, 0, 1);
    if (opt.eps !== undefined) num('optimizer.eps', opt.eps, 0, 1, true);
  }
  if (config.clip !== undefined) num('clip', config.clip, 0, 1e6);
  if (config.truncate !== undefined) int('truncate', config.truncate, 0, TRAINER_LIMITS.T);
  if (config.backend !== undefined && !['reference', 'js', 'wasm', 'gpu'].includes(config.backend)) {
    throw new RangeError(`unknown backend ${show(config.backend)} (reference, js, wasm or gpu)`);
  }
  const input = config.input;
  if (input !== undefined) {
    if (input.kind === 'embedding') {
      if (task.kind === 'adding' || task.kind === 'series') throw new RangeError(`the ${task.kind} task takes real inputs: leave input out`);
      int('input.dim', input.dim, 1, TRAINER_LIMITS.embeddingDim);
    } else if (input.kind !== 'onehot') {
      throw new RangeError(`unknown input ${show((input as { kind: unknown }).kind)} (onehot or embedding)`);
    }
  }
}

/** The number of characters (code points) of a text. */
export function codePointCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Throws a one-line RangeError where `initial` does not fit a cell of G gates, input width D and H units, or holds a value that is not finite. */
export function checkInitial(initial: InitialWeights, cell: Cell, G: number, D: number, H: number): void {
  const sizes = { W: G * H * (D + H), b: G * H, bh: G * H } as const;
  const formula = { W: `${G}·${H}·(${D}+${H})`, b: `${G}·${H}`, bh: `${G}·${H}` } as const;
  for (const key of ['W', 'b', 'bh'] as const) {
    const a: unknown = initial[key];
    if (a === undefined && key === 'bh') continue;
    if (a === null || typeof a !== 'object' || typeof (a as { length?: unknown }).length !== 'number') {
      throw new RangeError(`initial.${key} must be an array of numbers, got ${show(a)}`);
    }
    const arr = a as ArrayLike<unknown>;
    if (arr.length !== sizes[key]) {
      throw new RangeError(`initial.${key} has ${arr.length} values; a ${cell} cell with input width D = ${D} and H = ${H} needs ${formula[key]} = ${sizes[key]}`);
    }
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`initial.${key}[${i}] must be a finite number, got ${show(x)}`);
    }
  }
}
