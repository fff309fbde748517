// The quiz queue and grading: what is due, today's new-card limit, Anki-like mixing, filters,
// the interval labels on the grade buttons, and undo.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReviewStore } from '../../../../src/quiz/reviewStore';
import { formatInterval, interleave, Scheduler, type Day, type QueueCardInfo } from '../../../../src/quiz/scheduler';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY_MS = 24 * HOUR;
/** 2026-03-02 00:00 UTC: the tests pass their own day boundaries, so the time zone does not matter. */
const T0 = Date.UTC(2026, 2, 2);
const day = (n: number): Day => ({ start: T0 + n * DAY_MS, end: T0 + (n + 1) * DAY_MS });

function deck(n: number, extra: Partial<QueueCardInfo>[] = []): QueueCardInfo[] {
  const cards: QueueCardInfo[] = [];
  for (let i = 0; i < n; i++) cards.push({ id: `c${String(i).padStart(2, '0')}`, level: 'foundational', tags: [], ...extra[i] });
  return cards;
}

function sched(newCardsPerDay = 10, desiredRetention = 0.9): Scheduler {
  return new Scheduler({ newCardsPerDay, desiredRetention });
}

describe('quiz queue', () => {
  it('offers today at most newCardsPerDay new cards, in deck order', () => {
    const s = sched(3);
    const q = s.queue(deck(8), ReviewStore.empty(), T0 + 9 * HOUR, day(0));
    assert.deepEqual(q.items.map((i) => i.id), ['c00', 'c01', 'c02']);
    assert.deepEqual(q.counts, { learning: 0, review: 0, new: 3 });
    // More new cards exist: they come at the next day boundary.
    assert.equal(q.nextDueAt, day(0).end);
  });

  it('counts new cards introduced today against the limit, and resets the next day', () => {
    const s = sched(3);
    const store = ReviewStore.empty();
    const now = T0 + 9 * HOUR;
    s.grade(store, 'c00', 3, now);
    s.grade(store, 'c01', 4, now + MIN);
    let q = s.queue(deck(8), store, now + 2 * MIN, day(0));
    assert.deepEqual(q.items.filter((i) => i.kind === 'new').map((i) => i.id), ['c02'], 'one new card left today');
    assert.equal(q.newLeftToday, 1);
    q = s.queue(deck(8), store, T0 + DAY_MS + 9 * HOUR, day(1));
    assert.equal(q.counts.new, 3, 'a fresh allowance tomorrow');
  });

  it('a new-card limit of 0 shows only due cards', () => {
    const q = sched(0).queue(deck(5), ReviewStore.empty(), T0, day(0));
    assert.equal(q.items.length, 0);
    assert.equal(q.counts.new, 0);
  });

  it('shows a learning card only once its step is due, before reviews and new cards', () => {
    const s = sched(5);
    const store = ReviewStore.empty();
    const now = T0 + 9 * HOUR;
    s.grade(store, 'c00', 1, now); // Again on a new card: learning, due in 1 minute
    let q = s.queue(deck(3), store, now + 30_000, day(0));
    assert.ok(!q.items.some((i) => i.id === 'c00'), 'not due 30 s later');
    assert.equal(q.nextDueAt, store.get('c00')?.card.due);
    q = s.queue(deck(3), store, now + 2 * MIN, day(0));
    assert.deepEqual(q.items[0], { id: 'c00', kind: 'learning' });
  });

  it('a review is due for the whole local day it falls on, and not before', () => {
    const s = sched(0);
    const store = ReviewStore.empty();
    // Easy on a new card: a review card a few days out.
    s.grade(store, 'c00', 4, T0 + 9 * HOUR);
    const due = store.get('c00')?.card.due ?? 0;
    assert.equal(store.get('c00')?.card.state, 2);
    const dueDay = Math.floor((due - T0) / DAY_MS);
    assert.ok(dueDay >= 2, `Easy schedules days ahead (day ${dueDay})`);
    const early = s.queue(deck(1), store, T0 + (dueDay - 1) * DAY_MS + 23 * HOUR, day(dueDay - 1));
    assert.equal(early.items.length, 0, 'not due the day before');
    assert.equal(early.nextDueAt, due);
    const sameDayEarlier = s.queue(deck(1), store, T0 + dueDay * DAY_MS + 1, day(dueDay));
    assert.deepEqual(sameDayEarlier.items, [{ id: 'c00', kind: 'review' }], 'due from the start of its day');
  });

  it('spreads new cards evenly among due reviews (Anki: mix new and review)', () => {
    assert.deepEqual(interleave(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], ['n1', 'n2']), ['r1', 'r2', 'n1', 'r3', 'r4', 'n2', 'r5', 'r6']);
    assert.deepEqual(interleave([], ['n1', 'n2']), ['n1', 'n2']);
    assert.deepEqual(interleave(['r1'], []), ['r1']);
    const s = sched(2);
    const store = ReviewStore.empty();
    for (let i = 0; i < 4; i++) s.grade(store, `c0${i}`, 4, T0 - 30 * DAY_MS); // 4 reviews, long overdue today
    const q = s.queue(deck(8), store, T0 + 9 * HOUR, day(0));
    assert.deepEqual(q.items.map((i) => i.kind), ['review', 'new', 'review', 'review', 'new', 'review']);
  });

  it('filters by level, by tag and by a set of card ids; filters combine', () => {
    const cards = deck(5, [
      { level: 'advanced', tags: ['lstm'] },
      { level: 'foundational', tags: ['lstm', 'gates'] },
      { level: 'advanced', tags: ['gru'] },
      {},
      { level: 'advanced', tags: ['lstm'] },
    ]);
    const s = sched(10);
    const ids = (f: Parameters<Scheduler['queue']>[4]) => s.queue(cards, ReviewStore.empty(), T0, day(0), f).items.map((i) => i.id);
    assert.deepEqual(ids({ level: 'advanced' }), ['c00', 'c02', 'c04']);
    assert.deepEqual(ids({ tag: 'lstm' }), ['c00', 'c01', 'c04']);
    assert.deepEqual(ids({ level: 'advanced', tag: 'lstm' }), ['c00', 'c04']);
    assert.deepEqual(ids({ cardIds: new Set(['c01', 'c03', 'gone']) }), ['c01', 'c03']);
    assert.deepEqual(ids({ cardIds: new Set() }), [], 'a file without terms gives an empty queue');
  });

  it('ignores progress of cards that left the deck (their history stays in the store)', () => {
    const s = sched(0);
    const store = ReviewStore.empty();
    s.grade(store, 'removed-card', 1, T0);
    const q = s.queue(deck(2), store, T0 + HOUR, day(0));
    assert.equal(q.items.length, 0);
    assert.equal(store.get('removed-card')?.log.length, 1);
  });
});

