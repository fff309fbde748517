// Tokenising: brackets, strings, comments and top-level commas of source text, and line offsets.
export const NAME_RE = /^[A-Za-z_$][\w$]*$/;

export interface Arg {
  /** Keyword (`hidden_size=`, `units:`), or undefined for a positional argument. */
  name?: string;
  /** Source text of the value, trimmed. */
  text: string;
}

/**
 * Offset just past the parenthesis that closes the one at `open` (strings and brackets
 * respected), or `limit` (at most the end of the text) when none closes it before there.
 */
export function matchingParen(text: string, open: number, limit = text.length): number {
  const stop = Math.min(limit, text.length);
  let depth = 0;
  for (let i = open; i < stop; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(text, i, stop);
      continue;
    }
    // A comment inside a multi-line call (`# (batch, time)`) may hold brackets: skip it.
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < stop && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return stop;
}

/** Offset of the last character of the string opening at `i`, or `stop` when it is not closed before. */
function skipString(text: string, i: number, stop = text.length): number {
  const q = text[i];
  const triple = text.startsWith(q.repeat(3), i) && q !== '`';
  const close = triple ? q.repeat(3) : q;
  for (let j = i + close.length; j < stop; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text.startsWith(close, j)) return j + close.length - 1;
  }
  return stop;
}

/** Splits on commas at bracket depth 0, outside strings; comments are dropped. */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  /** Start of the run of `s` not yet added to `cur` (copied in slices, not by the character). */
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(s, i);
      continue;
    }
    if (ch === '#' || (ch === '/' && s[i + 1] === '/')) {
      cur += s.slice(run, i);
      const nl = s.indexOf('\n', i);
      run = nl < 0 ? s.length : nl;
      i = run - 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push((cur + s.slice(run, i)).trim());
      cur = '';
      run = i + 1;
    }
  }
  cur += s.slice(run);
  if (cur.trim() !== '') parts.push(cur.trim());
  return parts;
}

export function parseArg(s: string): Arg {
  const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(s);
  return m ? { name: m[1], text: m[2].trim() } : { text: s.trim() };
}

export function parseObjectProp(s: string): Arg {
  const m = /^['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*([\s\S]*)$/.exec(s);
  if (m) return { name: m[1], text: m[2].trim() };
  // Shorthand `{ units }`: the property is a name to follow.
  if (NAME_RE.test(s.trim())) return { name: s.trim(), text: s.trim() };
  return { text: s.trim() };
}

/** `s` on one line, at most `max` characters. */
export function shorten(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function lineOf(starts: readonly number[], offset: number): number {
  return Math.max(0, lastAtMost(starts, offset));
}

/** Index of the last item of the ascending `sorted` that is at most `x`; -1 when there is none. */
export function lastAtMost(sorted: readonly number[], x: number): number {
  let lo = -1;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
