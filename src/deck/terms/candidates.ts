// Matching around a position: what a candidate match is, and the lookups that both the code-shaped
// and the prose-shaped searches make in the index.
import { descend, type TermEntry, type TermIndex, type TrieNode } from './types';
import { singulars } from './words';

export interface Candidate {
  /** Offsets in the window string. */
  start: number;
  end: number;
  entries: readonly TermEntry[];
  /** Longer matches are more specific. */
  length: number;
  fromPreviousLine: boolean;
  text: string;
}

/**
 * Entries that may match here: strong ones always, weak ones in an RNN context, and inside a
 * longer identifier (`insideIdentifier`) never a weak single word (`state_dict` is not "state").
 */
export function usable(entries: readonly TermEntry[] | undefined, rnn: boolean, insideIdentifier: boolean): TermEntry[] {
  if (!entries) return [];
  return entries.filter((e) => !e.weak || (rnn && (!insideIdentifier || e.words > 1)));
}

/** Index entries for words glued into `key`, the last of them `last`, trying its singular forms. */
export function lookupGlued(index: TermIndex, key: string, last: string): readonly TermEntry[] | undefined {
  const hit = index.byKey.get(key);
  if (hit || last.charCodeAt(last.length - 1) !== 115 /* s */) return hit;
  const head = key.slice(0, key.length - last.length);
  for (const s of singulars(last)) {
    const h = index.byKey.get(head + s);
    if (h) return h;
  }
  return undefined;
}

/** Where walkWords writes what it found: the end of each run that is a term, and its entries. */
export const walkEnds: number[] = [];
export const walkHits: (readonly TermEntry[])[] = [];

/**
 * Finds every run `lowers[a..b)` that is a term, b growing from a + 1 up to `limit`, trying
 * singular forms of the last word; writes them to walkEnds / walkHits and returns how many. Walks
 * the index trie a word at a time and stops where it falls off, so it reads as many words as the
 * longest term starting at `a` could have matched, usually one.
 */
export function walkWords(index: TermIndex, lowers: readonly string[], a: number, limit: number): number {
  let found = 0;
  let node: TrieNode | undefined = index.trie;
  for (let b = a + 1; b <= limit && node; b++) {
    const w = lowers[b - 1];
    const head: TrieNode = node;
    node = descend(head, w);
    let hit = node?.entries;
    if (!hit && w.charCodeAt(w.length - 1) === 115 /* s */) {
      for (const s of singulars(w)) if ((hit = descend(head, s)?.entries)) break;
    }
    if (hit) {
      walkEnds[found] = b;
      walkHits[found++] = hit;
    }
  }
  return found;
}

/** Acronym plurals in prose: LSTMs, RNNs, GRUs. */
export function acronymSingular(segment: string): string | undefined {
  return /^[A-Z][A-Z0-9]+s$/.test(segment) ? segment.slice(0, -1).toLowerCase() : undefined;
}
