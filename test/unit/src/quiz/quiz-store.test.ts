// Review progress never gets lost: export/import round trip, merging (newer review wins, logs
// unioned), corrupt or unknown entries reported and kept, newer schemas not overwritten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPORT_FORMAT, ReviewStore, SCHEMA_VERSION, type CardProgress } from '../../../../src/quiz/reviewStore';
import { Scheduler } from '../../../../src/quiz/scheduler';
import { computeStats } from '../../../../src/quiz/stats';

const T0 = Date.UTC(2026, 2, 2, 9);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** When the tests import: well after every review they write. */
const NOW = T0 + 30 * DAY;

function graded(grades: [string, 1 | 2 | 3 | 4, number][]): ReviewStore {
  const s = new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
  const store = ReviewStore.empty();
  for (const [id, r, t] of grades) s.grade(store, id, r, t);
  return store;
}

describe('review store: export and import', () => {
  it('round-trips every card state and review through JSON', () => {
    const a = graded([['lstm-gates', 3, T0], ['lstm-gates', 3, T0 + 11 * MIN], ['bptt', 1, T0 + MIN], ['bptt', 3, T0 + 3 * MIN]]);
    const text = a.exportJson(T0 + DAY);
    const file = JSON.parse(text) as { format: string; schema: number; exportedAt: number };
    assert.equal(file.format, EXPORT_FORMAT);
    assert.equal(file.schema, SCHEMA_VERSION);
    assert.equal(file.exportedAt, T0 + DAY);
    const b = ReviewStore.empty();
    const report = b.importJson(text, NOW);
    assert.deepEqual(report, { added: 2, updated: 0, unchanged: 0, reviewsAdded: 4, skipped: [], clamped: [] });
    for (const id of ['lstm-gates', 'bptt']) assert.deepEqual(b.get(id), a.get(id));
    // Importing the same file again changes nothing.
    assert.deepEqual(b.importJson(text, NOW), { added: 0, updated: 0, unchanged: 2, reviewsAdded: 0, skipped: [], clamped: [] });
  });

  it('merges: the newer review wins the card state, and the logs are unioned', () => {
    const older = graded([['c', 3, T0]]);
    const newer = graded([['c', 3, T0], ['c', 3, T0 + 20 * MIN]]);
    const otherMachine = graded([['c', 4, T0 + 5 * DAY]]); // reviewed elsewhere, later
    const mine = ReviewStore.empty();
    mine.importJson(older.exportJson(T0), NOW);
    let r = mine.importJson(newer.exportJson(T0), NOW);
    assert.equal(r.updated, 1);
    assert.equal(r.reviewsAdded, 1);
    assert.deepEqual(mine.get('c')?.card, newer.get('c')?.card);
    r = mine.importJson(otherMachine.exportJson(T0), NOW);
    assert.deepEqual({ updated: r.updated, reviewsAdded: r.reviewsAdded }, { updated: 1, reviewsAdded: 1 });
    assert.deepEqual(mine.get('c')?.card, otherMachine.get('c')?.card, 'the later review wins');
    assert.deepEqual(mine.get('c')?.log.map((l) => l.review), [T0, T0 + 20 * MIN, T0 + 5 * DAY], 'all three reviews kept, oldest first');
    // An older file does not roll a newer card back.
    r = mine.importJson(older.exportJson(T0), NOW);
    assert.deepEqual(mine.get('c')?.card, otherMachine.get('c')?.card);
    assert.equal(r.unchanged, 1);
  });

  it('reports every invalid entry of an import, and takes the valid ones', () => {
    const good = graded([['ok-card', 3, T0]]).get('ok-card') as CardProgress;
    const text = JSON.stringify({
      format: EXPORT_FORMAT,
      schema: 1,
      cards: {
        'ok-card': good,
        'bad-rating': { ...good, log: [{ ...good.log[0], rating: 7 }] },
        'bad-date': { ...good, card: { ...good.card, due: '2026-03-02' } },
        'not-an-object': 42,
        '': good,
      },
    });
    const store = ReviewStore.empty();
    const r = store.importJson(text, NOW);
    assert.equal(r.added, 1);
    assert.deepEqual(r.skipped.map((s) => s.cardId).sort(), ['', 'bad-date', 'bad-rating', 'not-an-object']);
    assert.match(r.skipped.find((s) => s.cardId === 'bad-rating')?.message ?? '', /log\.0\.rating/);
    assert.match(r.skipped.find((s) => s.cardId === 'bad-date')?.message ?? '', /card\.due/);
    assert.deepEqual(store.ids(), ['ok-card']);
  });

  it('refuses files that are not progress files, with a reason, and changes nothing', () => {
    const store = graded([['c', 3, T0]]);
    const before = store.toStored();
    assert.throws(() => store.importJson('{ nope', NOW), /not JSON/);
    assert.throws(() => store.importJson('{"hello": "world"}', NOW), /not an RNN Lens progress file/);
    assert.throws(() => store.importJson(JSON.stringify({ format: EXPORT_FORMAT, schema: 99, cards: {} }), NOW), /newer RNN Lens/);
    assert.deepEqual(store.toStored(), before);
  });
});

