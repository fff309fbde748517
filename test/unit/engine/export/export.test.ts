// The safetensors writer and the char model's state dict: the inspector's own reader opens what
// the writer wrote, with the names, shapes, gate order and metadata PyTorch's RNNModel expects,
// and the layers it finds are the engine weights that went in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCheckpoint } from '../../../../engine/checkpoint';
import { toRecurrentLayer, toTorchLayout } from '../../../../engine/checkpoint/layer';
import { encodeSafetensors, exportCharModel, type CharModelWeights } from '../../../../engine/export';
import { mulberry32 } from '../../../../engine/init';
import { CELLS } from '../../../../engine/types';
import { gateKeys } from '../../../../engine/cells/registry';

const rand = (n: number, u: () => number) => Float32Array.from({ length: n }, () => 2 * u() - 1);

function model(cell: CharModelWeights['cell'], layers: number, seed: number): CharModelWeights {
  const u = mulberry32(seed);
  const vocab = [...'ab c\n"é😀'];
  const V = vocab.length, Dm = 5, H = 4, G = gateKeys(cell).length;
  return {
    cell, vocab, embeddingDim: Dm, H,
    layers: Array.from({ length: layers }, (_, k) => ({ W: rand(G * H * ((k === 0 ? Dm : H) + H), u), b: rand(G * H, u) })),
    E: rand(V * Dm, u), V: rand(V * H, u), c: rand(V, u),
  };
}

function header(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  assert.equal(n % 8, 0, 'the header is padded to 8 bytes');
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

describe('export: safetensors', () => {
  it('writes little-endian float32 at the offsets its header gives', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: [1.5, -2] }, { name: 'b', shape: [1, 1], data: [3] }], { k: 'v' });
    const h = header(bytes);
    assert.deepEqual(h.__metadata__, { k: 'v' });
    assert.deepEqual(h.b, { dtype: 'F32', shape: [1, 1], data_offsets: [8, 12] });
    const start = bytes.length - 12;
    const f = new DataView(bytes.buffer, bytes.byteOffset + start);
    assert.deepEqual([f.getFloat32(0, true), f.getFloat32(4, true), f.getFloat32(8, true)], [1.5, -2, 3]);
  });

  it('refuses a shape that does not match the data, and a name used twice', () => {
    assert.throws(() => encodeSafetensors([{ name: 'a', shape: [3], data: [1, 2] }]), /shape \[3\] but 2 numbers/);
    assert.throws(() => encodeSafetensors([{ name: 'a', shape: [1], data: [1] }, { name: 'a', shape: [1], data: [1] }]), /used twice/);
  });
});

describe('export: the char model as word_language_model names it', () => {
  for (const cell of CELLS) {
    it(`${cell}, 2 layers: the names, shapes and metadata RNNModel loads, and the reader finds the same layers`, () => {
      const m = model(cell, 2, 7);
      const bytes = exportCharModel(m);
      const h = header(bytes);
      const G = gateKeys(cell).length;
      assert.deepEqual(Object.keys(h), [
        '__metadata__', 'encoder.weight',
        'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0',
        'rnn.weight_ih_l1', 'rnn.weight_hh_l1', 'rnn.bias_ih_l1', 'rnn.bias_hh_l1',
        'decoder.weight', 'decoder.bias',
      ]);
      assert.deepEqual((h['rnn.weight_ih_l0'] as { shape: number[] }).shape, [G * 4, 5]);
      assert.deepEqual((h['rnn.weight_ih_l1'] as { shape: number[] }).shape, [G * 4, 4]);
      assert.deepEqual((h['decoder.weight'] as { shape: number[] }).shape, [m.vocab.length, 4]);
      const meta = h.__metadata__ as Record<string, string>;
      assert.deepEqual(JSON.parse(meta.vocab), m.vocab);
      assert.equal(meta.cell, cell);
      assert.equal(meta.nlayers, '2');

      const read = readCheckpoint(bytes, 'model.safetensors');
      assert.equal(read.layers.length, 2);
      for (const [k, layer] of read.layers.entries()) {
        assert.equal(layer.cell, cell);
        assert.equal(layer.name, 'rnn');
        assert.deepEqual(Array.from(layer.params.W), Array.from(m.layers[k].W));
        // The engine's one bias comes back as b, and bias_hh is zeros.
        assert.deepEqual(Array.from(layer.params.b), Array.from(m.layers[k].b));
        assert.ok(layer.params.bh.every((x) => x === 0));
      }
    });
  }

  it('toTorchLayout inverts toRecurrentLayer, bh included', () => {
    for (const cell of CELLS) {
      const u = mulberry32(3);
      const G = gateKeys(cell).length;
      const p = { W: rand(G * 3 * 5, u), b: rand(G * 3, u), bh: rand(G * 3, u) };
      const back = toRecurrentLayer(toTorchLayout({ name: '', cell, layer: 0, reverse: false, D: 2, H: 3 }, p));
      assert.deepEqual(Array.from(back.params.W), Array.from(p.W));
      assert.deepEqual(Array.from(back.params.bh), Array.from(p.bh));
    }
  });

  it('refuses weights that do not match the sizes', () => {
    const m = model('lstm', 1, 1);
    assert.throws(() => exportCharModel({ ...m, c: new Float32Array(2) }), /do not match a vocabulary of 8/);
  });
});
