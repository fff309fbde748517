// The term at a cursor position: the best of the code-shaped and prose-shaped candidates there.
import { WINDOW } from './bounds';
import { matchEnv, type Candidate } from './candidates';
import { identifierCandidates } from './identifiers';
import { phraseCandidates } from './phrases';
import { isQuiet, quietSpans } from './quiet';
import type { TermContext, TermEntry, TermIndex, TermMatch } from './types';
import { isAlnum } from './words';

/**
 * The best of the candidates covering a position, as a match on the line (`offset` is where the
 * candidates' string starts in it). Every card any candidate names, best first: card priority,
 * then the longer (more specific) match, then what the index ranked first for that key.
 */
export function bestMatch(hits: readonly Candidate[], offset: number): TermMatch | undefined {
  if (hits.length === 0) return undefined;
  const ranked: { entry: TermEntry; cand: Candidate; rank: number }[] = [];
  let rank = 0;
  for (const cand of [...hits].sort((a, b) => b.length - a.length)) {
    for (const entry of cand.entries) ranked.push({ entry, cand, rank: rank++ });
  }
  ranked.sort((a, b) => b.entry.priority - a.entry.priority || b.cand.length - a.cand.length || a.rank - b.rank);
  const cardIds: string[] = [];
  for (const r of ranked) if (!cardIds.includes(r.entry.cardId)) cardIds.push(r.entry.cardId);
  const best = ranked[0];
  return {
    term: best.entry.term,
    role: best.entry.role,
    text: best.cand.text,
    start: best.cand.start + offset,
    end: best.cand.end + offset,
    cardIds,
    fromPreviousLine: best.cand.fromPreviousLine,
  };
}

/**
 * The RNN term at `character` (0-based) in `lineText`, or undefined. Looks only at a window of
 * the line around the cursor (and the neighbouring lines' ends for wrapped phrases).
 */
export function termAt(index: TermIndex, lineText: string, character: number, ctx?: TermContext): TermMatch | undefined {
  if (character < 0 || character >= lineText.length) return undefined;
  const offset = Math.max(0, character - WINDOW);
  const s = lineText.slice(offset, character + WINDOW);
  const pos = character - offset;
  if (!isAlnum(s.charCodeAt(pos)) && s.charCodeAt(pos) !== 95) return undefined;
  const env = matchEnv(ctx);
  const cands: Candidate[] = [];
  const prev = ctx?.prevLine;
  identifierCandidates(index, s, pos, env, cands, undefined, ctx?.lineAbove ?? (prev === undefined ? undefined : (k) => (k === 1 ? prev : undefined)));
  phraseCandidates(index, s, pos, env, ctx, cands);
  const hits = cands.filter((c) => c.start <= pos && pos < c.end);
  if (hits.length === 0) return undefined;
  const quiet = quietSpans(s);
  return bestMatch(quiet.length ? hits.filter((c) => !isQuiet(quiet, c)) : hits, offset);
}
