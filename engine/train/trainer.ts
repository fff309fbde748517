// createTrainer: a model, a task and an optimizer wired into one object the lab drives step by
// step, plus the measurements its demos plot. Pure: no editor, no DOM. The same config (seed
// included) gives the same numbers on the same backend.
import { engineFor } from '../api';
import { clipGlobalNorm, mulberry32 } from '../init';
import type { BackendName, Out } from '../types';
import { gateCount, gateKeys } from '../cells/registry';
import { DEFAULT_OPTIMIZER, TRAINER_LIMITS, type TrainerConfig, checkInitial, show, validateConfig } from './config';
import { Model, type ModelParams, type ModelSpec, argmaxAt } from './model';
import { type FloatArray, type Optimizer, createOptimizer } from './optim';
import { eigenvalues, singularValues } from './spectrum';
import { repeatSteps, trainStep } from './step';
import { type Batch, type Task, createTask, encodeText, textCharacters } from './tasks';

export interface Metrics {
  /** Updates made so far. */
  step: number;
  /** Mean cross-entropy (nats) or mean squared error. */
  loss: number;
  /** Fraction of scored entries whose argmax is the target (classification tasks only). */
  accuracy?: number;
  /** Global L2 norm of all parameter gradients, before clipping. Not finite where the batch diverged: that update is skipped. */
  gradNorm: number;
}

/** One gate's block of W_hh (H×H): singular values (largest first) and eigenvalues (re, im; largest modulus first). */
export interface SpectrumBlock {
  gate: string;
  singular: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

export interface FreeRunning {
  /** Next-character accuracy reading the true text (teacher forcing). */
  teacherForced: number;
  /** Next-character accuracy over the same windows and positions, reading the model's own previous guess after the prime. */
  freeRunning: number;
  windows: number;
  /** Characters read from the text before free running starts. */
  prime: number;
}

export interface Trainer {
  readonly config: TrainerConfig;
  /** The backend actually used (the default is wasm where it compiles, else js). */
  readonly backend: BackendName;
  /** Sequence length of one batch. */
  readonly T: number;
  /** Updates made so far. */
  readonly steps: number;
  /** A text task's characters (symbol id = index); undefined otherwise. */
  readonly vocabulary: string | undefined;
  /** n updates, each on a fresh batch; the last one's metrics. */
  step(n?: number): Metrics;
  /** Fresh held-out batches, no update; loss and accuracy over all of them, gradNorm their mean. */
  evaluate(batches?: number): Metrics;
  /** Copies of the parameters: W (G·H, D+H), b, head V (O, H), c, embedding E or null. */
  parameters(): ModelParams;
  /**
   * W_hh's spectrum, one block per gate (rnn: h; lstm: f, i, g, o; gru: z, r, n), or only the
   * named gate's. O(H³) per gate: milliseconds at H = 64, about a second at H = 256.
   */
  spectrum(gate?: string): SpectrumBlock[];
  /** ‖∂L/∂h_t‖ (over the batch, recurrence included) of the last training batch, t = 0..T-1. */
  gradientNorms(): Float64Array;
  /**
   * recall only: mean over the last training batch of ‖∂y/∂x_t‖ for t = 0..T-1, y = the
   * log-probability of the correct symbol at the first recall step.
   */
  connectivity(): Float64Array;
  /** text only: `length` sampled characters after `prime` (default: the text's first character); temperature 0 is argmax. */
  sample(length: number, temperature?: number, opts?: { prime?: string; seed?: number }): string;
  /** text only: next-character accuracy teacher-forced vs free-running over the same held-out windows. */
  freeRunning(prime?: number): FreeRunning;
}

export const SAMPLE_MAX = 10_000;

/** wasm where it compiles, else js. */
export function defaultBackend(): BackendName {
  try {
    engineFor('wasm');
    return 'wasm';
  } catch {
    return 'js';
  }
}

/** A draw from softmax(z / temperature) by the uniform source u. */
export function draw(z: Float64Array, temperature: number, u: () => number): number {
  let max = -Infinity;
  for (let o = 0; o < z.length; o++) max = Math.max(max, z[o] / temperature);
  let sum = 0;
  for (let o = 0; o < z.length; o++) sum += Math.exp(z[o] / temperature - max);
  let r = u() * sum;
  for (let o = 0; o < z.length; o++) {
    r -= Math.exp(z[o] / temperature - max);
    if (r < 0) return o;
  }
  return z.length - 1;
}

function tokenBatch(tokens: Int32Array, T: number, B: number): Batch {
  return { T, B, tokens, features: null, classes: null, values: null };
}

class TrainerImpl implements Trainer {
  readonly backend: BackendName;
  readonly T: number;
  readonly vocabulary: string | undefined;
  private readonly task: Task;
  private readonly model: Model;
  private readonly opt: Optimizer;
  private readonly train: Batch;
  private readonly held: Batch;
  private readonly B: number;
  private readonly params: FloatArray[];
  /** The state carried between consecutive windows of a stream (text), detached. */
  private readonly h0: FloatArray;
  private readonly c0: FloatArray;
  private carried = false;
  private readonly norms: Float64Array;
  private count = 0;

