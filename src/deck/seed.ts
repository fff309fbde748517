// The seed text format (docs/DECK-FORMAT.md, "The seed format") -> cards, and a seed card -> a Markdown card file.
// Pure: no vscode, no DOM, no fs. Never throws.
//
// The format has no separators: a card is
//
//   question line
//   answer line
//   #tag#tag#tag     (optional)
//   LevelKind        (optional, e.g. Intermediatesystem-design)
//
// so the reader is a small state machine over the non-blank lines: after a question the next
// line is always its answer; after an answer (or a tags line) a metadata line belongs to the
// same card, and any other line starts the next card. Metadata therefore attaches only to the
// card right above it and never moves to a neighbour: a card without metadata simply ends
// where the next question begins, and a metadata line that has no card above it is reported
// and dropped. A line can only be taken for metadata by its shape (`#tag#tag`, or one word of
// letters and hyphens), which no question or answer sentence has.
import { KINDS, LEVELS, type DeckDiagnostic, type DemoId, type Kind, type Level } from './card';
import { excerpt } from './escape';
import { KEBAB_CASE, splitLines } from './parse';

export interface SeedCard {
  id: string;
  question: string;
  answer: string;
  tags: string[];
  /** null when the seed gives none (or one this importer does not know): reported as a warning. */
  level: Level | null;
  kind: Kind | null;
  /** 1-based line of the question in the seed file. */
  line: number;
}

export interface SeedImport {
  cards: SeedCard[];
  diagnostics: DeckDiagnostic[];
}

/** A tags line: `#a#b`, tolerating spaces between tags. */
const TAGS_LINE = /^#[^\s#]+(?:\s*#[^\s#]+)*$/;
/** The shape of a LevelKind line: one word of letters and hyphens. */
const LEVELKIND_SHAPE = /^[A-Za-z][A-Za-z-]*$/;
const LEVELKIND = new RegExp(`^(${LEVELS.join('|')})(${KINDS.join('|')})$`, 'i');

/**
 * One word of letters and hyphens that starts with a level or ends with a kind: a LevelKind
 * line, possibly misspelt on one side (`Beginnerconcept`). A one-word answer such as `Yes`
 * does not qualify, so it stays an answer.
 */
function looksLikeLevelKind(line: string): boolean {
  if (!LEVELKIND_SHAPE.test(line)) return false;
  const lower = line.toLowerCase();
  return LEVELS.some((l) => lower.startsWith(l)) || KINDS.some((k) => lower.endsWith(k) && lower.length > k.length);
}

export function importSeed(text: string, file: string): SeedImport {
  try {
    return importUnsafe(String(text), file);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { cards: [], diagnostics: [{ file, line: 1, column: 1, severity: 'error', message: `internal error while importing: ${message}` }] };
  }
}

type State = 'start' | 'question' | 'answer' | 'tags' | 'done';

