// The formulas: each one KaTeX must render, reported where it is in the file.
import katex from 'katex';
import type { Token } from 'markdown-it';
import { MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS } from '../limits';
import type { CardBody } from './body';
import { errorMessage, type Report } from './report';

/**
 * KaTeX options for the lint check (the webview draws with the same). `strict: 'ignore'`
 * because KaTeX's default prints console warnings (e.g. for Unicode in math), which would
 * litter CLI output; `trust: false` refuses \href and friends (card text is data).
 */
const KATEX_OPTIONS = { strict: 'ignore', trust: false, output: 'htmlAndMathml' } as const;

export function checkFormulas({ tokens, bodyLines, bodyStart }: CardBody, { err }: Report): void {
  const formulas = findFormulas(tokens, bodyLines);
  const oversized = formulas.filter((f) => f.tex.length > MAX_FORMULA_CHARS);
  if (formulas.length > MAX_FORMULAS) {
    const f = formulas[MAX_FORMULAS];
    err(bodyStart + f.line + 1, f.column, `too many formulas (${formulas.length}; a card holds at most ${MAX_FORMULAS}): split the card`);
  }
  for (const f of oversized) {
    err(bodyStart + f.line + 1, f.column, `formula is too long (${f.tex.length} characters; at most ${MAX_FORMULA_CHARS})`);
  }
  let total = 0;
  const over = formulas.find((f) => (total += f.tex.length) > MAX_FORMULA_TOTAL_CHARS);
  if (over && oversized.length === 0 && formulas.length <= MAX_FORMULAS) {
    const all = formulas.reduce((n, f) => n + f.tex.length, 0);
    err(bodyStart + over.line + 1, over.column, `too much math (${all} characters of formulas; a card holds at most ${MAX_FORMULA_TOTAL_CHARS}): split the card`);
  }
  for (const f of formulas.length > MAX_FORMULAS || oversized.length > 0 || over ? [] : formulas) {
    try {
      katex.renderToString(f.tex, { ...KATEX_OPTIONS, throwOnError: true, displayMode: f.display });
    } catch (e) {
      const offset = typeof (e as { position?: unknown }).position === 'number' ? (e as { position: number }).position : undefined;
      // KaTeX's offset points into the formula; at its very end (a missing brace) the opening
      // delimiter is the more useful place to send the reader.
      const onLine = offset !== undefined && offset < f.tex.length && !f.tex.slice(0, offset).includes('\n');
      const column = f.column + f.delimiter + (onLine ? offset : 0);
      err(bodyStart + f.line + 1, onLine ? column : f.column, `formula KaTeX cannot render: ${katexMessage(e)}`);
    }
  }
}

interface Formula {
  tex: string;
  display: boolean;
  /** 0-based line in the body and 1-based column of the opening delimiter. */
  line: number;
  column: number;
  /** Length of the opening delimiter ($ or $$). */
  delimiter: number;
}

/**
 * The formulas markdown-it-katex found, located in the source: tokens carry only the line
 * range of their block, so each formula is searched for in that range, after the previous one.
 */
function findFormulas(tokens: Token[], bodyLines: string[]): Formula[] {
  const out: Formula[] = [];
  let cursorLine = 0;
  let cursorCol = 0;
  const locate = (tex: string, display: boolean, map: [number, number] | null | undefined): void => {
    const [from, to] = map ?? [cursorLine, bodyLines.length];
    if (from > cursorLine) {
      cursorLine = from;
      cursorCol = 0;
    }
    const delims = display ? ['$$'] : ['$'];
    const firstTexLine = tex.split('\n')[0];
    for (let ln = cursorLine; ln < Math.max(to, cursorLine + 1) && ln < bodyLines.length; ln++) {
      const text = bodyLines[ln];
      for (const d of delims) {
        const needle = d + firstTexLine;
        const at = text.indexOf(needle, ln === cursorLine ? cursorCol : 0);
        const atBare = at < 0 && firstTexLine.trim() === '' ? text.indexOf(d, ln === cursorLine ? cursorCol : 0) : -1;
        const hit = at >= 0 ? at : atBare;
        if (hit >= 0) {
          out.push({ tex, display, line: ln, column: hit + 1, delimiter: d.length });
          cursorLine = ln;
          cursorCol = hit + d.length + firstTexLine.length;
          return;
        }
      }
    }
    out.push({ tex, display, line: from, column: 1, delimiter: 0 });
  };
  for (const t of tokens) {
    if (t.type === 'math_block') locate(t.content.replace(/\n$/, ''), true, t.map as [number, number] | null);
    if (t.type === 'inline' && t.children) {
      for (const c of t.children) {
        if (c.type === 'math_inline') locate(stripBackticks(c.content), false, t.map as [number, number] | null);
        if (c.type === 'math_inline_block') locate(c.content, true, t.map as [number, number] | null);
      }
    }
  }
  return out;
}

/** markdown-it-katex renders $`x`$ as x. */
function stripBackticks(content: string): string {
  return content.length > 2 && content.startsWith('`') && content.endsWith('`') ? content.slice(1, -1) : content;
}

function katexMessage(e: unknown): string {
  return errorMessage(e).replace(/^KaTeX parse error:\s*/, '');
}
