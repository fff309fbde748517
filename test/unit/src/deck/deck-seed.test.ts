// The seed text-format importer, on the real seed file and on every variant of it the format
// promises to tolerate; and seed card -> Markdown card -> parsed card.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCardFile } from '../../../../src/deck/parse';
import { idFromQuestion, importSeed, toMarkdown, type SeedCard } from '../../../../src/deck/seed';
import { readSeed, seedLines } from './deckTestUtil';

const SEED = readSeed();
const real = importSeed(SEED, 'rnn-cards.txt');
/** The cards without their line numbers (which formatting variants may move). */
const content = (cards: SeedCard[]) => cards.map(({ line: _line, ...rest }) => rest);

/** Seed lines as (index, text), for looking up what the file says. */
const LINES = seedLines();
const lineOf = (text: string) => LINES.indexOf(text) + 1;

describe('importSeed: the real seed file', () => {
  it('finds the 13 cards', () => {
    assert.equal(real.cards.length, 13);
  });

  it('copies every question and answer verbatim: the line after a question is its answer', () => {
    for (const c of real.cards) {
      assert.equal(LINES[c.line - 1], c.question, `question at line ${c.line}`);
      assert.equal(LINES[c.line], c.answer, `answer of the card at line ${c.line}`);
    }
    // Every non-metadata line of the file is some card's question or answer.
    const used = new Set(real.cards.flatMap((c) => [c.question, c.answer]));
    const text = LINES.filter((l) => l && !l.startsWith('#') && !/^(Foundational|Intermediate|Advanced|Expert)[a-z-]+$/.test(l));
    assert.deepEqual(text.filter((l) => !used.has(l)), []);
  });

  it("gives each card the tags and level/kind lines that follow it, and only those", () => {
    for (const c of real.cards) {
      const tagsLine = LINES[c.line + 1];
      const levelLine = LINES[c.line + 2];
      if (tagsLine?.startsWith('#')) {
        assert.deepEqual(c.tags, tagsLine.split('#').filter(Boolean), `tags of line ${c.line}`);
        const m = /^(Foundational|Intermediate|Advanced|Expert)(.+)$/.exec(levelLine);
        assert.ok(m, `level line after line ${c.line}`);
        assert.equal(c.level, m[1].toLowerCase());
        assert.equal(c.kind, m[2]);
      } else {
        assert.deepEqual(c.tags, []);
        assert.equal(c.level, null);
        assert.equal(c.kind, null);
      }
    }
  });

  it('spot checks: the seed says so', () => {
    const byStart = (s: string) => real.cards.find((c) => c.question.startsWith(s));
    assert.deepEqual(
      [byStart('What is a vanilla')?.level, byStart('What is a vanilla')?.kind],
      ['foundational', 'concept'],
    );
    assert.equal(byStart('How does a GRU')?.kind, 'system-design');
    assert.equal(byStart('Initializing $W_{hh}$')?.kind, 'cert');
    assert.deepEqual(byStart('What problem does Connectionist')?.tags, ['ctc', 'alignment', 'blank-token', 'forward-backward']);
    // The two cards after metadata-less cards keep their own metadata, nothing shifted.
    assert.equal(byStart('What is teacher forcing')?.level, null);
    assert.equal(byStart('What problem does Connectionist')?.level, 'advanced');
  });

  it('warns about the three cards without metadata, at their lines', () => {
    assert.deepEqual(
      real.diagnostics.map((d) => [d.line, d.severity]),
      [
        [lineOf(real.cards[7].question), 'warning'],
        [lineOf(real.cards[8].question), 'warning'],
        [lineOf(real.cards[12].question), 'warning'],
      ],
    );
    assert.match(real.cards[7].question, /^Derive why vanilla RNNs/);
    assert.match(real.cards[8].question, /^What is teacher forcing/);
    assert.match(real.cards[12].question, /^Speech-recognition scenario/);
    for (const d of real.diagnostics) {
      assert.equal(d.file, 'rnn-cards.txt');
      assert.match(d.message, /no tags line and no level\/kind line/);
    }
  });

  it('gives unique kebab-case ids taken from the questions', () => {
    const ids = real.cards.map((c) => c.id);
    assert.equal(new Set(ids).size, 13);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(real.cards[0].id, 'vanilla-elman-rnn-recurrence');
  });
});

