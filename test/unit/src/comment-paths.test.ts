// Comments that name a file of the repository name one that exists: a file that moved leaves
// no comment pointing at its old place, and no comment points outside the repository.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findRepoRoot } from '../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const trackedSet = new Set(tracked);
const trackedNames = new Set(tracked.map((f) => basename(f)));

/** Source files whose comments are checked (fixtures quote other projects' text as data). */
const SOURCES = tracked.filter((f) => /\.(ts|mjs|wat|py|sh)$/.test(f) && !f.startsWith('test/fixtures/'));
/** Folders of the repository; a path under one of them, not preceded by `/` or a word, is a repository path. */
const TOP = ['src', 'webview', 'test', 'bench', 'scripts', 'docs', 'cards', 'examples', 'media'];
const PATH = new RegExp(String.raw`(?<![\w./-])(?:${TOP.join('|')})/[\w./-]*\w\.(?:ts|mjs|md|json|wat|py|sh|ipynb|css)\b`, 'g');
/** A bare module file name such as `reviewStore.ts`. */
const NAME = /(?<![\w./-])[a-z]\w*\.(?:ts|mjs)\b/g;
/** Files the tools write (git ignores them), named where they are written. */
const GENERATED = /^bench\/[\w-]+\.json$/;

/** The comment text of a source file, line by line (line comments, block comments, `;;` in wat, `#` in py/sh). */
function comments(file: string, text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const marker = /\.(py|sh)$/.test(file) ? /#(.*)$/ : file.endsWith('.wat') ? /;;(.*)$/ : /(?:\/\/|\/\*\*?|^\s*\*)(.*)$/;
  text.split('\n').forEach((l, i) => {
    const m = marker.exec(l);
    if (m) out.push({ line: i + 1, text: m[1] });
  });
  return out;
}

describe('paths named in comments', () => {
  it('every repository path a comment names exists', () => {
    const missing: string[] = [];
    for (const file of SOURCES) {
      for (const c of comments(file, readFileSync(join(root, file), 'utf8'))) {
        for (const [p] of c.text.matchAll(PATH)) {
          if (!trackedSet.has(p) && !GENERATED.test(p)) missing.push(`${file}:${c.line}: ${p}`);
        }
        for (const [n] of c.text.matchAll(NAME)) {
          if (!trackedNames.has(n)) missing.push(`${file}:${c.line}: ${n}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('no comment points outside the repository', () => {
    const outside = SOURCES.flatMap((file) => comments(file, readFileSync(join(root, file), 'utf8'))
      .filter((c) => /\.\.\/shared|\bARCHITECTURE\.md|\bE2E\.md/.test(c.text) && !/docs\/\w+\.md/.test(c.text))
      .map((c) => `${file}:${c.line}`));
    assert.deepEqual(outside, []);
  });
});
