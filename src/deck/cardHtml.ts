// Card Markdown -> the HTML in Card.questionHtml / Card.answerHtml, with math left for the webview to draw.
//
// Why not markdown-it-katex's own output: it renders math with katex.renderToString, whose
// HTML positions struts and glyphs with inline `style` attributes; the webview's CSP has no
// 'unsafe-inline', so that HTML loses its layout (docs/TESTING.md). Here the same parser
// (@vscode/markdown-it-katex) finds the math, but each formula becomes an empty element that
// carries its TeX in `data-tex`; the webview calls katex.render(tex, element), which builds
// the nodes with the CSSOM (allowed under the CSP).
//
// markdown-it runs with html:false, so raw HTML in a card is escaped and shows as text. Links
// and images keep only https URLs (webLinkOnly): anything else (command:, vscode:, file:, a
// relative path) is no link at all, and its Markdown shows as text. Pure: no vscode, no DOM.
import MarkdownIt, { type MarkdownIt as Md, type RendererRule, type Token } from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';

/**
 * The only URLs a card may link to: https. A `command:` or `vscode:` link in a card would run a
 * command or open a handler from a click in the quiz; a card is data, so it gets neither.
 */
export function webLinkOnly(url: string): boolean {
  return /^https:\/\/[^\s]/i.test(url.trim());
}

function createRenderer(): Md {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = webLinkOnly;
  const fence = md.renderer.rules.fence as RendererRule;
  md.use(markdownItKatex, { enableFencedBlocks: true, throwOnError: false });
  const esc = md.utils.escapeHtml;
  const inline = (tex: string) => `<span class="math" data-tex="${esc(tex)}"></span>`;
  const block = (tex: string) => `<div class="math math-display" data-tex="${esc(tex.trim())}" data-display="true"></div>\n`;
  md.renderer.rules.math_inline = (tokens, idx) => {
    const content = tokens[idx].content;
    // $`a+b`$ is the plugin's escape form for math with dollars inside.
    const tex = content.length > 2 && content.startsWith('`') && content.endsWith('`') ? content.slice(1, -1) : content;
    return inline(tex);
  };
  md.renderer.rules.math_inline_block = (tokens, idx) => block(tokens[idx].content);
  md.renderer.rules.math_inline_bare_block = (tokens, idx) => block(tokens[idx].content);
  md.renderer.rules.math_block = (tokens, idx) => block(tokens[idx].content);
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    if (tokens[idx].info.trim().toLowerCase() === 'math') return block(tokens[idx].content);
    return fence(tokens, idx, options, env, self);
  };
  // Links open outside the webview (the host opens them); mark them so the view can route clicks.
  const linkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('rel', 'noreferrer');
    return linkOpen(tokens, idx, options, env, self);
  };
  return md;
}

let renderer: Md | undefined;

/**
 * Card Markdown as markdown-it tokens (math found by the same plugin). The parser (./parse/)
 * reads the question, the answer and the formulas from these tokens and renders them with
 * renderCardTokens, so a card's Markdown is parsed once.
 */
export function parseCardMarkdown(markdown: string): Token[] {
  renderer ??= createRenderer();
  return renderer.parse(markdown, {});
}

/** Block tokens from parseCardMarkdown as HTML; what cardMarkdownToHtml gives for their source. */
export function renderCardTokens(tokens: Token[]): string {
  renderer ??= createRenderer();
  return renderer.renderer.render(tokens, renderer.options, {});
}

/** An inline token's children (a heading's text) as HTML; what cardInlineToHtml gives for its source. */
export function renderCardInline(children: Token[]): string {
  renderer ??= createRenderer();
  return renderer.renderer.renderInline(children, renderer.options, {});
}

/** Card Markdown as safe HTML whose formulas are `[data-tex]` placeholders (see above). */
export function cardMarkdownToHtml(markdown: string): string {
  renderer ??= createRenderer();
  return renderer.render(markdown);
}

/** A question is one heading line: render it inline (no <p> wrapper). */
export function cardInlineToHtml(markdown: string): string {
  renderer ??= createRenderer();
  return renderer.renderInline(markdown);
}
