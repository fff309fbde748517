// "Train this layer", its pure parts: the trainer configuration of a checkpoint's layer (its
// weights as the start, an embedding of width D for symbolic tasks, the tasks a D cannot take
// refused in one line), and the per-gate drift from the loaded weights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TRAIN_CONTROLS, type TrainControls } from '../../../../protocol';
import { createTrainer } from '../../../../engine/train';
import { encodeFloat32 } from '../../../../engine/floats';
import {
  awaitingText, layerDrift, layerFromHost, layerModelKey, layerRef, layerTrainerConfig, type LayerToTrain,
} from '../../../../webview/lab/demos/train/fromLayer';

const D = 3, H = 4;
const layer: LayerToTrain = {
  name: 'enc', cell: 'gru', layer: 0, reverse: false, D, H, label: 'x.pt, enc layer 0 (GRU)',
  params: {
    W: Float32Array.from({ length: 3 * H * (D + H) }, (_, i) => Math.sin(i) * 0.3),
    b: new Float32Array(3 * H).fill(0.1), bh: new Float32Array(3 * H).fill(-0.1),
  },
  options: { resetAfter: true },
  from: { file: 'file:///ws/x.pt', index: 2 },
};
const c: TrainControls = { ...DEFAULT_TRAIN_CONTROLS, task: 'recall', delay: 3, symbols: 4, batch: 4 };

describe('training a checkpoint layer', () => {
  it('starts from the layer\'s weights, reads an embedding of width D, keeps its GRU variant', () => {
    const cfg = layerTrainerConfig(c, layer, '', []);
    assert.ok(typeof cfg !== 'string');
    assert.equal(cfg.cell, 'gru');
    assert.equal(cfg.H, H);
    assert.equal(cfg.resetAfter, true);
    assert.deepEqual(cfg.input, { kind: 'embedding', dim: D });
    assert.equal(cfg.initial?.W, layer.params.W);
    assert.equal(cfg.init, undefined);
  });

  it('the adding and series tasks take only D = 2 and D = 1; a projection layer is refused', () => {
    assert.match(String(layerTrainerConfig({ ...c, task: 'series' }, layer, '', [])), /^this layer reads D = 3 inputs and the series task gives 1: choose delayed recall or text/);
    assert.match(String(layerTrainerConfig({ ...c, task: 'adding' }, layer, '', [])), /the adding task gives 2/);
    const oneInput = { ...layer, D: 1, params: { ...layer.params, W: new Float32Array(3 * H * (1 + H)) } };
    assert.equal(typeof layerTrainerConfig({ ...c, task: 'series', T: 5 }, oneInput, '', []), 'object');
    assert.match(String(layerTrainerConfig(c, { ...layer, options: { projSize: 2 } }, '', [])), /projection/);
    assert.match(String(layerTrainerConfig(c, { ...layer, options: { recurrentActivation: 'hardSigmoid' } }, '', [])), /hard-sigmoid gates/);
    assert.equal(layerModelKey({ cell: 'rnn', options: { activation: 'relu' } }), 'irnn');
  });

  it('the drift is zero at step 0 and grows with training, per gate in PyTorch order', () => {
    const cfg = layerTrainerConfig(c, layer, '', []);
    assert.ok(typeof cfg !== 'string');
    const t = createTrainer({ ...cfg, backend: 'js' });
    const d0 = layerDrift(layer, t.parameters());
    assert.deepEqual(d0.gates, ['r', 'z', 'n']);
    assert.ok(d0.values.every((v) => v !== null && v < 1e-6));
    t.step(10);
    assert.ok(layerDrift(layer, t.parameters()).values.every((v) => (v ?? 0) > 1e-4));
  });
});

describe('a checkpoint layer across a window reload', () => {
  it('the state keeps where it came from, and the layer read again trains from the same weights', () => {
    const ref = layerRef(layer);
    assert.deepEqual(ref, { file: 'file:///ws/x.pt', index: 2, label: 'x.pt, enc layer 0 (GRU)' });
    assert.match(awaitingText(ref), /^Before the window reload the playground trained x\.pt, enc layer 0 \(GRU\): accept "Reopen"/);
    const f = (a: Float32Array) => encodeFloat32(a);
    const back = layerFromHost({
      type: 'trainLayer', file: ref.file, name: 'x.pt', index: 2,
      layer: { name: 'enc', cell: 'gru', layer: 0, reverse: false, D, H, options: { resetAfter: true }, W: f(layer.params.W), b: f(layer.params.b), bh: f(layer.params.bh!) },
    });
    assert.ok(typeof back !== 'string', String(back));
    assert.equal(back.label, layer.label);
    assert.deepEqual(back.from, layer.from);
    assert.deepEqual(back.params.W, layer.params.W);
    assert.deepEqual(layerTrainerConfig(c, back, '', []), layerTrainerConfig(c, layer, '', []));
  });

  it('a layer whose weights did not come says why in one line', () => {
    const back = layerFromHost({ type: 'trainLayer', file: 'file:///ws/x.pt', name: 'x.pt', index: 0, layer: { name: 'enc', cell: 'gru', layer: 0, reverse: false, D, H, omitted: 'it is larger than the lab computes' } });
    assert.equal(back, 'x.pt, enc layer 0 (GRU) cannot be trained: it is larger than the lab computes.');
  });
});
