// The ONNX reader on models PyTorch exported (scripts/torch/onnx_fixtures.py): every LSTM, GRU
// and RNN node and direction reads as a layer that computes what the equivalent PyTorch module
// computed; a graph without one is summarized; hostile and broken files give one line each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forward } from '../../../../engine/api';
import { CheckpointError, ReadBudget, bytesSource } from '../../../../engine/checkpoint/bytes';
import { type RecurrentLayer, toRecurrentLayer } from '../../../../engine/checkpoint/layer';
import { onnxLayers } from '../../../../engine/checkpoint/onnx';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'checkpoints', 'onnx');
const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

interface Case { name: string; layer: number; reverse: boolean; cell: string; D: number; H: number; T: number; B: number; x: number[]; h: number[] }
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { files: Record<string, { cases: Case[]; ops?: string[] }> };

function read(bytes: Uint8Array, budget = new ReadBudget()) {
  const warnings: string[] = [];
  const { layers, summary } = onnxLayers(bytesSource(bytes), budget, warnings);
  return { layers: layers.map(toRecurrentLayer), summary, warnings };
}

function oneLineError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CheckpointError, `a CheckpointError, not ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    assert.doesNotMatch(err.message, /undefined|NaN|\[object Object\]/);
    assert.match(err.message, pattern);
    return true;
  });
}

/** Every case of `fileName` in expected.json: its layer, run by forward, gives PyTorch's (or ONNX's formulas') h. */
function matches(fileName: string, layers: RecurrentLayer[], count: number): void {
  const { cases } = expected.files[fileName];
  assert.equal(cases.length, count);
  for (const c of cases) {
    const l = layers.find((x) => x.name === c.name && x.layer === c.layer && x.reverse === c.reverse);
    assert.ok(l, `${c.name} ${c.layer}${c.reverse ? ' reverse' : ''} found`);
    assert.deepEqual([l.cell, l.D, l.H], [c.cell, c.D, c.H]);
    const { T, B, D, H } = c;
    // A reverse direction reads the sequence backwards; its h is in the order it produced them.
    const x = new Float64Array(T * B * D);
    for (let t = 0; t < T; t++) {
      const s = c.reverse ? T - 1 - t : t;
      x.set(c.x.slice(s * B * D, (s + 1) * B * D), t * B * D);
    }
    const f = forward(l.cell, { T, B, D, H }, l.params, x, { ...l.options, backend: 'js' });
    assert.equal(f.h.length, c.h.length);
    let worst = 0;
    for (let k = 0; k < c.h.length; k++) worst = Math.max(worst, Math.abs(f.h[k] - c.h[k]));
    assert.ok(worst < 1e-5, `${fileName} ${c.name}/${c.layer}${c.reverse ? 'r' : ''}: max abs error ${worst.toExponential(2)}`);
  }
}

describe('onnxLayers: the layers of models torch.onnx.export wrote', () => {
  const layout: Record<string, string[]> = {
    'lstm2bi.onnx': ['/rnn/LSTM 0 lstm D=3 H=4', '/rnn/LSTM 0r lstm D=3 H=4', '/rnn/LSTM_1 1 lstm D=8 H=4', '/rnn/LSTM_1 1r lstm D=8 H=4'],
    'gru.onnx': ['/rnn/GRU 0 gru D=3 H=5'],
    'rnn_relu.onnx': ['/rnn/RNN 0 rnn D=3 H=4'],
    'encoder.onnx': ['/lstm/LSTM 0 lstm D=3 H=4'],
  };

  for (const [fileName, want] of Object.entries(layout)) {
    it(`${fileName}: finds exactly ${want.length} layer${want.length > 1 ? 's' : ''}, each computing what PyTorch computed`, () => {
      const { layers, warnings } = read(file(fileName));
      assert.deepEqual(layers.map((l) => `${l.name} ${l.layer}${l.reverse ? 'r' : ''} ${l.cell} D=${l.D} H=${l.H}`), want);
      assert.deepEqual(warnings, []);
      for (const l of layers) {
        if (l.cell === 'gru') assert.equal(l.options.resetAfter, true, 'PyTorch exports linear_before_reset=1');
        if (l.cell === 'rnn') assert.equal(l.options.activation, 'relu', "activations=['Relu']");
      }
      matches(fileName, layers, want.length);
    });
  }

  it('options.onnx: reset-before GRU, hard-sigmoid LSTM, per-direction RNN activations; what is not computed is left out', () => {
    const { layers, warnings, summary } = read(file('options.onnx'));
    assert.deepEqual(layers.map((l) => `${l.name} ${l.layer}${l.reverse ? 'r' : ''} ${l.cell} ${JSON.stringify(l.options)}`), [
      'gru_lbr0_reverse 0r gru {"resetAfter":false}',
      'lstm_hard 1 lstm {"recurrentActivation":"hardSigmoid"}',
      'rnn_bi 2 rnn {"activation":"relu"}',
      'rnn_bi 2r rnn {"activation":"tanh"}',
    ]);
    assert.deepEqual(warnings, [
      'LSTM node "lstm_hard": clip=50 (ONNX clips the gates\' inputs) is not applied; read without it',
      'LSTM node "lstm_peephole": peephole connections (input P) are not computed; left out',
      'LSTM node "lstm_input_forget": input_forget=1 (coupled input and forget gates) is not computed; left out',
      'RNN node "rnn_elu": activation "elu" (RNN Lens computes Tanh or Relu); left out',
      'GRU node "gru_w_input": its weights "gru_w_input.W" are not stored in the model (an input or computed in the graph); left out',
    ]);
    assert.equal(summary, 'an ONNX graph of 7 nodes with 7 recurrent nodes (LSTM ×3, GRU ×2, RNN ×2)');
    matches('options.onnx', layers, 4);
  });

  it('a graph without a recurrent node is summarized by its most frequent op types', () => {
    const { layers, summary, warnings } = read(file('mlp.onnx'));
    assert.deepEqual(layers, []);
    assert.deepEqual(warnings, []);
    assert.deepEqual(expected.files['mlp.onnx'].ops, ['MatMul', 'Add', 'Relu', 'MatMul', 'Add']);
    assert.equal(summary, 'an ONNX graph of 5 nodes (Add ×2, MatMul ×2, Relu ×1), no recurrent node');
  });

  it('charges the budget for the file and what it decodes', () => {
    const bytes = file('lstm2bi.onnx');
    const budget = new ReadBudget();
    read(bytes, budget);
    // The file, then W, R and B of both nodes as float32.
    assert.equal(budget.spent, bytes.length + 4 * (2 * 16 * 3 + 2 * 16 * 4 + 2 * 32 + 2 * 16 * 8 + 2 * 16 * 4 + 2 * 32));
    oneLineError(() => read(bytes, new ReadBudget(bytes.length + 100)), /over the 0\.0 MiB RNN Lens spends/);
    oneLineError(() => read(bytes, new ReadBudget(bytes.length - 1)), /reading the ONNX model would bring/);
  });
});

/** The byte offset of `needle` in `hay`. */
function find(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let p = from; p + needle.length <= hay.length; p++) {
    for (let k = 0; k < needle.length; k++) if (hay[p + k] !== needle[k]) continue outer;
    return p;
  }
  return -1;
}

// A hand-made protobuf: fields as ONNX numbers them.
const varint = (v: number): number[] => { const out: number[] = []; while (v > 127) { out.push((v & 127) | 128); v = Math.floor(v / 128); } out.push(v); return out; };
const field = (n: number, body: number[]): number[] => [(n << 3) | 2, ...varint(body.length), ...body];
const str = (n: number, s: string) => field(n, [...new TextEncoder().encode(s)]);
const tensor = (name: string, dims: number[], dataType = 1, data: number[] = []) => [...field(1, dims.flatMap(varint)), 0x10, dataType, ...str(8, name), ...data];
const bytesOf = (a: ArrayBufferView) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

describe('onnxLayers: tensor encodings', () => {
  it('float16 in int32_data, float32 in float_data, float64 in raw_data; an RNN with its default Tanh', () => {
    // W = 1.5 as float16 (0x3e00, one varint in int32_data), R = 0.25 in float_data, B = [0.5, -2] as float64 raw_data.
    const node = [...str(1, 'x'), ...str(1, 'W'), ...str(1, 'R'), ...str(1, 'B'), ...str(2, 'y'), ...str(4, 'RNN')];
    const graph = [
      ...field(1, node),
      ...field(5, tensor('W', [1, 1, 1], 10, field(5, varint(0x3e00)))),
      ...field(5, tensor('R', [1, 1, 1], 1, field(4, bytesOf(new Float32Array([0.25]))))),
      ...field(5, tensor('B', [1, 2], 11, field(9, bytesOf(new Float64Array([0.5, -2]))))),
    ];
    const { layers, warnings } = read(new Uint8Array([0x08, 0x08, ...field(7, graph)]));
    assert.deepEqual(warnings, []);
    assert.equal(layers.length, 1);
    const [l] = layers;
    assert.deepEqual([l.name, l.cell, l.layer, l.reverse, l.D, l.H, l.options.activation], ['rnn_0', 'rnn', 0, false, 1, 1, 'tanh']);
    assert.deepEqual([...l.params.W], [1.5, 0.25]);
    assert.deepEqual([...l.params.b, ...l.params.bh], [0.5, -2]);
  });
});

/** A TensorProto's name field (8, a string): the bytes that open it, then the name. */
const tensorName = (name: string) => new Uint8Array([0x42, name.length, ...new TextEncoder().encode(name)]);

describe('onnxLayers: hostile and broken files', () => {
  it('bytes that are not an ONNX model', () => {
    oneLineError(() => read(new Uint8Array(0)), /empty file/);
    let seed = 12345;
    const random = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    oneLineError(() => read(random), /not an ONNX model/);
    oneLineError(() => read(new TextEncoder().encode('{"weights": [1, 2, 3]}')), /not an ONNX model/);
    // A valid protobuf that is no ModelProto (field 3, a string).
    oneLineError(() => read(new Uint8Array([0x1a, 0x02, 0x68, 0x69])), /not an ONNX model: no ir_version and graph/);
  });

  it('a truncated model', () => {
    const bytes = file('gru.onnx');
    for (const n of [1, 10, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      oneLineError(() => read(bytes.subarray(0, n)), /not an ONNX model|truncated/);
    }
  });

  it('a tensor whose dims lie about its data', () => {
    // gru.onnx's W is [1, 15, 3]: the dims field (packed or not) holds 1, 15, 3 — make it 1, 15, 4.
    const bytes = file('gru.onnx').slice();
    const at = find(bytes, tensorName('onnx::GRU_98'));
    assert.ok(at > 0);
    // The TensorProto's dims are its first fields (08 01 08 0f 08 03), before its name.
    const dims = find(bytes, new Uint8Array([0x08, 0x01, 0x08, 0x0f, 0x08, 0x03]), at - 40);
    assert.ok(dims > 0 && dims < at, 'the dims of W found');
    bytes[dims + 5] = 0x04;
    oneLineError(() => read(bytes), /GRU node "\/rnn\/GRU"'s W "onnx::GRU_98" has dims \[1, 15, 4\], 240 bytes of float32, but its data holds 180$/);
  });

  it('weights of a type that is not floating point', () => {
    const bytes = file('rnn_relu.onnx').slice();
    const at = find(bytes, tensorName('onnx::RNN_30'));
    // data_type (field 2) = 1 (float) → 7 (int64), right after the dims.
    const dt = find(bytes, new Uint8Array([0x10, 0x01]), at - 20);
    assert.ok(dt > 0 && dt < at);
    bytes[dt + 1] = 0x07;
    oneLineError(() => read(bytes), /"onnx::RNN_30" holds int64 numbers, not floating point/);
  });

  it('a layer larger than RNN Lens reads, and a graph of too many nodes', () => {
    // A hand-made ModelProto: ir_version 8, a graph with one RNN node whose W and R claim H = 5000.
    const nodeRnn = [...str(1, 'x'), ...str(1, 'W'), ...str(1, 'R'), ...str(2, 'y'), ...str(3, 'big'), ...str(4, 'RNN')];
    const graph = [...field(1, nodeRnn), ...field(5, tensor('W', [1, 5000, 3])), ...field(5, tensor('R', [1, 5000, 5000]))];
    const modelBytes = new Uint8Array([0x08, 0x08, ...field(7, graph)]);
    oneLineError(() => read(modelBytes), /RNN node "big": D=3, H=5000 is larger than RNN Lens reads \(4096\)/);

    const nodes: number[] = [];
    const tiny = field(1, str(4, 'Add'));
    for (let k = 0; k <= 100_000; k++) nodes.push(...tiny);
    oneLineError(() => read(new Uint8Array([0x08, 0x08, ...field(7, nodes)])), /more than 100000 nodes/);
    // One node of 2^22 inputs, each an empty string field (0a 00).
    const n = 2 * (1 << 22);
    const head = [0x08, 0x08, 0x3a, ...varint(n + 1 + varint(n).length), 0x0a, ...varint(n)];
    const many = new Uint8Array(head.length + n);
    many.set(head);
    for (let k = head.length; k < many.length; k += 2) many[k] = 0x0a;
    oneLineError(() => read(many), /more than 4000000 names, attributes and numbers/);
  });

  it('groups nested past protobuf\'s recursion limit', () => {
    // Field 15 as a start-group (wire type 3), 200 deep, inside the graph.
    const open = new Array<number>(200).fill((15 << 3) | 3);
    const close = new Array<number>(200).fill((15 << 3) | 4);
    oneLineError(() => read(new Uint8Array([0x08, 0x08, ...field(7, [...open, ...close])])), /not an ONNX model, or a truncated one/);
  });

  it('a thousand corrupted copies of each fixture read or give a CheckpointError, nothing else', () => {
    let seed = 99;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (const name of ['lstm2bi.onnx', 'gru.onnx', 'options.onnx']) {
      const good = file(name);
      for (let k = 0; k < 1000; k++) {
        const bad = good.slice();
        for (let m = 1 + rand(4); m > 0; m--) bad[rand(bad.length)] = rand(256);
        try {
          const { layers } = read(bad);
          for (const l of layers) assert.ok(l.params.W.length === (l.cell === 'lstm' ? 4 : l.cell === 'gru' ? 3 : 1) * l.H * (l.D + l.H));
        } catch (err) {
          assert.ok(err instanceof CheckpointError, `${name} #${k}: ${String(err)}`);
          assert.doesNotMatch(err.message, /\n|undefined|NaN|\[object Object\]/);
        }
      }
    }
  });
});
