// The pure parts of hover tips: the Markdown a user reads, the key equation, its Unicode form
// and its SVG image.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from '../../../src/constants';
import { createEquationRenderer, finishSvg, renderDeckEquations } from '../../../cli/equations';
import { HOVER_COMMANDS, hoverMarkdown, markdownToHoverText, shortAnswer } from '../../../src/hover/content';
import { EQUATION_INK, equationDataUri, inkFor, keyEquation, mathSpans, mathToUnicode, texToUnicode } from '../../../src/hover/equation';
import { card } from './deck/termsFixture';
import { findRepoRoot } from '../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);

const LSTM_ANSWER = 'An LSTM has a forget gate $f_t$, input gate $i_t$, candidate $\\tilde c_t$, and output gate $o_t$. ' +
  'The cell state updates additively: $c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t$, and $h_t = o_t \\odot \\tanh(c_t)$. ' +
  'The key is the additive update, e.g. when $f_t \\approx 1$ information persists.';

const lstm = card('lstm-gates', ['LSTM'], {
  question: "Describe the LSTM cell's gates and how the cell state $c_t$ enables long-range memory.",
  answer: LSTM_ANSWER,
  demo: 'lstm-forward',
});

/** The command links of a hover, decoded: [text, command, args]. */
function links(md: string): [string, string, unknown[]][] {
  return [...md.matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^ )]+)/g)].map((m) => [m[1], m[2], JSON.parse(decodeURIComponent(m[3]))]);
}

describe('texToUnicode', () => {
  it('renders the deck\'s equations readably', () => {
    for (const [input, expected] of [
      ['c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t', 'cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ'],
      ['h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h)', 'hₜ = tanh(Wₕₕ hₜ₋₁ + Wₓₕ xₜ + bₕ)'],
      ['\\frac{\\partial h_t}{\\partial h_k} = \\prod_{i=k+1}^{t} \\frac{\\partial h_i}{\\partial h_{i-1}}', '∂hₜ/∂hₖ = ∏ᵢ₌ₖ₊₁ᵗ ∂hᵢ/∂hᵢ₋₁'],
      ['\\prod \\text{diag}(\\sigma\')W_{hh}^\\top', '∏ diag(σ\')Wₕₕᵀ'],
      ['\\mathbb{R}^{4H \\times (D+H)}', 'ℝ^(4H×(D+H))'],
      ['\\left( \\frac{a+b}{2} \\right)', '((a+b)/2)'],
      ['\\tanh c_t', 'tanh cₜ'],
    ]) assert.equal(texToUnicode(input), expected);
  });
  it('falls back to _x / ^(..) where Unicode has no sub- or superscript letter', () => {
    assert.equal(texToUnicode('y_t = W_{hy} h_t + b_y'), 'yₜ = W_(hy) hₜ + b_y');
  });
  it('never shows a backslash or a brace, whatever the input', () => {
    for (const tex of ['\\unknownmacro{x}', '\\frac{a}{', 'x^{', '}}{{', '\\', '\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}']) {
      assert.doesNotMatch(texToUnicode(tex), /[\\{}]/, tex);
    }
  });
  it('converts the math in Markdown text and leaves prices alone', () => {
    assert.equal(mathToUnicode('gate $f_t$ costs $5 and $6'), 'gate fₜ costs $5 and $6');
  });
});

describe('keyEquation', () => {
  it('takes the longest inline relation of the answer', () => {
    assert.equal(keyEquation(lstm), 'c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t');
  });
  it('prefers display math, and an explicit front-matter equation over both', () => {
    const display = card('d', [], { answer: 'See $a = b + c + d + e + f$.\n\n$$h_t = \\tanh(W h_{t-1})$$' });
    assert.equal(keyEquation(display), 'h_t = \\tanh(W h_{t-1})');
    const explicit = { ...display, equation: '$E = mc^2$' };
    assert.equal(keyEquation(explicit), 'E = mc^2');
  });
  it('has none when the answer only names symbols or notation', () => {
    assert.equal(keyEquation(card('bptt', [], { answer: 'Truncated BPTT limits backprop to the last $k$ steps, carrying $h_t$.' })), undefined);
    assert.equal(keyEquation(card('fused', [], { answer: 'One weight matrix over $[x_t, h_{t-1}]$ of shape $(4H, D+H)$.' })), undefined);
  });
  it('falls back to a formula with a big operator when no math states a relation', () => {
    const ctc = card('ctc', [], { answer: 'It sums $\\sum_{\\pi \\in \\mathcal{B}^{-1}(y)} p(\\pi)$ over alignments $\\pi$.' });
    assert.equal(keyEquation(ctc), '\\sum_{\\pi \\in \\mathcal{B}^{-1}(y)} p(\\pi)');
  });
  it('finds inline and display spans in order', () => {
    assert.deepEqual(mathSpans('a $x$ b $$y = 1$$ c \\$5'), [{ tex: 'x', display: false }, { tex: 'y = 1', display: true }]);
  });
});

