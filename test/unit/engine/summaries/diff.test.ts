// Comparing two checkpoints (scripts/torch/checkpoint_formats.py: one model's state_dict before
// and after three Adam steps): every relative change, spectral radius and mean forget/update
// bias equals what torch.linalg computes from the same tensors; `rnn-lens diff` prints and
// exports the same numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '../../../../engine/checkpoint';
import { diffCheckpoints, type LayerDiff } from '../../../../engine/summaries/diff';
import { findRepoRoot } from '../../../fixtures/repoRoot';
import { cli } from '../../cli/cliTestUtil';

const DIR = join(findRepoRoot(__dirname), 'test', 'fixtures', 'checkpoints', 'formats', 'diff');
const read = (name: string) => readCheckpoint(new Uint8Array(readFileSync(join(DIR, name))), name).layers;

interface Expected {
  name: string; layer: number; reverse: boolean; cell: string;
  gates: { gate: string; matrix: string; relChange: number; radiusA?: number; radiusB?: number }[];
  forgetBias: { gate: string; before: number; after: number } | null;
}
const expected = (JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { layers: Expected[] }).layers;

const close = (a: number | null | undefined, b: number, what: string, tol = 1e-5) => {
  assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${String(a)} vs PyTorch ${b}`);
};

function check(got: readonly LayerDiff[]): void {
  assert.equal(got.length, expected.length);
  for (const e of expected) {
    const l = got.find((d) => d.name === e.name && d.layer === e.layer && d.reverse === e.reverse);
    assert.ok(l, `${e.name}/${e.layer} is compared`);
    assert.deepEqual(l.gates.map((g) => `${g.gate} ${g.matrix}`), e.gates.map((g) => `${g.gate} ${g.matrix}`), `${e.name}: gates in PyTorch's letters and order`);
    e.gates.forEach((g, k) => {
      const w = `${e.name}/${e.layer}${e.reverse ? 'r' : ''} ${g.gate} ${g.matrix}`;
      close(l.gates[k].relChange, g.relChange, `${w} relChange`);
      if (g.radiusA !== undefined) {
        // Gelfand's formula (12 squarings) against torch.linalg.eigvals: close, not exact.
        close(l.gates[k].radiusA, g.radiusA, `${w} radius before`, 1e-3);
        close(l.gates[k].radiusB, g.radiusB!, `${w} radius after`, 1e-3);
      }
    });
    if (e.forgetBias) {
      assert.equal(l.forgetBias?.gate, e.forgetBias.gate);
      close(l.forgetBias?.before, e.forgetBias.before, `${e.name} bias before`);
      close(l.forgetBias?.after, e.forgetBias.after, `${e.name} bias after`);
    } else {
      assert.equal(l.forgetBias, null);
    }
  }
}

describe('diffCheckpoints', () => {
  it('equals torch.linalg on every layer, gate and matrix (projections and cells included)', () => {
    const d = diffCheckpoints(read('before.pt'), read('after.pt'));
    check(d.layers);
    assert.deepEqual([d.onlyInA, d.onlyInB], [[], []]);
  });

  it('a file against itself changes nothing', () => {
    const a = read('before.pt');
    const d = diffCheckpoints(a, a);
    assert.ok(d.layers.every((l) => l.gates.every((g) => g.relChange === 0)));
  });

  it('layers in one file only are listed; layers of another shape are not compared', () => {
    const a = read('before.pt');
    const b = read('after.pt').filter((l) => l.name !== 'gru');
    const d = diffCheckpoints(a, b);
    assert.deepEqual(d.onlyInA, ['gru layer 0 (GRU)']);
    const renamed = b.map((l) => (l.name === 'rnn' ? { ...l, H: l.H + 1 } : l));
    const m = diffCheckpoints(a, renamed).layers.find((l) => l.name === 'rnn');
    assert.match(m?.mismatch ?? '', /hidden 4 → 5/);
    assert.deepEqual(m?.gates, []);
  });
});

describe('rnn-lens diff', () => {
  it('--json: layers[] with gates[] of {gate, matrix, relChange}, equal to the library', () => {
    const r = cli('diff', join(DIR, 'before.pt'), join(DIR, 'after.pt'), '--json');
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { layers: LayerDiff[] };
    check(doc.layers);
  });

  it('text: one line per layer, one per gate', () => {
    const r = cli('diff', join(DIR, 'before.pt'), join(DIR, 'after.pt'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^lstm layer 0 \(LSTM\): spectral radius [\d.]+ → [\d.]+, mean forget bias -?[\d.]+ → -?[\d.]+$/m);
    assert.match(r.out, /^ {2}f {3}W_ih [\d.]+% {2}W_hh [\d.]+% {2}b_ih [\d.]+% {2}b_hh [\d.]+%$/m);
    assert.match(r.out, /^11 layers compared/m);
  });

  it('needs two checkpoints with recurrent layers: exit 2 and 1, one line', () => {
    const one = cli('diff', join(DIR, 'before.pt'));
    assert.equal(one.code, 2);
    assert.match(one.err, /^rnn-lens: diff needs two checkpoints/);
    const none = cli('diff', join(DIR, 'before.pt'), join(DIR, '..', 'transformer.pt'));
    assert.equal(none.code, 1);
    assert.match(none.err, /^rnn-lens: .*transformer\.pt: no recurrent layer found: a Transformer/);
  });
});
