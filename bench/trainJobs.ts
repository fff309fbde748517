// The training benchmark's one job, shared by the Node run (bench/train.mjs) and the Chromium
// page (bench/trainPage.ts): one update (forward, BPTT, Adam) of an LSTM with T = 50, B = 32,
// H = 64 on recall (8 symbols, one-hot input, softmax cross-entropy at the recall step), done
// by our trainer and by TF.js's layers API (tf.layers.lstm + dense softmax, tf.train.adam,
// trainOnBatch) on the same batch shape.
import type * as TF from '@tensorflow/tfjs';
import { createTrainer, type Trainer } from '../engine/train';
import { createTask } from '../engine/train/tasks';
import type { BackendName } from '../engine/types';

export const JOB = { T: 50, B: 32, H: 64, symbols: 8, lr: 0.01 } as const;
/** Recall with one symbol: symbol, delay blanks, cue, answer: T = delay + 3. */
const task = { kind: 'recall', delay: JOB.T - 3, symbols: JOB.symbols } as const;

export function oursTrainer(backend: BackendName, seed = 1): Trainer {
  return createTrainer({ cell: 'lstm', H: JOB.H, seed, task, batch: JOB.B, backend, optimizer: { kind: 'adam', lr: JOB.lr } });
}

/** TF.js's model of the same job and a function that makes one update on a fixed recall batch. */
export function tfJob(tf: typeof TF): { step: () => Promise<number>; dispose: () => void } {
  const { T, B, H, symbols } = JOB;
  const D = symbols + 2;
  const t = createTask(task, B, 1);
  const batch = t.newBatch(B);
  t.nextTrain(batch);
  // Batch-major one-hot inputs and the answer at the last step.
  const x = new Float32Array(B * T * D);
  const y = new Float32Array(B * symbols);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < T; s++) x[(b * T + s) * D + batch.tokens![s * B + b]] = 1;
    y[b * symbols + batch.classes![(T - 1) * B + b]] = 1;
  }
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: H, inputShape: [T, D] }));
  model.add(tf.layers.dense({ units: symbols, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(JOB.lr), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor3d(x, [B, T, D]);
  const ys = tf.tensor2d(y, [B, symbols]);
  return {
    step: async () => Number(await model.trainOnBatch(xs, ys)),
    dispose: () => {
      model.dispose();
      xs.dispose();
      ys.dispose();
    },
  };
}

export interface Sampled {
  ms: number;
  samples: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Median ms per call of each function, after a warm-up of at least `warmMs` (at most 30 calls)
 * each; repetitions interleaved (A, B, C, A, B, C, ...) so that load on this shared machine
 * hits every contender alike.
 */
export async function timeAll(fns: Record<string, () => unknown>, reps: number, warmMs: number): Promise<Record<string, Sampled>> {
  for (const fn of Object.values(fns)) {
    const w0 = performance.now();
    for (let i = 0; i < 30 && (i < 2 || performance.now() - w0 < warmMs); i++) await fn();
  }
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < reps; r++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      await fn();
      samples[k].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { ms: median(s), samples: s }]));
}

/** Pools two phases' samples of the same contender. */
export function merge(into: Record<string, Sampled>, from: Record<string, Sampled>): void {
  for (const [k, v] of Object.entries(from)) {
    const all = [...(into[k]?.samples ?? []), ...v.samples];
    into[k] = { ms: median(all), samples: all };
  }
}

/** Switches TF.js to backend `be`; false (and a line to log) where it does not start here. */
export async function tryBackend(tf: typeof TF, be: string, log: (s: string) => void): Promise<boolean> {
  try {
    await tf.setBackend(be);
    await tf.ready();
    return true;
  } catch (e) {
    log(`tf-${be}: unavailable (${String(e)})`);
    return false;
  }
}