describe('shortAnswer and hover text', () => {
  it('takes the first sentence, and the second when the first is short', () => {
    assert.equal(shortAnswer('Short one. Then a second sentence. And a third.'), 'Short one. Then a second sentence.');
    const long = 'A'.repeat(130) + ' ends here. Second sentence.';
    assert.equal(shortAnswer(long), 'A'.repeat(130) + ' ends here.');
  });
  it('does not end a sentence at an abbreviation or inside math', () => {
    assert.equal(shortAnswer('It helps, e.g. For tagging. Yes. No.'), 'It helps, e.g. For tagging. Yes.');
    assert.equal(shortAnswer('Scale by $0. 5$ here. Next.'), 'Scale by $0. 5$ here. Next.');
  });
  it('cuts a very long sentence at a word outside math', () => {
    const text = 'word '.repeat(50) + '$a = b + c$ ' + 'more '.repeat(50) + 'end.';
    const out = shortAnswer(text, 260);
    assert.ok(out.endsWith(' …'), out);
    assert.equal((out.match(/\$/g) ?? []).length % 2, 0);
  });
  it('turns Markdown into escaped text with math as Unicode and code kept', () => {
    assert.equal(markdownToHoverText('**Gates** use `hidden_size` and [links](http://x) with $h_t$.'), 'Gates use `hidden_size` and links with hₜ\\.');
    assert.equal(markdownToHoverText('<img src=x> # not a heading'), '\\<img src=x\\> \\# not a heading');
  });
});

