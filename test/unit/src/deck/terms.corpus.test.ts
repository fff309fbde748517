// The matcher with the shipped deck against the hand-labelled corpus (test/fixtures/corpus/):
// the matcher meets its precision and recall targets, and no labelled tempting non-term gets a hover.
// `node bench/hover.mjs` prints the same numbers per file, with latency.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundledDeck } from '../../../../build/buildDeck';
import { buildTermIndex } from '../../../../src/deck/terms';
import { corpusFiles, scoreByLanguage, scoreCorpus, type CorpusScore } from '../../../fixtures/corpus/evaluate';
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

// The public corpus: excerpts of code nobody on the project wrote (test/fixtures/corpus-public/,
// with SOURCES.json), split before scoring into tune/ (the matcher was tuned on it) and heldout/
// (scored only). Tune holds the targets in total and per language; held-out holds them per language
// and, in total, what the matcher reached on it.
describe('matcher quality on public code', () => {
  const { bundle } = buildBundledDeck(root);
  const index = buildTermIndex(bundle.cards);
  const dir = join(root, 'test', 'fixtures', 'corpus-public');
  const tune = scoreCorpus(index, join(dir, 'tune'));
  const heldout = scoreCorpus(index, join(dir, 'heldout'));
  const detail = (score: typeof tune) => score.files.flatMap((f) => [
    ...f.falsePositives.map((p) => `false positive ${f.file}:${p.line}:${p.column} ${p.term} -> ${p.cardId}`),
    ...f.falseNegatives.map((n) => `missed ${f.file}:${n.line}:${n.column} ${n.text}`),
  ]).join('\n');

  it('has at least 40 labelled public files in every language the hover claims, each with its source', () => {
    const sources = (JSON.parse(readFileSync(join(dir, 'SOURCES.json'), 'utf8')) as { files: { file: string; repo: string; path: string; commit: string; language: string }[] }).files;
    const files = [...corpusFiles(join(dir, 'tune')).map((f) => `tune/${f}`), ...corpusFiles(join(dir, 'heldout')).map((f) => `heldout/${f}`)];
    assert.ok(files.length >= 40, `${files.length} files`);
    assert.deepEqual(files.sort(), sources.map((s) => s.file).sort());
    for (const s of sources) assert.match(s.commit, /^[0-9a-f]{40}$/, s.file);
    assert.ok(new Set(sources.map((s) => s.repo)).size >= 25, 'varied repositories');
    for (const language of ['python', 'notebook', 'c-cpp', 'rust', 'r', 'julia', 'js-ts', 'markdown']) {
      assert.ok(sources.some((s) => s.language === language && s.file.startsWith('tune/')), `tune: ${language}`);
    }
    assert.ok(tune.negatives + heldout.negatives >= 300, 'tempting non-terms');
  });

  it('labels point at the text they name', () => {
    assert.deepEqual([...tune.files, ...heldout.files].flatMap((f) => f.badLabels), []);
  });

  it('reaches precision >= 0.97 and recall >= 0.95 on the tuning half', () => {
    assert.ok(tune.precision >= 0.97, `precision ${tune.precision.toFixed(3)}\n${detail(tune)}`);
    assert.ok(tune.recall >= 0.95, `recall ${tune.recall.toFixed(3)}\n${detail(tune)}`);
  });

  // Per language: a language's few terms must not hide among another's many. Languages with
  // fewer than 10 labelled terms on a half are too small to score there (Markdown on held-out).
  // C/C++/CUDA is below the target on both halves: a known gap, held at what it reached (it is
  // not tuned to its held-out half), and named here so that closing it changes this test.
  const BELOW_TARGET: Record<string, { tune: [number, number]; heldout: [number, number] }> = {
    'C/C++/CUDA': { tune: [0.95, 0.93], heldout: [0.94, 0.94] },
  };
  const measured = (score: CorpusScore) => scoreByLanguage(score).filter((l) => l.expected >= 10);
  const shortfalls = (score: CorpusScore) => measured(score)
    .filter((l) => !BELOW_TARGET[l.language] && (l.precision < 0.97 || l.recall < 0.95))
    .map((l) => `${l.language}: precision ${l.precision.toFixed(3)}, recall ${l.recall.toFixed(3)}`);

  it('scores every language the hover claims with at least 10 labelled terms (Markdown on held-out too few)', () => {
    assert.deepEqual(measured(tune).map((l) => l.language).sort(), ['C/C++/CUDA', 'JS/TS', 'Julia', 'Markdown', 'Python', 'R', 'Rust']);
    assert.deepEqual(measured(heldout).map((l) => l.language).sort(), ['C/C++/CUDA', 'JS/TS', 'Julia', 'Python', 'R', 'Rust']);
  });

  it('reaches precision >= 0.97 and recall >= 0.95 in every language on the tuning half, but the known gap', () => {
    assert.deepEqual(shortfalls(tune), [], detail(tune));
  });

  it('reaches precision >= 0.97 and recall >= 0.95 in every language on the held-out half, but the known gap', () => {
    assert.deepEqual(shortfalls(heldout), [], detail(heldout));
  });

  it('holds the known gap at what it reached (C/C++/CUDA: tune 0.957 / 0.936, held-out 0.944 / 0.944)', () => {
    for (const [language, bound] of Object.entries(BELOW_TARGET)) {
      for (const [half, score] of [['tune', tune], ['heldout', heldout]] as const) {
        const l = measured(score).find((x) => x.language === language);
        assert.ok(l, `${language} is scored on ${half}`);
        assert.ok(l.precision >= bound[half][0] && l.recall >= bound[half][1], `${language} on ${half}: precision ${l.precision.toFixed(3)}, recall ${l.recall.toFixed(3)}`);
      }
    }
  });

  it('holds what it reached on the held-out half (precision >= 0.975, recall >= 0.965)', () => {
    assert.ok(heldout.precision >= 0.975, `precision ${heldout.precision.toFixed(3)}\n${detail(heldout)}`);
    assert.ok(heldout.recall >= 0.965, `recall ${heldout.recall.toFixed(3)}\n${detail(heldout)}`);
  });
});
