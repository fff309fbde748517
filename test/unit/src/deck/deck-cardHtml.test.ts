// Card Markdown for the quiz view: math becomes [data-tex] placeholders (the webview draws it
// with katex.render, because KaTeX's HTML needs inline styles the CSP blocks), raw HTML in a
// card shows as text, and nothing in the output relies on style attributes or scripts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardInlineToHtml, cardMarkdownToHtml } from '../../../../src/deck/cardHtml';

describe('card HTML for the quiz view', () => {
  it('leaves inline and display math as TeX placeholders, with no inline styles', () => {
    const html = cardMarkdownToHtml('The forget gate $f_t = \\sigma(W_f x_t)$ scales the cell:\n\n$$\nc_t = f_t \\odot c_{t-1}\n$$\n');
    assert.match(html, /<span class="math" data-tex="f_t = \\sigma\(W_f x_t\)"><\/span>/);
    assert.match(html, /<div class="math math-display" data-tex="c_t = f_t \\odot c_\{t-1\}" data-display="true"><\/div>/);
    assert.doesNotMatch(html, /style=/);
    assert.doesNotMatch(html, /class="katex/);
  });

  it('treats ```math fences as display math and keeps other code as code', () => {
    const html = cardMarkdownToHtml('```math\nh_t = \\tanh(a_t)\n```\n\n```python\nx = "<b>"\n```\n');
    assert.match(html, /data-tex="h_t = \\tanh\(a_t\)" data-display="true"/);
    assert.match(html, /<pre><code class="language-python">x = &quot;&lt;b&gt;&quot;\n<\/code><\/pre>/);
  });

  it('shows raw HTML in a card as text', () => {
    const html = cardMarkdownToHtml('Careful: <script>alert(1)</script> and <img src=x onerror=alert(1)> and <b style="color:red">bold</b>');
    assert.doesNotMatch(html, /<script|<img|<b /);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    const q = cardInlineToHtml('What does <em>this</em> do?');
    assert.equal(q, 'What does &lt;em&gt;this&lt;/em&gt; do?');
  });

  it('escapes TeX that looks like markup inside the placeholder attribute', () => {
    const html = cardInlineToHtml('$a<b \\text{"x"}$');
    assert.equal(html, '<span class="math" data-tex="a&lt;b \\text{&quot;x&quot;}"></span>');
  });

  it('drops script URLs from links and keeps web links', () => {
    const html = cardMarkdownToHtml('[bad](javascript:alert(1)) [good](https://colah.github.io/posts/2015-08-Understanding-LSTMs/)');
    // markdown-it's validator refuses the link: it stays visible as plain text, never an href.
    assert.doesNotMatch(html, /href="javascript/);
    assert.match(html, /\[bad\]\(javascript:alert\(1\)\)/);
    assert.match(html, /<a href="https:\/\/colah\.github\.io\/posts\/2015-08-Understanding-LSTMs\/" rel="noreferrer">good<\/a>/);
  });

  it('a card links to https only: command:, vscode:, file:, http: and relative links show as text', () => {
    const hostile = [
      '[run](command:workbench.action.terminal.new)',
      '[open](vscode://ms-python.python/run)',
      '[home](file:///etc/passwd)',
      '[plain](http://example.com/)',
      '[here](./other.md)',
      '<command:workbench.action.terminal.new>',
      '![x](command:workbench.action.terminal.new)',
      '[ref][r]\n\n[r]: command:workbench.action.terminal.new',
    ];
    for (const md of hostile) {
      const html = cardMarkdownToHtml(md);
      assert.doesNotMatch(html, /<a |<img |href=|src=/, `${md} -> ${html}`);
    }
    assert.match(cardMarkdownToHtml('[safe](https://pytorch.org/docs/)'), /<a href="https:\/\/pytorch\.org\/docs\/" rel="noreferrer">safe<\/a>/);
    assert.match(cardInlineToHtml('[run](command:x)'), /\[run\]\(command:x\)/);
  });

  it('renders inline Markdown in a question without a paragraph', () => {
    assert.equal(cardInlineToHtml('Why does `tanh` keep $h_t$ bounded?'), 'Why does <code>tanh</code> keep <span class="math" data-tex="h_t"></span> bounded?');
  });
});