describe('importSeed: formatting variants give the same cards and warnings', () => {
  const variants: Record<string, string> = {
    'CRLF line ends': SEED.replace(/\r?\n/g, '\r\n'),
    'a byte-order mark': `\uFEFF${SEED}`,
    'trailing spaces and tabs': SEED.split('\n').map((l, i) => l + (i % 2 ? ' \t ' : '   ')).join('\n'),
    'blank lines between cards': SEED.replace(/\n(?=What is|Explain|Describe|How does|Implement|Derive|Why did|Initializing|Speech-)/g, '\n\n\n'),
    'blank lines between every line': SEED.split('\n').join('\n\n'),
    'a final newline': `${SEED}\n`,
    'several final newlines and spaces': `${SEED}\n\n  \n`,
    'old Mac CR line ends': SEED.replace(/\r?\n/g, '\r'),
    'all of them at once': `\uFEFF${SEED.split('\n').map((l) => `${l}  `).join('\r\n\r\n')}\r\n`,
  };
  for (const [name, text] of Object.entries(variants)) {
    it(name, () => {
      const r = importSeed(text, 'v.txt');
      assert.deepEqual(content(r.cards), content(real.cards));
      assert.equal(r.diagnostics.length, 3);
      assert.ok(r.diagnostics.every((d) => d.severity === 'warning'));
    });
  }

  it('line numbers follow the file, blank lines included', () => {
    const r = importSeed(SEED.split('\n').join('\n\n'), 'v.txt');
    assert.deepEqual(r.cards.map((c) => c.line), real.cards.map((c) => c.line * 2 - 1));
    assert.deepEqual(r.diagnostics.map((d) => d.line), real.diagnostics.map((d) => d.line * 2 - 1));
  });
});

