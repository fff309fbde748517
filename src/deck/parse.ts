// The Markdown card parser: one `cards/*.md` file -> at most one Card plus diagnostics.
// Pure: no vscode, no DOM, no fs. Never throws: every input yields cards and diagnostics.
//
// A card file (docs/DECK-FORMAT.md):
//
//   ---
//   id: lstm-gates            required, kebab-case, unique across every loaded deck
//   level: intermediate       required: foundational | intermediate | advanced | expert
//   kind: concept             required: concept | system-design | coding | math | cert
//   tags: [lstm, gating]      optional kebab-case topic tags
//   terms: [nn.LSTM, LSTM]    optional: what the hover matches to this card
//   demo: lstm-forward        optional: a lab demo id (DEMOS in ./card.ts)
//   source: https://pytorch.org/docs/2.5/generated/torch.nn.LSTM.html (PyTorch 2.5)
//                             optional: the documentation that backs the card, an http(s) URL
//                             and the version in parentheses; `seed` for the cards imported
//                             from the seed file. ./lint.ts checks it (a warning in user
//                             decks, an error in the bundled decks, which require it)
//   priority: 1               optional integer, default 0: when several cards claim the same
//                             term, the card with the highest priority is the best match; a
//                             tie at the top is a lint error (see ./lint.ts), so a shared term
//                             always has one deliberate owner
//   ---
//   # The question (the first level-1 heading; it may hold $math$)
//
//   The answer: everything after the question heading.
//
// Positions are 1-based line:column of the offending text in the file itself (front matter
// lines included), so `file:line:col` lands on it in an editor.
//
// Bounds, so that a hostile file costs little (each breach is a diagnostic, never a hang; the
// numbers are in ./limits.ts):
//   - a card file is at most MAX_CARD_CHARS (128 KiB) characters; a larger one is left out
//     (readers check the size before reading: CARD_TOO_LARGE);
//   - a card holds at most MAX_FORMULAS (200) formulas of at most MAX_FORMULA_CHARS (2,000)
//     characters each and MAX_FORMULA_TOTAL_CHARS (10,000) in all (KaTeX takes about 8 µs a
//     character); beyond any of these the card is left out, and no formula is handed to KaTeX;
//   - a term is one line (every run of whitespace reads as one space) of at most MAX_TERM_WORDS
//     (6) words and MAX_TERM_CHARS (64) characters; a longer one is ignored with a warning;
//     a card claims at most MAX_TERMS (50) terms (the rest are ignored with a warning).
// Values quoted in messages are shortened to one line (./escape.ts).
import katex from 'katex';
import type { Token } from 'markdown-it';
import { parseCardMarkdown, renderCardInline, renderCardTokens } from './cardHtml';
import { excerpt, oneLine } from './escape';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import {
  cardTooLarge, MAX_CARD_CHARS, MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS,
} from './limits';
import { DEMOS, KINDS, LEVELS, type Card, type DeckDiagnostic, type DemoId, type Kind, type Level, type ParseResult, type Severity } from './card';

export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const KNOWN_FIELDS = new Set(['id', 'level', 'kind', 'tags', 'terms', 'demo', 'source', 'priority']);

export { cardTooLarge, MAX_CARD_CHARS, MAX_FORMULA_CHARS, MAX_FORMULA_TOTAL_CHARS, MAX_FORMULAS, MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS };

/**
 * KaTeX options for the lint check (the webview draws with the same). `strict: 'ignore'`
 * because KaTeX's default prints console warnings (e.g. for Unicode in math), which would
 * litter CLI output; `trust: false` refuses \href and friends (card text is data).
 */
const KATEX_OPTIONS = { strict: 'ignore', trust: false, output: 'htmlAndMathml' } as const;

/** Where a front-matter value sits, for cross-card diagnostics (duplicate id, shared term). */
export interface CardSourceInfo {
  idPos: { line: number; column: number };
  /** Where the `source` value is (present when the card has one). */
  sourcePos?: { line: number; column: number };
  /** One per entry of `card.terms`, same order. */
  termPos: { line: number; column: number }[];
}

export interface DetailedParseResult extends ParseResult {
  /** Present when `cards` holds a card. */
  info?: CardSourceInfo;
}

/** Parses one card file; see the top of this file for the format. */
export function parseCardFile(text: string, file: string): ParseResult {
  const { cards, diagnostics } = parseCardFileDetailed(text, file);
  return { cards, diagnostics };
}

