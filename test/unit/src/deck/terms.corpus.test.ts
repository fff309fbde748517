// The matcher with the shipped deck against the hand-labelled corpus (test/fixtures/corpus/):
// the matcher meets its precision and recall targets, and no labelled tempting non-term gets a hover.
// `node bench/hover.mjs` prints the same numbers per file, with latency.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildBundledDeck } from '../../../../build/buildDeck';
import { buildTermIndex } from '../../../../src/deck/terms';
import { corpusFiles, scoreCorpus } from '../../../fixtures/corpus/evaluate';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);

describe('matcher quality on the labelled corpus', () => {
  const { bundle } = buildBundledDeck(root);
  const score = scoreCorpus(buildTermIndex(bundle.cards), join(root, 'test', 'fixtures', 'corpus'));

  it('has a corpus in several languages, with tempting non-terms', () => {
    const files = corpusFiles(join(root, 'test', 'fixtures', 'corpus'));
    for (const ext of ['.py', '.ts', '.cpp', '.jl', '.md', '.c', '.tsx']) assert.ok(files.some((f) => f.endsWith(ext)), ext);
    assert.ok(score.negatives >= 50, `${score.negatives} labelled non-terms`);
  });

  it('labels point at the text they name', () => {
    assert.deepEqual(score.files.flatMap((f) => f.badLabels), []);
  });

  it('reaches precision >= 0.97 and recall >= 0.95', () => {
    const detail = score.files.flatMap((f) => [
      ...f.falsePositives.map((p) => `false positive ${f.file}:${p.line}:${p.column} ${p.term} -> ${p.cardId}`),
      ...f.falseNegatives.map((n) => `missed ${f.file}:${n.line}:${n.column} ${n.text}`),
    ]).join('\n');
    assert.ok(score.precision >= 0.97, `precision ${score.precision.toFixed(3)}\n${detail}`);
    assert.ok(score.recall >= 0.95, `recall ${score.recall.toFixed(3)}\n${detail}`);
  });

  it('shows nothing on any labelled tempting non-term', () => {
    const hit = score.files.flatMap((f) => f.falsePositives.filter((p) => p.negative).map((p) => `${f.file}:${p.line}:${p.column} ${p.term}`));
    assert.deepEqual(hit, []);
  });

  it('shows nothing at all in files that are not about RNNs', () => {
    for (const f of score.files.filter((s) => ['react_spreadsheet.tsx', 'logic_gates.c', 'transformer_block.py'].includes(s.file))) {
      assert.equal(f.predicted, 0, `${f.file}: ${f.falsePositives.map((p) => p.term).join(', ')}`);
    }
  });
});
