// Property tests: every input yields cards and diagnostics, never an exception; diagnostics
// point inside the file; the importer never moves metadata between cards, whatever the
// formatting noise; seed card -> Markdown -> card keeps the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ankiHeader, exportAnki } from '../../../../src/deck/anki';
import { KINDS, LEVELS, type Card, type DeckDiagnostic } from '../../../../src/deck/card';
import { lintDeck } from '../../../../src/deck/lint';
import { parseCardFile } from '../../../../src/deck/parse';
import { importSeed, toMarkdown, type SeedCard } from '../../../../src/deck/seed';
import { cardFiles, readSeed } from './deckTestUtil';

const RUNS = { numRuns: 300 };
const REAL_CARDS = cardFiles().map((f) => f.text);
const SEED = readSeed();

/** Text with the characters that matter to these formats over-represented. */
const noisyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('-', '#', '$', '\\', '{', '}', '[', ']', ':', ' ', '\n', '\r', '\t', '\uFEFF', 'a', 'Q', '?', '`', '<', '>', '=', '|'), maxLength: 200 }),
);

/** A random edit of a real text: delete, insert, duplicate or swap lines, replace a span. */
function mutated(texts: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 4 }), noisyText);
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    let t = text;
    for (const [a, b, op, s] of edits) {
      const i = a % (t.length + 1);
      const j = Math.min(t.length, i + (b % 40));
      if (op === 0) t = t.slice(0, i) + t.slice(j);
      else if (op === 1) t = t.slice(0, i) + s + t.slice(i);
      else if (op === 2) t = t.slice(0, i) + s + t.slice(j);
      else {
        const lines = t.split('\n');
        const x = a % lines.length;
        const y = b % lines.length;
        if (op === 3) [lines[x], lines[y]] = [lines[y], lines[x]];
        else lines.splice(x, 0, lines[y]);
        t = lines.join('\n');
      }
    }
    return t;
  });
}

function assertWellFormed(diagnostics: readonly DeckDiagnostic[], text: string, file: string): void {
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const d of diagnostics) {
    assert.equal(d.file, file);
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `line ${d.line} of ${lineCount}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}`);
    assert.ok(d.severity === 'error' || d.severity === 'warning');
    assert.ok(d.message.length > 0 && !d.message.includes('\n'), 'a one-line message');
  }
}

function assertValidCard(c: Card): void {
  assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  assert.ok((LEVELS as readonly string[]).includes(c.level));
  assert.ok((KINDS as readonly string[]).includes(c.kind));
  assert.ok(c.question.trim().length > 0 && c.answer.trim().length > 0);
  assert.doesNotMatch(c.questionHtml + c.answerHtml, /<(script|img|iframe|style)\b/i, 'raw HTML never passes');
}

describe('parseCardFile never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(fc.property(noisyText, (text) => {
      const r = parseCardFile(text, 'f.md');
      assertWellFormed(r.diagnostics, text, 'f.md');
      assert.ok(r.cards.length <= 1);
      r.cards.forEach(assertValidCard);
    }), RUNS);
  });

  it('on arbitrary front matter and body', () => {
    fc.assert(fc.property(noisyText, noisyText, (front, body) => {
      const text = `---\n${front}\n---\n${body}`;
      const r = parseCardFile(text, 'f.md');
      assertWellFormed(r.diagnostics, text, 'f.md');
      r.cards.forEach(assertValidCard);
    }), RUNS);
  });

  it('on mutations of the real cards: a card comes back, or an error says why not', () => {
    fc.assert(fc.property(mutated(REAL_CARDS), (text) => {
      const r = parseCardFile(text, 'f.md');
      assertWellFormed(r.diagnostics, text, 'f.md');
      r.cards.forEach(assertValidCard);
      if (r.cards.length === 0) assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    }), RUNS);
  });
});

describe('lintDeck never throws', () => {
  it('on decks of mutated and arbitrary files', () => {
    const file = fc.oneof(mutated(REAL_CARDS), noisyText);
    fc.assert(fc.property(fc.array(file, { maxLength: 6 }), (texts) => {
      const files = texts.map((text, i) => ({ path: `c${i}.md`, text }));
      const r = lintDeck(files);
      assert.equal(new Set(r.cards.map((c) => c.id)).size, r.cards.length, 'ids stay unique');
      r.cards.forEach(assertValidCard);
      for (const d of r.diagnostics) assert.ok(files.some((f) => f.path === d.file));
    }), { numRuns: 100 });
  });
});

