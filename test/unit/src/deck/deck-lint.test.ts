// The deck linter: each problem kind, reported as file:line:col, and what stays in the deck.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintDeck, lintDeckInSlices } from '../../../../src/deck/lint';
import { cardFiles, readFixture } from './deckTestUtil';

const card = (id: string, extra = '', body = `# What is ${id}?\n\nAn answer.\n`) =>
  `---\nid: ${id}\nlevel: intermediate\nkind: concept\n${extra}---\n${body}`;

/** lintDeck over cards made by `card`, each [id, extra front matter], in the file `<id>.md`. */
const lintCards = (...cards: [id: string, extra: string][]) => lintDeck(cards.map(([id, extra]) => ({ path: `${id}.md`, text: card(id, extra) })));

/** `file:line:col: severity` of every diagnostic. */
const where = (r: ReturnType<typeof lintDeck>) => r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}`);

describe('lintDeck', () => {
  it('a clean deck: every card, no diagnostics', () => {
    const r = lintDeck([{ path: 'a.md', text: card('a') }, { path: 'b.md', text: card('b') }]);
    assert.deepEqual(r.cards.map((c) => c.id), ['a', 'b']);
    assert.deepEqual(r.diagnostics, []);
  });

  it('a duplicate id: error at the later id, the later card left out', () => {
    const r = lintDeck([{ path: 'a.md', text: card('same') }, { path: 'b.md', text: card('same') }]);
    assert.deepEqual(r.cards.map((c) => c.file), ['a.md']);
    assert.deepEqual(where(r), ['b.md:2:5: error']);
    assert.match(r.diagnostics[0].message, /duplicate id 'same': a\.md:6 already uses it/);
  });

  it('each broken fixture is reported at its file and line; the good card still loads', () => {
    const files = ['good-card.md', 'bad-front-matter.md', 'unknown-level.md', 'broken-formula.md', 'no-question.md']
      .map((f) => ({ path: `test/fixtures/deck/${f}`, text: readFixture(f) }));
    const r = lintDeck(files);
    assert.deepEqual(r.cards.map((c) => c.id), ['peephole-lstm']);
    assert.deepEqual(where(r), [
      'test/fixtures/deck/bad-front-matter.md:5:26: error',
      'test/fixtures/deck/unknown-level.md:3:8: error',
      'test/fixtures/deck/broken-formula.md:9:80: error',
      'test/fixtures/deck/no-question.md:6:1: error',
    ]);
  });

  it('an empty answer and a missing id', () => {
    const r = lintDeck([
      { path: 'e.md', text: card('e', '', '# Q?\n') },
      { path: 'n.md', text: '---\nlevel: expert\nkind: cert\n---\n# Q?\n\nA.\n' },
    ]);
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['e.md:6:1: error', 'n.md:1:1: error']);
    assert.match(r.diagnostics[0].message, /empty answer/);
    assert.match(r.diagnostics[1].message, /missing 'id'/);
  });

  it('a demo that names no demo, at its line', () => {
    const r = lintDeck([{ path: 'd.md', text: card('d', 'demo: gru\n') }]);
    assert.deepEqual(where(r), ['d.md:5:7: error']);
  });

  describe('terms claimed by several cards', () => {
    it('a tie is an error at the later card, naming both', () => {
      const r = lintCards(
        ['a', 'terms: [LSTM, forget gate]\n'],
        ['b', 'terms: [GRU, forget gate]\n'],
      );
      assert.deepEqual(where(r), ['b.md:5:14: error']);
      assert.equal(r.diagnostics[0].message, "term 'forget gate' is claimed by a and b without a tie-break; give one a higher priority");
      assert.equal(r.cards.length, 2, 'both cards stay: only the hover choice is undecided');
    });

    it('spellings the matcher treats as one term tie too (case, snake/camel, plural)', () => {
      const r = lintCards(
        ['a', 'terms: [hidden_size, vanishing gradients]\n'],
        ['b', 'terms: [hiddenSize, vanishing gradient]\n'],
      );
      assert.equal(r.diagnostics.length, 2);
      assert.match(r.diagnostics[0].message, /term 'hiddenSize' \(as 'hidden_size'\) is claimed by a and b/);
    });

    it('a higher priority breaks the tie', () => {
      const r = lintCards(
        ['a', 'terms: [forget gate]\n'],
        ['b', 'terms: [forget gate]\npriority: 1\n'],
        ['c', 'terms: [forget gate]\npriority: -1\n'],
      );
      assert.deepEqual(r.diagnostics, []);
    });

    it('a tie at the top is still a tie when a lower card also claims the term', () => {
      const r = lintCards(
        ['a', 'terms: [CTC]\npriority: 2\n'],
        ['b', 'terms: [CTC]\npriority: 2\n'],
        ['c', 'terms: [CTC]\n'],
      );
      assert.deepEqual(where(r), ['b.md:5:9: error']);
    });

    it('an API name and the bare name: the bare name wins, no tie', () => {
      const r = lintCards(
        ['a', 'terms: [nn.LSTM]\n'],
        ['b', 'terms: [LSTM]\n'],
      );
      assert.deepEqual(r.diagnostics, []);
    });

    it('two API names that end alike, with no bare name: a tie', () => {
      const r = lintCards(
        ['a', 'terms: [nn.GRU]\n'],
        ['b', 'terms: [tf.keras.layers.GRU]\n'],
      );
      assert.equal(r.diagnostics.length, 1);
      assert.match(r.diagnostics[0].message, /claimed by a and b/);
    });
  });

  it('never throws, whatever the files hold', () => {
    const r = lintDeck([{ path: 'x', text: '' }, { path: 'y', text: '---\n---\n' }, { path: 'z', text: '\u0000\uFFFF' }]);
    assert.equal(r.cards.length, 0);
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length >= 3, true);
  });
});

describe('lintDeckInSlices (how the host lints user decks)', () => {
  it('gives what lintDeck gives, pausing whenever a slice reaches its budget and once at the end', async () => {
    const files = [...cardFiles(), { path: 'dup.md', text: cardFiles()[0].text }];
    // A clock that moves 7 ms per reading: with a 20 ms budget a slice ends every few cards.
    let clock = 0;
    const pausedAt: number[] = [];
    const r = await lintDeckInSlices(files, {
      sliceMs: 20, now: () => (clock += 7), pause: async () => { pausedAt.push(clock); },
    });
    const all = lintDeck(files);
    assert.deepEqual(r.cards.map((c) => c.id), all.cards.map((c) => c.id));
    assert.deepEqual(r.diagnostics, all.diagnostics);
    assert.ok(r.diagnostics.some((d) => /duplicate id/.test(d.message)));
    // 15 files at 7 ms a reading: more than one slice, and none ran past budget + one step.
    assert.ok(pausedAt.length >= 3, `paused ${pausedAt.length} times`);
    assert.ok(r.longestSliceMs >= 20 && r.longestSliceMs < 20 + 7 + 1, `longest slice ${r.longestSliceMs}`);
  });
});
