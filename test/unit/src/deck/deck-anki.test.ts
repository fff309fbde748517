// Anki export: the file Anki's "Notes in Plain Text" importer reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ankiField, ankiGuid, ankiHeader, ankiTag, exportAnki } from '../../../../src/deck/anki';
import type { Card } from '../../../../src/deck/card';
import { lintDeck } from '../../../../src/deck/lint';
import { cardFiles } from './deckTestUtil';

function card(question: string, answer: string, tags: string[] = ['lstm'], id = 'x'): Card {
  return {
    id, level: 'advanced', kind: 'math', tags, terms: [], question, answer,
    questionHtml: '', answerHtml: '', file: 'x.md', line: 1,
  };
}

/** The note lines (after the header) split into fields. */
const notes = (tsv: string) => tsv.trimEnd().split('\n').slice(6).map((l) => l.split('\t'));

describe('exportAnki', () => {
  it('starts with the header lines Anki reads: separator, HTML, GUID column, note type, deck, tags column', () => {
    const lines = exportAnki([]).split('\n');
    assert.deepEqual(lines.slice(0, 6), ['#separator:tab', '#html:true', '#guid column:1', '#notetype:Basic', '#deck:RNN Lens', '#tags column:4']);
    assert.equal(exportAnki([], { deck: 'Deep Learning::RNN' }).split('\n')[4], '#deck:Deep Learning::RNN');
    assert.equal(ankiHeader('two\nlines\t')[4], '#deck:two lines', 'a header value stays on its line');
  });

  it('one line per card: GUID, front, back, tags', () => {
    const tsv = exportAnki([card('What is $h_t$?', 'The state $h_t = \\tanh(W h_{t-1})$.', ['lstm', 'gating'])]);
    assert.deepEqual(notes(tsv), [[
      ankiGuid('x'),
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
    assert.equal(fields.length, 4);
    assert.equal(fields[1], 'Tab&#9;here?');
    assert.match(fields[2], /^<p>Line one line two\.<\/p> ?<pre><code>h = o \* tanh\(c\)<br>&#9;return h<br><\/code><\/pre>$/);
    assert.equal(fields[3], 'a-b level::advanced kind::math', 'a tag cannot hold a space');
  });

  it('exports the bundled deck: 13 notes of 3 fields', () => {
    const deck = lintDeck(cardFiles());
    const rows = notes(exportAnki(deck.cards));
    assert.equal(rows.length, 13);
    for (const r of rows) {
      assert.equal(r.length, 4);
      assert.doesNotMatch(r[1] + r[2], /(^|[^\\])\$/, 'no $ math left');
    }
  });
});

describe('Anki GUIDs', () => {
  it('the same card id always gives the same GUID, so a re-import updates the note', () => {
    const first = notes(exportAnki([card('Q?', 'Old answer.', [], 'lstm-gates')]))[0][0];
    const again = notes(exportAnki([card('Q, reworded?', 'New answer.', ['new-tag'], 'lstm-gates')], { deck: 'Other' }))[0][0];
    assert.equal(again, first);
    assert.equal(first, ankiGuid('lstm-gates'));
  });

  it('different ids give different GUIDs of letters and digits only', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `card-${i}`);
    const guids = ids.map(ankiGuid);
    assert.equal(new Set(guids).size, ids.length);
    for (const g of guids) assert.match(g, /^[a-z][a-z0-9]+$/);
  });
});

describe('hostile card text in an Anki export', () => {
  it('a tag with a tab, a space or # stays one tag of safe characters', () => {
    const [fields] = notes(exportAnki([card('Q?', 'A.', ['a\tb', 'two words', '#hash', 'c#d', 'x"<&>y'])]));
    assert.deepEqual(fields[3].split(' '), ['a-b', 'two-words', 'hash', 'c-d', 'x-y', 'level::advanced', 'kind::math']);
    assert.equal(ankiTag('  '), '');
  });

  it('a command: or vscode: link keeps its words only; an http link stays a link', () => {
    const f = ankiField('Run [this](command:workbench.action.terminal.new) or [that](vscode:extension/x) or <command:y>; see [docs](https://example.com).', true);
    assert.equal(f, 'Run this or that or command:y; see <a href="https://example.com">docs</a>.');
  });

  it('a remote image becomes its alt text: Anki fetches nothing', () => {
    const f = ankiField('Look ![a diagram](https://example.com/track.png) here.', false);
    assert.equal(f, '<p>Look a diagram here.</p>');
  });

  it('\\href, \\url, \\style and \\class are removed from math; their arguments stay as text', () => {
    const f = ankiField('$\\href{https://x.test}{h_t}$ and $$\\url{javascript:alert(1)} \\style{color:red}{c} \\class{x}{y}$$', false);
    assert.doesNotMatch(f, /\\(?:href|url|style|class)\b/);
    assert.match(f, /\\\(\{https:\/\/x\.test\}\{h_t\}\\\)/);
  });
});
