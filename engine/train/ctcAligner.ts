// A small speech-like recognizer trained with CTC, for the lab's CTC demo. Each letter "sounds"
// like a fixed random feature vector (the same for a letter in every word), held for 2 to 4
// frames with noise, with silent frames between some letters; the first frame of a letter
// carries an onset channel, so that two equal letters in a row can be told apart. A GRU reads
// the frames, a linear head gives per-frame logits over blank + the word's letters, and the CTC
// loss (../ctc.ts) trains both with Adam: the model never sees where a letter starts or ends.
// Pure: no DOM; the demo and the unit test run the same code.
import { ctc, type CtcResult } from '../ctc';
import { gaussianSource, mulberry32 } from '../init';
import { Model } from './model';
import { createOptimizer, type FloatArray, type Optimizer } from './optim';
import type { Batch } from './tasks';

export const ALIGNER_LIMITS = { letters: 12, H: 64, steps: 2000 } as const;
/** Feature channels: SOUND per letter, and one onset channel. */
const SOUND = 8;
export const FEATURES = SOUND + 1;

export interface Utterance {
  T: number;
  /** (T, FEATURES) row-major. */
  features: Float64Array;
  /** The letter each frame sounds (index into the word), -1 for silence. */
  frameLetter: Int32Array;
  /** The target as classes (1-based letters of the alphabet, 0 = blank). */
  target: number[];
}

/** The word's letters, lower-case a–z, 1 to 12 of them; anything else is a one-line error. */
export function checkWord(word: unknown): string {
  if (typeof word !== 'string') throw new RangeError('the word must be text');
  const w = word.trim().toLowerCase();
  if (!/^[a-z]+$/.test(w)) throw new RangeError('type letters a–z only');
  if (w.length > ALIGNER_LIMITS.letters) throw new RangeError(`at most ${ALIGNER_LIMITS.letters} letters`);
  return w;
}

/** Classes: 0 = blank, then the word's distinct letters in order of first appearance. */
export function alphabetOf(word: string): string[] {
  return ['∅', ...new Set(word)];
}

/** A letter's sound: a fixed unit-ish random vector drawn from the letter itself. */
function sound(letter: string): Float64Array {
  const g = gaussianSource(0x51ed0000 + letter.charCodeAt(0));
  return Float64Array.from({ length: SOUND }, () => g());
}

/** One spoken rendition of the word: random durations, pauses and noise from `seed`. */
export function utterance(word: string, seed: number, noise = 0.35): Utterance {
  const w = checkWord(word);
  const alphabet = alphabetOf(w);
  const u = mulberry32(seed >>> 0);
  const g = gaussianSource((seed ^ 0x9e3779b9) >>> 0);
  const frames: number[] = [];
  const pause = () => { const n = u() < 0.5 ? 0 : 1 + Math.floor(u() * 2); for (let i = 0; i < n; i++) frames.push(-1); };
  pause();
  for (let i = 0; i < w.length; i++) {
    const hold = 2 + Math.floor(u() * 3);
    for (let k = 0; k < hold; k++) frames.push(i);
    pause();
  }
  frames.push(-1);
  const T = frames.length;
  const features = new Float64Array(T * FEATURES);
  for (let t = 0; t < T; t++) {
    const i = frames[t];
    const s = i >= 0 ? sound(w[i]) : null;
    for (let d = 0; d < SOUND; d++) features[t * FEATURES + d] = (s ? s[d] : 0) + noise * g();
    features[t * FEATURES + SOUND] = i >= 0 && frames[t - 1] !== i ? 1 : 0;
  }
  return { T, features, frameLetter: Int32Array.from(frames), target: [...w].map((c) => alphabet.indexOf(c)) };
}

export interface AlignerStep {
  loss: number;
  steps: number;
}

/** The GRU + linear head, its Adam optimizer, and the training utterances of one word. */
export class CtcAligner {
  readonly word: string;
  readonly alphabet: string[];
  readonly C: number;
  private readonly model: Model;
  private readonly opt: Optimizer;
  private readonly params: FloatArray[];
  private n = 0;
  private readonly dV: Float64Array;
  private readonly dc: Float64Array;

  constructor(word: string, readonly seed: number, H = 24, lr = 0.02) {
    this.word = checkWord(word);
    if (!Number.isInteger(H) || H < 1 || H > ALIGNER_LIMITS.H) throw new RangeError(`H must be an integer from 1 to ${ALIGNER_LIMITS.H}`);
    this.alphabet = alphabetOf(this.word);
    this.C = this.alphabet.length;
    this.model = Model.init(
      { cell: 'gru', activation: 'tanh', H, input: 'features', inputs: FEATURES, outputs: this.C, head: 'ce', backend: 'js' },
      { scheme: 'xavier', seed },
    );
    this.opt = createOptimizer({ kind: 'adam', lr });
    this.params = this.model.paramList();
    this.dV = new Float64Array(this.C * H);
    this.dc = new Float64Array(this.C);
  }

  get steps(): number {
    return this.n;
  }

  private batch(u: Utterance): Batch {
    return { T: u.T, B: 1, tokens: null, features: u.features, classes: null, values: null };
  }

  /** Per-frame logits (T, C) of an utterance, and the GRU's hidden states. */
  logits(u: Utterance): { logits: Float64Array; h: ArrayLike<number> } {
    const { fwd } = this.model.forward(this.batch(u));
    const out = new Float64Array(u.T * this.C);
    for (let t = 0; t < u.T; t++) out.set(this.model.project(fwd.h, t), t * this.C);
    return { logits: out, h: fwd.h };
  }

  /** CTC of the model on an utterance (no update). */
  evaluate(u: Utterance): CtcResult {
    return ctc(this.logits(u).logits, u.T, this.C, u.target);
  }

  /** n Adam updates, each on a fresh rendition of the word; returns the mean CTC loss per frame. */
  train(n: number): AlignerStep {
    if (!Number.isInteger(n) || n < 1 || n > ALIGNER_LIMITS.steps) throw new RangeError(`steps must be an integer from 1 to ${ALIGNER_LIMITS.steps}`);
    const H = this.model.spec.H, C = this.C;
    const { V } = this.model.params;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const u = utterance(this.word, (this.seed * 7919 + 1 + this.n) >>> 0);
      const batch = this.batch(u);
      const { fwd, x } = this.model.forward(batch);
      const logits = new Float64Array(u.T * C);
      for (let t = 0; t < u.T; t++) logits.set(this.model.project(fwd.h, t), t * C);
      const r = ctc(logits, u.T, C, u.target);
      total += r.loss / u.T;
      // Head: dV = Σ_t dz_t h_tᵀ, dc = Σ_t dz_t, dh_t = Vᵀ dz_t (the loss per frame, so the step size does not grow with T).
      this.dV.fill(0);
      this.dc.fill(0);
      const dh = this.model.alloc(u.T * H);
      for (let t = 0; t < u.T; t++) {
        for (let o = 0; o < C; o++) {
          const d = r.dLogits[t * C + o] / u.T;
          this.dc[o] += d;
          for (let j = 0; j < H; j++) {
            this.dV[o * H + j] += d * fwd.h[t * H + j];
            dh[t * H + j] += V[o * H + j] * d;
          }
        }
      }
      const bwd = this.model.engine.backward('gru', this.model.shape(u.T, 1), this.model.params, x, fwd, dh, { backend: 'js' });
      this.opt.step(this.params, [bwd.dW, bwd.db, this.dV, this.dc]);
      this.n++;
    }
    return { loss: total / n, steps: this.n };
  }
}
