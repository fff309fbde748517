// Export to Anki's "Notes in Plain Text" import (File > Import, .txt/.tsv): one note a line,
// front <TAB> back <TAB> tags, with the header lines Anki reads for separator, HTML and the
// tags column. Pure: no vscode, no DOM, no fs.
//
// Fields are HTML (`#html:true`): card Markdown is rendered by markdown-it with html disabled,
// so card text stays data (a `<b>` in a card arrives as `&lt;b&gt;`). Math is not rendered:
// it is handed to Anki's own MathJax as `\(..\)` (inline) and `\[..\]` (display), HTML-escaped
// like everything else. A field holds no raw tab or newline: a newline that matters (inside
// a code block) becomes `<br>`, other newlines become spaces, tabs become `&#9;`.
import MarkdownIt, { type Token } from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';
import type { Card } from './card';

export const ANKI_HEADER = ['#separator:tab', '#html:true', '#tags column:3'];

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).use(markdownItKatex);
const escape = (s: string) => md.utils.escapeHtml(s);
md.renderer.rules.math_inline = (tokens: Token[], idx: number) => `\\(${escape(tokens[idx].content)}\\)`;
const displayMath = (tokens: Token[], idx: number) => `\\[${escape(tokens[idx].content.trim())}\\]`;
md.renderer.rules.math_block = displayMath;
md.renderer.rules.math_inline_block = displayMath;

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

/** Anki tags are separated by spaces; a card tag with a space or tab would split. */
function ankiTag(tag: string): string {
  return tag.trim().replace(/[\s"]+/g, '-');
}

/** The whole export file for the given cards, in order. */
export function exportAnki(cards: readonly Card[]): string {
  const lines = [...ANKI_HEADER];
  for (const card of cards) {
    const tags = [...card.tags, `level::${card.level}`, `kind::${card.kind}`].map(ankiTag).filter(Boolean);
    lines.push([ankiField(card.question, true), ankiField(card.answer, false), tags.join(' ')].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
