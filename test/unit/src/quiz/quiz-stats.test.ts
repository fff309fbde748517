// The quiz statistics Anki's FSRS users expect: each card's stability, difficulty and
// retrievability now (from ts-fsrs's forgetting curve), its curve and review history; true
// retention against the desired retention; the 30-day due forecast; all limited to the chosen decks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forgetting_curve, generatorParameters } from 'ts-fsrs';
import { ReviewStore, type Rating } from '../../../../src/quiz/reviewStore';
import { Scheduler } from '../../../../src/quiz/scheduler';
import { cardStats, computeStats, CURVE_POINTS, dueForecast, FORECAST_DAYS, HISTORY_MAX, retrievabilityAfter } from '../../../../src/quiz/stats';

process.env.TZ = 'UTC';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 2, 2, 9);

function sched(): Scheduler {
  return new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
}

/** A store holding the given reviews, graded in order by a fresh scheduler (returned for more). */
function graded(reviews: readonly [cardId: string, rating: Rating, at: number][]): { s: Scheduler; store: ReviewStore } {
  const s = sched();
  const store = ReviewStore.empty();
  for (const [cardId, rating, at] of reviews) s.grade(store, cardId, rating, at);
  return { s, store };
}

describe('card statistics', () => {
  it('a card never reviewed is new: no retrievability, no curve, no history', () => {
    const c = cardStats('lstm-gates', undefined, T0);
    assert.deepEqual(c, { id: 'lstm-gates', state: 0, stability: 0, difficulty: 0, reps: 0, lapses: 0, history: [], reviews: 0 });
  });

  it('retrievability now is ts-fsrs\'s forgetting curve at the days since the last review', () => {
    const { store } = graded([['a', 3, T0], ['a', 3, T0 + 10 * MIN], ['a', 4, T0 + 3 * DAY]]);
    const p = store.get('a')!;
    const now = T0 + 9 * DAY;
    const c = cardStats('a', p, now);
    assert.equal(c.state, 2);
    assert.equal(c.stability, p.card.stability);
    assert.equal(c.difficulty, p.card.difficulty);
    assert.equal(c.lastReview, T0 + 3 * DAY);
    assert.equal(c.due, p.card.due);
    assert.equal(c.elapsedDays, 6);
    const expected = forgetting_curve(generatorParameters().w, 6, p.card.stability);
    assert.equal(c.retrievability, expected);
    assert.ok(c.retrievability! > 0 && c.retrievability! < 1);
    // Stability is the time for R to fall to 90%: that is what the number means.
    assert.ok(Math.abs(retrievabilityAfter(p.card.stability, p.card.stability) - 0.9) < 1e-9);
  });

  it('draws R(t) from 1 at the last review, falling, over a span past now and the due date', () => {
    const { store } = graded([['a', 3, T0], ['a', 3, T0 + 10 * MIN]]);
    const p = store.get('a')!;
    const c = cardStats('a', p, T0 + 20 * DAY);
    assert.equal(c.curve?.length, CURVE_POINTS);
    assert.equal(c.curve![0].day, 0);
    assert.equal(c.curve![0].r, 1);
    for (let i = 1; i < c.curve!.length; i++) assert.ok(c.curve![i].r < c.curve![i - 1].r, `falls at point ${i}`);
    assert.ok(c.curveDays! >= c.elapsedDays!, 'now is on the chart');
    assert.ok(c.curveDays! * DAY >= p.card.due - p.card.lastReview!, 'the due date is on the chart');
  });

  it('lists the review history latest first, with grade and state before, at most HISTORY_MAX', () => {
    const { s, store } = graded([['a', 3, T0], ['a', 1, T0 + 10 * MIN], ['a', 3, T0 + 20 * MIN]]);
    const c = cardStats('a', store.get('a'), T0 + DAY);
    assert.deepEqual(c.history.map((h) => [h.review, h.rating, h.state]), [[T0 + 20 * MIN, 3, 1], [T0 + 10 * MIN, 1, 1], [T0, 3, 0]]);
    assert.equal(c.reviews, 3);
    const many = ReviewStore.empty();
    for (let i = 0; i < HISTORY_MAX + 5; i++) s.grade(many, 'b', 3, T0 + i * DAY * 400);
    const b = cardStats('b', many.get('b'), T0 + (HISTORY_MAX + 5) * DAY * 400);
    assert.equal(b.history.length, HISTORY_MAX);
    assert.equal(b.reviews, HISTORY_MAX + 5);
    assert.equal(b.history[0].review, T0 + (HISTORY_MAX + 4) * DAY * 400);
  });
});

describe('due forecast', () => {
  it('counts cards due on each of the next 30 days, overdue ones today, new cards never', () => {
    // 'a': learned long ago, overdue now; 'b': due in a few days; 'c': learning, due in minutes.
    const { store } = graded([['a', 4, T0 - 200 * DAY], ['b', 4, T0], ['c', 1, T0]]);
    const now = T0 + MIN;
    const f = dueForecast(store, ['a', 'b', 'c', 'new-card'], now);
    assert.equal(f.length, FORECAST_DAYS);
    assert.equal(f[0].start, Date.UTC(2026, 2, 2));
    assert.equal(f[1].start - f[0].start, DAY);
    assert.equal(f[0].due, 2, "today: 'a' overdue and 'c' in minutes");
    const bDay = Math.floor((store.get('b')!.card.due - f[0].start) / DAY);
    assert.ok(bDay >= 1 && bDay < FORECAST_DAYS, `b is due on day ${bDay}`);
    assert.equal(f[bDay].due, 1);
    assert.equal(f.reduce((a, d) => a + d.due, 0), 3);
  });

  it('leaves out cards due after the 30 days', () => {
    const store = ReviewStore.empty();
    const s = sched();
    for (let i = 0; i < 8; i++) s.grade(store, 'far', 4, T0 + i * 400 * DAY);
    const now = T0 + 7 * 400 * DAY + MIN;
    assert.ok(store.get('far')!.card.due > now + 31 * DAY);
    assert.equal(dueForecast(store, ['far'], now).reduce((a, d) => a + d.due, 0), 0);
  });
});

describe('statistics per deck', () => {
  it('reviews, true retention, states and forecast cover the chosen decks only', () => {
    const { store } = graded([
      ['in', 4, T0 - 40 * DAY],
      ['in', 3, T0 - DAY], // passed, in review
      ['out', 4, T0 - 40 * DAY],
      ['out', 1, T0 - DAY], // failed, but its deck is not chosen
      ['gone', 3, T0 - 2 * DAY], // in no deck any more: history kept
      ['learn', 1, T0 - 2 * MIN], // learning, due today
    ]);
    const stats = computeStats(store, ['in', 'learn'], T0, { exclude: new Set(['out']), desiredRetention: 0.85, cardId: 'in' });
    assert.deepEqual(stats.retention, { passed: 1, total: 1, desired: 0.85 });
    assert.equal(stats.totalReviews, 4, "'in' twice, 'gone' and 'learn' once; 'out' left out");
    assert.deepEqual(stats.byState, { new: 0, learning: 1, review: 1, relearning: 0, removed: 1 });
    assert.equal(stats.forecast[0].due, 1, "today: 'learn'; 'out' (relearning, due in minutes) is not in a chosen deck");
    assert.equal(computeStats(store, ['in', 'learn', 'out'], T0).forecast[0].due, 2);
    assert.equal(stats.card?.id, 'in');
    const all = computeStats(store, ['in', 'out'], T0);
    assert.deepEqual(all.retention, { passed: 1, total: 2, desired: 0.9 });
    assert.equal(all.card, undefined);
  });
});
