// The TF.js Layers reader on models TF.js saved (scripts/tfjs-fixtures.mjs): each recurrent layer
// and direction, mapped into the engine, computes what TF.js computed for it; broken and hostile
// model.json files and shards give one line each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forward } from '../../../../engine/api';
import { ReadBudget } from '../../../../engine/checkpoint/bytes';
import { toRecurrentLayer } from '../../../../engine/checkpoint/layer';
import { tfjsLayers } from '../../../../engine/checkpoint/tfjs';
import { findRepoRoot } from '../../../fixtures/repoRoot';
import { oneLineError } from './assertions';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'checkpoints', 'tfjs');

const siblingOf = (fixture: string) => (name: string): Uint8Array | undefined => {
  const p = join(DIR, fixture, name);
  return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
};
const modelJson = (fixture: string) => new Uint8Array(readFileSync(join(DIR, fixture, 'model.json')));

function read(fixture: string, json = modelJson(fixture), sibling = siblingOf(fixture)) {
  const warnings: string[] = [];
  const got = tfjsLayers(json, sibling, new ReadBudget(), warnings);
  return { ...got, warnings };
}


interface Case { fixture: string; name: string; layer: number; reverse: boolean; cell: string; D: number; H: number; T: number; B: number; x: number[]; h: number[] }
const { cases } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Case[] };

describe('tfjsLayers: the layers of each model', () => {
  const layersOf = (fixture: string) => read(fixture).layers.map((l) => {
    const r = toRecurrentLayer(l);
    return `${r.name}/${r.layer}${r.reverse ? 'r' : ''} ${r.cell} D=${r.D} H=${r.H} ${JSON.stringify(r.options)}`;
  });

  it('finds every recurrent layer and direction with its options', () => {
    assert.deepEqual(layersOf('lstm'), ['lstm/0 lstm D=3 H=4 {"recurrentActivation":"hardSigmoid"}']);
    assert.deepEqual(layersOf('lstm_sigmoid'), ['lstm/0 lstm D=2 H=3 {}', 'lstm_1/1r lstm D=3 H=3 {}']);
    assert.deepEqual(layersOf('gru'), ['gru/0 gru D=3 H=4 {"recurrentActivation":"hardSigmoid","resetAfter":false}']);
    assert.deepEqual(layersOf('gru_reset_after'), ['gru/0 gru D=3 H=4 {"resetAfter":true}']);
    assert.deepEqual(layersOf('simple_rnn'), ['simple_rnn/0 rnn D=3 H=4 {"activation":"tanh"}', 'simple_rnn_1/1r rnn D=4 H=3 {"activation":"relu"}']);
    assert.deepEqual(layersOf('bidirectional_lstm'), [
      'bidirectional/0 lstm D=2 H=3 {"recurrentActivation":"hardSigmoid"}', 'bidirectional/0r lstm D=2 H=3 {"recurrentActivation":"hardSigmoid"}',
    ]);
  });

  it('reads use_bias false as no biases, and a reset-before GRU with one bias', () => {
    const [, noBias] = read('lstm_sigmoid').layers;
    assert.equal(noBias.biasIh, undefined);
    assert.equal(noBias.biasHh, undefined);
    const [gru] = read('gru').layers;
    assert.equal(gru.biasIh?.length, 12);
    assert.equal(gru.biasHh, undefined);
    const [after] = read('gru_reset_after').layers;
    assert.equal(after.biasHh?.length, 12);
  });

  it('leaves out a linear SimpleRNN with a warning', () => {
    const { warnings } = read('simple_rnn');
    assert.deepEqual(warnings, ['SimpleRNN "simple_rnn_2" (layer 2) is left out: its activation is "linear"; RNN Lens computes a SimpleRNN with tanh or relu']);
  });

  it('says what a model without a recurrent layer has', () => {
    const got = read('dense_only', modelJson('dense_only'), () => assert.fail('no shard is read'));
    assert.deepEqual(got.layers, []);
    assert.equal(got.summary, 'a TF.js Layers model of 5 layers (Dense ×2, Conv1D ×1, Flatten ×1, Dropout ×1), no recurrent layer');
    assert.equal(read('simple_rnn').summary, 'a TF.js Layers model of 4 layers (SimpleRNN ×3, Dense ×1): 2 recurrent layers and directions read');
  });
});

