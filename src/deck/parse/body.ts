// The body: the first level-1 heading is the question, the rest the answer.
import type { Token } from 'markdown-it';
import { parseCardMarkdown, renderCardInline, renderCardTokens } from '../cardHtml';
import type { Report } from './report';

/** The card's body: its Markdown tokens, the question and the answer. */
export interface CardBody {
  /** 0-based index of the first body line in the file. */
  bodyStart: number;
  bodyLines: string[];
  tokens: Token[];
  question: string;
  answer: string;
  questionHtml: string;
  answerHtml: string;
  /** 1-based line of the question heading. */
  questionLine: number;
}

export function readBody(lines: string[], bodyStart: number, { err, warn }: Report): CardBody {
  const bodyLines = lines.slice(bodyStart);
  const body = bodyLines.join('\n');
  // Parsed once (markdown-it, html disabled: see ../cardHtml.ts): the question, the answer's
  // HTML and the formulas all come from these tokens.
  const tokens = parseCardMarkdown(body);
  const hIndex = tokens.findIndex((t: Token) => t.type === 'heading_open' && t.tag === 'h1');
  let question = '';
  let answer = '';
  let questionHtml = '';
  let answerHtml = '';
  let questionLine = bodyStart + 1;
  if (hIndex < 0) {
    const p = bodyLines.findIndex((l) => l.trim() !== '');
    err(p < 0 ? lines.length : bodyStart + p + 1, 1, "no question heading: the question is the first level-1 heading ('# ...') after the front matter");
  } else {
    const open = tokens[hIndex];
    const map = open.map ?? [0, 1];
    questionLine = bodyStart + map[0] + 1;
    question = (tokens[hIndex + 1]?.content ?? '').trim();
    questionHtml = renderCardInline(tokens[hIndex + 1]?.children ?? []);
    answerHtml = renderCardTokens(tokens.slice(hIndex + 3));
    if (question === '') err(questionLine, 1, 'the question heading is empty');
    const before = bodyLines.slice(0, map[0]).findIndex((l) => l.trim() !== '');
    if (before >= 0) warn(bodyStart + before + 1, 1, 'text before the question heading is not part of the card');
    const answerLines = bodyLines.slice(map[1]);
    answer = answerLines.join('\n').trim();
    if (answer === '') err(questionLine, 1, 'empty answer: write the answer below the question heading');
  }
  return { bodyStart, bodyLines, tokens, question, answer, questionHtml, answerHtml, questionLine };
}
