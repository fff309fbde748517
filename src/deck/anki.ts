// Export to Anki's "Notes in Plain Text" import (File > Import, .txt/.tsv): one note a line,
// guid <TAB> front <TAB> back <TAB> tags, after the header lines Anki reads:
//
//   #separator:tab       fields are separated by tabs
//   #html:true           fields are HTML
//   #guid column:1       a note's GUID: the same card exports the same GUID, so importing the
//                        file again updates the notes it made instead of adding copies
//   #notetype:Basic      the fields after the GUID are Basic's Front and Back
//   #deck:NAME           the deck the notes go to (CLI `--deck`, default DEFAULT_ANKI_DECK)
//   #tags column:4       space-separated tags
//
// Pure: no vscode, no DOM, no fs.
//
// Fields are HTML: card Markdown is rendered by markdown-it with html disabled, so card text
// stays data (a `<b>` in a card arrives as `&lt;b&gt;`). Nothing in a field reaches out or
// runs: images become their alt text (no remote fetch), links keep their words and only
// http(s) and mailto targets (a `command:` or `vscode:` link is text), and the MathJax
// macros that make links, styles or load code (`\href`, `\url`, `\class`, `\style`, ...) are
// removed, leaving their arguments as plain math. Math is handed to Anki's own MathJax as
// `\(..\)` (inline) and `\[..\]` (display), HTML-escaped like everything else. A field holds no
// raw tab or newline: a newline that matters (inside a code block) becomes `<br>`, other
// newlines become spaces, tabs become `&#9;`.
import MarkdownIt, { type Token } from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';
import type { Card } from './card';

export const DEFAULT_ANKI_DECK = 'RNN Lens';

export interface AnkiOptions {
  /** The Anki deck the notes go to (`#deck:`); one line. Default DEFAULT_ANKI_DECK. */
  deck?: string;
}

/** The header lines for a deck name (see the top of this file). */
export function ankiHeader(deck: string = DEFAULT_ANKI_DECK): string[] {
  return ['#separator:tab', '#html:true', '#guid column:1', '#notetype:Basic', `#deck:${headerValue(deck)}`, '#tags column:4'];
}

/** A header value ends at the line's end: breaks and tabs become spaces. */
function headerValue(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim() || DEFAULT_ANKI_DECK;
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).use(markdownItKatex);
const escape = (s: string) => md.utils.escapeHtml(s);

/** MathJax macros that make a link, set a style, class or id, or load an extension. */
const UNSAFE_TEX = /\\(?:href|url|class|cssId|style|require|data|unicode)(?![A-Za-z])/g;
const mathText = (tex: string) => escape(tex.replace(UNSAFE_TEX, ''));
md.renderer.rules.math_inline = (tokens: Token[], idx: number) => `\\(${mathText(tokens[idx].content)}\\)`;
const displayMath = (tokens: Token[], idx: number) => `\\[${mathText(tokens[idx].content.trim())}\\]`;
md.renderer.rules.math_block = displayMath;
md.renderer.rules.math_inline_block = displayMath;

/** An image is its alt text: Anki would fetch a remote `src` on every review. */
md.renderer.rules.image = (tokens: Token[], idx: number, options, env, self) => escape(self.renderInlineAsText(tokens[idx].children ?? [], options, env));

/** Links that may stay links; any other target (command:, vscode:, file:, ...) leaves only the words. */
const SAFE_LINK = /^(?:https?:|mailto:)/i;
md.core.ruler.push('rnn_lens_drop_links', (state) => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const open: boolean[] = [];
    block.children = block.children.filter((t) => {
      if (t.type === 'link_open') {
        const keep = SAFE_LINK.test(String(t.attrGet('href') ?? ''));
        open.push(keep);
        return keep;
      }
      if (t.type === 'link_close') return open.pop() ?? true;
      return true;
    });
  }
});

/** One Anki field: HTML on a single line with no tab. */
export function ankiField(markdown: string, inline: boolean): string {
  const html = (inline ? md.renderInline(markdown) : md.render(markdown)).trim();
  // Newlines inside <pre> are content; elsewhere they are layout and read as spaces.
  const oneLine = html
    .split(/(<pre\b[\s\S]*?<\/pre>)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\r?\n/g, '<br>') : part.replace(/\s*\r?\n\s*/g, ' ')))
    .join('');
  return oneLine.replace(/\t/g, '&#9;').trim();
}

/**
 * An Anki tag: tags are separated by spaces and the column holds no HTML, so a tag keeps only
 * letters, digits and `_ - . + :` (`::` nests tags); any run of other characters (space, tab,
 * `#`, quotes, `<`, `&`, ...) becomes one `-`.
 */
export function ankiTag(tag: string): string {
  return tag.trim().replace(/[^\p{L}\p{N}_.+:-]+/gu, '-').replace(/^-+|-+$/g, '');
}

/** FNV-1a, 64 bits. */
function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/**
 * The note GUID for a card: a hash of its id (ids are unique and stable, and review progress
 * is keyed by them too), so every export of the card names the same note. Letters and digits
 * only, so it never starts a comment line (`#`) or needs quoting.
 */
export function ankiGuid(cardId: string): string {
  return `rnnlens${fnv1a64(`rnn-lens:${cardId}`).toString(36)}`;
}

/** The whole export file for the given cards, in order. */
export function exportAnki(cards: readonly Card[], options: AnkiOptions = {}): string {
  const lines = ankiHeader(options.deck);
  for (const card of cards) {
    const tags = [...card.tags, `level::${card.level}`, `kind::${card.kind}`].map(ankiTag).filter(Boolean);
    lines.push([ankiGuid(card.id), ankiField(card.question, true), ankiField(card.answer, false), tags.join(' ')].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