function importUnsafe(text: string, file: string): SeedImport {
  const diagnostics: DeckDiagnostic[] = [];
  const warn = (line: number, message: string) => diagnostics.push({ file, line, column: 1, severity: 'warning', message });
  const cards: SeedCard[] = [];
  const usedIds: UsedIds = { used: new Set(), next: new Map() };
  let state: State = 'start';
  let current: (SeedCard & { hasTags: boolean; hasLevel: boolean }) | undefined;

  const finish = () => {
    if (!current) return;
    const c = current;
    current = undefined;
    if (state === 'question') {
      warn(c.line, `question '${excerpt(c.question)}' has no answer line; the card is skipped`);
      return;
    }
    if (!c.hasTags && !c.hasLevel) {
      warn(c.line, `card '${excerpt(c.question)}' has no tags line and no level/kind line: its tags are empty and its level and kind unknown; choose them in the card file`);
    } else if (!c.hasLevel) {
      warn(c.line, `card '${excerpt(c.question)}' has no level/kind line: its level and kind are unknown; choose them in the card file`);
    }
    c.id = uniqueId(idFromQuestion(c.question, c.line), usedIds);
    cards.push({ id: c.id, question: c.question, answer: c.answer, tags: c.tags, level: c.level, kind: c.kind, line: c.line });
  };

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '') continue;
    const isTags = TAGS_LINE.test(line);
    const isLevelKind = !isTags && looksLikeLevelKind(line);

    if (state === 'question' && current) {
      if (isTags || isLevelKind) {
        // A question directly followed by metadata has lost its answer: drop the card and the
        // metadata rather than pair them with anything else.
        warn(lineNo, `line ${lineNo} is a ${isTags ? 'tags' : 'level/kind'} line where the answer of the question at line ${current.line} should be; the card is skipped`);
        current = undefined;
        state = 'start';
        continue;
      }
      current.answer = line;
      if (line.endsWith('?') && line.length < 200) {
        warn(lineNo, `line ${lineNo} is read as the answer of the question at line ${current.line}, but it reads like a question: is an answer missing?`);
      }
      state = 'answer';
      continue;
    }

    if (state === 'answer' && current && isTags) {
      current.tags = parseTags(line, lineNo, warn);
      current.hasTags = true;
      state = 'tags';
      continue;
    }
    if ((state === 'answer' || state === 'tags') && current && isLevelKind) {
      readLevelKind(current, line, lineNo, warn);
      current.hasLevel = true;
      state = 'done';
      continue;
    }
    if (isTags || isLevelKind) {
      const where = state === 'start' ? 'before any card'
        : state === 'tags' ? `after the tags line of the card at line ${current?.line ?? '?'}`
          : `after the level/kind line of the card at line ${current?.line ?? '?'}`;
      warn(lineNo, `${isTags ? 'tags' : 'level/kind'} line '${excerpt(line)}' comes ${where}; it is ignored`);
      continue;
    }
    // Any other line starts a card.
    finish();
    current = { id: '', question: line, answer: '', tags: [], level: null, kind: null, line: lineNo, hasTags: false, hasLevel: false };
    state = 'question';
  }
  finish();
  return { cards, diagnostics };
}

function readLevelKind(card: { level: Level | null; kind: Kind | null; line: number }, line: string, lineNo: number, warn: (line: number, message: string) => void): void {
  const m = LEVELKIND.exec(line);
  if (m) {
    card.level = m[1].toLowerCase() as Level;
    card.kind = m[2].toLowerCase() as Kind;
    return;
  }
  // Keep the half that is known; say which half is not.
  const lower = line.toLowerCase();
  card.level = LEVELS.find((l) => lower.startsWith(l)) ?? null;
  card.kind = KINDS.find((k) => lower.endsWith(k)) ?? null;
  const unknown = [card.level ? '' : 'level', card.kind ? '' : 'kind'].filter(Boolean).join(' and ');
  warn(
    lineNo,
    `unknown level/kind '${excerpt(line)}' for the card at line ${card.line}: expected a level (${LEVELS.join(', ')}) ` +
      `followed by a kind (${KINDS.join(', ')}), e.g. Intermediateconcept; ` +
      (unknown ? `its ${unknown} ${unknown.includes(' and ') ? 'are' : 'is'} left unknown` : `read as ${card.level} ${card.kind}`),
  );
}

function parseTags(line: string, lineNo: number, warn: (line: number, message: string) => void): string[] {
  const tags = new Set<string>();
  for (const raw of line.split('#')) {
    const t = raw.trim();
    if (!t || tags.has(t)) continue;
    if (!KEBAB_CASE.test(t)) warn(lineNo, `tag '${excerpt(t)}' is not kebab-case`);
    tags.add(t);
  }
  return [...tags];
}

// ---------------------------------------------------------------------------------------------
// Ids

