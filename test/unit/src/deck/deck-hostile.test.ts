// Hostile deck files and inputs: each test starts from what an attacker (or an accident) could
// put in a deck, and checks what the user then sees: no link or image made from file text,
// one line per message, a diagnostic instead of a hang. finishesWithin() is a hang guard with
// wide slack (each case took 8 to 31 s before its bound, and takes milliseconds now), not a
// speed target: the bench measures those.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt, { type Token } from 'markdown-it';
import { escapeLinkTitle, escapeMarkdown, escapeNotification, excerpt, oneLine } from '../../../../src/deck/escape';
import { lintDeck } from '../../../../src/deck/lint';
import { MAX_CARD_CHARS, MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS, parseCardFile } from '../../../../src/deck/parse';
import { importSeed } from '../../../../src/deck/seed';
import { readDeckFiles, userDeckPatterns, type DeckFileSystem } from '../../../../src/deck/userDecks';
import { HOVER_COMMANDS, hoverMarkdown, markdownToHoverText, shortAnswer } from '../../../../src/hover/content';
import { keyEquation, texToUnicode } from '../../../../src/hover/equation';
import { card } from './termsFixture';

const TMP = mkdtempSync(join(tmpdir(), 'rnn-lens-hostile-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs fn and fails if it took longer than ms: the run is synchronous, so a test timeout could not stop it. */
function finishesWithin<T>(ms: number, fn: () => T): T {
  const start = performance.now();
  const out = fn();
  const took = performance.now() - start;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (a hang guard at ${ms} ms)`);
  return out;
}

const LINK = '[x](command:workbench.action.terminal.new)';
const IMAGE = '![](https://attacker.example/pixel.png)';

/** A card file with the given front matter lines and body. */
function cardFile(frontMatter: string[], body = '# What is a gate?\n\nA gate scales a signal.\n'): string {
  return ['---', ...frontMatter, '---', body].join('\n');
}
const FM = ['id: a-card', 'level: intermediate', 'kind: concept'];

/** Every link target and image source a Markdown renderer finds in `md`. */
function targets(md: string): { links: string[]; images: string[] } {
  const links: string[] = [];
  const images: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if (t.type === 'link_open') links.push(String(t.attrGet('href') ?? ''));
      if (t.type === 'image') images.push(String(t.attrGet('src') ?? ''));
      if (t.children) walk(t.children);
    }
  };
  walk(new MarkdownIt({ linkify: true }).parse(md, {}));
  return { links, images };
}

describe('the escaping helpers', () => {
  it('escapeMarkdown: a command link, an image and blank lines render as the same text, on one line', () => {
    const text = `${LINK} ${IMAGE}\n\n\n# heading <b>bold</b> &amp; https://x.test`;
    const md = escapeMarkdown(text);
    assert.deepEqual(targets(md), { links: [], images: [] });
    assert.doesNotMatch(md, /\n/);
    // What a reader sees is the text itself, blank lines read as one space.
    const rendered = new MarkdownIt().renderInline(md);
    assert.equal(rendered, oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('escapeNotification breaks `](` with an invisible space so a notification shows no link; excerpt and oneLine bound a value', () => {
    assert.equal(escapeNotification(`see ${LINK}`), 'see [x]\u200b(command:workbench.action.terminal.new)');
    assert.equal(escapeNotification('a\n\nb'), 'a b');
    assert.equal(excerpt('x'.repeat(500), 60).length, 60);
    assert.equal(oneLine('a\r\n\u2028b\u0000c'), 'a b c');
    assert.equal(escapeLinkTitle('say "hi"\\\n'), 'say hi ');
  });
});

describe('text from a card file never becomes markup', () => {
  it('a command link as the card id: the card is left out, the message is one line and holds no link', () => {
    const r = parseCardFile(cardFile([`id: "${LINK}\\n\\nmore"`, 'level: intermediate', 'kind: concept']), 'evil.md');
    assert.equal(r.cards.length, 0);
    const [d] = r.diagnostics;
    assert.match(d.message, /^id '\[x\]\(command:workbench\.action\.terminal\.new\) more' is not kebab-case/);
    assert.doesNotMatch(d.message, /\n/);
    // The Problems panel and the output channel show text; a notification would split the link.
    assert.deepEqual(targets(escapeNotification(d.message)), { links: [], images: [] });
  });

  it('a hover on a term holding a command link, an image and blank lines links only RNN Lens commands', () => {
    const term = `${LINK}\n\n${IMAGE}"`;
    const evil = card('evil', [term], { question: `Why ${LINK}?`, answer: `Because ${IMAGE}\n\nand [y](vscode:extension/x).` });
    const md = hoverMarkdown({ card: evil, term, cardIds: ['evil', 'other'] });
    const { links, images } = targets(md);
    assert.deepEqual(images, []);
    assert.equal(links.length, 3, md);
    for (const href of links) assert.ok(HOVER_COMMANDS.some((c) => href.startsWith(`command:${c}?`)), href);
    // The "+1 more" link carries the term in its arguments and its title, both inert.
    const more = md.match(/\[\+1 more\]\(command:rnnLens\.pickCard\?([^ )]+) "([^"]*)"\)/);
    assert.ok(more, md);
    assert.deepEqual(JSON.parse(decodeURIComponent(more[1])), [{ term, cardIds: ['evil', 'other'] }]);
    assert.equal(more[2], `Other cards about ${oneLine(term).replace(/"/g, '')}`);
    assert.match(md, /\*RNN Lens: \\\[x\\\]\\\(command\\:workbench/);
  });

  it('a key equation spanning blank lines stays inside its code span', () => {
    const evil = card('eq', ['x'], { answer: `So $$a = b\n\n${LINK}\n\n${IMAGE}$$ holds.` });
    const tex = keyEquation(evil) ?? '';
    assert.ok(tex.includes('\n\n'), tex);
    // Through texToUnicode (what the host does), and as raw text (hoverMarkdown's own guard).
    for (const unicode of [texToUnicode(tex), tex]) {
      const md = hoverMarkdown({ card: evil, term: 'x', cardIds: ['eq'], equation: { unicode } });
      assert.deepEqual(targets(md).images, []);
      assert.equal(targets(md).links.filter((href) => !href.startsWith('command:rnnLens.')).length, 0, md);
      assert.match(md, /\n\n`a = b \[x\]\(command:workbench\.action\.terminal\.new\) !\[\]\(https:\/\/attacker\.example\/pixel\.png\)`\n\n/);
    }
  });

  it('a term with blank lines is read as one line', () => {
    const r = parseCardFile(cardFile([...FM, 'terms: ["forget\\n\\n\\n   gate", "input\\tgate"]']), 't.md');
    assert.deepEqual(r.cards[0].terms, ['forget gate', 'input gate']);
  });

  it(`a 50-word term, or one over ${MAX_TERM_CHARS} characters, is ignored with a warning`, () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const long = 'x'.repeat(MAX_TERM_CHARS + 1);
    const six = 'one two three four five six';
    const r = parseCardFile(cardFile([...FM, `terms: [LSTM, "${fifty}", ${long}, ${six}]`]), 't.md');
    assert.deepEqual(r.cards[0].terms, ['LSTM', six]);
    const warnings = r.diagnostics.map((d) => `${d.severity} ${d.line}:${d.column} ${d.message}`);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], new RegExp(`^warning 5:\\d+ term 'w0 w1 .*…' is too long \\(50 words, \\d+ characters; at most ${MAX_TERM_WORDS} words and ${MAX_TERM_CHARS} characters\\): it is ignored$`));
    assert.match(warnings[1], /term 'x+…' is too long \(1 word, 65 characters/);
  });
});

