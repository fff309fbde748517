// Which decks the quiz asks from: the setting read leniently, the view's deck list, and the
// cards the queue (and so the status bar count) then covers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_DECK_IDS, cardsInDecks, deckChoiceSetting, deckOf, deckViews, parseDeckChoice } from '../../../../src/quiz/decks';
import { ReviewStore } from '../../../../src/quiz/reviewStore';
import { localDay, Scheduler } from '../../../../src/quiz/scheduler';
import { card } from '../deck/termsFixture';

const cards = [
  card('lstm-gates', [], { deck: 'foundations' }),
  card('bptt', [], { deck: 'foundations', level: 'advanced' }),
  card('packed-sequences', [], { deck: 'practice', tags: ['padding'] }),
  card('my-card', [], { deck: 'user' }),
  card('legacy', []),
];

describe('deck choice', () => {
  it('studies every deck by default, and when the setting is not a list', () => {
    for (const raw of [undefined, null, 'practice', 42, {}]) assert.deepEqual([...parseDeckChoice(raw)], [...ALL_DECK_IDS], String(raw));
    assert.deepEqual(ALL_DECK_IDS, ['foundations', 'practice', 'user']);
  });

  it('reads the known ids of a list, ignoring anything else', () => {
    assert.deepEqual([...parseDeckChoice(['practice', 'nope', 7, null, 'practice'])], ['practice']);
    assert.deepEqual([...parseDeckChoice([])], []);
  });

  it('writes the setting in deck order, known ids only', () => {
    assert.deepEqual(deckChoiceSetting(['user', 'practice', 'x']), ['practice', 'user']);
  });

  it('lists the decks that hold cards, with counts and whether each is chosen', () => {
    assert.deepEqual(deckViews(cards, new Set(['practice'])), [
      { id: 'foundations', name: 'RNN foundations', cards: 2, chosen: false },
      { id: 'practice', name: 'RNNs in practice', cards: 1, chosen: true },
      { id: 'user', name: 'Your decks', cards: 2, chosen: false },
    ]);
    assert.deepEqual(deckViews(cards.slice(0, 2), new Set(ALL_DECK_IDS)).map((d) => d.id), ['foundations']);
  });

  it('a card without a deck is a user card', () => {
    assert.equal(deckOf(cards[4]), 'user');
  });

  it('the queue (and so the due count) covers the chosen decks only', () => {
    const s = new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
    const now = Date.UTC(2026, 2, 2, 9);
    const due = (chosen: string[]) => s.queue(cardsInDecks(cards, new Set(chosen)), ReviewStore.empty(), now, localDay(now)).items.map((i) => i.id);
    assert.deepEqual(due(['foundations', 'practice', 'user']), ['lstm-gates', 'bptt', 'packed-sequences', 'my-card', 'legacy']);
    assert.deepEqual(due(['practice']), ['packed-sequences']);
    assert.deepEqual(due(['foundations', 'user']), ['lstm-gates', 'bptt', 'my-card', 'legacy']);
    assert.deepEqual(due([]), []);
  });
});
