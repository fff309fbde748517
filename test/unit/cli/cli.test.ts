// The `rnn-lens` command line as a user runs it: `node dist/cli.js ...` (built by esbuild.mjs,
// which `npm test` runs before the unit suite).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli, cliIn } from './cliTestUtil';
import { readSeed, ROOT, SEED_PATH, seedLines } from '../src/deck/deckTestUtil';

const TMP = mkdtempSync(join(tmpdir(), 'rnn-lens-cli-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** The bundled decks' card count: cards/*.md and cards/practice/*.md. */
const BUNDLED_CARDS = ['cards', 'cards/practice'].reduce((n, d) => n + readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.md')).length, 0);

describe('rnn-lens lint', () => {
  it('the bundled deck: exit 0, 13 cards', () => {
    const r = cli('lint', 'cards');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '13 cards, 0 errors, 0 warnings\n');
  });

  it('lints both bundled decks, cards/ and cards/practice/, when given no path', () => {
    const r = cli('lint');
    assert.equal(r.code, 0, r.out);
    assert.ok(BUNDLED_CARDS >= 33, `${BUNDLED_CARDS} bundled cards`);
    assert.equal(r.out, `${BUNDLED_CARDS} cards, 0 errors, 0 warnings\n`);
  });

  it("holds the bundled decks to their 'source' rule; folders named by hand are user decks", () => {
    const dir = join(TMP, 'source-rule');
    mkdirSync(join(dir, 'cards', 'practice'), { recursive: true });
    const card = (id: string, source?: string) =>
      `---\nid: ${id}\nlevel: intermediate\nkind: concept\n${source === undefined ? '' : `source: ${source}\n`}---\n# Question ${id}?\n\nAnswer.\n`;
    writeFileSync(join(dir, 'cards', 'seed-card.md'), card('seed-card', 'seed'));
    writeFileSync(join(dir, 'cards', 'no-source.md'), card('no-source'));
    writeFileSync(join(dir, 'cards', 'practice', 'cited.md'), card('cited', 'https://pytorch.org/docs/2.5/generated/torch.nn.LSTM.html (PyTorch 2.5)'));
    writeFileSync(join(dir, 'cards', 'practice', 'seeded.md'), card('seeded', 'seed'));
    writeFileSync(join(dir, 'cards', 'practice', 'bare-url.md'), card('bare-url', 'https://keras.io/api/layers/recurrent_layers/lstm/'));
    writeFileSync(join(dir, 'cards', 'practice', 'ftp.md'), card('ftp', 'ftp://example.org/doc (v1)'));
    const r = cliIn(dir, 'lint');
    assert.equal(r.code, 1, r.out + r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/: (error|warning): .*/, ': $1')), [
      'cards/no-source.md:1:1: error',
      'cards/practice/bare-url.md:5:9: error',
      'cards/practice/ftp.md:5:9: error',
      'cards/practice/seeded.md:5:9: error',
      '2 cards, 4 errors, 0 warnings (4 files left out)',
    ]);
    assert.match(lines[0], /missing 'source'/);
    assert.match(lines[1], /source 'https:\/\/keras\.io\/api\/layers\/recurrent_layers\/lstm\/' should be an http\(s\) URL and the version in parentheses/);
    assert.doesNotMatch(lines[3], /or 'seed'/, "the practice deck does not take 'seed'");
    // The same folder named on the command line is a user deck: source optional, malformed only a warning.
    const user = cliIn(dir, 'lint', 'cards/practice');
    assert.equal(user.code, 0, user.out);
    assert.match(user.out, /^cards\/practice\/bare-url\.md:5:9: warning: source /m);
    assert.match(user.out, /^cards\/practice\/ftp\.md:5:9: warning: source /m);
    assert.match(user.out, /4 cards, 0 errors, 2 warnings\n$/);
  });

  const broken: [string, string][] = [
    ['bad-front-matter.md', ':5:26: error: front matter is not valid YAML'],
    ['unknown-level.md', ":3:8: error: unknown level 'expertish'"],
    ['broken-formula.md', ':9:80: error: formula KaTeX cannot render'],
    ['no-question.md', ':6:1: error: no question heading'],
  ];
  for (const [file, expected] of broken) {
    it(`${file}: exit 1, naming file:line:col`, () => {
      const r = cli('lint', `test/fixtures/deck/${file}`);
      assert.equal(r.code, 1);
      const [first, summary] = r.out.trimEnd().split('\n');
      assert.ok(first.startsWith(`test/fixtures/deck/${file}${expected}`), first);
      assert.equal(summary, '0 cards, 1 error, 0 warnings (1 file left out)');
    });
  }

  it('a folder with good and broken cards: the errors and a summary', () => {
    const r = cli('lint', 'test/fixtures/deck');
    assert.equal(r.code, 1);
    assert.match(r.out, /^1 card, 4 errors, 0 warnings \(4 files left out\)$/m);
  });

  it('a missing path: one-line error, exit 2', () => {
    const r = cli('lint', 'no/such/dir');
    assert.equal(r.code, 2);
    assertOneLineError(r, /cannot read no\/such\/dir: no such file or directory/);
  });
});