const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'describe', 'derive', 'did', 'do', 'does', 'explain',
  'for', 'from', 'give', 'how', 'i', 'in', 'is', 'it', 'its', 'largely', 'might', 'must', 'of', 'on', 'or',
  'over', 'one', 's', 'should', 'that', 'the', 'their', 'this', 'to', 'vs', 'what', 'when', 'which', 'why',
  'with', 'would', 'write', 'you', 'your',
  // question verbs that say nothing about the topic
  'differ', 'gain', 'implement', 'initializing', 'prefer', 'problem', 'replace', 'solve', 'suffer',
]);

/** A kebab-case id from the question's first few meaningful words (math left out). */
export function idFromQuestion(question: string, line = 0): string {
  const words = question
    .replace(/\$\$[\s\S]*?\$\$|\$[^$]*\$/g, ' ')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP_WORDS.has(w));
  const id = words.slice(0, 4).join('-').slice(0, 48).replace(/-+$/, '');
  return id || `card-${line}`;
}

/** The ids given so far, and per base id the next suffix to try. */
interface UsedIds {
  used: Set<string>;
  next: Map<string, number>;
}

/**
 * `id`, or `id-2`, `id-3`, ... when taken. Linear over a whole import: each base remembers
 * where its suffixes stopped, so N copies of one question cost N steps, not N²/2.
 */
function uniqueId(id: string, ids: UsedIds): string {
  let out = id;
  let n = ids.next.get(id) ?? 2;
  while (ids.used.has(out)) out = `${id}-${n++}`;
  ids.next.set(id, n);
  ids.used.add(out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seed card -> Markdown card file

export interface CardExtras {
  terms?: readonly string[];
  demo?: DemoId;
  priority?: number;
}

/** What a card without a level/kind line is written as; the written file says it was a guess. */
const GUESSED_LEVEL: Level = 'intermediate';
const GUESSED_KIND: Kind = 'concept';

/** The card file for a seed card (docs/DECK-FORMAT.md): parses back to the same question and answer. */
export function toMarkdown(card: SeedCard, extras: CardExtras = {}): string {
  const fm = ['---', `id: ${yamlScalar(card.id)}`];
  fm.push(card.level ? `level: ${card.level}` : `level: ${GUESSED_LEVEL} # guessed: the seed gives no level`);
  fm.push(card.kind ? `kind: ${card.kind}` : `kind: ${GUESSED_KIND} # guessed: the seed gives no kind`);
  fm.push(`tags: ${yamlList(card.tags)}`);
  if (extras.terms && extras.terms.length > 0) fm.push(`terms: ${yamlList(extras.terms)}`);
  if (extras.demo) fm.push(`demo: ${extras.demo}`);
  if (extras.priority !== undefined && extras.priority !== 0) fm.push(`priority: ${Math.trunc(extras.priority)}`);
  fm.push('source: seed', '---');
  return `${fm.join('\n')}\n${heading(card.question)}\n\n${card.answer}\n`;
}

/**
 * `# q`, plus a closing `#` when the question itself ends in `#`: CommonMark strips one
 * closing sequence, so the question's own `#` survives and the text stays verbatim.
 */
function heading(question: string): string {
  return question.endsWith('#') ? `# ${question} #` : `# ${question}`;
}

const YAML_PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_ .\-/()]*$/;
const YAML_RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~|0x[0-9a-f_]+|0o[0-7_]+|[-+]?(?:\d[\d_]*)?\.?\d*(?:e[-+]?\d+)?|\.inf|\.nan)$/i;

/** A YAML scalar that reads back as the same string: plain when safe, else JSON-quoted (valid YAML). */
export function yamlScalar(s: string): string {
  return YAML_PLAIN.test(s) && !YAML_RESERVED.test(s) && !s.endsWith(' ') ? s : JSON.stringify(s);
}

function yamlList(items: readonly string[]): string {
  return `[${items.map(yamlScalar).join(', ')}]`;
}