/** parseCardFile plus the positions of the values the linter compares across cards. */
export function parseCardFileDetailed(text: string, file: string): DetailedParseResult {
  try {
    return parseUnsafe(String(text), file);
  } catch (err) {
    // A bug here must not take the deck down: report it on the card and leave the card out.
    return { cards: [], diagnostics: [diag(file, 1, 1, 'error', `internal error while parsing this card: ${errorMessage(err)}`)] };
  }
}

function diag(file: string, line: number, column: number, severity: Severity, message: string): DeckDiagnostic {
  return { file, line, column, severity, message: oneLine(message) };
}

function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.split('\n')[0];
}

/** Lines with their ends removed; CRLF, CR and a BOM do not change line numbers. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

type Pos = { line: number; column: number };
type Reporter = (line: number, column: number, message: string) => void;

/** Collects a card's diagnostics in the order they are found. */
interface Report {
  readonly diagnostics: DeckDiagnostic[];
  readonly err: Reporter;
  readonly warn: Reporter;
}

function parseUnsafe(text: string, file: string): DetailedParseResult {
  if (text.length > MAX_CARD_CHARS) return { cards: [], diagnostics: [cardTooLarge(file, text.length)] };
  const diagnostics: DeckDiagnostic[] = [];
  const report: Report = {
    diagnostics,
    err: (line, column, message) => diagnostics.push(diag(file, line, column, 'error', message)),
    warn: (line, column, message) => diagnostics.push(diag(file, line, column, 'warning', message)),
  };
  const lines = splitLines(text);
  const front = readFrontMatter(lines, report);
  if (!front) return { cards: [], diagnostics };
  const fields = readFields(front, report);
  const body = readBody(lines, front.close + 1, report);
  checkFormulas(body, report);
  if (diagnostics.some((d) => d.severity === 'error')) return { cards: [], diagnostics };
  return { cards: [assembleCard(fields, body, file)], diagnostics, info: fields.info };
}

/** The front matter's fields, and where its values are. */
interface FrontMatter {
  /** 0-based index of the closing '---' line. */
  close: number;
  fields: Map<string, { keyNode: YamlNode; value: unknown }>;
  /** A YAML offset as a position in the file. */
  pos(offset: number | undefined): Pos;
  /** Position of a field's value (or of its key, or of the front matter's first line). */
  valuePos(key: string): Pos;
  /** A scalar field as a string, or undefined when absent / null / not a scalar (reported). */
  scalar(key: string): string | undefined;
}

// ---- front matter
function readFrontMatter(lines: string[], { err, warn }: Report): FrontMatter | undefined {
  if (lines[0]?.trimEnd() !== '---') {
    err(1, 1, "no front matter: a card starts with a '---' line, then id, level and kind, then '---'");
    return undefined;
  }
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/^(?:---|\.\.\.)\s*$/.test(lines[i])) {
      close = i;
      break;
    }
  }
  if (close < 0) {
    err(1, 1, "front matter is not closed: add a '---' line after the last field");
    return undefined;
  }
  const yamlText = lines.slice(1, close).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  // YAML positions are relative to the line after the opening '---'.
  const pos = (offset: number | undefined): Pos => {
    if (offset === undefined) return { line: 2, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line + 1, column: p.col };
  };
  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    for (const e of doc.errors) {
      const p = pos(e.pos[0]);
      const message = `front matter is not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
      // The YAML parser may report one mistake twice (once per recovery attempt).
      if (seen.has(`${p.line}:${p.column}:${message}`)) continue;
      seen.add(`${p.line}:${p.column}:${message}`);
      err(p.line, p.column, message);
    }
    return undefined;
  }
  for (const w of doc.warnings) {
    const p = pos(w.pos[0]);
    warn(p.line, p.column, `front matter: ${w.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const contents = doc.contents;
  if (!isMap(contents)) {
    err(2, 1, 'front matter must be a YAML mapping of fields (id: ..., level: ..., kind: ...)');
    return undefined;
  }
  const map = contents as YAMLMap<unknown, unknown>;
  const fields = new Map<string, { keyNode: YamlNode; value: unknown }>();
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const keyPos = pos(keyNode?.range?.[0]);
    if (!KNOWN_FIELDS.has(key)) {
      warn(keyPos.line, keyPos.column, `unknown front-matter field '${excerpt(key)}' is ignored (known: ${[...KNOWN_FIELDS].join(', ')})`);
      continue;
    }
    fields.set(key, { keyNode: keyNode as YamlNode, value: pair.value });
  }
  const valuePos = (key: string): Pos => {
    const f = fields.get(key);
    if (!f) return { line: 1, column: 1 };
    const v = f.value as YamlNode | null;
    return pos(v?.range?.[0] ?? f.keyNode.range?.[0]);
  };
  const scalar = (key: string): string | undefined => {
    const f = fields.get(key);
    if (!f) return undefined;
    const v = f.value;
    if (v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === ''))) return undefined;
    if (!isScalar(v) || typeof v.value === 'object') {
      const p = valuePos(key);
      err(p.line, p.column, `'${key}' must be a single value, not a list or mapping`);
      return undefined;
    }
    return String(v.value).trim();
  };
  return { close, fields, pos, valuePos, scalar };
}

