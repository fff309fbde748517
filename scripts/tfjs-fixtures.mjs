// TF.js Layers fixtures for the checkpoint reader (test/fixtures/checkpoints/tfjs/), made by
// TF.js itself (@tensorflow/tfjs 4.22.0, cpu backend): small models with weights from a seeded
// PRNG, saved through tf.io.withSaveHandler as the browser-download handler writes them
// (model.json + ./model.weights.bin), as user scripts beside tfjs-node write them (weights.bin),
// or as the converter shards them (group1-shard1of2.bin, group1-shard2of2.bin, split inside a
// tensor). Every saved model is loaded back with tf.loadLayersModel and must predict as before.
//
// expected.json: for each recurrent layer and direction, x (time-major T×B×D) and the output of
// that one layer and direction as TF.js computes it (the layer rebuilt alone with
// returnSequences: true and the same weights, model.predict on x batch-major), time-major T×B×H
// in processing order: h[s] is the state after s+1 steps, and a reverse direction (go_backwards,
// or a Bidirectional's backward layer) reads x from t = T−1 down, so forward() on x reversed in
// time gives h. (Keras returns a go_backwards layer's outputs in that order; a Bidirectional
// flips its backward half back to input order, which is undone here.)
//
// gru_reset_after: TF.js 4.22 refuses GRU reset_after (GRUCell throws), so this one model.json is
// written as the Keras converter writes a Keras 2 GRU (model_config, reset_after true, sigmoid
// gates, bias (2, 3H), weights named gru/gru_cell/…), and its expected output is computed with
// TF.js ops following Keras's reset-after GRUCell; the same op-by-op GRU with reset-before is
// first checked against TF.js's own GRU layer.
//
// Run: node scripts/tfjs-fixtures.mjs
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'test', 'fixtures', 'checkpoints', 'tfjs');
const T = 5;
const B = 2;

await tf.setBackend('cpu');

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261207);
const uniform = (n, s) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s);
const round = (v) => Number(Math.fround(v).toPrecision(9));

/** Every weight of the model from the PRNG (scale 1.5: hard-sigmoid gates saturate, so the clip is exercised). */
function seedWeights(model) {
  model.setWeights(model.getWeights().map((w) => tf.tensor(uniform(w.size, 1.5), w.shape)));
}

async function artifactsOf(model) {
  let saved;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved;
}

/** model.json as io_utils' getModelJSONForModelArtifacts writes it. */
function modelJson(a, manifest) {
  return { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, weightsManifest: manifest };
}

function writeModel(name, json, files) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
}

/** Loads a fixture folder back into TF.js. */
async function loadBack(name) {
  const dir = join(OUT, name);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const group = json.weightsManifest[0];
  const parts = group.paths.map((p) => readFileSync(join(dir, p.replace(/^\.\//, ''))));
  const all = Buffer.concat(parts);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }));
}

async function save(name, model, how) {
  seedWeights(model);
  const a = await artifactsOf(model);
  const bytes = new Uint8Array(a.weightData);
  if (how === 'download') {
    writeModel(name, modelJson(a, [{ paths: ['./model.weights.bin'], weights: a.weightSpecs }]), { 'model.weights.bin': bytes });
  } else if (how === 'node') {
    writeModel(name, modelJson(a, [{ paths: ['weights.bin'], weights: a.weightSpecs }]), { 'weights.bin': bytes });
  } else {
    // Two shards, cut inside a tensor (at an odd byte).
    const cut = Math.floor(bytes.length / 2) | 1;
    writeModel(name, modelJson(a, [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs }]),
      { 'group1-shard1of2.bin': bytes.subarray(0, cut), 'group1-shard2of2.bin': bytes.subarray(cut) });
  }
  const back = await loadBack(name);
  const inShape = model.inputs[0].shape.slice(1);
  const x = tf.tensor(uniform(B * inShape.reduce((p, q) => p * q, 1), 1), [B, ...inShape]);
  const d = tf.sub(model.predict(x), back.predict(x)).abs().max().dataSync()[0];
  if (!(d === 0)) throw new Error(`${name}: the saved model predicts differently (${d})`);
}

/** x batch-major [B, T, D] → time-major numbers. */
function timeMajor(data, n) {
  const out = [];
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let k = 0; k < n; k++) out.push(round(data[(b * T + t) * n + k]));
  return out;
}

const cases = [];

