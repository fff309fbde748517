// Literal evaluation: an argument's text as a value, following a bare name to the one integer
// it is bound to in the same file.
import type { ModelSource } from './calls';
import { lastAtMost, lineOf, NAME_RE, splitTopLevel } from './tokens';

export type Literal = number | boolean | string | null | Literal[];

type Eval = { ok: true; value: Literal; via?: string } | { ok: false };

export function evaluate(code: string, src: ModelSource, before: number, depth = 0): Eval {
  const s = code.trim();
  const lit = parseLiteral(s);
  if (lit.ok) return lit;
  if (NAME_RE.test(s) && depth === 0) {
    const bound = resolveName(s, src, before);
    if (bound) return { ok: true, value: bound.value, via: bound.via };
  }
  if (/^[[(]/.test(s)) {
    // A list/tuple whose items may be names: evaluate each.
    const body = s.slice(1, -1);
    const items: Literal[] = [];
    let via: string | undefined;
    for (const part of splitTopLevel(body)) {
      if (part.trim() === '') continue;
      const r = evaluate(part, src, before, depth);
      if (!r.ok) return { ok: false };
      items.push(r.value);
      via = via ?? r.via;
    }
    return { ok: true, value: items, via };
  }
  return { ok: false };
}

function parseLiteral(s: string): Eval {
  if (/^[+-]?\d[\d_]*$/.test(s)) return { ok: true, value: Number(s.replace(/_/g, '')) };
  if (/^[+-]?(\d[\d_]*)?\.\d+(e[+-]?\d+)?$|^[+-]?\d+e[+-]?\d+$/i.test(s)) return { ok: true, value: Number(s.replace(/_/g, '')) };
  if (s === 'True' || s === 'true') return { ok: true, value: true };
  if (s === 'False' || s === 'false') return { ok: true, value: false };
  if (s === 'None' || s === 'null' || s === 'undefined') return { ok: true, value: null };
  const q = /^(['"`])(.*)\1$/s.exec(s);
  if (q && !/[\\$]/.test(q[2])) return { ok: true, value: q[2] };
  return { ok: false };
}

/** The integers one name is bound to, in document order. */
export interface NameBindings {
  values: number[];
  offsets: number[];
  /** 1-based. */
  lines: number[];
  /** Whether every binding gives the same value. */
  agree: boolean;
}

/**
 * An integer bound to a name: a default parameter (`name=32`, `name: int = 32`) or a plain
 * assignment (`NAME = 32`, `const NAME = 32`). The name starts a line or follows white space, a
 * comma or a parenthesis; the value ends at a comma, a parenthesis, a semicolon, a comment or
 * the end of the line. Only the name is consumed, so a binding inside another's annotation
 * (`if big: h = 256`) is still seen.
 */
const BINDING_RE = /(?:^|(?<=[\s,(]))(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)(?=\s*(?::\s*[\w.[\]]+\s*)?=(?!=)\s*([+-]?\d[\d_]*)\s*(?:[,)\n;#]|$))/gm;

/** Every integer binding in the text, by name: one pass over the text. */
export function indexBindings(text: string, lineStarts: number[]): Map<string, NameBindings> {
  const byName = new Map<string, NameBindings>();
  const re = new RegExp(BINDING_RE.source, BINDING_RE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = Number(m[2].replace(/_/g, ''));
    const line = lineOf(lineStarts, m.index) + 1;
    const b = byName.get(m[1]);
    if (!b) {
      byName.set(m[1], { values: [value], offsets: [m.index], lines: [line], agree: true });
      continue;
    }
    b.values.push(value);
    b.offsets.push(m.index);
    b.lines.push(line);
    b.agree &&= value === b.values[0];
  }
  return byName;
}

/**
 * The one integer `name` is bound to in the file (see BINDING_RE). A name bound to different
 * values in several places is ambiguous, hence unreadable; the nearest binding above the call
 * wins only when all bindings agree (the first one when none is above).
 */
function resolveName(name: string, src: ModelSource, before: number): { value: number; via: string } | undefined {
  const b = src.bindings.get(name);
  if (!b || !b.agree) return undefined;
  const i = Math.max(0, lastAtMost(b.offsets, before - 1));
  return { value: b.values[i], via: `${name} = ${b.values[i]} on line ${b.lines[i]}` };
}

export function asPositiveInt(v: Literal): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Item `index` (negative counts from the end) of a shape like (T, D) or [null, T, D]. */
export function shapePart(v: Literal, index: number): number | undefined {
  if (!Array.isArray(v)) return index === -1 ? asPositiveInt(v) : undefined;
  const item = v[v.length + index];
  return item === undefined ? undefined : asPositiveInt(item);
}
