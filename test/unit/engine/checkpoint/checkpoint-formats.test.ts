// Checkpoints as users save them (scripts/torch/checkpoint_formats.py): the tutorial's general
// checkpoint, several models in one file, a Lightning .ckpt, a whole pickled module, the legacy
// format, TorchScript, sharded safetensors. Every recurrent layer is found, named by its module
// path, and its forward equals PyTorch's own output of that layer (float64, 1e-5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { forward } from '../../../../engine/api';
import { CheckpointError, type CheckpointContents, readCheckpoint, type RecurrentLayer } from '../../../../engine/checkpoint';
import { assertDamageGivesOneLine, oneLineError } from './assertions';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'checkpoints', 'formats');
const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const siblingIn = (folder: string) => (name: string) => {
  const p = join(DIR, folder, name);
  return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
};

interface Case { name: string; layer: number; reverse: boolean; cell: string; D: number; H: number; T: number; B: number; x: number[]; h: number[] }
const { cases } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Case[] };

const key = (l: RecurrentLayer) => `${l.name}/${l.layer}${l.reverse ? 'r' : ''} ${l.cell}`;
/** Every recurrent module of the fixture's Net, under `prefix`. */
const netLayers = (prefix: string) => [
  'cell/0 lstm', 'gcell/0 gru', 'gru/0 gru', 'lstm/0 lstm', 'lstm/0r lstm', 'lstm/1 lstm', 'lstm/1r lstm',
  'proj/0 lstm', 'proj/1 lstm', 'rcell/0 rnn', 'rnn/0 rnn',
].map((k) => prefix + k);

/** Runs each case's layer on its x and compares with PyTorch's output; `rename` maps the fixture's module names. */
function matchesTorch(got: CheckpointContents, rename: (name: string) => string | undefined, relu: boolean, against: readonly Case[] = cases): number {
  let checked = 0;
  for (const c of against) {
    const name = rename(c.name);
    if (name === undefined) continue;
    const L = got.layers.find((l) => l.name === name && l.layer === c.layer && l.reverse === c.reverse);
    assert.ok(L, `layer ${name}/${c.layer}${c.reverse ? 'r' : ''} is found`);
    assert.equal(L.cell, c.cell);
    assert.deepEqual([L.D, L.H], [c.D, c.H]);
    // The fixture's RNNs are relu; where the file cannot say so, the reader assumes tanh (and warns).
    const options = L.cell === 'rnn' && !relu ? { ...L.options, activation: 'relu' as const } : L.options;
    // A reverse direction reads x backwards (the fixture gives its outputs in the order it produced them).
    const x = Float32Array.from(c.x);
    const step = c.B * c.D;
    const input = c.reverse ? Float32Array.from({ length: x.length }, (_, k) => x[(c.T - 1 - Math.floor(k / step)) * step + (k % step)]) : x;
    const { h } = forward(L.cell, { T: c.T, B: c.B, D: L.D, H: L.H }, L.params, input, options);
    assert.equal(h.length, c.h.length, `${name}: output size`);
    let worst = 0;
    for (let k = 0; k < h.length; k++) worst = Math.max(worst, Math.abs(h[k] - c.h[k]));
    assert.ok(worst < 1e-5, `${name}/${c.layer}${c.reverse ? 'r' : ''}: max |forward − PyTorch| = ${worst}`);
    checked++;
  }
  return checked;
}