/** The front matter's values, checked; a value in error is undefined (and reported). */
interface CardFields {
  id: string | undefined;
  level: Level | undefined;
  kind: Kind | undefined;
  tags: string[];
  terms: string[];
  demo: DemoId | undefined;
  source: string | undefined;
  priority: number | undefined;
  info: CardSourceInfo;
}

// ---- fields: id, level, kind, tags, terms, demo, source, priority
function readFields(front: FrontMatter, report: Report): CardFields {
  const { fields, pos, valuePos, scalar } = front;
  const { err, warn } = report;
  const before = report.diagnostics.length;
  const id = scalar('id');
  const idPos = valuePos('id');
  if (id === undefined) {
    // An id that is a list has been reported by scalar(); an absent or empty one is reported here.
    if (report.diagnostics.length === before) {
      err(idPos.line, idPos.column, "missing 'id': give the card a stable kebab-case id (review progress is keyed by it)");
    }
  } else if (!KEBAB_CASE.test(id)) {
    err(idPos.line, idPos.column, `id '${excerpt(id)}' is not kebab-case (lower-case letters, digits and single hyphens, e.g. lstm-gates)`);
  }

  const level = enumField('level', LEVELS, scalar('level'), valuePos('level'), fields.has('level'), err, warn);
  const kind = enumField('kind', KINDS, scalar('kind'), valuePos('kind'), fields.has('kind'), err, warn);

  const tags = stringList('tags', fields.get('tags')?.value, pos, valuePos('tags'), err, warn).map((t) => t.value);
  for (const t of tags) {
    if (!KEBAB_CASE.test(t)) {
      const p = valuePos('tags');
      warn(p.line, p.column, `tag '${excerpt(t)}' is not kebab-case`);
    }
  }
  const termItems = readTerms(front, report);

  let demo: DemoId | undefined;
  const demoRaw = scalar('demo');
  if (demoRaw !== undefined) {
    if ((DEMOS as readonly string[]).includes(demoRaw)) demo = demoRaw as DemoId;
    else {
      const p = valuePos('demo');
      err(p.line, p.column, `demo '${excerpt(demoRaw)}' names no demo (known: ${DEMOS.join(', ')})`);
    }
  }
  const source = scalar('source');

  let priority: number | undefined;
  const prioField = fields.get('priority');
  if (prioField) {
    const v = prioField.value;
    const n = isScalar(v) ? v.value : undefined;
    if (typeof n === 'number' && Number.isInteger(n)) priority = n;
    else {
      const p = valuePos('priority');
      err(p.line, p.column, `priority must be an integer (higher wins a shared term), not '${isScalar(v) ? excerpt(String(v.value)) : 'a list'}'`);
    }
  }
  return {
    id, level, kind, tags, terms: termItems.map((t) => t.value), demo, source, priority,
    info: { idPos, termPos: termItems.map((t) => t.pos), ...(source !== undefined ? { sourcePos: valuePos('source') } : {}) },
  };
}

/** The terms within the bounds (MAX_TERM_WORDS, MAX_TERM_CHARS, MAX_TERMS), with their positions. */
function readTerms({ fields, pos, valuePos }: FrontMatter, { err, warn }: Report): { value: string; pos: Pos }[] {
  const termItems = stringList('terms', fields.get('terms')?.value, pos, valuePos('terms'), err, warn, oneLineTerm)
    .filter((t) => {
      const words = t.value.split(' ').length;
      if (words <= MAX_TERM_WORDS && t.value.length <= MAX_TERM_CHARS) return true;
      warn(t.pos.line, t.pos.column, `term '${excerpt(t.value)}' is too long (${words} word${words === 1 ? '' : 's'}, ${t.value.length} characters; ` +
        `at most ${MAX_TERM_WORDS} words and ${MAX_TERM_CHARS} characters): it is ignored`);
      return false;
    });
  if (termItems.length > MAX_TERMS) {
    const p = termItems[MAX_TERMS].pos;
    warn(p.line, p.column, `too many terms (${termItems.length}; a card claims at most ${MAX_TERMS}): the rest are ignored`);
    termItems.length = MAX_TERMS;
  }
  return termItems;
}