describe('importSeed', () => {
  it('never throws, and takes question and answer text only from the input lines', () => {
    fc.assert(fc.property(fc.oneof(noisyText, mutated([SEED])), (text) => {
      const r = importSeed(text, 's.txt');
      assertWellFormed(r.diagnostics, text, 's.txt');
      const lines = new Set(text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trim()));
      for (const c of r.cards) {
        assert.ok(lines.has(c.question) && lines.has(c.answer));
        assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      }
    }), RUNS);
  });

  // A deck of cards with random optional metadata, written with random formatting noise, reads
  // back as exactly that deck: metadata never moves, whichever cards lack it.
  const sentence = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '$', '\\', '#', '?', ',', 'Z', '-', '(', '1'), minLength: 1, maxLength: 30 })
    .map((s) => `W ${s.trim()}`);
  const seedCard = fc.record({
    question: sentence.map((s) => `${s}?`),
    answer: sentence.map((s) => `${s}.`),
    tags: fc.option(fc.uniqueArray(fc.constantFrom('rnn', 'lstm', 'bptt', 'ctc', 'seq2seq'), { minLength: 1, maxLength: 4 }), { nil: undefined }),
    levelKind: fc.option(fc.tuple(fc.constantFrom(...LEVELS), fc.constantFrom(...KINDS)), { nil: undefined }),
  });
  const noise = fc.record({
    crlf: fc.boolean(), bom: fc.boolean(), trailing: fc.constantFrom('', ' ', '\t', '  \t'),
    blankEvery: fc.boolean(), blankBetweenCards: fc.nat({ max: 2 }), finalNewline: fc.boolean(),
  });

  it('reads back any deck exactly, under any formatting noise', () => {
    fc.assert(fc.property(fc.array(seedCard, { minLength: 1, maxLength: 8 }), noise, (cards, n) => {
      const lines: string[] = [];
      cards.forEach((c, i) => {
        if (i > 0) for (let k = 0; k < n.blankBetweenCards; k++) lines.push('');
        lines.push(c.question, c.answer);
        if (c.tags) lines.push(c.tags.map((t) => `#${t}`).join(''));
        if (c.levelKind) lines.push(`${c.levelKind[0][0].toUpperCase()}${c.levelKind[0].slice(1)}${c.levelKind[1]}`);
      });
      const eol = n.crlf ? '\r\n' : '\n';
      let text = lines.map((l) => l + n.trailing).join(n.blankEvery ? eol + eol : eol);
      if (n.bom) text = `\uFEFF${text}`;
      if (n.finalNewline) text += eol;
      const r = importSeed(text, 's.txt');
      assert.deepEqual(
        r.cards.map((c) => [c.question, c.answer, c.tags, c.level, c.kind]),
        cards.map((c) => [c.question, c.answer, c.tags ?? [], c.levelKind?.[0] ?? null, c.levelKind?.[1] ?? null]),
      );
      // One warning per card without a level line, none otherwise.
      assert.equal(r.diagnostics.length, cards.filter((c) => !c.levelKind).length);
    }), RUNS);
  });

  it('toMarkdown writes a card that parses back to the same question and answer', () => {
    // One line of text (a seed field); NUL excepted, which CommonMark replaces by U+FFFD.
    const line = fc.string({ unit: 'binary', minLength: 1, maxLength: 80 })
      .map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ').split(String.fromCharCode(0)).join(' ').trim())
      .filter((s) => s.length > 0);
    fc.assert(fc.property(line, line, fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), (question, answer, terms) => {
      const c: SeedCard = { id: 'round-trip', question, answer, tags: ['x'], level: 'expert', kind: 'cert', line: 1 };
      const r = parseCardFile(toMarkdown(c, { terms }), 'r.md');
      // A formula KaTeX rejects is the only reason a written card may fail to load.
      if (r.cards.length === 0) {
        assert.ok(r.diagnostics.every((d) => d.severity !== 'error' || /formula KaTeX/.test(d.message)), JSON.stringify(r.diagnostics));
        return;
      }
      assert.equal(r.cards[0].question, question);
      assert.equal(r.cards[0].answer, answer);
      // A term is read as one line: every run of whitespace is one space.
      assert.deepEqual(r.cards[0].terms, [...new Set(terms.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))]);
    }), RUNS);
  });
});

describe('exportAnki', () => {
  it('always writes 4 fields a line (guid, front, back, tags), whatever the card text', () => {
    fc.assert(fc.property(fc.array(fc.tuple(noisyText, noisyText, fc.array(noisyText, { maxLength: 3 })), { maxLength: 5 }), (rows) => {
      const cards: Card[] = rows.map(([q, a, tags]) => ({
        id: 'x', level: 'expert', kind: 'cert', tags, terms: [], question: q, answer: a, questionHtml: '', answerHtml: '', file: 'x', line: 1,
      }));
      const lines = exportAnki(cards).split('\n');
      assert.equal(lines.pop(), '');
      assert.equal(lines.length, ankiHeader().length + cards.length);
      for (const l of lines.slice(ankiHeader().length)) {
        assert.equal(l.split('\t').length, 4);
        assert.doesNotMatch(l, /^#/, 'a note line never reads as a comment');
        assert.doesNotMatch(l, /\r/);
      }
    }), RUNS);
  });
});
