// The hostile checkpoints scripts/hostile-checkpoints.mjs writes (test/fixtures/checkpoints/hostile/,
// listed in its cases.json): each is read through readCheckpointFrom, what both `rnn-lens inspect`
// and the editor use, and must give what cases.json says, within a bounded cost: a one-line
// refusal, or layers and the warning. No message may hold `undefined`, `NaN` or `[object Object]`.
// A few are run through the CLI too (exit 1, one line on stderr, no stack).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, readCheckpoint, readCheckpointFrom, type ByteSource, type CheckpointContents } from '../../../../engine/checkpoint';
import { bytesSource } from '../../../../engine/checkpoint/bytes';
import { MAX_WARNINGS } from '../../../../engine/checkpoint';
import { findRepoRoot } from '../../../fixtures/repoRoot';
import { assertOneLineError, cli } from '../../cli/cliTestUtil';

const ROOT = findRepoRoot(__dirname);
const REL = 'test/fixtures/checkpoints/hostile';
const DIR = join(ROOT, REL);

type Expect = { refuses: string } | { reads: number; warning?: string } | { none: string };
interface Case { file: string; attack: string; expect: Expect }
const { cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { cases: Case[] };

const BAD = /undefined|NaN|\[object Object\]/;

function clean(message: string, what: string): void {
  assert.doesNotMatch(message, /\n/, `${what}: one line`);
  assert.doesNotMatch(message, BAD, `${what}: ${message}`);
  assert.ok(message.length > 0 && message.length < 600, `${what}: ${message.length} characters`);
}

/** A byte source that counts what is read from it. */
function counted(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const inner = bytesSource(bytes);
  const src = {
    size: bytes.length, bytesRead: 0,
    read(offset: number, length: number) {
      const b = inner.read(offset, length);
      src.bytesRead += length;
      return b;
    },
  };
  return src;
}

describe('hostile checkpoints: every case in cases.json', () => {
  it('the fixtures are small and every file has a case', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`);
    let total = 0;
    for (const c of cases) {
      const size = readFileSync(join(DIR, c.file)).length;
      assert.ok(size < 64 * 1024, `${c.file}: ${size} bytes`);
      total += size;
    }
    assert.ok(total < 600 * 1024, `${total} bytes in all`);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.attack}`, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, c.file)));
      const t0 = performance.now();
      let result: CheckpointContents | undefined;
      let error: unknown;
      try {
        result = readCheckpointFrom(bytesSource(bytes), c.file);
      } catch (err) {
        error = err;
      }
      const ms = performance.now() - t0;
      // A generous bound (the benchmark reports the real cost): a hang or a blow-up fails here.
      assert.ok(ms < 10_000, `${c.file} took ${ms.toFixed(0)} ms`);
      if ('refuses' in c.expect) {
        assert.ok(error instanceof CheckpointError, `${c.file}: expected a refusal, got ${error === undefined ? `${result?.layers.length} layers` : String(error)}`);
        clean(error.message, c.file);
        assert.match(error.message, new RegExp(c.expect.refuses));
        return;
      }
      assert.equal(error, undefined, `${c.file}: ${String(error)}`);
      assert.ok(result);
      assert.ok(result.warnings.length <= MAX_WARNINGS + 2, `${c.file}: ${result.warnings.length} warnings`);
      for (const w of result.warnings) clean(w, c.file);
      if ('none' in c.expect) {
        assert.equal(result.layers.length, 0, c.file);
        assert.match(result.warnings.at(-1) ?? '', new RegExp(c.expect.none));
        return;
      }
      assert.equal(result.layers.length, c.expect.reads, `${c.file}: ${result.warnings.join(' | ')}`);
      for (const l of result.layers) {
        for (const a of [l.params.W, l.params.b, l.params.bh]) assert.ok(a.every(Number.isFinite), `${c.file}: finite weights`);
      }
      const pattern = c.expect.warning;
      if (pattern) assert.ok(result.warnings.some((w) => new RegExp(pattern).test(w)), `${c.file}: no warning matches /${pattern}/ in ${result.warnings.join(' | ')}`);
    });
  }
});

describe('hostile checkpoints: what each defence costs', () => {
  it('a storage viewed by 600 tensors is read and inflated once', () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'pt-shared-storage.pt')));
    const src = counted(bytes);
    const got = readCheckpointFrom(src, 'pt-shared-storage.pt');
    assert.equal(got.layers.length, 150);
    // Each read of the deflated storage would read its compressed bytes again.
    assert.ok(src.bytesRead < 2 * bytes.length, `read ${src.bytesRead} bytes of a ${bytes.length}-byte file`);
  });

  it('a layer missing its biases is never completed with zeros', () => {
    const got = readCheckpoint(new Uint8Array(readFileSync(join(DIR, 'model-00001-of-00002.safetensors'))), 'model-00001-of-00002.safetensors');
    assert.deepEqual(got.layers.map((l) => `${l.name} ${l.cell}`), ['gru gru']);
  });

  it('20,000 warnings come back as the first 20 and one line counting the rest', () => {
    const got = readCheckpoint(new Uint8Array(readFileSync(join(DIR, 'pt-many-warnings.pt'))), 'pt-many-warnings.pt');
    assert.equal(got.warnings.length, MAX_WARNINGS + 1);
    assert.equal(got.warnings.at(-1), '… and 19980 more warnings');
  });
});

describe('rnn-lens inspect on hostile checkpoints', () => {
  const refusals: [string, RegExp][] = [
    ['pt-mark-flood.pt', /pt-mark-flood\.pt: the pickle opens more than 1000 marks/],
    ['pt-bomb-declared-small.pt', /inflates to more than the 64 bytes it declares/],
    ['npz-dtype-constructor.npz', /"<constructor", which is not a NumPy type/],
    ['pt-reduce-nonglobal.pt', /the pickle calls the number 3, which RNN Lens does not evaluate/],
    ['empty.safetensors', /an empty file/],
  ];
  for (const [file, pattern] of refusals) {
    it(`${file}: exit 1, one line, no stack`, () => {
      const r = cli('inspect', `${REL}/${file}`);
      assert.equal(r.code, 1, r.err);
      assertOneLineError(r, pattern);
      assert.doesNotMatch(r.err, BAD);
      assert.equal(r.out, '');
    });
  }

  it('a shard: reads what it holds and says which tensors are missing', () => {
    const r = cli('inspect', `${REL}/model-00001-of-00002.safetensors`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^warning: lstm layer 0 is incomplete: lstm\.bias_ih_l0, lstm\.bias_hh_l0 are not in this file \(a shard/m);
    assert.match(r.out, /^1 recurrent layer /m);
  });

  it('20,000 warnings: 20 lines and one that counts the rest', () => {
    const r = cli('inspect', `${REL}/pt-many-warnings.pt`);
    assert.equal(r.code, 0, r.err);
    const warnings = r.err.trimEnd().split('\n').filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, MAX_WARNINGS + 1);
    assert.equal(warnings.at(-1), 'warning: … and 19980 more warnings');
  });
});
