/**
 * Two small recurrent models in TensorFlow.js: a SimpleRNN and an LSTM learn to predict the
 * next sample of a noisy sine wave from the previous WINDOW samples.
 *
 * Run (from the repository root, which has @tensorflow/tfjs installed):
 *   npx esbuild examples/tfjs_rnn.ts --bundle --platform=node --outfile=out/examples/tfjs_rnn.cjs && node out/examples/tfjs_rnn.cjs
 */
import * as tf from '@tensorflow/tfjs';

const WINDOW = 20;
const SAMPLES = 512;

/** Sliding windows over a sine wave: xs (N, WINDOW, 1) and the sample after each window, ys (N, 1). */
function makeData(n: number, seed: number): { xs: tf.Tensor3D; ys: tf.Tensor2D } {
  let state = seed;
  const noise = () => {
    // Deterministic LCG noise, so every run sees the same data.
    state = (state * 1664525 + 1013904223) % 4294967296;
    return (state / 4294967296 - 0.5) * 0.1;
  };
  const wave = Array.from({ length: n + WINDOW + 1 }, (_, t) => Math.sin(t * 0.2) + noise());
  const windows: number[][][] = [];
  const next: number[][] = [];
  for (let i = 0; i < n; i++) {
    windows.push(wave.slice(i, i + WINDOW).map((v) => [v]));
    next.push([wave[i + WINDOW]]);
  }
  return { xs: tf.tensor3d(windows), ys: tf.tensor2d(next) };
}

function buildModel(kind: 'simpleRNN' | 'lstm', units = 16): tf.Sequential {
  const model = tf.sequential();
  const recurrent = kind === 'lstm'
    // returnSequences: false -> only the last hidden state h_T reaches the dense head.
    ? tf.layers.lstm({ units, inputShape: [WINDOW, 1], returnSequences: false, unitForgetBias: true })
    : tf.layers.simpleRNN({ units, inputShape: [WINDOW, 1], returnSequences: false, activation: 'tanh' });
  model.add(recurrent);
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
}

async function trainAndEvaluate(kind: 'simpleRNN' | 'lstm'): Promise<number> {
  const train = makeData(SAMPLES, 1);
  const test = makeData(128, 2);
  const model = buildModel(kind);
  await model.fit(train.xs, train.ys, { epochs: 15, batchSize: 32, shuffle: true, verbose: 0 });
  const mse = (model.evaluate(test.xs, test.ys) as tf.Scalar).dataSync()[0];
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  model.dispose();
  return mse;
}

async function main(): Promise<void> {
  await tf.ready();
  for (const kind of ['simpleRNN', 'lstm'] as const) {
    const started = Date.now();
    const mse = await trainAndEvaluate(kind);
    console.log(`${kind.padEnd(9)} test MSE ${mse.toFixed(4)}  (${Date.now() - started} ms, backend ${tf.getBackend()})`);
  }
}

void main();
