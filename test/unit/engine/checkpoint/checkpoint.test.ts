// The checkpoint readers on files PyTorch made (scripts/torch/checkpoints.py): the same
// state_dict saved with torch.save, as safetensors and as .npz (stored and deflated) reads as
// the same recurrent layers; hostile and broken files give one line each and run nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { forward } from '../../../../engine/api';
import type { BackendName } from '../../../../engine/types';
import { readCheckpoint, type RecurrentLayer } from '../../../../engine/checkpoint';
import { npy } from '../../../fixtures/npy';
import { assertDamageGivesOneLine, oneLineError } from './assertions';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'checkpoints');
const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));


const key = (l: RecurrentLayer) => `${l.name}/${l.layer}${l.reverse ? 'r' : ''}`;

describe('readCheckpoint: the three formats agree', () => {
  const pt = readCheckpoint(file('model.pt'), 'model.pt');

  it('finds every recurrent layer and direction in torch.save and nothing else', () => {
    assert.deepEqual(pt.layers.map((l) => `${key(l)} ${l.cell} D=${l.D} H=${l.H}`), [
      'encoder/0 lstm D=3 H=4', 'encoder/0r lstm D=3 H=4', 'encoder/1 lstm D=8 H=4', 'encoder/1r lstm D=8 H=4',
      'gru/0 gru D=3 H=5', 'rnn/0 rnn D=3 H=4',
    ]);
    assert.equal(pt.layers.find((l) => l.cell === 'gru')?.resetAfter, true);
    assert.equal(pt.layers.find((l) => l.cell === 'rnn')?.activation, 'tanh');
    assert.ok(pt.warnings.some((w) => /rnn layer 0: .*nonlinearity.*tanh assumed/.test(w)), pt.warnings.join('\n'));
  });

  for (const name of ['model.npz', 'model-compressed.npz', 'model.safetensors']) {
    it(`${name} reads as the same layers`, () => {
      const got = readCheckpoint(file(name), name);
      assert.deepEqual(got.layers.map(key), pt.layers.map(key));
      for (const [i, l] of got.layers.entries()) {
        const ref = pt.layers[i];
        for (const part of ['W', 'b', 'bh'] as const) {
          // safetensors holds gru.bias_hh as F16 and rnn.bias_ih as BF16 (the fixture script says so).
          const tol = name.endsWith('.safetensors') && ((l.cell === 'gru' && part === 'bh') || (l.cell === 'rnn' && part === 'b')) ? 1e-2 : 0;
          assert.equal(l.params[part].length, ref.params[part].length);
          for (let k = 0; k < l.params[part].length; k++) {
            const a = l.params[part][k];
            const b = ref.params[part][k];
            assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${name} ${key(l)} ${part}[${k}]: ${a} vs ${b}`);
          }
        }
      }
    });
  }
});

describe('readCheckpoint: each layer computes what PyTorch computed', () => {
  interface Case { name: string; layer: number; reverse: boolean; cell: string; D: number; H: number; T: number; B: number; x: number[]; h: number[] }
  const { cases } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Case[] };
  const tolerance: Record<BackendName, number> = { reference: 1e-6, js: 1e-5, wasm: 1e-5, gpu: 1e-5 };

  for (const fileName of ['model.pt', 'model.npz', 'model-compressed.npz']) {
    const { layers } = readCheckpoint(file(fileName), fileName);
    for (const backend of ['reference', 'js', 'wasm'] as const) {
      it(`${fileName} on ${backend}: forward(layer) equals PyTorch's output of that layer and direction`, () => {
        assert.equal(cases.length, 6);
        for (const c of cases) {
          const l = layers.find((x) => x.name === c.name && x.layer === c.layer && x.reverse === c.reverse);
          assert.ok(l, `${c.name} layer ${c.layer}${c.reverse ? ' reverse' : ''} found`);
          assert.deepEqual([l.cell, l.D, l.H], [c.cell, c.D, c.H]);
          // The fixture's RNN is nn.RNN(nonlinearity='relu'), which a state_dict cannot say: the
          // inspector lets the user switch, as this does.
          const activation = c.cell === 'rnn' ? 'relu' : l.activation;
          const { T, B, D, H } = c;
          // A reverse direction reads the sequence backwards.
          const x = new Float64Array(T * B * D);
          for (let t = 0; t < T; t++) x.set(c.x.slice((c.reverse ? T - 1 - t : t) * B * D, ((c.reverse ? T - 1 - t : t) + 1) * B * D), t * B * D);
          const f = forward(l.cell, { T, B, D, H }, l.params, x, { backend, activation, resetAfter: l.resetAfter });
          let worst = 0;
          for (let k = 0; k < c.h.length; k++) worst = Math.max(worst, Math.abs(f.h[k] - c.h[k]));
          // The float32 weights are PyTorch's own, so even the float64 reference sees them exactly.
          assert.ok(worst < tolerance[backend], `${fileName} ${c.name}/${c.layer}${c.reverse ? 'r' : ''} on ${backend}: max abs error ${worst.toExponential(2)}`);
        }
      });
    }
  }
});

describe('readCheckpoint: hostile and broken files', () => {
  it('refuses a pickle that names posix.system, and runs nothing', () => {
    oneLineError(() => readCheckpoint(file('hostile.pt'), 'hostile.pt'), /refused: the pickle names "posix\.system"/);
  });

  it('a truncated zip', () => {
    const pt = file('model.pt');
    oneLineError(() => readCheckpoint(pt.subarray(0, Math.floor(pt.length / 2)), 'model.pt'), /not a complete zip file/);
    oneLineError(() => readCheckpoint(pt.subarray(0, 3), 'model.pt'), /not a torch\.save file/);
  });

  it('a zip whose entries claim gigabytes', () => {
    const pt = file('model.pt').slice();
    // Every central-directory record's uncompressed size (offset 24) set to 3 GB.
    const view = new DataView(pt.buffer);
    for (let p = 0; p + 4 <= pt.length; p++) {
      if (view.getUint32(p, true) === 0x02014b50) { view.setUint32(p + 20, 3e9, true); view.setUint32(p + 24, 3e9, true); }
    }
    oneLineError(() => readCheckpoint(pt, 'model.pt'), /truncated or its offsets lie|more than RNN Lens reads|not a state_dict/);
  });

  it('a deflated entry that inflates past the size it declares (a zip bomb)', () => {
    // A valid (4, 1) float32 header, so that the header read finds an array; then 4 MiB of zeros.
    const head = npy([4, 1], [0, 0, 0, 0]);
    const big = new Uint8Array(1 << 22);
    big.set(head);
    const zip = zipSync({ 'rnn.weight_ih_l0.npy': [big, { level: 9 }], 'rnn.weight_hh_l0.npy': [big, { level: 9 }] });
    const view = new DataView(zip.buffer);
    for (let p = 0; p + 4 <= zip.length; p++) {
      if (view.getUint32(p, true) === 0x02014b50) view.setUint32(p + 24, head.length, true);
    }
    oneLineError(() => readCheckpoint(zip, 'bomb.npz'), /inflates to more than the 144 bytes it declares/);
  });

  function safetensors(header: unknown, data = new Uint8Array(16)): Uint8Array {
    const head = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + head.length + data.length);
    new DataView(out.buffer).setUint32(0, head.length, true);
    out.set(head, 8);
    out.set(data, 8 + head.length);
    return out;
  }

  it('a safetensors header whose offsets lie', () => {
    const bytes = safetensors({ 'rnn.weight_ih_l0': { dtype: 'F32', shape: [1, 3], data_offsets: [0, 4096] } });
    oneLineError(() => readCheckpoint(bytes, 'm.safetensors'), /offsets \[0, 4096\] outside the 16 data bytes/);
    const short = safetensors({ 'rnn.weight_ih_l0': { dtype: 'F32', shape: [4, 3], data_offsets: [0, 16] }, 'rnn.weight_hh_l0': { dtype: 'F32', shape: [4, 4], data_offsets: [0, 16] } });
    oneLineError(() => readCheckpoint(short, 'm.safetensors'), /needs 48 bytes, its offsets give 16/);
  });

  it('a safetensors header or shape claiming gigabytes', () => {
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setUint32(0, 0, true);
    new DataView(bytes.buffer).setUint32(4, 0x100, true); // 2^40 bytes of header
    oneLineError(() => readCheckpoint(bytes, 'm.safetensors'), /header claims 1099511627776 bytes/);
    const huge = safetensors({ 'rnn.weight_ih_l0': { dtype: 'F32', shape: [100000, 100000], data_offsets: [0, 16] }, 'rnn.weight_hh_l0': { dtype: 'F32', shape: [1, 1], data_offsets: [0, 4] } });
    oneLineError(() => readCheckpoint(huge, 'm.safetensors'), /larger than RNN Lens reads/);
  });

  it('a legacy (pre-zip) torch.save file says how to re-save it', () => {
    oneLineError(() => readCheckpoint(new Uint8Array([0x80, 0x02, 0x8a, 0x0a]), 'old.pt'), /legacy .*re-save/);
  });

  it('a projection LSTM is read with its projection (weight_hr: P = 1, H = 2)', () => {
    const bytes = safetensors({
      'lstm.weight_ih_l0': { dtype: 'F32', shape: [8, 1], data_offsets: [0, 32] },
      'lstm.weight_hh_l0': { dtype: 'F32', shape: [8, 1], data_offsets: [0, 32] },
      'lstm.weight_hr_l0': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
    }, new Uint8Array(32));
    const got = readCheckpoint(bytes, 'p.safetensors');
    assert.deepEqual(got.layers.map((l) => [l.cell, l.D, l.H, l.options.projSize, l.params.Wr?.length, l.params.W.length]), [['lstm', 1, 2, 1, 2, 16]]);
  });

  it('never throws anything but a one-line CheckpointError on damaged files', () => {
    const sources = ['model.pt', 'model.npz', 'model-compressed.npz', 'model.safetensors'].map((n) => [n, file(n)] as const);
    assertDamageGivesOneLine(sources, 11);
  });
});
