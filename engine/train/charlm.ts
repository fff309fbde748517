// A stacked character language model trained as pytorch/examples' word_language_model trains its
// RNNModel: B parallel streams of the text's first 90%, windows of T (bptt), the state carried
// detached from one window to the next, clip_grad_norm, and here Adam (torch.optim.Adam's rule).
// No dropout, untied weights. Seeded: the same config gives the same numbers on the same backend.
// The network is charNet.ts; what it trains exports as safetensors (engine/export) that
// PyTorch loads with load_state_dict(strict=True). Pure: no editor, no DOM.
import { engineFor } from '../api';
import { gateCount, isCell, unknownCell } from '../cells/registry';
import type { CharModelWeights } from '../export';
import { clipGlobalNorm, mulberry32 } from '../init';
import type { BackendName, Cell } from '../types';
import { CharNet, type NetState } from './charNet';
import { codePointCount, int, num, show, TRAINER_LIMITS } from './config';
import { createOptimizer, type Optimizer } from './optim';
import { type Batch, createTask, encodeText, type Task, textCharacters, textSymbols } from './tasks';
import { repeatSteps } from './step';
import { defaultBackend, draw, SAMPLE_MAX } from './trainer';

export interface CharLMConfig {
  text: string;
  cell: Cell;
  /** Hidden units per layer (nhid). */
  H: number;
  /** Stacked layers (nlayers), 1 to 4. */
  layers: number;
  /** Embedding width (ninp). */
  embedding: number;
  /** Parallel streams (batch_size). */
  batch: number;
  /** Window length (bptt). */
  bptt: number;
  /** Adam's learning rate. */
  lr: number;
  /** clip_grad_norm's max norm; 0: no clipping. */
  clip: number;
  seed: number;
  /** The vocabulary cap: over it the rarer characters share OTHER_SYMBOL (tasks.ts). */
  vocabulary?: number;
  /** js or wasm (default wasm where it compiles). */
  backend?: BackendName;
}

/** What createCharLM refuses above (one-line RangeErrors). */
export const CHAR_LM_LIMITS = {
  H: TRAINER_LIMITS.H,
  layers: 4,
  embedding: TRAINER_LIMITS.embeddingDim,
  batch: TRAINER_LIMITS.batch,
  bptt: TRAINER_LIMITS.T,
  /** bptt·batch·H: one layer's state history per window. */
  stateFloats: TRAINER_LIMITS.stateFloats,
  textChars: TRAINER_LIMITS.textChars,
  vocabulary: TRAINER_LIMITS.vocabulary,
  lr: TRAINER_LIMITS.lr,
  clip: 1000,
  /** Updates one step(n) call makes at most. */
  stepsPerCall: 1_000_000,
} as const;

/** The defaults the CLI documents: word_language_model's clip, bptt and batch; a smaller model; Adam's lr. */
export const CHAR_LM_DEFAULTS = { cell: 'lstm', H: 128, layers: 2, embedding: 64, batch: 20, bptt: 35, lr: 0.002, clip: 0.25, seed: 1 } as const;

export interface CharStep {
  step: number;
  /** Mean cross-entropy (nats) of the last window. */
  loss: number;
  /** Global gradient norm before clipping; not finite where the update was skipped. */
  gradNorm: number;
}

export interface CharLM {
  readonly config: CharLMConfig;
  readonly backend: BackendName;
  /** The characters, index = id (the other symbol last where the cap left some out). */
  readonly vocab: readonly string[];
  readonly steps: number;
  /** n updates, each on the next window of every stream; the last one's loss. */
  step(n?: number): CharStep;
  /** Copies of the weights, as exportCharModel takes them. */
  weights(): CharModelWeights;
  /** n characters drawn after prime (default: the text's first character); temperature 0 is argmax. */
  sample(n: number, temperature?: number, seed?: number, prime?: string): string;
}

function validate(c: CharLMConfig): void {
  if (c === null || typeof c !== 'object') throw new RangeError('config must be an object');
  if (!isCell(c.cell)) throw new RangeError(unknownCell(show(c.cell)));
  if (typeof c.text !== 'string') throw new RangeError(`text must be a string, got ${show(c.text)}`);
  if (c.text.length > 2 * CHAR_LM_LIMITS.textChars || codePointCount(c.text) > CHAR_LM_LIMITS.textChars) {
    throw new RangeError(`the text has more than ${CHAR_LM_LIMITS.textChars} characters`);
  }
  const H = int('H', c.H, 1, CHAR_LM_LIMITS.H);
  int('layers', c.layers, 1, CHAR_LM_LIMITS.layers);
  int('embedding', c.embedding, 1, CHAR_LM_LIMITS.embedding);
  const B = int('batch', c.batch, 1, CHAR_LM_LIMITS.batch);
  const T = int('bptt', c.bptt, 1, CHAR_LM_LIMITS.bptt);
  if (T * B * H > CHAR_LM_LIMITS.stateFloats) {
    throw new RangeError(`bptt·batch·H must be at most ${CHAR_LM_LIMITS.stateFloats}, got ${T}·${B}·${H} = ${T * B * H}`);
  }
  num('lr', c.lr, 0, CHAR_LM_LIMITS.lr, true);
  num('clip', c.clip, 0, CHAR_LM_LIMITS.clip);
  if (typeof c.seed !== 'number' || !Number.isInteger(c.seed)) throw new RangeError(`seed must be an integer, got ${show(c.seed)}`);
  if (c.vocabulary !== undefined) int('vocabulary', c.vocabulary, 2, CHAR_LM_LIMITS.vocabulary);
  if (c.backend !== undefined && c.backend !== 'js' && c.backend !== 'wasm') throw new RangeError(`backend must be js or wasm, got ${show(c.backend)}`);
}