describe('rnn-lens reads regular files only, within a size cap', () => {
  it('a card that is a symlink to /dev/zero: one-line error, exit 2', () => {
    const dir = join(TMP, 'zero-deck');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.md'), readFileSync(join(ROOT, 'test/fixtures/deck/good-card.md')));
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const r = cli('lint', dir);
    assert.equal(r.code, 2);
    assertOneLineError(r, /^rnn-lens: cannot read .*zero\.md: not a regular file \(a device, pipe or socket\)$/);
    assertOneLineError(cli('lint', join(dir, 'zero.md')), /not a regular file/);
    assertOneLineError(cli('import', join(dir, 'zero.md'), '--json'), /not a regular file/);
    assertOneLineError(cli('terms', join(dir, 'zero.md')), /not a regular file/);
  });

  it('an oversized card file is left out with a diagnostic; the rest of the deck is linted', () => {
    const dir = join(TMP, 'big-deck');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.md'), readFileSync(join(ROOT, 'test/fixtures/deck/good-card.md')));
    writeFileSync(join(dir, 'b.md'), `---\nid: b\nlevel: advanced\nkind: math\n---\n# Q?\n\n${'x'.repeat(300 * 1024)}\n`);
    const r = cli('lint', dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.equal(r.out, `${dir}/b.md:1:1: error: card file is too large (301 KiB; at most 128 KiB): it is left out\n1 card, 1 error, 0 warnings (1 file left out)\n`);
  });

  it('a file name with a line break still prints one line per diagnostic', () => {
    const dir = join(TMP, 'odd-names');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x\n\n[y](command:z).md'), 'no front matter');
    const r = cli('lint', dir);
    assert.equal(r.code, 1);
    assert.equal(r.out.trimEnd().split('\n').length, 2, r.out);
    assert.match(r.out, /x \[y\]\(command:z\)\.md:1:1: error: no front matter/);
  });
});

describe('rnn-lens import', () => {
  it('--json prints the 13 seed cards and warns about the three without metadata', () => {
    const r = cli('import', SEED_PATH, '--json');
    assert.equal(r.code, 0, r.err);
    const cards = JSON.parse(r.out) as { id: string; question: string; answer: string; tags: string[]; level: string | null; kind: string | null }[];
    assert.equal(cards.length, 13);
    const lines = seedLines();
    for (const c of cards) {
      const i = lines.indexOf(c.question);
      assert.ok(i >= 0);
      assert.equal(lines[i + 1], c.answer);
      assert.deepEqual(Object.keys(c), ['id', 'question', 'answer', 'tags', 'level', 'kind']);
    }
    assert.deepEqual(cards.filter((c) => c.level === null).map((c) => c.question.slice(0, 20)), [
      'Derive why vanilla R', 'What is teacher forc', 'Speech-recognition s',
    ]);
    const warnings = r.err.trimEnd().split('\n');
    assert.equal(warnings.length, 3);
    assert.deepEqual(warnings.map((w) => /:(\d+):1: warning: /.exec(w)?.[1]), ['29', '31', '45']);
  });

  it('the same cards from a CRLF, BOM, trailing-space, blank-line copy of the seed', () => {
    const variant = join(TMP, 'seed-variant.txt');
    writeFileSync(variant, `\uFEFF${readSeed().split('\n').map((l) => `${l}  `).join('\r\n\r\n')}`);
    const a = JSON.parse(cli('import', SEED_PATH, '--json').out) as unknown;
    const r = cli('import', variant, '--json');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), a);
    assert.equal(r.err.trimEnd().split('\n').length, 3);
  });

  it('--out writes one card file per card, which lint accepts; existing files are kept', () => {
    const dir = join(TMP, 'imported');
    const r = cli('import', SEED_PATH, '--out', dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /wrote 13 cards to /);
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.md')).length, 13);
    const lint = cli('lint', dir);
    assert.equal(lint.code, 0, lint.out);
    assert.match(lint.out, /^13 cards, 0 errors, 0 warnings$/m);
    const again = cli('import', SEED_PATH, '--out', dir);
    assert.equal(again.code, 0);
    assert.match(again.err, /exists, not overwritten \(pass --force to overwrite\)/);
    assert.match(again.err, /wrote 0 cards/);
  });

  it('without --json or --out: says what to do', () => {
    assertOneLineError(cli('import', SEED_PATH), /--json prints them, --out DIR writes/);
  });

  it('a missing file, a bad option, no file', () => {
    assertOneLineError(cli('import', 'nope.txt', '--json'), /cannot read nope\.txt: no such file or directory/);
    assertOneLineError(cli('import', SEED_PATH, '--jsn'), /unknown option '--jsn'/);
    assertOneLineError(cli('import', '--json'), /import needs a seed file/);
    assertOneLineError(cli('import', SEED_PATH, '--out'), /--out needs a value/);
  });
});