describe('grading', () => {
  it('labels each grade button with the interval that grade then gives', () => {
    const s = sched();
    const store = ReviewStore.empty();
    const now = T0 + 9 * HOUR;
    const preview = s.preview(undefined, now);
    // FSRS-6 defaults with learning steps 1m, 10m: a new card's Again 1m, Hard 6m, Good 10m, Easy days.
    assert.deepEqual(preview.map((p) => p.label).slice(0, 3), ['1m', '6m', '10m']);
    assert.match(preview[3].label, /^\d+d$/);
    s.grade(store, 'c00', 3, now);
    assert.equal(store.get('c00')?.card.due, preview[2].due, 'Good gives exactly the previewed due time');
  });

  it('records the review in the log with the state before it and the time on screen', () => {
    const s = sched();
    const store = ReviewStore.empty();
    const now = T0 + 9 * HOUR;
    s.grade(store, 'c00', 3, now, now - 4_000);
    const p = store.get('c00');
    assert.ok(p);
    assert.equal(p.log.length, 1);
    assert.deepEqual({ rating: p.log[0].rating, state: p.log[0].state, review: p.log[0].review, durationMs: p.log[0].durationMs }, { rating: 3, state: 0, review: now, durationMs: 4_000 });
    assert.equal(p.card.state, 1, 'learning after the first Good');
    assert.equal(p.card.reps, 1);
  });

  it('higher desired retention gives shorter intervals', () => {
    const store = ReviewStore.empty();
    const a = sched(10, 0.8);
    a.grade(store, 'x', 4, T0);
    const low = a.preview(store.get('x'), T0 + 5 * DAY_MS)[2].due;
    const high = sched(10, 0.97).preview(store.get('x'), T0 + 5 * DAY_MS)[2].due;
    assert.ok(high < low, `0.97 → ${new Date(high).toISOString()} before 0.8 → ${new Date(low).toISOString()}`);
  });

  it('undo restores the card exactly, including a first grade (back to new)', () => {
    const s = sched(1);
    const store = ReviewStore.empty();
    const now = T0 + 9 * HOUR;
    s.grade(store, 'c00', 3, now);
    const afterFirst = store.get('c00');
    s.grade(store, 'c00', 3, now + 11 * MIN);
    assert.equal(store.get('c00')?.log.length, 2);
    assert.ok(s.canUndo);
    assert.equal(s.undo(store)?.cardId, 'c00');
    assert.deepEqual(store.get('c00'), afterFirst);
    s.undo(store);
    assert.equal(store.get('c00'), undefined, 'undoing the first grade makes it new again');
    assert.equal(s.canUndo, false);
    assert.equal(s.undo(store), undefined);
    // The new-card allowance is given back too.
    assert.equal(s.queue(deck(3), store, now, day(0)).counts.new, 1);
    assert.equal(s.queue(deck(3), store, now, day(0)).items[0].id, 'c00');
  });
});

describe('interval labels', () => {
  it('formats like Anki', () => {
    assert.equal(formatInterval(20_000), '1m');
    assert.equal(formatInterval(10 * MIN), '10m');
    assert.equal(formatInterval(3 * HOUR), '3h');
    assert.equal(formatInterval(1.5 * HOUR), '1.5h');
    assert.equal(formatInterval(3 * DAY_MS), '3d');
    assert.equal(formatInterval(36 * DAY_MS), '1.2mo');
    assert.equal(formatInterval(900 * DAY_MS), '2.5y');
  });
});
