// Matching around a position: what a candidate match is, and the lookups that both the code-shaped
// and the prose-shaped searches make in the index.
import { descend, type TermContext, type TermEntry, type TermIndex, type TrieNode } from './types';
import { singulars, TERM_LANGUAGES } from './words';

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

/** What the document says about where terms may match (from TermContext, once per line). */
export interface MatchEnv {
  rnn: boolean;
  modern: boolean;
  /** A code language a term may declare (python, julia, ...), or undefined (prose, unknown). */
  language?: string;
  frameworks?: readonly string[];
  /** Names the document binds to imported modules. */
  modules?: readonly string[];
  /** Parameters of the recurrent layers the document defines. */
  layerParams?: readonly string[];
}

const LANGUAGE_ALIASES: Record<string, string> = {
  javascriptreact: 'javascript', typescriptreact: 'typescript', 'cuda-cpp': 'cpp', objc: 'c', objcpp: 'cpp',
};

export function matchEnv(ctx: TermContext | undefined): MatchEnv {
  const lang = ctx?.language ? (LANGUAGE_ALIASES[ctx.language] ?? ctx.language) : undefined;
  return {
    rnn: ctx?.rnn === true,
    modern: ctx?.modern === true,
    language: lang && (TERM_LANGUAGES as readonly string[]).includes(lang) ? lang : undefined,
    frameworks: ctx?.frameworks,
    modules: ctx?.modules,
    layerParams: ctx?.layerParams,
  };
}

/** How a candidate was found: as a whole identifier or name, as a part of one, or as prose. */
export type Site = 'whole' | 'inside' | 'phrase';

/**
 * Entries that may match here. Weak ones only in an RNN context (and in a file about modern
 * recurrent models only in prose); inside a longer identifier only
 * an architecture's name (`CharLSTM`, `lstm_hidden`; never `seq_lengths` in `word_seq_lengths`),
 * and not in a file about modern recurrent models (`mLSTM`, `min_gru`); as prose only terms
 * written as phrases (the letters `h n` are not `h_n`); a term declared for some languages or
 * frameworks only where the document is in one of them; a class name only as written.
 */
export function usable(entries: readonly TermEntry[] | undefined, env: MatchEnv, site: Site, text?: string): TermEntry[] {
  if (!entries) return [];
  return entries.filter((e) => {
    if (e.weak && !env.rnn) return false;
    // Modern models' code names its tensors as transformers do (`hidden_states`, `hidden_size`,
    // `embedding_dim`): there an ordinary word is a term only in prose ("the hidden state").
    if (e.weak && env.modern && site !== 'phrase') return false;
    if (site === 'inside' && (!e.component || env.modern)) return false;
    if (site === 'phrase' && e.kind !== 'phrase') return false;
    if (e.classic && env.modern) return false;
    if (e.languages.length > 0 && env.language !== undefined && !e.languages.includes(env.language)) return false;
    if (e.frameworks.length > 0 && env.frameworks !== undefined && !e.frameworks.some((f) => env.frameworks?.includes(f))) return false;
    if (e.caseSensitive && text !== undefined && text !== e.spelling && text !== `${e.spelling}s`) return false;
    return true;
  });
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
    // Words of a key are joined by `_` (see keyOf).
    const head: TrieNode | undefined = b === a + 1 ? node : node.next.get(95);
    if (!head) break;
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
