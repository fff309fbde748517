// Anki export: the file Anki's "Notes in Plain Text" importer reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ankiField, exportAnki } from '../../src/deck/anki';
import type { Card } from '../../src/deck/card';
import { lintDeck } from '../../src/deck/lint';
import { cardFiles } from './deckTestUtil';

function card(question: string, answer: string, tags: string[] = ['lstm']): Card {
  return {
    id: 'x', level: 'advanced', kind: 'math', tags, terms: [], question, answer,
    questionHtml: '', answerHtml: '', file: 'x.md', line: 1,
  };
}

/** The note lines (after the header) split into fields. */
const notes = (tsv: string) => tsv.trimEnd().split('\n').slice(3).map((l) => l.split('\t'));

describe('exportAnki', () => {
  it('starts with the header lines Anki reads', () => {
    const lines = exportAnki([]).split('\n');
    assert.deepEqual(lines.slice(0, 3), ['#separator:tab', '#html:true', '#tags column:3']);
  });

  it('one line per card: front, back, tags', () => {
    const tsv = exportAnki([card('What is $h_t$?', 'The state $h_t = \\tanh(W h_{t-1})$.', ['lstm', 'gating'])]);
    assert.deepEqual(notes(tsv), [[
      'What is \\(h_t\\)?',
      '<p>The state \\(h_t = \\tanh(W h_{t-1})\\).</p>',
      'lstm gating level::advanced kind::math',
    ]]);
  });

  it('display math becomes \\[ \\]', () => {
    assert.equal(ankiField('See:\n\n$$\\sum_i x_i$$\n', false), '<p>See:</p> \\[\\sum_i x_i\\]');
  });

  it('escapes HTML in card text, math included: card text is data', () => {
    const f = ankiField('Is <b>x</b> & $a<b$ "quoted"?', true);
    assert.equal(f, 'Is &lt;b&gt;x&lt;/b&gt; &amp; \\(a&lt;b\\) &quot;quoted&quot;?');
  });

  it('no raw tab or newline inside a field; code keeps its line breaks as <br>', () => {
    const tsv = exportAnki([card('Tab\there?', 'Line one\nline two.\n\n```\nh = o * tanh(c)\n\treturn h\n```\n', ['a b'])]);
    const [fields] = notes(tsv);
    assert.equal(fields.length, 3);
    assert.equal(fields[0], 'Tab&#9;here?');
    assert.match(fields[1], /^<p>Line one line two\.<\/p> ?<pre><code>h = o \* tanh\(c\)<br>&#9;return h<br><\/code><\/pre>$/);
    assert.equal(fields[2], 'a-b level::advanced kind::math', 'a tag cannot hold a space');
  });

  it('exports the bundled deck: 13 notes of 3 fields', () => {
    const deck = lintDeck(cardFiles());
    const rows = notes(exportAnki(deck.cards));
    assert.equal(rows.length, 13);
    for (const r of rows) {
      assert.equal(r.length, 3);
      assert.doesNotMatch(r[0] + r[1], /(^|[^\\])\$/, 'no $ math left');
    }
  });
});