describe('review store: corrupt state', () => {
  it('skips and reports a corrupt entry, keeps the rest, and writes the corrupt one back untouched', () => {
    const good = graded([['good', 3, T0]]).toStored();
    const corrupt = { card: { due: 'yesterday' }, log: 'lost' };
    const raw = { schema: SCHEMA_VERSION, cards: { ...good.cards, broken: corrupt } };
    const { store, problems } = ReviewStore.fromStored(raw);
    assert.deepEqual(store.ids(), ['good']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].cardId, 'broken');
    assert.equal(store.readOnlyReason, undefined);
    assert.deepEqual(store.quarantinedIds, ['broken']);
    // Saving does not wipe it.
    assert.deepEqual(store.toStored().cards.broken, corrupt);
    // A new grade of that card replaces the corrupt entry (the user re-learned it).
    new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 10 }).grade(store, 'broken', 3, T0 + DAY);
    assert.equal(store.get('broken')?.log.length, 1);
    assert.deepEqual(store.quarantinedIds, []);
  });

  it('never crashes on garbage and never overwrites a value it cannot read', () => {
    for (const raw of ['a string', 42, [], { schema: 'one' }, { cards: {} }, { schema: 1, cards: 'x' }]) {
      const { store, problems } = ReviewStore.fromStored(raw);
      assert.equal(store.size, 0);
      assert.equal(problems.length, 1, `one problem for ${JSON.stringify(raw)}`);
      assert.ok(store.readOnlyReason, 'read-only: saving would destroy what is there');
      assert.deepEqual(store.toStored(), raw);
    }
    assert.deepEqual(ReviewStore.fromStored(undefined).problems, []);
  });

  it('reads a newer schema but does not write over it', () => {
    const good = graded([['good', 3, T0]]).toStored();
    const { store, problems } = ReviewStore.fromStored({ schema: SCHEMA_VERSION + 1, cards: good.cards });
    assert.deepEqual(store.ids(), ['good']);
    assert.match(problems[0].message, /newer RNN Lens/);
    assert.match(store.readOnlyReason ?? '', /newer/);
  });

  it('keeps the history of a card removed from the deck, and counts it in the statistics', () => {
    const store = graded([['still-here', 3, T0], ['removed', 3, T0], ['removed', 3, T0 + 11 * MIN]]);
    const { store: reloaded } = ReviewStore.fromStored(JSON.parse(JSON.stringify(store.toStored())));
    assert.equal(reloaded.get('removed')?.log.length, 2);
    const stats = computeStats(reloaded, ['still-here', 'new-card'], T0 + HOURS(1));
    assert.deepEqual(stats.byState, { new: 1, learning: 1, review: 0, relearning: 0, removed: 1 });
  });
});

function HOURS(n: number): number {
  return n * 60 * MIN;
}

describe('statistics', () => {
  it('counts reviews per local day over 12 weeks, and 30-day retention of review cards', () => {
    process.env.TZ = 'UTC';
    const s = new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
    const store = ReviewStore.empty();
    s.grade(store, 'a', 4, T0 - 40 * DAY); // review card
    s.grade(store, 'a', 3, T0 - 2 * DAY); // passed review (state before: Review)
    s.grade(store, 'b', 4, T0 - 40 * DAY);
    s.grade(store, 'b', 1, T0 - DAY); // failed review
    s.grade(store, 'c', 3, T0); // new card today: not in retention
    s.grade(store, 'old', 3, T0 - 200 * DAY); // outside the heatmap
    const stats = computeStats(store, ['a', 'b', 'c'], T0);
    assert.equal(stats.days.length, 84);
    assert.equal(stats.days.at(-1)?.reviews, 1, 'today');
    assert.equal(stats.days.at(-2)?.reviews, 1, 'yesterday');
    assert.equal(stats.days.at(-41)?.reviews, 2, '40 days ago');
    assert.equal(stats.days.reduce((a, d) => a + d.reviews, 0), 5);
    assert.equal(stats.totalReviews, 6);
    assert.deepEqual(stats.retention, { passed: 1, total: 2, desired: 0.9 });
  });
});
