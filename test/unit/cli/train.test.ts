// `rnn-lens train` as a user runs it (node dist/cli.js): a small text file in, a safetensors file
// out that the inspector reads back with the model's layers, the --json result, and one-line
// failures with exit 1.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../../engine/checkpoint';
import { assertOneLineError, cli, cliIn } from './cliTestUtil';

const TMP = mkdtempSync(join(tmpdir(), 'rnn-lens-train-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const TEXT = join(TMP, 'poem.txt');
writeFileSync(TEXT, 'the cat sat on the mat. the dog sat on the log.\n'.repeat(40));

describe('rnn-lens train', () => {
  it('trains, writes the model PyTorch loads, and --json gives the loss over the file and the vocabulary', () => {
    const r = cliIn(TMP, 'train', 'poem.txt', '--cell', 'gru', '--hidden', '12', '--layers', '2', '--embedding', '6', '--steps', '40',
      '--batch', '4', '--bptt', '16', '--lr', '0.01', '--backend', 'js', '--seed', '3', '--out', 'm.safetensors', '--json');
    assert.equal(r.code, 0, r.err);
    const res = JSON.parse(r.out) as { evalLoss: number; steps: number; seconds: number; vocab: string[] };
    assert.deepEqual(res.vocab, [...'\n .acdeghlmnost']);
    assert.equal(res.steps, 40);
    assert.ok(res.seconds > 0);
    // Better than a uniform guess over 15 characters (ln 15 ≈ 2.71) after 40 updates.
    assert.ok(res.evalLoss > 0 && res.evalLoss < Math.log(15), String(res.evalLoss));
    // Progress: step lines on stderr, the last one the final step.
    const progress = r.err.trimEnd().split('\n');
    assert.ok(progress.length >= 10, r.err);
    assert.match(progress.at(-1)!, /^step 40\/40 {2}loss \d+\.\d{4} {2}\d+\.\d s$/);
    const layers = readCheckpoint(new Uint8Array(readFileSync(join(TMP, 'm.safetensors'))), 'm.safetensors').layers;
    assert.deepEqual(layers.map((l) => [l.cell, l.D, l.H]), [['gru', 6, 12], ['gru', 12, 12]]);
  });

  it('the same seed gives the same loss; without --json one summary line', () => {
    const args = ['train', 'poem.txt', '--hidden', '8', '--layers', '1', '--embedding', '4', '--steps', '10', '--batch', '4', '--bptt', '8', '--backend', 'js', '--out', 'a.safetensors'];
    const a = cliIn(TMP, ...args, '--json');
    const b = cliIn(TMP, ...args, '--json');
    assert.equal(JSON.parse(a.out).evalLoss, JSON.parse(b.out).evalLoss);
    const c = cliIn(TMP, ...args);
    assert.equal(c.code, 0, c.err);
    assert.match(c.out, /^wrote a\.safetensors: lstm, 1×8, 15 characters; 10 steps in \d+\.\d s; \d+\.\d{4} nats per character over the file\n$/);
  });

  it('fails with one line and exit 1: no --out, no file, a bad number, too large a model, too short a text', () => {
    for (const [args, pattern] of [
      [['train', TEXT], /needs --out/],
      [['train', join(TMP, 'none.txt'), '--out', 'x'], /cannot read .*none\.txt: no such file/],
      [['train', TEXT, '--out', 'x', '--steps', '1e3'], /--steps must be an integer from 1 to 1000000, got '1e3'/],
      [['train', TEXT, '--out', 'x', '--hidden', '257'], /--hidden must be an integer from 1 to 256/],
      [['train', TEXT, '--out', 'x', '--layers', '5'], /--layers must be an integer from 1 to 4/],
      [['train', TEXT, '--out', 'x', '--cell', 'tcn'], /--cell must be lstm, gru, rnn/],
      [['train', TEXT, '--out', 'x', '--lr', 'fast'], /--lr must be a number/],
      [['train', TMP, '--out', 'x'], /is a directory/],
      [['train', TEXT, '--out', 'x', '--batch', '512', '--bptt', '100', '--hidden', '8'], /task\.text is too short/],
    ] as const) {
      const r = cli(...args);
      assertOneLineError(r, pattern);
      assert.equal(r.code, 1, args.join(' '));
    }
  });

  it('refuses a file over the size cap', () => {
    const big = join(TMP, 'big.txt');
    writeFileSync(big, 'a'.repeat(4 * 1024 * 1024 + 1));
    const r = cli('train', big, '--out', join(TMP, 'x'));
    assertOneLineError(r, /too large \(4\.0 MiB; at most 4\.0 MiB\)/);
    assert.equal(r.code, 1);
  });

  it('is in the help text', () => {
    assert.match(cli('--help').out, /rnn-lens train FILE --out X\.safetensors \[--cell lstm\|gru\|rnn\]/);
  });
});
