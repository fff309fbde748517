// The Markdown card parser: what a card file becomes, and where each problem is reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCardFile } from '../../../../src/deck/parse';
import { readFixture } from './deckTestUtil';

const card = (front: string, body = '# What is an LSTM?\n\nA gated RNN.\n') => `---\n${front}\n---\n${body}`;
const BASE = 'id: test-card\nlevel: intermediate\nkind: concept';

function only(text: string, file = 'x.md') {
  const r = parseCardFile(text, file);
  return { ...r, errors: r.diagnostics.filter((d) => d.severity === 'error'), warnings: r.diagnostics.filter((d) => d.severity === 'warning') };
}

/** `line:col message` of every diagnostic, for readable assertions. */
const where = (r: ReturnType<typeof only>) => r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity}`);

describe('parseCardFile: a good card', () => {
  const r = only(readFixture('good-card.md'), 'decks/good-card.md');

  it('yields one card with its front matter', () => {
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.cards.length, 1);
    const c = r.cards[0];
    assert.equal(c.id, 'peephole-lstm');
    assert.equal(c.level, 'advanced');
    assert.equal(c.kind, 'concept');
    assert.deepEqual(c.tags, ['lstm', 'peephole']);
    assert.deepEqual(c.terms, ['peephole connection', 'peephole LSTM']);
    assert.equal(c.demo, undefined);
    assert.equal(c.file, 'decks/good-card.md');
  });

  it('takes the first level-1 heading as the question and the rest as the answer', () => {
    const c = r.cards[0];
    assert.equal(c.question, 'What does a peephole connection add to an LSTM gate?');
    assert.equal(c.line, 8);
    assert.equal(
      c.answer,
      'It lets the gate read the cell state $c_{t-1}$ as well as $[h_{t-1}, x_t]$:\n\n$$f_t = \\sigma(W_f [h_{t-1}, x_t] + p_f \\odot c_{t-1} + b_f)$$',
    );
  });

  it('leaves each formula as a [data-tex] element for the webview to draw (no inline styles)', () => {
    const c = r.cards[0];
    assert.match(c.answerHtml, /<span class="math" data-tex="c_\{t-1\}"><\/span>/);
    assert.match(c.answerHtml, /<div class="math math-display" data-tex="f_t = \\sigma\(W_f \[h_\{t-1\}, x_t\] \+ p_f \\odot c_\{t-1\} \+ b_f\)" data-display="true">/);
    assert.doesNotMatch(c.answerHtml, /\$|style=/);
    assert.doesNotMatch(c.questionHtml, /<h1|<p>/, 'the question is inline HTML');
  });

  it('reads CRLF line ends and a byte-order mark like LF', () => {
    const text = readFixture('good-card.md');
    const crlf = only(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
    assert.deepEqual(crlf.diagnostics, []);
    assert.equal(crlf.cards[0].question, r.cards[0].question);
    assert.equal(crlf.cards[0].answer, r.cards[0].answer);
    assert.equal(crlf.cards[0].line, 8);
  });

  it('keeps the optional fields', () => {
    const c = only(card(`${BASE}\ndemo: bptt\nsource: seed\npriority: 2\ntags: single-tag`)).cards[0];
    assert.equal(c.demo, 'bptt');
    assert.equal(c.source, 'seed');
    assert.equal(c.priority, 2);
    assert.deepEqual(c.tags, ['single-tag']);
  });

  it('shows raw HTML as text: card text is data', () => {
    const c = only(card(BASE, '# Is <b>this</b> bold?\n\n<script>alert(1)</script> and <img src=x onerror=alert(1)>\n')).cards[0];
    assert.equal(c.question, 'Is <b>this</b> bold?');
    assert.doesNotMatch(c.questionHtml, /<b>/);
    assert.match(c.questionHtml, /&lt;b&gt;this&lt;\/b&gt;/);
    assert.doesNotMatch(c.answerHtml, /<script|<img/);
    assert.match(c.answerHtml, /&lt;script&gt;/);
  });

  it('keeps a question that ends in # verbatim when written with a closing sequence', () => {
    const c = only(card(BASE, '# Why is C# not F# #\n\nNo reason.\n')).cards[0];
    assert.equal(c.question, 'Why is C# not F#');
  });
});

describe('parseCardFile: problems, each at its line and column in the file', () => {
  it('no front matter', () => {
    const r = only('# What?\n\nAnswer.\n');
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['1:1 error']);
    assert.match(r.errors[0].message, /no front matter/);
  });

  it('front matter that is never closed', () => {
    const r = only('---\nid: a\nlevel: expert\n# Q\n\nA\n');
    assert.equal(r.cards.length, 0);
    assert.match(r.errors[0].message, /not closed/);
  });

  it('front matter that is not valid YAML, at the offending line', () => {
    const r = only(readFixture('bad-front-matter.md'), 'bad-front-matter.md');
    assert.equal(r.cards.length, 0);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].line, 5);
    assert.match(r.errors[0].message, /front matter is not valid YAML/);
  });

  it('front matter that is not a mapping', () => {
    const r = only('---\n- id\n- level\n---\n# Q\n\nA\n');
    assert.match(r.errors[0].message, /mapping/);
  });

  it('a key given twice is invalid YAML', () => {
    const r = only(card(`${BASE}\nid: again`));
    assert.equal(r.cards.length, 0);
    assert.equal(r.errors[0].line, 5);
  });

  it('missing id, level and kind', () => {
    const r = only(card('tags: [a]'));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(r.errors.map((e) => e.message.split(':')[0]).sort(), ["missing 'id'", "missing 'kind'", "missing 'level'"]);
  });

  it('an id that is not kebab-case, at the id', () => {
    const r = only(card('id: My_Card\nlevel: expert\nkind: cert'));
    assert.deepEqual(where(r), ['2:5 error']);
    assert.match(r.errors[0].message, /kebab-case/);
  });

  it('unknown level, at its value', () => {
    const r = only(readFixture('unknown-level.md'));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['3:8 error']);
    assert.match(r.errors[0].message, /unknown level 'expertish': expected one of foundational, intermediate, advanced, expert/);
  });

  it('unknown kind, at its value', () => {
    const r = only(card('id: a\nlevel: expert\nkind: quiz'));
    assert.deepEqual(where(r), ['4:7 error']);
    assert.match(r.errors[0].message, /unknown kind 'quiz'/);
  });

  it('a capitalised level is read, with a warning', () => {
    const r = only(card('id: a\nlevel: Expert\nkind: cert'));
    assert.equal(r.cards[0].level, 'expert');
    assert.deepEqual(where(r), ['3:8 warning']);
  });

  it('a demo that names no demo, at its value', () => {
    const r = only(card(`${BASE}\ndemo: gru-forward`));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['5:7 error']);
    assert.match(r.errors[0].message, /demo 'gru-forward' names no demo \(known: lstm-forward, bptt, train, ctc, bidirectional, rnn-vs-attention, seq2seq\)/);
  });

  it('a priority that is not an integer', () => {
    const r = only(card(`${BASE}\npriority: high`));
    assert.equal(r.cards.length, 0);
    assert.match(r.errors[0].message, /priority must be an integer/);
    assert.equal(only(card(`${BASE}\npriority: 1.5`)).cards.length, 0);
  });

  it('an unknown field is a warning, not an error', () => {
    const r = only(card(`${BASE}\nauthor: me`));
    assert.equal(r.cards.length, 1);
    assert.deepEqual(where(r), ['5:1 warning']);
    assert.match(r.warnings[0].message, /unknown front-matter field 'author'/);
  });

  it('a term keeps its annotations, an unknown one is a warning, and they do not count as words', () => {
    const r = only(card(`${BASE}\nterms: [reset! @julia @flux, units @in-rnn @sideways, a b c d e f @api @classic @case]`));
    assert.deepEqual(r.cards[0].terms, ['reset! @julia @flux', 'units @in-rnn @sideways', 'a b c d e f @api @classic @case']);
    assert.deepEqual(where(r), ['5:30 warning']);
    assert.match(r.warnings[0].message, /term 'units': unknown annotation '@sideways'/);
  });

  it('bad list entries are skipped with a warning', () => {
    const r = only(card(`${BASE}\nterms: [LSTM, {a: 1}, '', LSTM]`));
    assert.deepEqual(r.cards[0].terms, ['LSTM']);
    assert.equal(r.warnings.length, 3);
    assert.ok(r.warnings.every((w) => w.line === 5));
  });

  it('no question heading, at the first body line', () => {
    const r = only(readFixture('no-question.md'), 'no-question.md');
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['6:1 error']);
    assert.match(r.errors[0].message, /no question heading/);
  });

  it('an empty body has no question heading', () => {
    const r = only(card(BASE, ''));
    assert.equal(r.cards.length, 0);
    assert.match(r.errors[0].message, /no question heading/);
  });

  it('an empty answer, at the question', () => {
    const r = only(card(BASE, '\n# What is an LSTM?\n\n   \n'));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['7:1 error']);
    assert.match(r.errors[0].message, /empty answer/);
  });

  it('text before the question is a warning', () => {
    const r = only(card(BASE, 'Intro.\n\n# Q?\n\nA.\n'));
    assert.equal(r.cards.length, 1);
    assert.deepEqual(where(r), ['6:1 warning']);
  });

  it('a formula KaTeX cannot render, at the formula', () => {
    const r = only(readFixture('broken-formula.md'));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(where(r), ['9:80 error']);
    assert.match(r.errors[0].message, /formula KaTeX cannot render: .*expected '\}'/);
  });

  it('an undefined macro, at the macro itself', () => {
    const r = only(card(BASE, '# Q\n\nok $a$ then $x + \\foo{y}$ end\n'));
    assert.deepEqual(where(r), ['8:18 error']);
    assert.match(r.errors[0].message, /Undefined control sequence: \\foo/);
  });

  it('a broken formula in the question and one in a display block', () => {
    const r = only(card(BASE, '# Is $\\frac{1}$ ok?\n\nAnswer:\n\n$$\n\\sum_{i\n$$\n'));
    assert.equal(r.cards.length, 0);
    assert.deepEqual(r.errors.map((e) => e.line), [6, 10]);
  });
});

describe('parseCardFile: list entries YAML would read as numbers', () => {
  it('keeps tags and terms as written (0x0, 1e3, 007 stay words)', () => {
    const text = ['---', 'id: numbers', 'level: expert', 'kind: cert', 'tags: [0x0, 1e3]', 'terms: [007, 0o17]', '---', '# Q?', '', 'A.', ''].join('\n');
    const r = only(text, 'n.md');
    assert.deepEqual(r.cards[0].terms, ['007', '0o17']);
    // Tags must be kebab-case; these are, once read as written.
    assert.deepEqual(r.cards[0].tags, ['0x0', '1e3'], JSON.stringify(r.diagnostics));
  });
});