  constructor(readonly config: TrainerConfig) {
    validateConfig(config);
    this.backend = config.backend ?? defaultBackend();
    engineFor(this.backend);
    this.B = config.batch;
    this.task = createTask(config.task, this.B, config.seed);
    this.T = this.task.T;
    this.vocabulary = this.task.vocabulary;
    const input = !this.task.symbolic ? 'features' : config.input?.kind === 'embedding' ? 'embedding' : 'onehot';
    const spec: ModelSpec = {
      cell: config.cell, activation: config.activation ?? 'tanh', H: config.H, input, inputs: this.task.inputs,
      embeddingDim: config.input?.kind === 'embedding' ? config.input.dim : undefined,
      outputs: this.task.outputs, head: this.task.head, backend: this.backend, resetAfter: config.resetAfter,
    };
    const init = config.init ?? { scheme: 'xavier' };
    if (config.initial) {
      checkInitial(config.initial, config.cell, gateCount(config.cell), spec.input === 'embedding' ? spec.embeddingDim! : spec.inputs, config.H);
    }
    this.model = Model.init(spec, { ...init, seed: config.seed }, config.initial);
    this.params = this.model.paramList();
    this.opt = createOptimizer(config.optimizer ?? DEFAULT_OPTIMIZER);
    this.train = this.task.newBatch(this.B);
    this.held = this.task.newBatch(this.B);
    const BH = this.B * config.H;
    this.h0 = this.model.alloc(BH);
    this.c0 = this.model.alloc(BH);
    this.norms = new Float64Array(this.T);
  }

  get steps(): number {
    return this.count;
  }

  step(n = 1): Metrics {
    return repeatSteps(n, TRAINER_LIMITS.stepsPerCall, () => this.stepOnce());
  }

  private stepOnce(): Metrics {
    const carry = this.task.nextTrain(this.train) && this.carried;
    const r = trainStep(this.model, this.opt, this.params, this.train, {
      clip: this.config.clip, truncate: this.config.truncate, h0: carry ? this.h0 : undefined, c0: carry ? this.c0 : undefined,
    });
    this.count++;
    if (this.task.stream) this.keepState(r.fwd.h, r.fwd.c);
    const g = r.bwd.gradNorm;
    for (let t = 0; t < this.T; t++) this.norms[t] = g[t];
    return this.metrics(r.loss, r.correct, r.count, r.gradNorm);
  }

  private keepState(h: Out, c: Out | undefined): void {
    const BH = this.B * this.config.H;
    const o = (this.T - 1) * BH;
    this.h0.set(h.subarray(o, o + BH));
    if (c) this.c0.set(c.subarray(o, o + BH));
    this.carried = true;
  }