describe('tfjsLayers: each layer computes what TF.js computed', () => {
  it('has a case for every layer and direction', () => {
    assert.equal(cases.length, 9);
    const read9 = ['lstm', 'lstm_sigmoid', 'gru', 'gru_reset_after', 'simple_rnn', 'bidirectional_lstm'].reduce((n, f) => n + read(f).layers.length, 0);
    assert.equal(read9, 9);
  });
  for (const c of cases) {
    it(`${c.fixture}: ${c.name}/${c.layer}${c.reverse ? ' reverse' : ''} within 1e-5 of TF.js`, () => {
      const t = read(c.fixture).layers.find((l) => l.name === c.name && l.layer === c.layer && l.reverse === c.reverse);
      assert.ok(t, 'layer found');
      const L = toRecurrentLayer(t);
      assert.deepEqual([L.cell, L.D, L.H], [c.cell, c.D, c.H]);
      const { T, B, D } = c;
      // A reverse direction reads x backwards; c.h is in that reading order.
      const x = new Float32Array(T * B * D);
      for (let s = 0; s < T; s++) {
        const t0 = c.reverse ? T - 1 - s : s;
        x.set(c.x.slice(t0 * B * D, (t0 + 1) * B * D), s * B * D);
      }
      const f = forward(L.cell, { T, B, D: L.D, H: L.H }, L.params, x, L.options);
      assert.equal(f.h.length, c.h.length);
      let worst = 0;
      for (let k = 0; k < c.h.length; k++) worst = Math.max(worst, Math.abs(f.h[k] - c.h[k]));
      assert.ok(worst < 1e-5, `max abs error ${worst.toExponential(2)}`);
      // The outputs move: a test of zeros against zeros would pass anything.
      assert.ok(c.h.some((v) => Math.abs(v) > 0.05));
    });
  }
});

