// Which decks the quiz asks from: the setting rnnLens.quiz.decks read into a set of deck ids,
// the deck list the view shows (with card counts), and the cards of the chosen decks. The queue,
// the status bar count, the filters' level and tag lists and the statistics all follow the
// choice. Pure: no vscode, no DOM.
import { BUNDLED_DECKS, USER_DECK, type Card } from '../deck/card';
import type { QuizDeckView } from '../../protocol';

/** Every deck id, in the order the view lists them. */
export const ALL_DECK_IDS: readonly string[] = [...BUNDLED_DECKS.map((d) => d.id), USER_DECK.id];

const DECK_NAMES = new Map<string, string>([...BUNDLED_DECKS.map((d) => [d.id, d.name] as const), [USER_DECK.id, USER_DECK.name]]);

/** The deck a card belongs to; a card without one came from a user deck. */
export function deckOf(card: Pick<Card, 'deck'>): string {
  return card.deck ?? USER_DECK.id;
}

/**
 * The chosen decks from the setting's value: every deck when it is not a list (unset, or
 * edited into something else); otherwise the known deck ids it names, so a hand-edited
 * setting with an unknown id or a non-string still reads.
 */
export function parseDeckChoice(raw: unknown): Set<string> {
  if (!Array.isArray(raw)) return new Set(ALL_DECK_IDS);
  return new Set(raw.filter((id): id is string => typeof id === 'string' && DECK_NAMES.has(id)));
}

/** The setting's value for a choice, in the view's deck order (unknown ids dropped). */
export function deckChoiceSetting(ids: Iterable<string>): string[] {
  const chosen = new Set(ids);
  return ALL_DECK_IDS.filter((id) => chosen.has(id));
}

/** The decks that hold cards, in order, with their counts and whether they are chosen. */
export function deckViews(cards: readonly Pick<Card, 'deck'>[], chosen: ReadonlySet<string>): QuizDeckView[] {
  const counts = new Map<string, number>();
  for (const c of cards) counts.set(deckOf(c), (counts.get(deckOf(c)) ?? 0) + 1);
  return ALL_DECK_IDS.filter((id) => counts.has(id)).map((id) => ({
    id, name: DECK_NAMES.get(id) ?? id, cards: counts.get(id) ?? 0, chosen: chosen.has(id),
  }));
}

/** The cards of the chosen decks, in deck order. */
export function cardsInDecks<C extends Pick<Card, 'deck'>>(cards: readonly C[], chosen: ReadonlySet<string>): C[] {
  return cards.filter((c) => chosen.has(deckOf(c)));
}
