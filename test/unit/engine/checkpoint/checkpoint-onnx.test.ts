// The ONNX reader on models PyTorch exported (scripts/torch/onnx_fixtures.py): every LSTM, GRU
// and RNN node and direction reads as a layer that computes what the equivalent PyTorch module
// computed; a graph without one is summarized; hostile and broken files give one line each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forward } from '../../../../engine/api';
import { CheckpointError, ReadBudget, bytesSource } from '../../../../engine/checkpoint/bytes';
import { toRecurrentLayer } from '../../../../engine/checkpoint/layer';
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
      const { cases } = expected.files[fileName];
      assert.equal(cases.length, want.length);
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
    });
  }

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
    const varint = (v: number): number[] => { const out: number[] = []; while (v > 127) { out.push((v & 127) | 128); v = Math.floor(v / 128); } out.push(v); return out; };
    const field = (n: number, body: number[]): number[] => [(n << 3) | 2, ...varint(body.length), ...body];
    const str = (n: number, s: string) => field(n, [...new TextEncoder().encode(s)]);
    const tensor = (name: string, dims: number[]) => [...field(1, dims.flatMap(varint)), 0x10, 0x01, ...str(8, name)];
    const nodeRnn = [...str(1, 'x'), ...str(1, 'W'), ...str(1, 'R'), ...str(2, 'y'), ...str(3, 'big'), ...str(4, 'RNN')];
    const graph = [...field(1, nodeRnn), ...field(5, tensor('W', [1, 5000, 3])), ...field(5, tensor('R', [1, 5000, 5000]))];
    const modelBytes = new Uint8Array([0x08, 0x08, ...field(7, graph)]);
    oneLineError(() => read(modelBytes), /RNN node "big": D=3, H=5000 is larger than RNN Lens reads \(4096\)/);

    const nodes: number[] = [];
    const tiny = field(1, str(4, 'Add'));
    for (let k = 0; k <= 100_000; k++) nodes.push(...tiny);
    oneLineError(() => read(new Uint8Array([0x08, 0x08, ...field(7, nodes)])), /more than 100000 nodes/);
  });
});
