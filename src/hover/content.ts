// The Markdown of a hover tip: the card's question, a short answer, the key equation and
// command links. Pure (no vscode) so its text is unit-tested; index.ts wraps it in a
// MarkdownString trusted for exactly HOVER_COMMANDS.
import { Command } from '../constants';
import type { Card } from '../deck/card';
import { mathToUnicode } from './equation';

/** The only commands a hover link may run (MarkdownString.isTrusted.enabledCommands). */
export const HOVER_COMMANDS: readonly string[] = [Command.openCard, Command.quizCard, Command.openDemo, Command.pickCard];

/** Argument of Command.pickCard: the term and its cards, best first. */
export interface PickCardArgs {
  term: string;
  cardIds: string[];
}

/** Argument of Command.openDemo from a hover. */
export interface OpenDemoArgs {
  demo: string;
  cardId: string;
}

export interface HoverEquation {
  /** data: URI of the SVG drawn at build time, already in the theme's ink. */
  svgDataUri?: string;
  /** The equation as readable Unicode (image alt text, or the fallback when there is no SVG). */
  unicode: string;
}

export interface HoverInput {
  card: Card;
  /** The matched term as the card writes it. */
  term: string;
  /** Every card for the term, best first (card is the first). */
  cardIds: readonly string[];
  equation?: HoverEquation;
}

/** A command: link; VS Code passes a JSON array's items as the command's arguments. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Backslash-escapes Markdown syntax (what MarkdownString.appendText does), so card text stays text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&').replace(/\n/g, ' ');
}

/**
 * Markdown source -> text for a hover line: math as Unicode, links and emphasis reduced to their
 * words, everything escaped except inline code, which stays code.
 */
export function markdownToHoverText(markdown: string): string {
  const parts = markdown.split(/(`[^`\n]+`)/g);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part; // an inline code span: literal already
      const plain = mathToUnicode(part)
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
        .replace(/(^|[\s(])([*_])(?=\S)([^*_\n]*?\S)\2(?=[\s).,;:!?]|$)/g, '$1$3')
        .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
        .replace(/\s+/g, ' ');
      return escapeMarkdown(plain);
    })
    .join('')
    .trim();
}

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|Fig|Eq|resp|al|No)\.)$/i;

/** The first sentence or two of a card's answer (about a tweet's length), as hover text. */
export function shortAnswer(answer: string, maxChars = 300): string {
  const paragraph = answer
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !/^(?:#|```|~~~|\$\$)/.test(p)) ?? '';
  const text = paragraph.replace(/\s+/g, ' ');
  const sentences: string[] = [];
  let start = 0;
  const re = /[.!?](?=\s+[A-Z0-9(`$"'])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const candidate = text.slice(start, m.index + 1);
    if (ABBREVIATIONS.test(candidate) || insideMathOrCode(text, m.index)) continue;
    sentences.push(candidate.trim());
    start = m.index + 1;
  }
  if (start < text.length) sentences.push(text.slice(start).trim());
  let out = sentences[0] ?? '';
  if (sentences.length > 1 && out.length < 120 && out.length + sentences[1].length < maxChars) out += ' ' + sentences[1];
  if (out.length > maxChars) {
    // Cut at a word, outside math and code, so no `$` or backtick is left open.
    let cut = out.lastIndexOf(' ', maxChars);
    while (cut > 0 && insideMathOrCode(out, cut)) cut = out.lastIndexOf(' ', cut - 1);
    out = out.slice(0, cut > 0 ? cut : maxChars).replace(/[,;:]$/, '') + ' …';
  }
  return out;
}

/** Whether position i of a Markdown line lies inside `$..$` math or a `code` span. */
function insideMathOrCode(s: string, i: number): boolean {
  let dollars = 0;
  let ticks = 0;
  for (let k = 0; k < i; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === '`') ticks++;
    else if (s[k] === '$' && ticks % 2 === 0) dollars++;
  }
  return dollars % 2 === 1 || ticks % 2 === 1;
}

/** The hover's Markdown. */
export function hoverMarkdown(input: HoverInput): string {
  const { card, term, cardIds, equation } = input;
  const blocks: string[] = [];
  blocks.push(`**${markdownToHoverText(card.question)}**`);
  const answer = markdownToHoverText(shortAnswer(card.answer));
  if (answer) blocks.push(answer);
  if (equation?.svgDataUri) {
    const alt = equation.unicode.replace(/[[\]\\]/g, ' ');
    blocks.push(`![${alt}](${equation.svgDataUri})`);
  } else if (equation?.unicode) {
    blocks.push(`\`${equation.unicode.replace(/`/g, "'")}\``);
  }
  const links = [
    `[Open card](${commandUri(Command.openCard, card.id)} "Show the whole card in the RNN Lens quiz view")`,
    `[Quiz me on this](${commandUri(Command.quizCard, card.id)} "Review this card now")`,
  ];
  if (card.demo) {
    const args: OpenDemoArgs = { demo: card.demo, cardId: card.id };
    links.push(`[Open demo](${commandUri(Command.openDemo, args)} "Open the ${card.demo} demo in the lab")`);
  }
  if (cardIds.length > 1) {
    const args: PickCardArgs = { term, cardIds: [...cardIds] };
    links.push(`[+${cardIds.length - 1} more](${commandUri(Command.pickCard, args)} "Other cards about ${escapeTitle(term)}")`);
  }
  blocks.push(links.join(' · '));
  blocks.push(`*RNN Lens: ${escapeMarkdown(term)}*`);
  return blocks.join('\n\n');
}

/** Link titles sit in double quotes. */
function escapeTitle(s: string): string {
  return s.replace(/["\\]/g, '');
}
