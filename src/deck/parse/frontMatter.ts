// The front matter: the YAML between the '---' lines, its known fields, and where each value is.
import { excerpt } from '../escape';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { Pos, Report } from './report';

const KNOWN_FIELDS = new Set(['id', 'level', 'kind', 'tags', 'terms', 'demo', 'source', 'priority']);

/** The front matter's fields, and where its values are. */
export interface FrontMatter {
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

export function readFrontMatter(lines: string[], { err, warn }: Report): FrontMatter | undefined {
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
