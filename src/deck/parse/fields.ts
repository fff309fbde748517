// The fields: id, level, kind, tags, terms, demo, source, priority, each checked and reported where it is.
import { excerpt, oneLine } from '../escape';
import { isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { MAX_TERM_CHARS, MAX_TERM_WORDS, MAX_TERMS } from '../limits';
import { DEMOS, KINDS, LEVELS, type DemoId, type Kind, type Level } from '../card';
import type { FrontMatter } from './frontMatter';
import type { Pos, Report } from './report';
import { splitAnnotations, TERM_CONSTRAINTS, TERM_FRAMEWORKS, TERM_LANGUAGES, TERM_ROLES } from '../terms/words';

export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Where a front-matter value sits, for cross-card diagnostics (duplicate id, shared term). */
export interface CardSourceInfo {
  idPos: { line: number; column: number };
  /** Where the `source` value is (present when the card has one). */
  sourcePos?: { line: number; column: number };
  /** One per entry of `card.terms`, same order. */
  termPos: { line: number; column: number }[];
}

/** The front matter's values, checked; a value in error is undefined (and reported). */
export interface CardFields {
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

export function readFields(front: FrontMatter, report: Report): CardFields {
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

/** The terms within the bounds (words counted without the term's annotations): MAX_TERM_WORDS, MAX_TERM_CHARS, MAX_TERMS, with their positions. */
function readTerms({ fields, pos, valuePos }: FrontMatter, { err, warn }: Report): { value: string; pos: Pos }[] {
  const termItems = stringList('terms', fields.get('terms')?.value, pos, valuePos('terms'), err, warn, oneLineTerm)
    .filter((t) => {
      const { text, annotations } = splitAnnotations(t.value);
      for (const tag of annotations.unknown) {
        warn(t.pos.line, t.pos.column, `term '${excerpt(text)}': unknown annotation '@${tag}' (expected a role, ${TERM_ROLES.join(', ')}; a language, ${TERM_LANGUAGES.join(', ')}; a framework, ${TERM_FRAMEWORKS.join(', ')}; or ${TERM_CONSTRAINTS.join(', ')}): it is ignored`);
      }
      const words = text.split(' ').length;
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