  private metrics(loss: number, correct: number, count: number, gradNorm: number): Metrics {
    const m: Metrics = { step: this.count, loss, gradNorm };
    if (this.task.head === 'ce') m.accuracy = count > 0 ? correct / count : 0;
    return m;
  }

  evaluate(batches = 8): Metrics {
    if (!Number.isInteger(batches) || batches < 1 || batches > 10_000) {
      throw new RangeError(`evaluate(batches): batches must be an integer from 1 to 10000, got ${show(batches)}`);
    }
    let loss = 0, correct = 0, count = 0, norm = 0;
    for (let i = 0; i < batches; i++) {
      this.task.nextEval(this.held);
      const r = this.model.lossAndGrad(this.held, undefined, undefined, this.config.truncate);
      loss += r.loss * r.count;
      correct += r.correct;
      count += r.count;
      norm += clipGlobalNorm(r.grads, Infinity);
    }
    return this.metrics(count > 0 ? loss / count : 0, correct, count, norm / batches);
  }

  parameters(): ModelParams {
    const { W, b, V, c, E, bh } = this.model.params;
    return { W: W.slice(), b: b.slice(), V: V.slice(), c: c.slice(), E: E ? E.slice() : null, ...(bh ? { bh: bh.slice() } : {}) };
  }

  spectrum(only?: string): SpectrumBlock[] {
    const { H } = this.config;
    const D = this.model.D;
    const K = D + H;
    const W = this.model.params.W;
    const gates = gateKeys(this.config.cell);
    if (only !== undefined && !gates.includes(only)) {
      throw new RangeError(`spectrum: unknown gate ${show(only)} (${gates.join(', ')})`);
    }
    return gates.flatMap((gate, q) => {
      if (only !== undefined && gate !== only) return [];
      const whh = new Float64Array(H * H);
      for (let u = 0; u < H; u++) for (let v = 0; v < H; v++) whh[u * H + v] = W[(q * H + u) * K + D + v];
      const { re, im } = eigenvalues(whh, H);
      return [{ gate, singular: singularValues(whh, H), re, im }];
    });
  }

  gradientNorms(): Float64Array {
    return this.norms.slice();
  }

