// Shared by the deck tests: where the repository and the seed deck are, whatever folder the
// bundled test file runs from (out/test/unit/ under `npm test`, out/tmp/ for a quick run).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../../fixtures/repoRoot';

export const ROOT = findRepoRoot(__dirname);
export const SEED_PATH = join(ROOT, 'test', 'fixtures', 'seed', 'rnn-cards.txt');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'deck');
export const CARDS_DIR = join(ROOT, 'cards');

export const readSeed = (): string => readFileSync(SEED_PATH, 'utf8');
export const readFixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The bundled deck's files as lintDeck takes them, paths as the build writes them. */
export function cardFiles(): { path: string; text: string }[] {
  return readdirSync(CARDS_DIR)
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => ({ path: `cards/${n}`, text: readFileSync(join(CARDS_DIR, n), 'utf8') }));
}

/** The seed file's lines, as the format defines them (no line end, no trailing blanks). */
export function seedLines(): string[] {
  return readSeed().split(/\r?\n/).map((l) => l.trimEnd());
}
