// The stacked character LM against PyTorch: test/fixtures/charlm/ holds models `rnn-lens train`
// wrote and what PyTorch's word_language_model structure computes from them after
// load_state_dict(strict=True) (scripts/torch/char_model_check.py): the loss over the whole text,
// the next-character distributions at a few positions, and every parameter's gradient on a fixed
// batch. Float32 on both sides; tolerances:
//   loss: 1e-5 relative; log-probabilities and probabilities: 1e-5 absolute;
//   gradients: 1e-4 of the tensor's largest |entry| (elementwise relative error is meaningless for
//   entries that cancel to ~1e-9; float32 sums over T·B rows agree to ~1e-6 of the scale).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpoint } from '../../../engine/checkpoint';
import type { CharModelWeights } from '../../../engine/export';
import { charLossAndGrad, evalLoss, nextLogProbs } from '../../../engine/train/charNet';
import type { BackendName, Cell } from '../../../engine/types';
import { findRepoRoot } from '../../fixtures/repoRoot';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'charlm');
const TEXT = readFileSync(join(DIR, 'text.txt'), 'utf8');

interface Fixture {
  cell: Cell;
  nlayers: number;
  vocab: string[];
  evalLoss: number;
  positions: number[];
  logProbs: number[][];
  batch: { T: number; B: number; tokens: number[]; targets: number[]; loss: number; grads: Record<string, number[]> };
}

/** The exported model read back: the layers by the inspector's reader, the embedding and decoder from the header. */
export function readCharModel(bytes: Uint8Array): CharModelWeights {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[]; data_offsets: [number, number] }> & {
    __metadata__: Record<string, string>;
  };
  const tensor = (name: string): Float32Array => {
    const [a, b] = header[name].data_offsets;
    return new Float32Array(bytes.slice(8 + n + a, 8 + n + b).buffer);
  };
  const meta = header.__metadata__;
  const layers = readCheckpoint(bytes, 'model.safetensors').layers.map((l) => ({ W: l.params.W, b: l.params.b, bh: l.params.bh }));
  return {
    cell: meta.cell as Cell, vocab: JSON.parse(meta.vocab) as string[], embeddingDim: Number(meta.ninp), H: Number(meta.nhid),
    layers, E: tensor('encoder.weight'), V: tensor('decoder.weight'), c: tensor('decoder.bias'),
  };
}

function close(ours: ArrayLike<number>, theirs: readonly number[], tol: number, what: string): void {
  assert.equal(ours.length, theirs.length, what);
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
  assert.ok(worst <= tol, `${what}: max |ours − torch| = ${worst} > ${tol}`);
}

const CASES = ['lstm-l1', 'lstm-l2', 'gru-l1', 'gru-l2', 'rnn-l1', 'rnn-l2'];

describe('char LM vs PyTorch RNNModel (strict load of our export)', () => {
  for (const name of CASES) {
    const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture;
    const w = readCharModel(new Uint8Array(readFileSync(join(DIR, `${name}.safetensors`))));
    for (const backend of ['js', 'wasm'] as BackendName[]) {
      it(`${name} (${backend}): the whole-text loss and the next-character distributions`, () => {
        assert.equal(w.cell, fx.cell);
        assert.equal(w.layers.length, fx.nlayers);
        assert.deepEqual(w.vocab, fx.vocab);
        const loss = evalLoss(w, TEXT, backend);
        assert.ok(Math.abs(loss - fx.evalLoss) <= 1e-5 * fx.evalLoss, `loss ${loss} vs torch ${fx.evalLoss}`);
        const rows = nextLogProbs(w, TEXT, fx.positions, backend);
        rows.forEach((row, i) => {
          close(row, fx.logProbs[i], 1e-5, `log p at position ${fx.positions[i]}`);
          close(row.map(Math.exp), fx.logProbs[i].map(Math.exp), 1e-5, `p at position ${fx.positions[i]}`);
        });
      });

      it(`${name} (${backend}): the batch loss and every parameter's gradient`, () => {
        const { T, B } = fx.batch;
        const r = charLossAndGrad(w, Int32Array.from(fx.batch.tokens), Int32Array.from(fx.batch.targets), T, B, backend);
        assert.ok(Math.abs(r.loss - fx.batch.loss) <= 1e-5 * fx.batch.loss, `batch loss ${r.loss} vs ${fx.batch.loss}`);
        assert.deepEqual(Object.keys(r.grads).sort(), Object.keys(fx.batch.grads).sort());
        for (const [param, theirs] of Object.entries(fx.batch.grads)) {
          const scale = Math.max(...theirs.map(Math.abs));
          assert.ok(scale > 0, `${param}: torch's gradient is not all zero`);
          close(r.grads[param], theirs, 1e-4 * scale, param);
        }
      });
    }
  }
});
