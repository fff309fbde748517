// The index: every card's terms by key, best card first, and the trie the scan walks.
import type { Card } from '../card';
import { MAX_INDEXED_TERM_WORDS, MAX_TERM_KEY_CHARS } from './bounds';
import type { TermEntry, TermIndex, TrieNode } from './types';
import { cardPriority, isWeakKey, keyOf, parseTerm, singulars } from './words';

function compareEntries(a: TermEntry, b: TermEntry): number {
  return b.priority - a.priority
    || Number(a.alias) - Number(b.alias)
    || a.order - b.order
    || (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0);
}

/** Builds the index from every card's `terms`. Cheap: a map insert per term and plural form. */
export function buildTermIndex(cards: readonly Card[]): TermIndex {
  const byKey = new Map<string, TermEntry[]>();
  const cardsWithTerms = new Set<string>();
  let maxPhraseWords = 1;
  const add = (key: string, entry: TermEntry) => {
    maxPhraseWords = Math.max(maxPhraseWords, entry.words);
    const list = byKey.get(key) ?? [];
    // One entry per card and key (keyword-only claims apart, since they match in fewer places):
    // the card's earliest, non-alias claim.
    const existing = list.findIndex((e) => e.cardId === entry.cardId && (e.kind === 'kwarg') === (entry.kind === 'kwarg'));
    if (existing >= 0) {
      if (compareEntries(entry, list[existing]) < 0) list[existing] = entry;
    } else {
      list.push(entry);
    }
    byKey.set(key, list);
  };
  for (const card of cards) {
    const priority = cardPriority(card);
    card.terms.forEach((term, order) => {
      const parsed = parseTerm(term);
      // A term longer than anyone would hover is not indexed (and cannot make the index large).
      if (!parsed || parsed.words.length > MAX_INDEXED_TERM_WORDS || parsed.key.length > MAX_TERM_KEY_CHARS) return;
      cardsWithTerms.add(card.id);
      const base = { cardId: card.id, term: term.trim(), kind: parsed.kind, priority, order, alias: false, words: parsed.words.length };
      if (parsed.kind === 'dotted') {
        const lastWords = parsed.lastSegmentWords ?? [];
        const last = keyOf(lastWords);
        // `torch.nn.utils.clip_grad_norm_` is generic training code: weak like its last segment.
        add(parsed.key, { ...base, weak: isWeakKey(last, lastWords) });
        // The bare last segment of an API name is a term of its own unless it is an ordinary word
        // (`nn.Linear` must not make every "linear" a hover).
        if (last && !isWeakKey(last, lastWords)) {
          add(last, { ...base, weak: false, alias: true, words: lastWords.length });
        }
        return;
      }
      const weak = isWeakKey(parsed.key, parsed.words);
      add(parsed.key, { ...base, weak });
      if (parsed.words.length > 1) {
        // A plural term also answers to its singular ("vanishing gradients" ~ "vanishing gradient").
        const head = parsed.words.slice(0, -1);
        for (const s of singulars(parsed.words[parsed.words.length - 1])) {
          const key = keyOf([...head, s]);
          add(key, { ...base, weak });
        }
      }
    });
  }
  for (const list of byKey.values()) list.sort(compareEntries);
  const trie: TrieNode = { next: new Map() };
  for (const [key, entries] of byKey) {
    let node = trie;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map() }));
      node = child;
    }
    node.entries = entries;
  }
  return { byKey, maxPhraseWords, trie, cardCount: cardsWithTerms.size };
}