/** The cases of one recurrent layer (or Bidirectional) of a saved model: it alone, returning sequences. */
function addCases(fixture, layer, index) {
  const bi = layer.getClassName() === 'Bidirectional';
  const inner = bi ? layer.forwardLayer : layer;
  const D = layer.getWeights()[0].shape[0];
  const H = inner.cell.units;
  const cls = inner.getClassName();
  const cell = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' }[cls];
  const config = { ...inner.getConfig(), returnSequences: true, name: undefined };
  const make = { LSTM: tf.layers.lstm, GRU: tf.layers.gru, SimpleRNN: tf.layers.simpleRNN }[cls];
  const alone = tf.sequential();
  alone.add(bi ? tf.layers.bidirectional({ layer: make(config), mergeMode: 'concat', inputShape: [T, D] }) : make({ ...config, inputShape: [T, D] }));
  alone.setWeights(layer.getWeights());
  const xs = uniform(B * T * D, 1.5);
  const y = alone.predict(tf.tensor(xs, [B, T, D])).dataSync();
  const x = timeMajor(xs, D);
  const dirs = bi ? [false, true] : [inner.goBackwards === true];
  for (const [k, reverse] of dirs.entries()) {
    const W = bi ? 2 * H : H;
    const h = [];
    for (let s = 0; s < T; s++) {
      // A Bidirectional's backward half is in input order: step s of its reading is t = T−1−s.
      const t = bi && k === 1 ? T - 1 - s : s;
      for (let b = 0; b < B; b++) for (let u = 0; u < H; u++) h.push(round(y[(b * T + t) * W + k * H + u]));
    }
    cases.push({ fixture, name: layer.name, layer: index, reverse, cell, D, H, T, B, x, h });
  }
}