describe('importSeed: malformed input', () => {
  const imp = (lines: string[]) => importSeed(lines.join('\n'), 's.txt');

  it('an unknown level/kind is a warning at its line; the known half is kept', () => {
    const r = imp(['Q1?', 'A1.', '#a#b', 'Beginnerconcept', 'Q2?', 'A2.', '#c', 'Advancedquiz']);
    assert.equal(r.cards.length, 2);
    assert.deepEqual([r.cards[0].level, r.cards[0].kind], [null, 'concept']);
    assert.deepEqual([r.cards[1].level, r.cards[1].kind], ['advanced', null]);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [4, 8]);
    assert.match(r.diagnostics[0].message, /unknown level\/kind 'Beginnerconcept'.*level is left unknown/);
    assert.match(r.diagnostics[1].message, /kind is left unknown/);
    assert.deepEqual(r.cards[0].tags, ['a', 'b']);
  });

  it('a level line without a tags line is read; the card is not warned about', () => {
    const r = imp(['Q1?', 'A1.', 'Expertmath']);
    assert.deepEqual([r.cards[0].level, r.cards[0].kind, r.cards[0].tags], ['expert', 'math', []]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('tags without a level line: the card keeps its tags and is warned about', () => {
    const r = imp(['Q1?', 'A1.', '#x', 'Q2?', 'A2.', '#y', 'Intermediatecoding']);
    assert.deepEqual(r.cards.map((c) => [c.tags, c.level]), [[['x'], null], [['y'], 'intermediate']]);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [1]);
    assert.match(r.diagnostics[0].message, /no level\/kind line/);
  });

  it('a lower-case level/kind line is read', () => {
    assert.equal(imp(['Q?', 'A.', 'intermediatesystem-design']).cards[0].kind, 'system-design');
  });

  it('metadata before any card is reported and attached to nothing', () => {
    const r = imp(['#orphan', 'Expertcert', 'Q?', 'A.']);
    assert.equal(r.cards.length, 1);
    assert.deepEqual(r.cards[0].tags, []);
    assert.equal(r.cards[0].level, null);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [1, 2, 3]);
  });

  it('a question whose answer is missing is skipped, and its metadata goes nowhere', () => {
    const r = imp(['Q1?', '#a', 'Foundationalconcept', 'Q2?', 'A2.', '#b', 'Expertcert']);
    assert.deepEqual(r.cards.map((c) => [c.question, c.tags, c.level]), [['Q2?', ['b'], 'expert']]);
    assert.ok(r.diagnostics.some((d) => d.line === 2 && /answer of the question at line 1/.test(d.message)));
  });

  it('a question at the end of the file without an answer is skipped with a warning', () => {
    const r = imp(['Q1?', 'A1.', 'Expertcert', 'Q2?']);
    assert.equal(r.cards.length, 1);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, /no answer/.test(d.message)]), [[4, true]]);
  });

  it('a second metadata line is reported, not moved to the next card', () => {
    const r = imp(['Q1?', 'A1.', '#a', '#b', 'Expertcert', 'Advancedmath', 'Q2?', 'A2.']);
    // Lines 4 (#b) and 6 (Advancedmath) are extra metadata of card 1: reported, never given to card 2.
    assert.deepEqual(r.cards.map((c) => [c.tags, c.level]), [[['a'], 'expert'], [[], null]]);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [4, 6, 7]);
    assert.match(r.diagnostics[1].message, /after the level\/kind line of the card at line 1; it is ignored/);
  });

  it('a one-word answer is an answer, not a level line', () => {
    const r = imp(['Is an LSTM recurrent?', 'Yes', '#lstm', 'Foundationalconcept', 'Q2?', 'Concept', 'Expertcert']);
    assert.deepEqual(r.cards.map((c) => [c.answer, c.tags, c.level]), [['Yes', ['lstm'], 'foundational'], ['Concept', [], 'expert']]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('an answer that reads like a question is flagged', () => {
    const r = imp(['Q1?', 'Q2?', 'A2.', 'Expertcert']);
    assert.ok(r.diagnostics.some((d) => d.line === 2 && /reads like a question/.test(d.message)));
  });

  it('duplicate questions get distinct ids', () => {
    const r = imp(['What is an LSTM?', 'A.', 'What is an LSTM?', 'B.']);
    assert.deepEqual(r.cards.map((c) => c.id), ['lstm', 'lstm-2']);
  });

  it('empty input gives no cards and no exception', () => {
    for (const t of ['', '\n\n', '\uFEFF', '   ']) assert.deepEqual(importSeed(t, 'e.txt'), { cards: [], diagnostics: [] });
  });

  it('ids leave math out and fall back to the line number', () => {
    assert.equal(idFromQuestion('Why is $W_{hh}$ orthogonal?'), 'orthogonal');
    assert.equal(idFromQuestion('$x$?', 7), 'card-7');
  });
});

describe('toMarkdown', () => {
  it('writes every seed card as a card file that parses back to the same text and metadata', () => {
    for (const c of real.cards) {
      const r = parseCardFile(toMarkdown(c), `${c.id}.md`);
      assert.deepEqual(r.diagnostics, [], c.id);
      const p = r.cards[0];
      assert.equal(p.id, c.id);
      assert.equal(p.question, c.question);
      assert.equal(p.answer, c.answer);
      assert.deepEqual(p.tags, c.tags);
      assert.equal(p.source, 'seed');
      if (c.level) assert.equal(p.level, c.level);
      if (c.kind) assert.equal(p.kind, c.kind);
    }
  });

  it('marks a guessed level and kind in the file', () => {
    const text = toMarkdown(real.cards[8]);
    assert.match(text, /^level: intermediate # guessed: the seed gives no level$/m);
    assert.match(text, /^kind: concept # guessed: the seed gives no kind$/m);
  });

  it('writes terms, demo and priority when given, quoting what YAML would misread', () => {
    const c: SeedCard = { id: 'x', question: 'Q?', answer: 'A.', tags: ['a'], level: 'expert', kind: 'cert', line: 1 };
    const text = toMarkdown(c, { terms: ['nn.LSTM', 'a: b', 'yes', '#x', 'C, D', 'x ['], demo: 'bptt', priority: 3 });
    const p = parseCardFile(text, 'x.md').cards[0];
    assert.deepEqual(p.terms, ['nn.LSTM', 'a: b', 'yes', '#x', 'C, D', 'x [']);
    assert.equal(p.demo, 'bptt');
    assert.equal(p.priority, 3);
  });

  it('keeps a question ending in # verbatim', () => {
    const c: SeedCard = { id: 'x', question: 'Is C# like F# #', answer: 'No.', tags: [], level: 'expert', kind: 'cert', line: 1 };
    assert.equal(parseCardFile(toMarkdown(c), 'x.md').cards[0].question, 'Is C# like F# #');
  });
});