/** The card's body: its Markdown tokens, the question and the answer. */
interface CardBody {
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

// ---- body: the first level-1 heading is the question, the rest the answer
function readBody(lines: string[], bodyStart: number, { err, warn }: Report): CardBody {
  const bodyLines = lines.slice(bodyStart);
  const body = bodyLines.join('\n');
  // Parsed once (markdown-it, html disabled: see ./cardHtml.ts): the question, the answer's
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

// ---- formulas: each one KaTeX must render, reported where it is
function checkFormulas({ tokens, bodyLines, bodyStart }: CardBody, { err }: Report): void {
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

/** The card, from fields and a body that carry no error (so id, level and kind are set). */
function assembleCard(fields: CardFields, body: CardBody, file: string): Card {
  const card: Card = {
    id: fields.id as string,
    level: fields.level as Level,
    kind: fields.kind as Kind,
    tags: fields.tags,
    terms: fields.terms,
    question: body.question,
    answer: body.answer,
    questionHtml: body.questionHtml,
    answerHtml: body.answerHtml,
    file,
    line: body.questionLine,
  };
  if (fields.demo) card.demo = fields.demo;
  if (fields.source !== undefined) card.source = fields.source;
  if (fields.priority !== undefined) card.priority = fields.priority;
  return card;
}

function enumField<T extends string>(
  key: string,
  allowed: readonly T[],
  raw: string | undefined,
  p: { line: number; column: number },
  present: boolean,
  err: (line: number, column: number, message: string) => void,
  warn: (line: number, column: number, message: string) => void,
): T | undefined {
  if (raw === undefined) {
    err(present ? p.line : 1, present ? p.column : 1, `missing '${key}': one of ${allowed.join(', ')}`);
    return undefined;
  }
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  const lower = raw.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) {
    warn(p.line, p.column, `${key} '${raw}' should be written in lower case: '${lower}'`);
    return lower as T;
  }
  err(p.line, p.column, `unknown ${key} '${raw}': expected one of ${allowed.join(', ')}`);
  return undefined;
}

/** A list of strings (a single string counts as a list of one); bad items are reported and skipped. */
function stringList(
  key: string,
  value: unknown,
  pos: (offset: number | undefined) => { line: number; column: number },
  fieldPos: { line: number; column: number },
  err: (line: number, column: number, message: string) => void,
  warn: (line: number, column: number, message: string) => void,
  normalize: (s: string) => string = (s) => s.trim(),
): { value: string; pos: { line: number; column: number } }[] {
  if (value === undefined || value === null || (isScalar(value) && value.value === null)) return [];
  const items: unknown[] = isSeq(value) ? value.items : [value];
  if (!isSeq(value) && !isScalar(value)) {
    err(fieldPos.line, fieldPos.column, `'${key}' must be a list, e.g. ${key}: [a, b]`);
    return [];
  }
  const out: { value: string; pos: { line: number; column: number } }[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const p = pos((item as YamlNode | null)?.range?.[0]);
    if (!isScalar(item) || item.value === null || typeof item.value === 'object') {
      warn(p.line, p.column, `an entry of '${key}' is not a plain value and is ignored`);
      continue;
    }
    // A plain `0x0` or `1e3` is a number to YAML but a word to a deck: keep what was written.
    const s = normalize(typeof item.value === 'string' ? item.value : (item.source ?? String(item.value)));
    if (s === '') {
      warn(p.line, p.column, `an empty entry of '${key}' is ignored`);
      continue;
    }
    if (seen.has(s)) {
      warn(p.line, p.column, `'${excerpt(s)}' is listed twice in '${key}'`);
      continue;
    }
    seen.add(s);
    out.push({ value: s, pos: p });
  }
  return out;
}

/** A term is one line: any run of whitespace (blank lines included) reads as one space. */
function oneLineTerm(s: string): string {
  return oneLine(s).replace(/\s+/g, ' ').trim();
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