describe('tfjsLayers: broken and hostile files', () => {
  const json = (fixture: string) => JSON.parse(readFileSync(join(DIR, fixture, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    modelTopology: unknown;
  };
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  it('a missing shard', () => {
    oneLineError(() => read('gru', modelJson('gru'), (n) => (n === 'group1-shard2of2.bin' ? undefined : siblingOf('gru')(n))),
      /shard "group1-shard2of2\.bin" that model\.json names is missing/);
  });

  it('a shard path outside the folder', () => {
    for (const p of ['../secret.bin', 'sub/x.bin', '..\\x.bin', '/etc/passwd', './a/../b.bin']) {
      const j = json('lstm');
      j.weightsManifest[0].paths = [p];
      oneLineError(() => read('lstm', bytes(j), () => assert.fail('nothing read')), /outside its own folder/);
    }
  });

  it('a shard too short, or too long', () => {
    const full = siblingOf('lstm')('model.weights.bin')!;
    oneLineError(() => read('lstm', modelJson('lstm'), () => full.subarray(0, full.length - 4)), /hold 548 bytes, but their weights need 552/);
    oneLineError(() => read('lstm', modelJson('lstm'), () => new Uint8Array(full.length + 1)), /hold 553 bytes/);
  });

  it('bad JSON, no topology, a huge model.json', () => {
    oneLineError(() => read('lstm', new TextEncoder().encode('{"modelTopology": ')), /not valid JSON/);
    oneLineError(() => read('lstm', bytes({ weightsManifest: [] })), /no modelTopology/);
    oneLineError(() => read('lstm', new Uint8Array(16 * 1024 * 1024 + 1)), /more than the 16 MiB/);
  });

  it('models nested too deep, and too many layers', () => {
    let topo: unknown = { class_name: 'Dense', config: { name: 'd' } };
    for (let k = 0; k < 40; k++) topo = { class_name: 'Sequential', config: { name: `m${k}`, layers: [topo] } };
    oneLineError(() => read('lstm', bytes({ modelTopology: topo })), /more than 32 deep/);
    const many = { class_name: 'Sequential', config: { layers: Array.from({ length: 10_001 }, () => ({ class_name: 'Dense', config: {} })) } };
    oneLineError(() => read('lstm', bytes({ modelTopology: many })), /more than 10000 layers/);
  });

  it('a weight whose shape does not fit the layer, a missing weight, an odd dtype', () => {
    const j = json('lstm');
    j.weightsManifest[0].weights[1].shape = [4, 15];
    j.weightsManifest[0].weights[0].shape = [3, 17];
    oneLineError(() => read('lstm', bytes(j)), /hold \d+ bytes|kernel of shape/);
    const k = json('lstm');
    k.weightsManifest[0].weights[1].name = 'other/recurrent_kernel';
    oneLineError(() => read('lstm', bytes(k)), /no weight "lstm\/recurrent_kernel"/);
    const d = json('lstm');
    d.weightsManifest[0].weights[0].dtype = 'float128';
    oneLineError(() => read('lstm', bytes(d)), /dtype "float128"/);
    const big = json('lstm');
    big.weightsManifest[0].weights[0].shape = [1e9, 1e9];
    oneLineError(() => read('lstm', bytes(big)), /larger than RNN Lens reads/);
  });

  it('a small budget stops the read', () => {
    oneLineError(() => tfjsLayers(modelJson('lstm'), siblingOf('lstm'), new ReadBudget(100), []), /over the/);
  });
});

describe('tfjsLayers: config spellings and weight encodings', () => {
  const json = (fixture: string) => JSON.parse(readFileSync(join(DIR, fixture, 'model.json'), 'utf8')) as {
    modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
    weightsManifest: { paths: string[]; weights: Record<string, unknown>[] }[];
  };
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

  it('reads camelCase config keys as their snake_case ones', () => {
    const j = json('lstm_sigmoid');
    for (const l of j.modelTopology.config.layers) {
      l.config = Object.fromEntries(Object.entries(l.config).map(([k, v]) => [camel(k), v]));
    }
    const got = read('lstm_sigmoid', bytes(j)).layers;
    const ref = read('lstm_sigmoid').layers;
    assert.deepEqual(got.map((l) => [l.name, l.reverse, l.options, l.biasIh === undefined]), ref.map((l) => [l.name, l.reverse, l.options, l.biasIh === undefined]));
    assert.deepEqual(got[0].weightIh, ref[0].weightIh);
  });

  it('dequantizes uint8 weights (q·scale + min) and decodes float16 ones', () => {
    const ref = read('lstm').layers[0];
    const j = json('lstm');
    const specs = j.weightsManifest[0].weights;
    const sizes = specs.map((w) => (w.shape as number[]).reduce((p, q) => p * q, 1));
    const q8 = new Uint8Array(sizes.reduce((p, q) => p + q, 0)).map((_, k) => (k * 37) % 256);
    specs.forEach((w) => { w.quantization = { dtype: 'uint8', scale: 0.01, min: -1.28 }; });
    const got = read('lstm', bytes(j), () => q8).layers[0];
    // kernel (3, 16): weightIh[row, d] is K[d, row].
    assert.equal(got.weightIh[0 * 3 + 1], Math.fround(q8[1 * 16 + 0] * 0.01 - 1.28));
    assert.equal(got.weightIh[5 * 3 + 2], Math.fround(q8[2 * 16 + 5] * 0.01 - 1.28));
    const h = json('lstm');
    h.weightsManifest[0].weights.forEach((w) => { w.dtype = 'float16'; });
    const f16 = new Uint8Array(2 * sizes.reduce((p, q) => p + q, 0));
    new DataView(f16.buffer).setUint16(2 * (1 * 16 + 0), 0x3c00, true);
    assert.equal(read('lstm', bytes(h), () => f16).layers[0].weightIh[1], 1);
    assert.notDeepEqual(got.weightIh, ref.weightIh);
  });

  it('refuses an unknown quantization, and a string weight whose lengths lie', () => {
    const j = json('lstm');
    j.weightsManifest[0].weights[0].quantization = { dtype: 'int4' };
    oneLineError(() => read('lstm', bytes(j)), /quantized in a way TF\.js does not know/);
    const s = json('lstm');
    s.weightsManifest[0].weights.unshift({ name: 'vocab', shape: [3], dtype: 'string' });
    const full = siblingOf('lstm')('model.weights.bin')!;
    const withStrings = new Uint8Array(8 + full.length);
    new DataView(withStrings.buffer).setUint32(0, 0xfffffff0, true);
    withStrings.set(full, 8);
    oneLineError(() => read('lstm', bytes(s), () => withStrings), /hold \d+ bytes, but their weights need/);
    // Honest lengths step over it.
    const ok = new Uint8Array(4 * 3 + 3 + full.length);
    const v = new DataView(ok.buffer);
    v.setUint32(0, 1, true); v.setUint32(5, 1, true); v.setUint32(10, 1, true);
    ok.set(full, 15);
    assert.deepEqual(read('lstm', bytes(s), () => ok).layers[0].weightIh, read('lstm').layers[0].weightIh);
  });
});
