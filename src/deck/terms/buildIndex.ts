// The index: every card's terms by key, best card first, and the trie the scan walks.
import type { Card } from '../card';
import { MAX_INDEXED_TERM_WORDS, MAX_TERM_KEY_CHARS } from './bounds';
import type { TermEntry, TermIndex, TrieNode } from './types';
import { cardPriority, isWeakKey, keyLetters, keyOf, parseTerm, singulars, type TermRole } from './words';

function compareEntries(a: TermEntry, b: TermEntry): number {
  return b.priority - a.priority
    || Number(a.alias) - Number(b.alias)
    || a.order - b.order
    || (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0);
}

/**
 * What a term is when the card does not say: a dotted name or a keyword is an API, a phrase or
 * an acronym is a concept, a CamelCase name is an API (a class), any other identifier is a naming
 * convention (`hidden_dim`, `lstm_out`).
 */
function inferRole(kind: TermEntry['kind'], spelling: string): TermRole {
  if (kind === 'dotted' || kind === 'kwarg') return 'api';
  if (kind === 'phrase') return 'concept';
  if (/^[A-Z0-9]+s?$/.test(spelling)) return 'concept';
  if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(spelling)) return 'api';
  return 'convention';
}

/**
 * An architecture's name: one short run of letters with at least two capitals, not an ordinary
 * word (`LSTM`, `GRU`, `BiLSTM`, `CTC`, `cuDNN`). It may match as a part of a longer identifier.
 */
const isComponentSpelling = (spelling: string): boolean =>
  /^[A-Za-z][A-Za-z0-9]{1,5}$/.test(spelling) && (spelling.match(/[A-Z]/g)?.length ?? 0) >= 2;

/**
 * A single word written as a class name (`Masking`, `Embedding`, `Recur`) matches only with that
 * capital: "window masking" is not `keras.layers.Masking`, a variable `recur` is not `Flux.Recur`.
 */
const isClassSpelling = (spelling: string, words: number): boolean => words === 1 && /^[A-Z][a-z]+$/.test(spelling);

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
    // A phrase and an identifier spelling of the same words match in different places: both stay.
    const existing = list.findIndex((e) => e.cardId === entry.cardId && (e.kind === 'kwarg') === (entry.kind === 'kwarg') && (e.kind === 'phrase') === (entry.kind === 'phrase') && e.bang === entry.bang);
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
      if (!parsed || parsed.words.length > MAX_INDEXED_TERM_WORDS || keyLetters(parsed.key).length > MAX_TERM_KEY_CHARS) return;
      cardsWithTerms.add(card.id);
      const a = parsed.annotations;
      const spelling = parsed.text.replace(/\(\)$/, '').replace(/!$/, '').replace(/=.*$/, '').trim();
      const base = {
        cardId: card.id, term: parsed.text, kind: parsed.kind, priority, order, alias: false, words: parsed.words.length,
        role: a.role ?? inferRole(parsed.kind, spelling), languages: a.languages, frameworks: a.frameworks,
        inRnn: a.inRnn, classic: a.classic, bang: /!$/.test(parsed.text), spelling, component: false, caseSensitive: a.caseSensitive,
      };
      if (parsed.kind === 'dotted') {
        const lastWords = parsed.lastSegmentWords ?? [];
        const last = keyOf(lastWords);
        const lastSpelling = spelling.split(/\.|::/).pop() ?? spelling;
        // `torch.nn.utils.clip_grad_norm_` is generic training code: weak like its last segment.
        const lastWeak = isWeakKey(last, lastWords);
        add(parsed.key, { ...base, weak: lastWeak });
        // The bare last segment of an API name is a term of its own: an ordinary word only as a
        // class name written so (`keras.layers.Masking` -> `Masking`, never "masking").
        const classLike = lastWeak && isClassSpelling(lastSpelling, lastWords.length);
        if (last && (!lastWeak || classLike)) {
          add(last, { ...base, spelling: lastSpelling, weak: lastWeak, alias: true, words: lastWords.length, caseSensitive: base.caseSensitive || isClassSpelling(lastSpelling, lastWords.length) });
        }
        return;
      }
      const weak = isWeakKey(parsed.key, parsed.words);
      const component = parsed.kind === 'identifier' && !weak && (a.part || isComponentSpelling(spelling));
      const entry: TermEntry = { ...base, weak, component, caseSensitive: base.caseSensitive || (!a.part && isClassSpelling(spelling, parsed.words.length)) };
      add(parsed.key, entry);
      // An acronym is one token in any case: `BiLSTM` is also `bilstm` (`HP_bilstm`, `bilstm_flag`).
      if (component && parsed.words.length > 1) add(parsed.words.join(''), { ...entry, words: 1 });
      if (parsed.words.length > 1) {
        // A plural term also answers to its singular ("vanishing gradients" ~ "vanishing gradient").
        const head = parsed.words.slice(0, -1);
        for (const s of singulars(parsed.words[parsed.words.length - 1])) {
          const key = keyOf([...head, s]);
          add(key, { ...entry });
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
