// The training tasks, each a seeded generator that fills a reusable batch in place:
// - recall: `length` random symbols, `delay` blanks, a cue, then the symbols are to be recalled
//   (loss and accuracy on those last `length` steps only; chance is 1/symbols);
// - adding (Hochreiter & Schmidhuber 1997; Le et al. 2015): value channel uniform in [0, 1],
//   marker channel with one 1 in each half, target at the last step = the sum of the two marked
//   values (always predicting 1 scores an MSE of about 1/6);
// - text: next-character prediction. Training reads B parallel streams of the text's first 90%
//   in consecutive windows of T (the state carries from one window to the next, detached, as in
//   PyTorch's word language model); held-out windows come from the last 10%;
// - series: next-step prediction on the user's numbers (MSE), normalised by the training part's
//   mean and standard deviation; streams as in the text task over the first 80%, held-out
//   windows from the last 20% (series.ts).
import { mulberry32 } from '../init';
import { TRAINER_LIMITS, type TaskConfig } from './config';
import { normalizeSeries, seriesSplit } from './series';

/** One batch, time-major: entry (t, b) is at t·B + b. Buffers are reused from batch to batch. */
export interface Batch {
  T: number;
  B: number;
  /** Input symbol ids (T·B), or null where inputs are real features. */
  tokens: Int32Array | null;
  /** Real inputs (T·B·F), or null where inputs are symbols. */
  features: Float64Array | null;
  /** Target class per (t, b), -1 where no loss is taken (classification tasks). */
  classes: Int32Array | null;
  /** Regression target per (t, b), NaN where no loss is taken (regression tasks). */
  values: Float64Array | null;
}

export interface Task {
  readonly kind: TaskConfig['kind'];
  readonly T: number;
  /** Symbols in (token inputs) or real channels (feature inputs). */
  readonly inputs: number;
  readonly symbolic: boolean;
  /** Output classes (cross-entropy head) or 1 (MSE head). */
  readonly outputs: number;
  readonly head: 'ce' | 'mse';
  /** True where consecutive training batches continue one stream (the state carries over). */
  readonly stream: boolean;
  /** The characters of a text task, index = symbol id. */
  readonly vocabulary?: string;
  /** Steps whose targets the recall task scores. */
  readonly recallSteps?: number[];
  newBatch(B: number): Batch;
  /** Fills b with the next training batch; returns false where the state must restart from zero. */
  nextTrain(b: Batch): boolean;
  /** Fills b with a fresh held-out batch (always started from zero state). */
  nextEval(b: Batch): void;
}

function emptyBatch(T: number, B: number, symbolic: boolean, features: number, head: 'ce' | 'mse'): Batch {
  return {
    T, B,
    tokens: symbolic ? new Int32Array(T * B) : null,
    features: symbolic ? null : new Float64Array(T * B * features),
    classes: head === 'ce' ? new Int32Array(T * B).fill(-1) : null,
    values: head === 'mse' ? new Float64Array(T * B).fill(NaN) : null,
  };
}

/** Seeds for the training and held-out streams of one trainer seed: distinct, deterministic. */
function streams(seed: number): { train: () => number; held: () => number } {
  return { train: mulberry32((seed * 2654435761 + 1) >>> 0), held: mulberry32((seed * 2654435761 + 0x51ed27) >>> 0) };
}

function recallTask(delay: number, symbols: number, length: number, seed: number): Task {
  const T = 2 * length + delay + 1;
  const blank = symbols;
  const cue = symbols + 1;
  const recallSteps = Array.from({ length }, (_, i) => length + delay + 1 + i);
  const rng = streams(seed);
  const fill = (b: Batch, u: () => number): void => {
    const tok = b.tokens!;
    const cls = b.classes!;
    const B = b.B;
    tok.fill(blank);
    cls.fill(-1);
    for (let bi = 0; bi < B; bi++) {
      for (let i = 0; i < length; i++) {
        const s = Math.floor(u() * symbols);
        tok[i * B + bi] = s;
        cls[recallSteps[i] * B + bi] = s;
      }
      tok[(length + delay) * B + bi] = cue;
    }
  };
  return {
    kind: 'recall', T, inputs: symbols + 2, symbolic: true, outputs: symbols, head: 'ce', stream: false, recallSteps,
    newBatch: (B) => emptyBatch(T, B, true, 0, 'ce'),
    nextTrain: (b) => {
      fill(b, rng.train);
      return false;
    },
    nextEval: (b) => fill(b, rng.held),
  };
}

function addingTask(T: number, seed: number): Task {
  const rng = streams(seed);
  const half = Math.floor(T / 2);
  const fill = (b: Batch, u: () => number): void => {
    const f = b.features!;
    const v = b.values!;
    const B = b.B;
    v.fill(NaN);
    for (let bi = 0; bi < B; bi++) {
      for (let t = 0; t < T; t++) {
        f[(t * B + bi) * 2] = u();
        f[(t * B + bi) * 2 + 1] = 0;
      }
      const m1 = Math.floor(u() * half);
      const m2 = half + Math.floor(u() * (T - half));
      f[(m1 * B + bi) * 2 + 1] = 1;
      f[(m2 * B + bi) * 2 + 1] = 1;
      v[(T - 1) * B + bi] = f[(m1 * B + bi) * 2] + f[(m2 * B + bi) * 2];
    }
  };
  return {
    kind: 'adding', T, inputs: 2, symbolic: false, outputs: 1, head: 'mse', stream: false,
    newBatch: (B) => emptyBatch(T, B, false, 2, 'mse'),
    nextTrain: (b) => {
      fill(b, rng.train);
      return false;
    },
    nextEval: (b) => fill(b, rng.held),
  };
}