describe('rnn-lens export --anki', () => {
  it('writes a TSV Anki imports: header lines and one note of 4 fields per bundled card', () => {
    const out = join(TMP, 'deck.tsv');
    const r = cli('export', '--anki', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`exported ${BUNDLED_CARDS} cards to `));
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 6), ['#separator:tab', '#html:true', '#guid column:1', '#notetype:Basic', '#deck:RNN Lens', '#tags column:4']);
    assert.equal(lines.length, 6 + BUNDLED_CARDS);
    for (const l of lines.slice(6)) assert.equal(l.split('\t').length, 4);
    assert.ok(lines.some((l) => l.includes('\\(c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t\\)')));
  });

  it('--deck names the Anki deck; the GUIDs do not change with it', () => {
    const a = join(TMP, 'a.tsv');
    const b = join(TMP, 'b.tsv');
    assert.equal(cli('export', '--anki', a).code, 0);
    assert.equal(cli('export', '--anki', b, '--deck', 'ML::Recurrent nets').code, 0);
    const [la, lb] = [a, b].map((f) => readFileSync(f, 'utf8').trimEnd().split('\n'));
    assert.equal(lb[4], '#deck:ML::Recurrent nets');
    const guids = (lines: string[]) => lines.slice(6).map((l) => l.split('\t')[0]);
    assert.deepEqual(guids(lb), guids(la));
    assert.equal(new Set(guids(la)).size, BUNDLED_CARDS);
    assertOneLineError(cli('export', '--anki', b, '--deck', ''), /--deck needs a value/);
  });

  it('refuses a deck with errors', () => {
    const out = join(TMP, 'broken.tsv');
    const r = cli('export', '--anki', out, 'test/fixtures/deck');
    assert.equal(r.code, 1);
    assert.match(r.err, /^rnn-lens: not exported: the deck has 4 errors/m);
    assert.equal(existsSync(out), false);
  });

  it('needs --anki FILE', () => {
    assertOneLineError(cli('export'), /export --anki FILE\.tsv/);
    assertOneLineError(cli('export', '--csv', 'x'), /unknown option '--csv'/);
  });
});

describe('rnn-lens terms', () => {
  it('lists the terms of a source file with their cards', () => {
    const src = join(TMP, 'model.py');
    writeFileSync(src, [
      'import torch.nn as nn',
      'class Tagger(nn.Module):',
      '    def __init__(self):',
      '        self.rnn = nn.LSTM(32, hidden_size=64, bidirectional=True)',
      '        self.loss = nn.CTCLoss(blank=0)',
      '',
    ].join('\n'));
    const r = cli('terms', src);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trimEnd().split('\n');
    assert.ok(rows.includes('4:20  nn.LSTM  lstm-gates'), r.out);
    assert.ok(rows.includes('4:32  hidden_size  vanilla-rnn'), r.out);
    assert.ok(rows.includes('4:48  bidirectional  bidirectional-rnn'), r.out);
    assert.ok(rows.includes('5:21  nn.CTCLoss  ctc'), r.out);
    for (const row of rows) assert.match(row, /^\d+:\d+ {2}\S.* {2}[a-z0-9-]+$/);
  });

  it('lists the terms of the first MAX_SCAN_CHARS characters of a longer file, and says so in one line', () => {
    const src = join(TMP, 'huge.py');
    const filler = 'x = 1  # nothing to see here\n'.repeat(Math.ceil(1_000_000 / 29));
    writeFileSync(src, `h = nn.LSTM(8, 16)\n${filler}g = nn.GRU(8, 16)\n`);
    const r = cli('terms', src);
    assert.equal(r.code, 0, r.err);
    // The GRU on the last line lies past the limit.
    assert.equal(r.out, '1:5  nn.LSTM  lstm-gates\n');
    assert.match(r.err, /^rnn-lens: \S+huge\.py is longer than 1,000,000 characters; listed the terms of its first 99\d,\d{3}\n$/);
  });

  it('a missing file or no file', () => {
    assertOneLineError(cli('terms', 'nope.py'), /cannot read nope\.py/);
    assertOneLineError(cli('terms'), /terms needs a source file/);
  });
});

describe('rnn-lens, the rest', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = cli('--version');
    assert.equal(r.code, 0);
    assert.equal(r.out, `${version}\n`);
  });

  it('--help prints the usage', () => {
    const r = cli('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /rnn-lens lint \[paths\.\.\.\]/);
    assert.match(r.out, /rnn-lens import FILE/);
    assert.match(r.out, /rnn-lens export --anki FILE\.tsv/);
    assert.match(r.out, /rnn-lens terms FILE/);
  });

  it('no command: usage on stderr, exit 2', () => {
    const r = cli();
    assert.equal(r.code, 2);
    assert.match(r.err, /Usage:/);
  });

  it('an unknown command: one-line error', () => {
    assertOneLineError(cli('frobnicate'), /unknown command 'frobnicate'/);
  });
});