describe('readCheckpoint: checkpoints as users save them', () => {
  it("the tutorial's general checkpoint {epoch, model_state_dict, optimizer_state_dict, loss}", () => {
    const got = readCheckpoint(file('general.pt'), 'general.pt');
    assert.deepEqual(got.layers.map(key), netLayers(''));
    assert.ok(got.warnings.some((w) => /under "model_state_dict"/.test(w)), got.warnings.join('\n'));
    assert.equal(matchesTorch(got, (n) => n, false), cases.length);
  });

  it('several models in one file, at any depth, each named by its path', () => {
    const got = readCheckpoint(file('encdec.pt'), 'encdec.pt');
    assert.deepEqual(got.layers.map(key), [
      'decoder.rnn/0 gru', 'encoder.rnn/0 lstm', 'encoder.rnn/0r lstm', 'encoder.rnn/1 lstm', 'encoder.rnn/1r lstm', 'extra.deep.rnn/0 rnn',
    ]);
    const names = new Map([['lstm', 'encoder.rnn'], ['gru', 'decoder.rnn'], ['rnn', 'extra.deep.rnn']]);
    assert.equal(matchesTorch(got, (n) => names.get(n), false), 6);
  });

  it("a Lightning .ckpt: the LightningModule's attribute prefix, optimizer states and hyper_parameters beside", () => {
    const got = readCheckpoint(file('lightning.ckpt'), 'lightning.ckpt');
    assert.deepEqual(got.layers.map(key), netLayers('model.'));
    assert.equal(matchesTorch(got, (n) => `model.${n}`, false), cases.length);
  });

  for (const name of ['whole.pt', 'legacy-whole.pt', 'script.pt']) {
    it(`${name}: a whole module (its classes are placeholders, nothing runs); the RNNs' relu is read from the module`, () => {
      const got = readCheckpoint(file(name), name);
      assert.deepEqual(got.layers.map(key), netLayers(''));
      assert.deepEqual(got.layers.filter((l) => l.cell === 'rnn').map((l) => l.options.activation), ['relu', 'relu']);
      assert.ok(!got.warnings.some((w) => /nonlinearity/.test(w)), got.warnings.join('\n'));
      assert.equal(matchesTorch(got, (n) => n, true), cases.length);
    });
  }

  it('the legacy (pre-1.6) format of a state_dict', () => {
    const got = readCheckpoint(file('legacy.pt'), 'legacy.pt');
    assert.deepEqual(got.layers.map(key), netLayers(''));
    assert.equal(matchesTorch(got, (n) => n, false), cases.length);
  });

  it('cells (weight_ih without _l0) and LSTMs with proj_size carry what forward needs in options', () => {
    const got = readCheckpoint(file('whole.pt'), 'whole.pt');
    const proj = got.layers.filter((l) => l.name === 'proj');
    assert.deepEqual(proj.map((l) => [l.D, l.H, l.options.projSize, l.params.Wr?.length]), [[3, 5, 2, 10], [2, 5, 2, 10]]);
    const cell = got.layers.find((l) => l.name === 'cell');
    assert.deepEqual(cell && [cell.layer, cell.reverse, cell.D, cell.H], [0, false, 3, 4]);
  });

  it('a sharded safetensors checkpoint through its index, or through one shard with the index beside it', () => {
    const viaIndex = readCheckpoint(file('sharded/model.safetensors.index.json'), 'model.safetensors.index.json', { sibling: siblingIn('sharded') });
    assert.deepEqual(viaIndex.layers.map(key), netLayers(''));
    assert.equal(matchesTorch(viaIndex, (n) => n, false), cases.length);
    const viaShard = readCheckpoint(file('sharded/model-00001-of-00002.safetensors'), 'model-00001-of-00002.safetensors', { sibling: siblingIn('sharded') });
    assert.deepEqual(viaShard.layers.map(key), netLayers(''));
    assert.ok(viaShard.warnings.some((w) => /through "model\.safetensors\.index\.json"/.test(w)));
    // Alone, a shard reads what it holds and says the rest is elsewhere.
    const alone = readCheckpoint(file('sharded/model-00001-of-00002.safetensors'), 'model-00001-of-00002.safetensors');
    assert.ok(alone.layers.length < viaShard.layers.length);
  });

  it('a sharded torch.save checkpoint through pytorch_model.bin.index.json', () => {
    const got = readCheckpoint(file('sharded/pytorch_model.bin.index.json'), 'pytorch_model.bin.index.json', { sibling: siblingIn('sharded') });
    assert.deepEqual(got.layers.map(key), netLayers(''));
    assert.equal(matchesTorch(got, (n) => n, false), cases.length);
  });

  it('a sibling reader that returns promises (the host) makes the read a promise with the same layers', async () => {
    const sync = siblingIn('sharded');
    const asked: string[] = [];
    const got = readCheckpoint(file('sharded/model.safetensors.index.json'), 'model.safetensors.index.json', {
      sibling: async (name: string) => { asked.push(name); return sync(name); },
    });
    assert.ok(got instanceof Promise);
    const contents = await got;
    assert.deepEqual(contents.layers.map(key), netLayers(''));
    assert.deepEqual(asked, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
  });

  it('an index without its shards, or naming a file outside its folder, is one line', () => {
    oneLineError(() => readCheckpoint(file('sharded/model.safetensors.index.json'), 'model.safetensors.index.json', { sibling: () => undefined }), /none of the 2 shards/);
    oneLineError(() => readCheckpoint(file('sharded/model.safetensors.index.json'), 'model.safetensors.index.json'), /folder that holds its shards/);
    const evil = new TextEncoder().encode(JSON.stringify({ weight_map: { 'a.weight_ih_l0': '../secret.safetensors' } }));
    oneLineError(() => readCheckpoint(evil, 'model.safetensors.index.json', { sibling: () => new Uint8Array(8) }), /same folder only/);
  });

  it('a file with no recurrent layer says what it has', () => {
    const got = readCheckpoint(file('transformer.pt'), 'transformer.pt');
    assert.equal(got.layers.length, 0);
    assert.match(got.warnings.at(-1) ?? '', /^no recurrent layer found: a Transformer: 2 attention blocks, no recurrent layer \(24 tensors\)/);
  });
});

describe('readCheckpoint: TF.js Layers models (model.json and the weight files beside it)', () => {
  const TFJS = join(DIR, '..', 'tfjs');
  const tfjsCases = (JSON.parse(readFileSync(join(TFJS, 'expected.json'), 'utf8')) as { cases: (Case & { fixture: string })[] }).cases;
  const fixtures = [...new Set(tfjsCases.map((c) => c.fixture))];
  const sibling = (folder: string) => (name: string) => {
    const p = join(TFJS, folder, name);
    return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
  };
  for (const fixture of fixtures) {
    it(`${fixture}/model.json: every layer equals TF.js's own output`, () => {
      const got = readCheckpoint(new Uint8Array(readFileSync(join(TFJS, fixture, 'model.json'))), 'model.json', { sibling: sibling(fixture) });
      const mine = tfjsCases.filter((c) => c.fixture === fixture);
      assert.equal(matchesTorch(got, (n) => n, true, mine), mine.length);
    });
  }

  it('through the host\'s asynchronous sibling reader too; without one, the missing weights are named', async () => {
    const sync = sibling('gru');
    const got = await readCheckpoint(new Uint8Array(readFileSync(join(TFJS, 'gru', 'model.json'))), 'model.json', { sibling: async (n: string) => sync(n) });
    assert.deepEqual(got.layers.map(key), ['gru/0 gru']);
    assert.throws(() => readCheckpoint(new Uint8Array(readFileSync(join(TFJS, 'gru', 'model.json'))), 'model.json'),
      (err: unknown) => err instanceof CheckpointError && /group1-shard1of2\.bin/.test(err.message) && !/\n/.test(err.message));
  });

  it('a model without recurrent layers says what it has', () => {
    const got = readCheckpoint(new Uint8Array(readFileSync(join(TFJS, 'dense_only', 'model.json'))), 'model.json', { sibling: sibling('dense_only') });
    assert.equal(got.warnings.at(-1), 'no recurrent layer found: a TF.js Layers model of 5 layers (Dense ×2, Conv1D ×1, Flatten ×1, Dropout ×1), no recurrent layer');
  });
});

describe('readCheckpoint: ONNX models PyTorch exported', () => {
  const ONNX = join(DIR, '..', 'onnx');
  const files = (JSON.parse(readFileSync(join(ONNX, 'expected.json'), 'utf8')) as { files: Record<string, { cases: Case[] }> }).files;
  for (const [name, { cases: mine }] of Object.entries(files)) {
    it(`${name}: every recurrent node and direction equals the reference`, () => {
      const got = readCheckpoint(new Uint8Array(readFileSync(join(ONNX, name))), name);
      assert.equal(matchesTorch(got, (n) => n, true, mine), mine.length);
    });
  }

  it('a graph without recurrent nodes says what it has', () => {
    const got = readCheckpoint(new Uint8Array(readFileSync(join(ONNX, 'mlp.onnx'))), 'mlp.onnx');
    assert.equal(got.warnings.at(-1), 'no recurrent layer found: an ONNX graph of 5 nodes (Add ×2, MatMul ×2, Relu ×1), no recurrent node');
  });
});

describe('readCheckpoint: hostile and damaged files in the new formats', () => {
  const pickleZip = (pickle: number[]) => zipSync({ 'archive/data.pkl': [new Uint8Array(pickle), { level: 0 }] });
  const text = (s: string) => [...new TextEncoder().encode(s)];

  it('a whole-module pickle that names code is refused before anything else, and a class is never constructed', () => {
    // PROTO 2, GLOBAL builtins.eval, SHORT_BINUNICODE "1+1", TUPLE1, REDUCE, STOP: pickle.loads would evaluate it.
    const evalPickle = [0x80, 2, 0x63, ...text('builtins\neval\n'), 0x8c, 3, ...text('1+1'), 0x85, 0x52, 0x2e];
    oneLineError(() => readCheckpoint(pickleZip(evalPickle), 'evil.pt'), /refused: the pickle names "builtins\.eval"/);
    const subprocess = [0x80, 2, 0x63, ...text('subprocess\nPopen\n'), 0x29, 0x81, 0x2e];
    oneLineError(() => readCheckpoint(pickleZip(subprocess), 'evil.pt'), /refused: the pickle names "subprocess\.Popen"/);
    // A user's class with a state: a placeholder; no tensors, so nothing recurrent.
    const net = [0x80, 2, 0x63, ...text('__main__\nNet\n'), 0x29, 0x81, 0x7d, 0x62, 0x2e];
    const got = readCheckpoint(pickleZip(net), 'net.pt');
    assert.deepEqual([got.layers.length, got.warnings.at(-1)], [0, 'no recurrent layer found: the file holds no tensors']);
  });

  it('a legacy file cut in its pickles, or missing its last storage bytes, is one line', () => {
    const legacy = file('legacy.pt');
    oneLineError(() => readCheckpoint(legacy.subarray(0, Math.floor(legacy.length * 0.3)), 'legacy.pt'), /legacy \(pre-1\.6\) torch\.save file that cannot be read .*re-save/);
    const got = (() => {
      try {
        return readCheckpoint(legacy.subarray(0, legacy.length - 8), 'legacy.pt');
      } catch (err) {
        return err;
      }
    })();
    assert.ok(got instanceof CheckpointError, 'a legacy file missing its last bytes is refused');
    assert.doesNotMatch(got.message, /\n/);
  });

  it('never throws anything but a one-line CheckpointError on damaged files of every new format', () => {
    const names = ['general.pt', 'whole.pt', 'legacy.pt', 'legacy-whole.pt', 'script.pt', 'lightning.ckpt'];
    const sources = names.map((n) => [n, file(n)] as const);
    assertDamageGivesOneLine(sources, 29);
  });

  it('a damaged index or shard is one line', () => {
    const sibling = siblingIn('sharded');
    oneLineError(() => readCheckpoint(new TextEncoder().encode('{"weight_map": '), 'model.safetensors.index.json', { sibling }), /index is not JSON/);
    oneLineError(() => readCheckpoint(new TextEncoder().encode('{"metadata": {}}'), 'model.safetensors.index.json', { sibling }), /no weight_map/);
    const short = (name: string) => (name.endsWith('.safetensors') ? sibling(name)?.subarray(0, 40) : sibling(name));
    oneLineError(() => readCheckpoint(file('sharded/model.safetensors.index.json'), 'model.safetensors.index.json', { sibling: short }), /safetensors header|truncated/);
  });
});