describe('bounded work on hostile cards', () => {
  it(`a card claims at most ${MAX_TERMS} terms; the rest are ignored with one warning`, () => {
    const terms = Array.from({ length: 5000 }, (_, i) => `term${i}`);
    const r = parseCardFile(cardFile([...FM, `terms: [${terms.join(', ')}]`]), 't.md');
    assert.deepEqual(r.cards[0].terms, terms.slice(0, MAX_TERMS));
    assert.deepEqual(r.diagnostics.map((d) => d.message), [`too many terms (5000; a card claims at most ${MAX_TERMS}): the rest are ignored`]);
  });

  it('a 240 KB card: the hover short answer reads only what it shows', () => {
    // One paragraph of abbreviations, dollars and backticks: the shape that made the old
    // sentence splitter quadratic (31 s per hover).
    const answer = 'Gates, e.g. `f $x` and, i.e. $a. B$ too. '.repeat(6000);
    assert.ok(answer.length > 240_000);
    const evil = card('big', ['big'], { question: `${'Why '.repeat(60_000)}?`, answer });
    const md = finishesWithin(2000, () => {
      for (let i = 0; i < 20; i++) shortAnswer(evil.answer);
      return hoverMarkdown({ card: evil, term: 'big', cardIds: ['big'] });
    });
    const [title, short] = md.split('\n\n');
    assert.ok(title.length < 600, `title ${title.length}`);
    assert.match(short, /^Gates, e\\\.g\\\. `f \$x` and, i\\\.e\\\. a\\\. B too\\\. Gates/);
    assert.ok(short.length < 700, `short answer ${short.length}`);
    assert.ok(markdownToHoverText(evil.question).endsWith('…'));
  });

  it('a 1 MB formula card is left out for its size before any formula is drawn', () => {
    const text = cardFile(FM, `# Q?\n\n$$${'x+'.repeat(512 * 1024)}x$$\n`);
    const r = finishesWithin(2000, () => lintDeck([{ path: 'big.md', text }]));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`), [
      `big.md:1:1: card file is too large (${Math.ceil(text.length / 1024)} KiB; at most ${MAX_CARD_CHARS / 1024} KiB): it is left out`,
    ]);
  });

  it('a 50 KB formula, too many formulas or too much math, within the size cap: an error, and KaTeX never runs', () => {
    const long = finishesWithin(2000, () => parseCardFile(cardFile(FM, `# Q?\n\nSee $${'x+'.repeat(25_000)}x$ and\n\n$$\n${'y+'.repeat(25_000)}y\n$$\n`), 'long.md'));
    assert.equal(long.cards.length, 0);
    assert.deepEqual(long.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`), [
      `8:5 formula is too long (50001 characters; at most ${MAX_FORMULA_CHARS})`,
      `10:1 formula is too long (50001 characters; at most ${MAX_FORMULA_CHARS})`,
    ]);
    const many = parseCardFile(cardFile(FM, `# Q?\n\n${'$\\frac{a}{b}$ '.repeat(MAX_FORMULAS + 1)}\n`), 'many.md');
    assert.equal(many.cards.length, 0);
    assert.match(many.diagnostics[0].message, new RegExp(`^too many formulas \\(${MAX_FORMULAS + 1}; a card holds at most ${MAX_FORMULAS}\\)`));
    const f1900 = `${'x+'.repeat(949)}x`;
    const much = finishesWithin(2000, () => parseCardFile(cardFile(FM, `# Q?\n\n${`$${f1900}$ `.repeat(11)}\n`), 'much.md'));
    assert.deepEqual(much.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`), [
      // The first formula past the total is reported; each one takes 1,902 columns with its `$ $ `.
      `8:${Math.floor(MAX_FORMULA_TOTAL_CHARS / 1899) * 1902 + 1} too much math (${11 * 1899} characters of formulas; a card holds at most ${MAX_FORMULA_TOTAL_CHARS}): split the card`,
    ]);
    const enough = parseCardFile(cardFile(FM, `# Q?\n\n${'$\\frac{a}{b}$ '.repeat(MAX_FORMULAS)}\n`), 'ok.md');
    assert.equal(enough.cards.length, 1, JSON.stringify(enough.diagnostics));
  });

  it('20,000 copies of one question in a seed file: 20,000 cards with distinct ids', () => {
    const seed = 'What is an LSTM?\nA gated RNN.\n#lstm\nIntermediateconcept\n'.repeat(20_000);
    const r = finishesWithin(5000, () => importSeed(seed, 'dup.txt'));
    assert.equal(r.cards.length, 20_000);
    assert.equal(new Set(r.cards.map((c) => c.id)).size, 20_000);
    assert.deepEqual(r.cards.slice(0, 3).map((c) => c.id), ['lstm', 'lstm-2', 'lstm-3']);
    assert.equal(r.cards[19_999].id, 'lstm-20000');
  });

  it('ids that collide with earlier suffixes still come out distinct', () => {
    const seed = ['LSTM 2?', 'a', 'LSTM?', 'b', 'LSTM?', 'c', 'LSTM 2?', 'd'].join('\n');
    assert.deepEqual(importSeed(seed, 's.txt').cards.map((c) => c.id), ['lstm-2', 'lstm', 'lstm-3', 'lstm-2-2']);
  });
});

describe('the deck service reads user decks (through DeckFileSystem)', () => {
  /** Node's fs behind the interface the host fills with vscode.workspace.fs. */
  const nodeFs: DeckFileSystem<string> = {
    stat: async (p) => {
      const st = statSync(p);
      return { file: st.isFile(), size: st.size };
    },
    read: async (p) => readFileSync(p),
    name: (p) => p.slice(TMP.length + 1),
  };

  it('an oversized card file is left out with a Problems entry; the others load', async () => {
    const good = join(TMP, 'good.md');
    const big = join(TMP, 'big.md');
    writeFileSync(good, cardFile(FM));
    writeFileSync(big, cardFile(['id: big', 'level: advanced', 'kind: math'], `# Q?\n\n${'A long answer. '.repeat(20_000)}\n`));
    const { files, problems } = await readDeckFiles([good, big], nodeFs);
    assert.deepEqual(files.map((f) => f.path), ['good.md']);
    assert.deepEqual(problems, [{
      file: 'big.md', line: 1, column: 1, severity: 'error',
      message: `card file is too large (${Math.ceil(statSync(big).size / 1024)} KiB; at most 128 KiB): it is left out`,
    }]);
    assert.equal(lintDeck(files).cards.length, 1);
  });

  it('a symlink to /dev/zero, a folder and a missing file are reported, never read', async () => {
    const zero = join(TMP, 'zero.md');
    symlinkSync('/dev/zero', zero);
    const { files, problems } = await readDeckFiles([zero, TMP, join(TMP, 'gone.md')], nodeFs);
    assert.deepEqual(files, []);
    assert.deepEqual(problems.map((p) => `${p.file}: ${p.message}`.replace(/: ENOENT.*/, ': ENOENT')), [
      'zero.md: deck file is not a regular file: it is left out',
      ': deck file is not a regular file: it is left out',
      'gone.md: cannot read deck file: ENOENT',
    ]);
  });

  it('Restricted Mode: no user deck globs until the workspace is trusted', () => {
    const setting = ['decks/**/*.md', '', 7, '  '];
    assert.deepEqual(userDeckPatterns(setting, false), []);
    assert.deepEqual(userDeckPatterns(setting, true), ['decks/**/*.md']);
    assert.deepEqual(userDeckPatterns('decks/*.md', true), []);
  });
});