/**
 * The text's characters: code points, so an emoji or any astral character is one symbol (a
 * UTF-16 split would make each half of its surrogate pair a symbol of its own, which no sample
 * could print). The vocabulary, the symbol count, the ids and the samples all count these.
 */
export function textCharacters(text: string): string[] {
  return Array.from(text);
}

/**
 * The symbol that stands for every character a capped vocabulary leaves out (U+FFFD, the
 * replacement character). A text that holds U+FFFD itself shares the symbol.
 */
export const OTHER_SYMBOL = '\uFFFD';

/**
 * The text task's symbols: the text's distinct characters (code points), sorted. Over `cap`, the
 * cap − 1 most frequent are kept (ties by code point order), sorted, and OTHER_SYMBOL comes last
 * for all the others.
 */
export function textSymbols(text: string, cap: number = TRAINER_LIMITS.vocabulary): string[] {
  const counts = new Map<string, number>();
  for (const ch of textCharacters(text)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const all = [...counts.keys()].sort();
  if (all.length <= cap) return all;
  const kept = [...all].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, cap - 1);
  return [...kept.filter((ch) => ch !== OTHER_SYMBOL).sort(), OTHER_SYMBOL];
}

/** textSymbols joined: the task's and the trainer's `vocabulary` (split it with textCharacters). */
export function textVocabulary(text: string, cap?: number): string {
  return textSymbols(text, cap).join('');
}

/** The text as symbol ids of `symbols`; a character outside them is OTHER_SYMBOL's id (or throws when there is none). */
export function encodeText(chars: readonly string[], symbols: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  for (let i = 0; i < symbols.length; i++) index.set(symbols[i], i);
  const other = index.get(OTHER_SYMBOL);
  const ids = new Int32Array(chars.length);
  for (let i = 0; i < chars.length; i++) {
    const k = index.get(chars[i]) ?? other;
    if (k === undefined) throw new RangeError(`character ${JSON.stringify(chars[i])} is not in the vocabulary`);
    ids[i] = k;
  }
  return ids;
}

function textTask(text: string, T: number, B: number, seed: number, cap: number): Task {
  const chars = textCharacters(text);
  const symbols = textSymbols(text, cap);
  const vocabulary = symbols.join('');
  const N = chars.length;
  const held = Math.max(T + 1, Math.floor(N / 10));
  const trainN = N - held;
  if (trainN < B * (T + 1)) {
    throw new RangeError(`task.text is too short: ${N} characters; batch·(T+1) = ${B * (T + 1)} for training plus ${held} held out are needed`);
  }
  const ids = encodeText(chars, symbols);
  return {
    kind: 'text', T, inputs: symbols.length, symbolic: true, outputs: symbols.length, head: 'ce', stream: true, vocabulary,
    newBatch: (bs) => emptyBatch(T, bs, true, 0, 'ce'),
    ...streamWindows(T, B, trainN, held, seed, (b, r, s) => {
      b.tokens![r] = ids[s];
      b.classes![r] = ids[s + 1];
    }),
  };
}

/**
 * A sequence read as B streams, each a contiguous stretch of the first trainN entries, in windows
 * that advance by T (the state carries from one window to the next; false where a stream starts
 * again); held-out windows start at random in the `held` entries after them. `write(b, r, s)` puts
 * entry s of the sequence (input) and s + 1 (target) at row r of the batch.
 */
function streamWindows(
  T: number, B: number, trainN: number, held: number, seed: number, write: (b: Batch, r: number, s: number) => void,
): Pick<Task, 'nextTrain' | 'nextEval'> {
  const streamLen = Math.floor(trainN / B);
  let pos = 0;
  const rng = streams(seed);
  const fillWindow = (b: Batch, start: (bi: number) => number): void => {
    for (let bi = 0; bi < B; bi++) {
      const s = start(bi);
      for (let t = 0; t < T; t++) write(b, t * B + bi, s + t);
    }
  };
  return {
    nextTrain: (b) => {
      let carry = true;
      if (pos + T + 1 > streamLen) {
        pos = 0;
        carry = false;
      }
      const p = pos;
      // Stream bi reads entries bi·streamLen … (bi+1)·streamLen − 1: all inside the training part.
      fillWindow(b, (bi) => bi * streamLen + p);
      pos += T;
      return carry && p > 0;
    },
    nextEval: (b) => fillWindow(b, () => trainN + Math.floor(rng.held() * (held - T))),
  };
}

function seriesTask(values: readonly number[], T: number, B: number, seed: number): Task {
  const split = seriesSplit(values);
  const { trainN, heldN } = split;
  if (trainN < B * (T + 1) || heldN < T + 1) {
    throw new RangeError(`task.values: ${values.length} values are too few for batch ${B} and T ${T}: the first 80% must hold batch·(T+1) = ${B * (T + 1)} and the last 20% T+1 = ${T + 1}`);
  }
  const z = normalizeSeries(values, split);
  return {
    kind: 'series', T, inputs: 1, symbolic: false, outputs: 1, head: 'mse', stream: true,
    newBatch: (bs) => emptyBatch(T, bs, false, 1, 'mse'),
    ...streamWindows(T, B, trainN, heldN, seed, (b, r, s) => {
      b.features![r] = z[s];
      b.values![r] = z[s + 1];
    }),
  };
}

export function createTask(task: TaskConfig, B: number, seed: number): Task {
  switch (task.kind) {
    case 'recall':
      return recallTask(task.delay, task.symbols ?? 8, task.length ?? 1, seed);
    case 'adding':
      return addingTask(task.T, seed);
    case 'text':
      return textTask(task.text, task.T, B, seed, task.vocabulary ?? TRAINER_LIMITS.vocabulary);
    case 'series':
      return seriesTask(task.values, task.T, B, seed);
  }
}