// lstm: TF.js's default LSTM (hard-sigmoid gates), a Dense head; browser-download files.
{
  const m = tf.sequential({ name: 'sequential' });
  m.add(tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [T, 3], name: 'lstm' }));
  m.add(tf.layers.dense({ units: 2, name: 'dense' }));
  await save('lstm', m, 'download');
  addCases('lstm', m.layers[0], 0);
}
// lstm_sigmoid: two stacked sigmoid LSTMs, the second without biases and going backwards.
{
  const m = tf.sequential({ name: 'sequential' });
  m.add(tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [T, 2], name: 'lstm' }));
  m.add(tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', useBias: false, goBackwards: true, name: 'lstm_1' }));
  await save('lstm_sigmoid', m, 'download');
  addCases('lstm_sigmoid', m.layers[0], 0);
  addCases('lstm_sigmoid', m.layers[1], 1);
}
// gru: TF.js's default GRU (hard sigmoid, reset before), in two shards.
{
  const m = tf.sequential({ name: 'sequential' });
  m.add(tf.layers.gru({ units: 4, inputShape: [T, 3], name: 'gru' }));
  await save('gru', m, 'shards');
  addCases('gru', m.layers[0], 0);
}
// simple_rnn: a functional model, SimpleRNN tanh → SimpleRNN relu (go_backwards) → SimpleRNN linear
// (which the reader leaves out) → Dense.
{
  const input = tf.input({ shape: [T, 3], name: 'input' });
  const a = tf.layers.simpleRNN({ units: 4, returnSequences: true, name: 'simple_rnn' });
  const b = tf.layers.simpleRNN({ units: 3, activation: 'relu', goBackwards: true, returnSequences: true, name: 'simple_rnn_1' });
  const c = tf.layers.simpleRNN({ units: 2, activation: 'linear', name: 'simple_rnn_2' });
  const out = tf.layers.dense({ units: 1, name: 'dense' }).apply(c.apply(b.apply(a.apply(input))));
  const m = tf.model({ inputs: input, outputs: out, name: 'model' });
  await save('simple_rnn', m, 'download');
  addCases('simple_rnn', a, 0);
  addCases('simple_rnn', b, 1);
}
// bidirectional_lstm: a functional model around a nested Sequential holding Bidirectional(LSTM);
// weights.bin as tfjs-node scripts write it.
{
  const enc = tf.sequential({ name: 'encoder' });
  enc.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true, name: 'lstm' }), inputShape: [T, 2], name: 'bidirectional' }));
  const input = tf.input({ shape: [T, 2], name: 'input' });
  const out = tf.layers.dense({ units: 2, name: 'head' }).apply(enc.apply(input));
  const m = tf.model({ inputs: input, outputs: out, name: 'model' });
  await save('bidirectional_lstm', m, 'node');
  addCases('bidirectional_lstm', enc.layers[0], 0);
}
// dense_only: no recurrent layer.
{
  const m = tf.sequential({ name: 'sequential' });
  m.add(tf.layers.conv1d({ filters: 3, kernelSize: 2, inputShape: [6, 2], name: 'conv1d' }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(tf.layers.dense({ units: 5, name: 'dense' }));
  m.add(tf.layers.dropout({ rate: 0.1, name: 'dropout' }));
  m.add(tf.layers.dense({ units: 2, name: 'dense_1' }));
  await save('dense_only', m, 'download');
}

// gru_reset_after, by hand (see the header).
{
  const gruOps = (x, kernel, rk, bias, H, resetAfter, gate) => {
    // x [B, T, D]; Keras's GRUCell, implementation 2; gates z, r, h.
    let h = tf.zeros([B, H]);
    const outs = [];
    const [bIn, bRec] = resetAfter ? tf.unstack(bias) : [bias, null];
    for (let t = 0; t < T; t++) {
      const xt = tf.squeeze(tf.slice(x, [0, t, 0], [B, 1, -1]), [1]);
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, kernel), bIn), 3, 1);
      let z, r, hh;
      if (resetAfter) {
        const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, rk), bRec), 3, 1);
        z = gate(tf.add(xz, rz));
        r = gate(tf.add(xr, rr));
        hh = tf.tanh(tf.add(xh, tf.mul(r, rh)));
      } else {
        const [rk1, rk2] = tf.split(rk, [2 * H, H], 1);
        const [rz, rr] = tf.split(tf.matMul(h, rk1), 2, 1);
        z = gate(tf.add(xz, rz));
        r = gate(tf.add(xr, rr));
        hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), rk2)));
      }
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      outs.push(h);
    }
    return tf.stack(outs, 1);
  };
  const hardSigmoid = (v) => tf.clipByValue(tf.add(0.5, tf.mul(0.2, v)), 0, 1);
  // The op-by-op GRU against TF.js's GRU layer (reset before, hard sigmoid).
  {
    const m = tf.sequential();
    m.add(tf.layers.gru({ units: 4, returnSequences: true, inputShape: [T, 3] }));
    seedWeights(m);
    const [k, rk, b] = m.getWeights();
    const x = tf.tensor(uniform(B * T * 3, 1.5), [B, T, 3]);
    const d = tf.sub(m.predict(x), gruOps(x, k, rk, b, 4, false, hardSigmoid)).abs().max().dataSync()[0];
    if (!(d < 1e-6)) throw new Error(`the op-by-op GRU differs from TF.js's by ${d}`);
  }
  const D = 3;
  const H = 4;
  const kernel = uniform(D * 3 * H, 0.8);
  const rk = uniform(H * 3 * H, 0.8);
  const bias = uniform(2 * 3 * H, 0.8);
  const specs = [
    { name: 'gru/gru_cell/kernel', shape: [D, 3 * H], dtype: 'float32' },
    { name: 'gru/gru_cell/recurrent_kernel', shape: [H, 3 * H], dtype: 'float32' },
    { name: 'gru/gru_cell/bias', shape: [2, 3 * H], dtype: 'float32' },
    { name: 'dense/kernel', shape: [H, 1], dtype: 'float32' },
    { name: 'dense/bias', shape: [1], dtype: 'float32' },
  ];
  const dense = uniform(H + 1, 0.8);
  const data = new Float32Array([...kernel, ...rk, ...bias, ...dense]);
  const gru = {
    name: 'gru', trainable: true, dtype: 'float32', return_sequences: false, return_state: false, go_backwards: false, stateful: false,
    unroll: false, time_major: false, units: H, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0,
    recurrent_dropout: 0.0, implementation: 2, reset_after: true,
  };
  const json = {
    format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0', backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            { class_name: 'InputLayer', config: { batch_input_shape: [null, T, D], dtype: 'float32', sparse: false, ragged: false, name: 'gru_input' } },
            { class_name: 'GRU', config: gru },
            { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 1, activation: 'linear', use_bias: true } },
          ],
        },
      },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
  };
  writeModel('gru_reset_after', json, { 'group1-shard1of1.bin': new Uint8Array(data.buffer) });
  const xs = uniform(B * T * D, 1.5);
  const y = gruOps(tf.tensor(xs, [B, T, D]), tf.tensor(kernel, [D, 3 * H]), tf.tensor(rk, [H, 3 * H]), tf.tensor(bias, [2, 3 * H]), H, true, tf.sigmoid).dataSync();
  cases.push({ fixture: 'gru_reset_after', name: 'gru', layer: 0, reverse: false, cell: 'gru', D, H, T, B, x: timeMajor(xs, D), h: timeMajor(y, H) });
}

writeFileSync(join(OUT, 'expected.json'), `${JSON.stringify({
  note: 'x is time-major (T, B, D); h is (T, B, H) in processing order: a reverse direction reads x from t = T-1 down, so forward() on x reversed in time gives h. Made by scripts/tfjs-fixtures.mjs.',
  cases,
})}\n`);
console.log(`${cases.length} cases written to ${OUT}`);