describe('hoverMarkdown', () => {
  const md = hoverMarkdown({
    card: lstm, term: 'nn.LSTM', cardIds: ['lstm-gates', 'gru-vs-lstm', 'lstm-numpy'],
    equation: { unicode: 'cₜ = fₜ ⊙ cₜ₋₁', svgDataUri: 'data:image/svg+xml;base64,PHN2Zy8+' },
  });
  it('shows the question as the title, a short answer and the equation image', () => {
    const blocks = md.split('\n\n');
    assert.equal(blocks[0], "**Describe the LSTM cell's gates and how the cell state cₜ enables long\\-range memory\\.**");
    assert.match(blocks[1], /^An LSTM has a forget gate fₜ, input gate iₜ, candidate c̃ₜ, and output gate oₜ\\\. The cell state updates additively/);
    assert.equal(blocks[2], '![cₜ = fₜ ⊙ cₜ₋₁](data:image/svg+xml;base64,PHN2Zy8+)');
    assert.doesNotMatch(md, /\$|\\odot|\\tilde/);
  });
  it('says in the footer whether the term is an API, a concept or a naming convention', () => {
    const footer = (role?: 'api' | 'concept' | 'convention') => hoverMarkdown({ card: lstm, term: 'nn.LSTM', cardIds: ['lstm-gates'], role }).split('\n\n').pop();
    assert.equal(footer('api'), '*RNN Lens: nn\\.LSTM (API)*');
    assert.equal(footer('concept'), '*RNN Lens: nn\\.LSTM (concept)*');
    assert.equal(footer('convention'), '*RNN Lens: nn\\.LSTM (naming convention)*');
    assert.equal(footer(), '*RNN Lens: nn\\.LSTM*');
  });
  it('links Open card, Quiz me on this, Open demo and +N more with their arguments', () => {
    assert.deepEqual(links(md), [
      ['Open card', Command.openCard, ['lstm-gates']],
      ['Quiz me on this', Command.quizCard, ['lstm-gates']],
      ['Open demo', Command.openDemo, [{ demo: 'lstm-forward', cardId: 'lstm-gates' }]],
      ['+2 more', Command.pickCard, [{ term: 'nn.LSTM', cardIds: ['lstm-gates', 'gru-vs-lstm', 'lstm-numpy'] }]],
    ]);
    for (const [, command] of links(md)) assert.ok(HOVER_COMMANDS.includes(command), command);
  });
  it('shows no demo link, no "+N more" and the Unicode form when that is all there is', () => {
    const plain = hoverMarkdown({ card: card('x', ['GRU'], { answer: 'A GRU has $h_t = z_t + r_t + q_t$.' }), term: 'GRU', cardIds: ['x'], equation: { unicode: 'hₜ = zₜ + rₜ' } });
    assert.deepEqual(links(plain).map((l) => l[0]), ['Open card', 'Quiz me on this']);
    assert.match(plain, /\n\n`hₜ = zₜ \+ rₜ`\n\n/);
    assert.doesNotMatch(plain, /!\[/);
  });
  it('keeps card text from becoming links or commands', () => {
    const evil = card('evil', ['x'], { question: '[click](command:workbench.action.quit)', answer: 'See [here](command:rnnLens.quizCard?x).' });
    const out = hoverMarkdown({ card: evil, term: 'x', cardIds: ['evil'] });
    assert.doesNotMatch(out, /command:workbench|\]\(command:rnnLens\.quizCard\?x/);
  });
});

describe('equation images', () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10ex" height="2ex"><g fill="${EQUATION_INK}" stroke="${EQUATION_INK}"><path d="M0 0"/></g></svg>`;
  it('recolours the ink for each theme kind', () => {
    for (const kind of [1, 2, 3, 4] as const) {
      const uri = equationDataUri(svg, kind);
      assert.ok(uri.startsWith('data:image/svg+xml;base64,'));
      const decoded = Buffer.from(uri.split(',')[1], 'base64').toString('utf8');
      assert.ok(decoded.includes(`fill="${inkFor(kind)}"`), `kind ${kind}`);
      assert.ok(!decoded.includes(EQUATION_INK));
    }
    assert.notEqual(inkFor(1), inkFor(2));
  });
  it('sizes the image in px, uses the ink placeholder and drops MathJax attributes', () => {
    const out = finishSvg('<svg style="vertical-align: -0.5ex;" width="10ex" height="2.5ex" role="img" focusable="false"><g stroke="currentColor" fill="currentColor"><g data-mml-node="mi"><path data-c="1D450" d="M1"/></g></g></svg>');
    assert.equal(out, `<svg width="90.0" height="22.5"><g stroke="${EQUATION_INK}" fill="${EQUATION_INK}"><g><path d="M1"/></g></g></svg>`);
    assert.throws(() => finishSvg('<svg><g data-mjx-error="x"/></svg>'));
  });
  it('keeps the TeX and warns when an equation cannot be drawn', () => {
    const cards = [lstm, card('none', [], { answer: 'no math' })];
    const failing = renderDeckEquations(cards, root, () => { throw new Error('Undefined control sequence'); });
    assert.deepEqual(failing.equations, { 'lstm-gates': { tex: keyEquation(lstm) } });
    assert.equal(failing.diagnostics.length, 1);
    assert.match(failing.diagnostics[0].message, /Undefined control sequence/);
    const missing = renderDeckEquations(cards, root, 'mathjax-full is not installed');
    assert.deepEqual(missing.equations, { 'lstm-gates': { tex: keyEquation(lstm) } });
    assert.equal(missing.diagnostics[0].message, 'mathjax-full is not installed');
  });
  const mathjaxInstalled = existsSync(join(root, 'node_modules', 'mathjax-full', 'package.json'));
  it('draws real equations as glyph paths with MathJax', { skip: mathjaxInstalled ? false : 'mathjax-full is not installed' }, () => {
    const render = createEquationRenderer(root);
    assert.equal(typeof render, 'function', String(render));
    if (typeof render === 'string') return;
    const out = render('c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t');
    assert.match(out, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/);
    assert.ok(out.includes(`fill="${EQUATION_INK}"`));
    assert.ok((out.match(/<path /g) ?? []).length > 10);
    assert.doesNotMatch(out, /<text|currentColor|c_t/);
    assert.throws(() => render('\\undefinedmacro{x}'));
  });
});
