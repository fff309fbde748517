// The character-LM benchmark's job, shared by the Node run (bench/charlm.mjs) and the Chromium
// page (bench/charlmPage.ts): one update of a character LSTM language model, Embedding(V, 64) →
// LSTM(128) → Linear(128, V) with softmax cross-entropy at every step, B = 32 streams, windows of
// T = 64, Adam (lr 0.002), trained by ours (engine/train/charlm.ts; state carried between windows,
// clip 0.25) and by TF.js's layers API (tf.layers.embedding → tf.layers.lstm returnSequences →
// tf.layers.dense softmax over time, sparseCategoricalCrossentropy, tf.train.adam, trainOnBatch)
// on the same windows of the same 50,000-character text. TF.js's wasm backend has no kernel for
// the embedding's gradient (UnsortedSegmentSum), so there the embedding is what it computes, a
// bias-free dense layer on one-hot input (V·E more multiply-adds per step, under 3% of the job).
import type * as TF from '@tensorflow/tfjs';
import { type CharLM, createCharLM } from '../engine/train/charlm';
import { createTask, textSymbols } from '../engine/train/tasks';
import type { BackendName } from '../engine/types';

export const CHAR_JOB = { chars: 50_000, H: 128, E: 64, B: 32, T: 64, lr: 0.002, clip: 0.25 } as const;

/** The repository's committed text files (given in order), repeated and cut to CHAR_JOB.chars characters. */
export function benchText(files: readonly string[]): string {
  const all = files.join('\n');
  if (all.length === 0) throw new Error('benchText: no text');
  let out = '';
  while (Array.from(out).length < CHAR_JOB.chars) out += all;
  return Array.from(out).slice(0, CHAR_JOB.chars).join('');
}

export function oursCharLM(text: string, backend: BackendName): CharLM {
  const { H, E, B, T, lr, clip } = CHAR_JOB;
  return createCharLM({ text, cell: 'lstm', H, layers: 1, embedding: E, batch: B, bptt: T, lr, clip, seed: 1, backend });
}

/** TF.js's model of the job and a function making one update on the next of a few fixed windows of the streams. */
export function tfCharJob(tf: typeof TF, text: string, windows = 4): { step: () => Promise<number>; dispose: () => void; vocab: number; embedding: string } {
  const { H, E, B, T, lr } = CHAR_JOB;
  const V = textSymbols(text).length;
  const oneHot = tf.getBackend() === 'wasm';
  const task = createTask({ kind: 'text', text, T }, B, 1);
  const batch = task.newBatch(B);
  const xs: TF.Tensor[] = [];
  const ys: TF.Tensor[] = [];
  for (let w = 0; w < windows; w++) {
    task.nextTrain(batch);
    // Batch-major, as TF.js's layers read them.
    const x = new Float32Array(B * T);
    const y = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        x[b * T + t] = batch.tokens![t * B + b];
        y[b * T + t] = batch.classes![t * B + b];
      }
    }
    xs.push(oneHot ? tf.tidy(() => tf.oneHot(tf.tensor2d(x, [B, T], 'int32'), V).toFloat()) : tf.tensor2d(x, [B, T]));
    ys.push(tf.tensor3d(y, [B, T, 1]));
  }
  const model = tf.sequential();
  if (oneHot) model.add(tf.layers.dense({ units: E, useBias: false, inputShape: [T, V] }));
  else model.add(tf.layers.embedding({ inputDim: V, outputDim: E, inputLength: T }));
  model.add(tf.layers.lstm({ units: H, returnSequences: true }));
  model.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(lr), loss: 'sparseCategoricalCrossentropy' });
  let i = 0;
  return {
    vocab: V,
    embedding: oneHot ? 'dense on one-hot' : 'tf.layers.embedding',
    step: async () => {
      const k = i++ % windows;
      return Number(await model.trainOnBatch(xs[k], ys[k]));
    },
    dispose: () => {
      model.dispose();
      for (const t of [...xs, ...ys]) t.dispose();
    },
  };
}