  connectivity(): Float64Array {
    const steps = this.task.recallSteps;
    if (!steps) throw new RangeError('connectivity is measured on the recall task only');
    if (this.count === 0) throw new RangeError('connectivity needs a training batch: call step() first');
    const { T, B } = this;
    const ts = steps[0];
    // The last batch with targets at the first recall step only.
    const classes = new Int32Array(T * B).fill(-1);
    classes.set(this.train.classes!.subarray(ts * B, ts * B + B), ts * B);
    const only: Batch = { ...this.train, classes };
    const { fwd, x } = this.model.forward(only);
    const dh = this.model.alloc(T * B * this.config.H);
    this.model.head(only, fwd.h, dh);
    const bwd = this.model.engine.backward(this.config.cell, this.model.shape(T, B), this.model.params, x, fwd, dh, { backend: this.backend });
    // The head's gradient is of -mean_b log p: times B (and the sign dropped by the norm) it is ∂y_b/∂x per row.
    const D = this.model.D;
    const out = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let bi = 0; bi < B; bi++) {
        let sq = 0;
        const o = (t * B + bi) * D;
        for (let d = 0; d < D; d++) sq += bwd.dx[o + d] * bwd.dx[o + d];
        s += Math.sqrt(sq);
      }
      out[t] = s;
    }
    return out;
  }

  /** The text task's symbols (code points), in id order. */
  private textOnly(what: string): string[] {
    const v = this.vocabulary;
    if (v === undefined) throw new RangeError(`${what} needs the text task`);
    return textCharacters(v);
  }

  /** Runs tokens (T·B, time-major) from state (h0, c0); returns the last step's h and c. */
  private run(tokens: Int32Array, T: number, B: number, h0?: Out, c0?: Out): { h: Out; c?: Out } {
    const batch = tokenBatch(tokens, T, B);
    const x = this.model.alloc(T * B * this.model.D);
    const { fwd } = this.model.forward(batch, h0, c0, x);
    const BH = B * this.config.H;
    const o = (T - 1) * BH;
    return { h: fwd.h.subarray(o, o + BH), c: fwd.c?.subarray(o, o + BH) };
  }

  private argmax(h: Out, r: number): number {
    const z = this.model.project(h, r);
    return argmaxAt(z, 0, z.length);
  }

  sample(length: number, temperature = 1, opts: { prime?: string; seed?: number } = {}): string {
    const vocab = this.textOnly('sample');
    if (!Number.isInteger(length) || length < 0 || length > SAMPLE_MAX) {
      throw new RangeError(`sample(length): length must be an integer from 0 to ${SAMPLE_MAX}, got ${show(length)}`);
    }
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 100) {
      throw new RangeError(`sample: temperature must be a number from 0 to 100, got ${show(temperature)}`);
    }
    const first = this.config.task.kind === 'text' ? this.config.task.text.codePointAt(0) : undefined;
    const primeText = opts.prime ?? (first === undefined ? '' : String.fromCodePoint(first));
    // Bounded before it is split: a huge prime is refused by its UTF-16 length alone.
    const prime = primeText.length > 2 * TRAINER_LIMITS.T ? [] : textCharacters(primeText);
    if (prime.length < 1 || prime.length > TRAINER_LIMITS.T) throw new RangeError(`sample: prime must have 1 to ${TRAINER_LIMITS.T} characters`);
    // A character the vocabulary left out reads as its "other" symbol, where it has one.
    const ids = encodeText(prime, vocab);
    const u = mulberry32((opts.seed ?? this.config.seed) >>> 0);
    let s = this.run(ids, ids.length, 1);
    let out = '';
    const one = new Int32Array(1);
    for (let n = 0; n < length; n++) {
      const z = this.model.project(s.h, 0);
      const next = temperature === 0 ? argmaxAt(z, 0, z.length) : draw(z, temperature, u);
      out += vocab[next];
      one[0] = next;
      s = this.run(one, 1, 1, s.h, s.c);
    }
    return out;
  }

  freeRunning(prime?: number): FreeRunning {
    this.textOnly('freeRunning');
    const { T, B } = this;
    const P = prime ?? Math.max(1, Math.floor(T / 4));
    if (!Number.isInteger(P) || P < 1 || P > T) throw new RangeError(`freeRunning(prime): prime must be an integer from 1 to ${T}, got ${show(P)}`);
    this.task.nextEval(this.held);
    const tok = this.held.tokens!;
    const cls = this.held.classes!;
    // Teacher forcing: the whole window read from the text.
    const { fwd } = this.model.forward(tokenBatch(tok, T, B), undefined, undefined, this.model.alloc(T * B * this.model.D));
    let tf = 0;
    for (let t = P - 1; t < T; t++) for (let bi = 0; bi < B; bi++) if (this.argmax(fwd.h, t * B + bi) === cls[t * B + bi]) tf++;
    // Free running: the prime from the text, then each step reads the previous step's guess.
    let s = this.run(tok.subarray(0, P * B), P, B);
    let fr = 0;
    const guess = new Int32Array(B);
    for (let t = P - 1; t < T; t++) {
      for (let bi = 0; bi < B; bi++) {
        guess[bi] = this.argmax(s.h, bi);
        if (guess[bi] === cls[t * B + bi]) fr++;
      }
      if (t + 1 < T) s = this.run(guess, 1, B, s.h, s.c);
    }
    const n = (T - P + 1) * B;
    return { teacherForced: tf / n, freeRunning: fr / n, windows: B, prime: P };
  }
}


/** A trainer for config, validated first (a bad config throws a one-line RangeError). */
export function createTrainer(config: TrainerConfig): Trainer {
  return new TrainerImpl(config);
}
