// The Markdown of a hover tip: the card's question, a short answer, the key equation and
// command links. Pure (no vscode) so its text is unit-tested; index.ts wraps it in a
// MarkdownString trusted for exactly HOVER_COMMANDS.
import * as v from 'valibot';
import { Command } from '../constants';
import type { Card } from '../deck/card';
import { escapeLinkTitle, escapeMarkdown, oneLine } from '../deck/escape';
import { mathToUnicode } from './equation';

/** The only commands a hover link may run (MarkdownString.isTrusted.enabledCommands). */
export const HOVER_COMMANDS: readonly string[] = [Command.openCard, Command.quizCard, Command.openDemo, Command.pickCard];

const PickCardArgsSchema = v.object({ term: v.string(), cardIds: v.array(v.string()) });

/** Argument of Command.pickCard: the term and its cards, best first. */
export type PickCardArgs = v.InferOutput<typeof PickCardArgsSchema>;

/** Command.pickCard's argument, checked (any caller can run a command with anything); undefined if it is not one. */
export function pickCardArgs(raw: unknown): PickCardArgs | undefined {
  const parsed = v.safeParse(PickCardArgsSchema, raw);
  return parsed.success ? parsed.output : undefined;
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
  /** What the term is (TermMatch.role): the footer says so. */
  role?: 'api' | 'concept' | 'convention';
}

const ROLE_NAMES = { api: 'API', concept: 'concept', convention: 'naming convention' } as const;

/**
 * A command: link; VS Code passes a JSON array's items as the command's arguments. The
 * arguments are percent-encoded, parentheses and quotes included, so no argument (a term
 * from a deck file) can end the link's destination.
 */
export function commandUri(command: string, ...args: unknown[]): string {
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${encoded}`;
}

/** The most of a card's question a hover (or a quick pick) shows, in characters of Markdown. */
export const MAX_HOVER_QUESTION_CHARS = 400;

/**
 * Markdown source -> text for a hover line: math as Unicode, links and emphasis reduced to their
 * words, everything escaped except inline code, which stays code. At most `maxChars` of the
 * source are read (cut at a word, as shortAnswer cuts), so the work is bounded on any card.
 */
export function markdownToHoverText(markdown: string, maxChars = MAX_HOVER_QUESTION_CHARS): string {
  const parts = clipMarkdown(markdown, maxChars).split(/(`[^`\n]+`)/g);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return oneLine(part); // an inline code span: literal already
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

/**
 * The first sentence or two of a card's answer (about a tweet's length), as hover text.
 * Linear in the answer's length: only the first paragraph is read, and of it only the first
 * 2 * maxChars characters (the two sentences a hover shows fit in maxChars together).
 */
export function shortAnswer(answer: string, maxChars = 300): string {
  const text = firstParagraph(answer).slice(0, 2 * maxChars + 1).replace(/\s+/g, ' ').trim();
  const inside = mathOrCodeMask(text);
  const sentences: string[] = [];
  let start = 0;
  const re = /[.!?](?=\s+[A-Z0-9(`$"'])/g;
  for (let m = re.exec(text); m && sentences.length < 2; m = re.exec(text)) {
    // The longest abbreviation is 7 characters: its tail is all the test needs.
    const tail = text.slice(Math.max(start, m.index - 8), m.index + 1);
    if (ABBREVIATIONS.test(tail) || inside[m.index]) continue;
    sentences.push(text.slice(start, m.index + 1).trim());
    start = m.index + 1;
  }
  if (sentences.length < 2 && start < text.length) sentences.push(text.slice(start).trim());
  let out = sentences[0] ?? '';
  if (sentences.length > 1 && out.length < 120 && out.length + sentences[1].length < maxChars) out += ' ' + sentences[1];
  return clipMarkdown(out, maxChars);
}

/** The first paragraph that is prose (not a heading, code fence or display math), trimmed. */
function firstParagraph(markdown: string): string {
  const re = /\n[^\S\n]*\n\s*/g;
  let start = 0;
  for (;;) {
    const m = re.exec(markdown);
    const end = m ? m.index : markdown.length;
    const p = markdown.slice(start, end).trim();
    if (p && !/^(?:#|```|~~~|\$\$)/.test(p)) return p;
    if (!m) return '';
    start = re.lastIndex;
  }
}

/** Markdown cut to at most maxChars at a word, outside math and code, so no `$` or backtick is left open. */
function clipMarkdown(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars + 1);
  const inside = mathOrCodeMask(head);
  let cut = head.lastIndexOf(' ', maxChars);
  while (cut > 0 && inside[cut]) cut = head.lastIndexOf(' ', cut - 1);
  return head.slice(0, cut > 0 ? cut : maxChars).replace(/[,;:]$/, '') + ' …';
}

/** For each position of a Markdown line: 1 where it lies inside `$..$` math or a `code` span. */
function mathOrCodeMask(s: string): Uint8Array {
  const mask = new Uint8Array(s.length + 1);
  let dollars = 0;
  let ticks = 0;
  for (let k = 0; k < s.length; k++) {
    mask[k] = dollars % 2 === 1 || ticks % 2 === 1 ? 1 : 0;
    if (s[k] === '\\') {
      if (k + 1 < s.length) mask[k + 1] = mask[k];
      k++;
    } else if (s[k] === '`') ticks++;
    else if (s[k] === '$' && ticks % 2 === 0) dollars++;
  }
  mask[s.length] = dollars % 2 === 1 || ticks % 2 === 1 ? 1 : 0;
  return mask;
}

/** The hover's Markdown. */
export function hoverMarkdown(input: HoverInput): string {
  const { card, term, cardIds, equation, role } = input;
  const blocks: string[] = [];
  blocks.push(`**${markdownToHoverText(card.question)}**`);
  const answer = markdownToHoverText(shortAnswer(card.answer));
  if (answer) blocks.push(answer);
  // The equation's text comes from the card: one line, so it cannot leave its alt text or code span.
  if (equation?.svgDataUri) {
    const alt = oneLine(equation.unicode).replace(/[[\]\\]/g, ' ');
    blocks.push(`![${alt}](${equation.svgDataUri})`);
  } else if (equation?.unicode) {
    blocks.push(`\`${oneLine(equation.unicode).replace(/`/g, "'")}\``);
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
    links.push(`[+${cardIds.length - 1} more](${commandUri(Command.pickCard, args)} "Other cards about ${escapeLinkTitle(term)}")`);
  }
  blocks.push(links.join(' · '));
  blocks.push(`*RNN Lens: ${escapeMarkdown(term)}${role ? ` (${ROLE_NAMES[role]})` : ''}*`);
  return blocks.join('\n\n');
}