/**
 * Fresh weights as RNNModel initializes them: encoder and decoder weights U(−0.1, 0.1), decoder
 * bias 0, every recurrent weight and bias U(−1/√H, 1/√H) (nn.LSTM's reset_parameters).
 */
export function initCharWeights(cell: Cell, vocab: readonly string[], embedding: number, H: number, layers: number, seed: number): CharModelWeights {
  const u = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  const uniform = (n: number, a: number): Float32Array => Float32Array.from({ length: n }, () => (2 * u() - 1) * a);
  const V = vocab.length;
  const G = gateCount(cell);
  const k = 1 / Math.sqrt(H);
  return {
    cell, vocab: [...vocab], embeddingDim: embedding, H,
    E: uniform(V * embedding, 0.1),
    layers: Array.from({ length: layers }, (_, l) => ({
      W: uniform(G * H * ((l === 0 ? embedding : H) + H), k), b: uniform(G * H, k), bh: uniform(G * H, k),
    })),
    V: uniform(V * H, 0.1),
    c: new Float32Array(V),
  };
}

/** n characters drawn from the model after reading prime from a zero state (temperature 0: argmax). */
export function sampleChars(w: CharModelWeights, n: number, temperature: number, seed: number, prime: string, backend: BackendName = 'js'): string {
  if (!Number.isInteger(n) || n < 0 || n > SAMPLE_MAX) throw new RangeError(`sample: n must be an integer from 0 to ${SAMPLE_MAX}, got ${show(n)}`);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 100) {
    throw new RangeError(`sample: temperature must be a number from 0 to 100, got ${show(temperature)}`);
  }
  const chars = prime.length > 2 * TRAINER_LIMITS.T ? [] : textCharacters(prime);
  if (chars.length < 1 || chars.length > TRAINER_LIMITS.T) throw new RangeError(`sample: prime must have 1 to ${TRAINER_LIMITS.T} characters`);
  const net = CharNet.fromWeights(w, backend);
  const u = mulberry32(seed >>> 0);
  let state: NetState | undefined;
  let logits: Float32Array = new Float32Array(0);
  for (const id of encodeText(chars, w.vocab)) ({ logits, state } = net.step(id, state));
  let out = '';
  for (let i = 0; i < n; i++) {
    const z = Float64Array.from(logits);
    let next = 0;
    if (temperature === 0) for (let o = 1; o < z.length; o++) next = z[o] > z[next] ? o : next;
    else next = draw(z, temperature, u);
    out += w.vocab[next];
    ({ logits, state } = net.step(next, state));
  }
  return out;
}

class CharLMImpl implements CharLM {
  readonly backend: BackendName;
  readonly vocab: readonly string[];
  private readonly task: Task;
  private readonly net: CharNet;
  private readonly opt: Optimizer;
  private readonly batch: Batch;
  private state: NetState | undefined;
  private count = 0;

  constructor(readonly config: CharLMConfig) {
    validate(config);
    this.backend = config.backend ?? defaultBackend();
    engineFor(this.backend);
    const cap = config.vocabulary ?? CHAR_LM_LIMITS.vocabulary;
    this.vocab = textSymbols(config.text, cap);
    this.task = createTask({ kind: 'text', text: config.text, T: config.bptt, vocabulary: cap }, config.batch, config.seed);
    const w = initCharWeights(config.cell, this.vocab, config.embedding, config.H, config.layers, config.seed);
    this.net = CharNet.fromWeights(w, this.backend);
    this.opt = createOptimizer({ kind: 'adam', lr: config.lr });
    this.batch = this.task.newBatch(config.batch);
  }

  get steps(): number {
    return this.count;
  }

  step(n = 1): CharStep {
    return repeatSteps(n, CHAR_LM_LIMITS.stepsPerCall, () => this.stepOnce());
  }

  private stepOnce(): CharStep {
    const carry = this.task.nextTrain(this.batch);
    const { loss, run } = this.net.lossAndGrad(this.batch, carry ? this.state : undefined);
    const grads = this.net.paramList(this.net.grads);
    const gradNorm = clipGlobalNorm(grads, this.config.clip > 0 ? this.config.clip : Infinity);
    // A diverged window updates nothing; the caller sees the non-finite norm.
    if (Number.isFinite(gradNorm)) this.opt.step(this.net.paramList(), grads);
    this.state = this.net.lastState(run, this.batch.T, this.batch.B);
    this.count++;
    return { step: this.count, loss, gradNorm };
  }

  weights(): CharModelWeights {
    return this.net.weights(this.vocab);
  }

  sample(n: number, temperature = 1, seed = this.config.seed, prime?: string): string {
    const first = this.config.text.codePointAt(0);
    return sampleChars(this.weights(), n, temperature, seed, prime ?? String.fromCodePoint(first ?? 0x20), this.backend);
  }
}

/** A character LM for config, validated first (a bad config throws a one-line RangeError). */
export function createCharLM(config: CharLMConfig): CharLM {
  return new CharLMImpl(config);
}
