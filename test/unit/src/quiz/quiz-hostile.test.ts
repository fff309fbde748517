// Review progress from bad data: a review date in the future (a file or Settings Sync from a
// machine whose clock runs ahead), absurd times (1e300, negative, NaN), card ids that are
// Object.prototype names, a command link in an id, a newer schema, and a card whose scheduling
// throws. Each test starts from the hostile input and checks what the user would get.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeNotification } from '../../../../src/deck/escape';
import { EXPORT_FORMAT, ReviewStore, SCHEMA_VERSION, type CardProgress } from '../../../../src/quiz/reviewStore';
import { formatInterval, Scheduler, type Day, type QueueCardInfo } from '../../../../src/quiz/scheduler';

const MIN = 60_000;
const DAY_MS = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 2, 2, 9);
const NOW = T0 + 2 * DAY_MS;
const today = (t: number): Day => {
  const start = t - (t % DAY_MS);
  return { start, end: start + DAY_MS };
};

function sched(): Scheduler {
  return new Scheduler({ desiredRetention: 0.9, newCardsPerDay: 100 });
}

/** One card's progress after two Good grades, its reviews shifted by `shift` ms. */
function progress(shift = 0): CardProgress {
  const store = ReviewStore.empty();
  const s = sched();
  s.grade(store, 'x', 3, T0);
  s.grade(store, 'x', 3, T0 + 11 * MIN);
  const p = store.get('x') as CardProgress;
  p.card.due += shift;
  if (p.card.lastReview !== undefined) p.card.lastReview += shift;
  for (const l of p.log) {
    l.review += shift;
    l.due += shift;
  }
  return p;
}

function exportFile(cards: Record<string, unknown>, schema = SCHEMA_VERSION): string {
  return JSON.stringify({ format: EXPORT_FORMAT, schema, exportedAt: T0, cards });
}

/** Grades Good through today's whole queue as the quiz view does; returns the ids graded, in order. */
function gradeThrough(s: Scheduler, cards: QueueCardInfo[], store: ReviewStore, now: number): string[] {
  const graded: string[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const next = s.queue(cards, store, now, today(now)).items[0];
    if (!next) return graded;
    if (!s.previewOrSetAside(next.id, store.get(next.id), now)) continue;
    const r = s.tryGrade(store, next.id, 3, now);
    if (r.ok) graded.push(next.id);
  }
  throw new Error('the queue never emptied');
}

/** VS Code's rule for links in notification text (its `parseLinkedText`, in the workbench's linkedText module). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('hostile progress: review dates in the future', () => {
  it('import takes a future review as now and names the entry', () => {
    const store = ReviewStore.empty();
    const future = progress(400 * DAY_MS);
    const r = store.importJson(exportFile({ 'from-the-future': future, 'ok-card': progress() }), NOW);
    assert.equal(r.added, 2);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(r.clamped.map((c) => c.cardId), ['from-the-future']);
    assert.match(r.clamped[0].message, /^last review 2027-04-\d\dT.* is in the future; taken as 2026-03-04T09:00:00\.000Z$/);
    const got = store.get('from-the-future');
    assert.equal(got?.card.lastReview, NOW);
    assert.ok(got?.log.every((l) => l.review <= NOW), 'no review after now is stored');
  });

  it('a stored card whose last review is after now (Settings Sync from a clock ahead) schedules as reviewed now', () => {
    const ahead = progress(3 * DAY_MS); // last review 3 days after NOW - 2 days: one day ahead
    assert.ok((ahead.card.lastReview ?? 0) > NOW);
    const { store, problems } = ReviewStore.fromStored({ schema: SCHEMA_VERSION, cards: { ahead } });
    assert.deepEqual(problems, []);
    const s = sched();
    // ts-fsrs alone throws "Invalid delta_t" here; the scheduler counts the last review as now.
    const labels = s.preview(store.get('ahead'), NOW).map((p) => p.label);
    const asNow = structuredClone(ahead);
    asNow.card.lastReview = NOW;
    assert.deepEqual(labels, sched().preview(asNow, NOW).map((p) => p.label));
    assert.ok(labels.every((l) => /^\d+(\.\d)?(m|h|d|mo|y)$/.test(l)), labels.join(' '));
    const r = s.tryGrade(store, 'ahead', 3, NOW);
    assert.ok(r.ok, 'graded');
    assert.equal(store.get('ahead')?.log.length, 3);
    assert.deepEqual(s.setAsideCards, []);
  });

  it('after importing a future review, grading goes through the whole queue', () => {
    const store = ReviewStore.empty();
    store.importJson(exportFile({ 'from-the-future': { ...progress(400 * DAY_MS), card: { ...progress(400 * DAY_MS).card, due: NOW - MIN } } }), NOW);
    const cards = ['from-the-future', 'a', 'b'].map((id) => ({ id, level: 'foundational', tags: [] }));
    const s = sched();
    assert.deepEqual(gradeThrough(s, cards, store, NOW).sort(), ['a', 'b', 'from-the-future']);
    assert.deepEqual(s.setAsideCards, []);
  });
});

describe('hostile progress: absurd times', () => {
  for (const [what, value] of [['1e300', 1e300], ['negative', -5], ['NaN', NaN], ['Infinity', Infinity]] as const) {
    it(`rejects a ${what} time, naming the entry, on import and in stored progress`, () => {
      const bad = progress();
      bad.card.due = value;
      const badLog = progress();
      badLog.log[1].review = value;
      // JSON has no NaN or Infinity: a file carries them as null, stored progress (globalState) as is.
      const store = ReviewStore.empty();
      const r = store.importJson(JSON.stringify({ format: EXPORT_FORMAT, schema: 1, cards: { 'bad-due': bad, 'bad-log': badLog, good: progress() } }), NOW);
      assert.equal(r.added, 1);
      assert.deepEqual(r.skipped.map((s) => s.cardId), ['bad-due', 'bad-log']);
      if (Number.isFinite(value)) {
        assert.match(r.skipped[0].message, /^card\.due: not a time \(/);
        assert.match(r.skipped[1].message, /^log\.1\.review: not a time \(/);
      }
      const { store: stored, problems } = ReviewStore.fromStored({ schema: 1, cards: { 'bad-due': bad, good: progress() } });
      assert.deepEqual(stored.ids(), ['good']);
      assert.deepEqual(problems.map((p) => p.cardId), ['bad-due']);
      assert.match(problems[0].message, /^card\.due: not a time \(/);
      // The queue and its labels never see it.
      const labels = sched().preview(stored.get('good'), NOW).map((p) => p.label);
      assert.ok(!labels.some((l) => /NaN|Infinity/.test(l)), labels.join(' '));
    });
  }

  it('an interval that is not a number is an error, never a "NaNy" label', () => {
    for (const ms of [NaN, Infinity, -Infinity]) assert.throws(() => formatInterval(ms), /the next review comes out as/);
    assert.equal(formatInterval(3 * 365 * DAY_MS), '3y');
  });

  it('labels stay numbers at the largest time and stability a file may hold', () => {
    const far = progress();
    far.card.stability = 1e9;
    far.card.due = Date.UTC(9999, 0, 1);
    const store = ReviewStore.empty();
    assert.equal(store.importJson(exportFile({ far }), NOW).added, 1);
    const labels = sched().preview(store.get('far'), NOW).map((p) => p.label);
    assert.ok(labels.every((l) => /^\d+(\.\d)?(m|h|d|mo|y)$/.test(l)), labels.join(' '));
  });
});

describe('hostile progress: Object.prototype names as card ids', () => {
  const ids = ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

  it('keeps their progress through save, reload, export and import', () => {
    const s = sched();
    const store = ReviewStore.empty();
    ids.forEach((id, i) => s.grade(store, id, 3, T0 + i * MIN));
    // Save and reload: globalState keeps the value as JSON.
    const { store: reloaded, problems } = ReviewStore.fromStored(JSON.parse(JSON.stringify(store.toStored())));
    assert.deepEqual(problems, []);
    assert.deepEqual(reloaded.ids().sort(), [...ids].sort());
    for (const id of ids) assert.deepEqual(reloaded.get(id), store.get(id), id);
    // Export and import into a fresh store.
    const text = reloaded.exportJson(NOW);
    assert.deepEqual(Object.keys(JSON.parse(text).cards as object).sort(), [...ids].sort());
    const fresh = ReviewStore.empty();
    const r = fresh.importJson(text, NOW);
    assert.equal(r.added, ids.length);
    for (const id of ids) assert.equal(fresh.get(id)?.log.length, 1, id);
    // A second import merges into them (no prototype lookups in the way).
    assert.equal(fresh.importJson(text, NOW).unchanged, ids.length);
  });

  it('queues, grades and never confuses them with an object\'s built-ins', () => {
    const cards = ids.map((id) => ({ id, level: 'foundational', tags: [] }));
    const s = sched();
    const store = ReviewStore.empty();
    assert.equal(s.queue(cards, store, NOW, today(NOW)).counts.new, ids.length, 'all new: none has progress');
    assert.deepEqual(gradeThrough(s, cards, store, NOW).sort(), [...ids].sort());
  });
});

describe('hostile progress: text from files in notifications', () => {
  const ids = ['[x](command:workbench.action.quit)', '![](https://evil.example/x.png)', '[a[b](file:///etc/passwd)', '[t](https://e.example "title")'];

  it('no id becomes a link, and each still reads the same', () => {
    for (const id of ids) {
      const text = escapeNotification(`RNN Lens: skipped 1 invalid entry: '${id}' (card.due: not a time)`);
      assert.deepEqual([...text.matchAll(NOTIFICATION_LINK)], [], text);
      assert.ok(text.replace(/\u200b/g, '').includes(id), text);
    }
  });

  it('flattens line breaks and control characters and bounds the length', () => {
    assert.equal(escapeNotification('a\nb\u0000c\u2028d'), 'a b c d');
    const long = escapeNotification('x'.repeat(5000));
    assert.equal(long.length, 1000);
    assert.ok(long.endsWith('…'));
  });

  it('an import report that quotes such ids carries them as data', () => {
    const store = ReviewStore.empty();
    const r = store.importJson(exportFile({ [ids[0]]: { card: { due: 'soon' }, log: [] }, [ids[1]]: progress(400 * DAY_MS) }), NOW);
    assert.deepEqual(r.skipped.map((s) => s.cardId), [ids[0]]);
    assert.deepEqual(r.clamped.map((s) => s.cardId), [ids[1]]);
  });
});

describe('hostile progress: a newer schema from another machine', () => {
  const newer = { schema: SCHEMA_VERSION + 1, cards: { c: progress() } };

  it('refuses grades with the reason and changes nothing', () => {
    const { store } = ReviewStore.fromStored(newer);
    const before = JSON.stringify(store.toStored());
    const s = sched();
    const r = s.tryGrade(store, 'c', 3, NOW);
    assert.deepEqual(r.ok ? 'taken' : { setAside: r.setAside }, { setAside: false });
    assert.match(r.ok ? '' : r.reason, /newer RNN Lens \(schema 2, this version reads 1\)/);
    assert.equal(JSON.stringify(store.toStored()), before);
    assert.equal(s.canUndo, false);
    assert.deepEqual(s.setAsideCards, [], 'refused, not set aside: the card is fine');
  });

  it('refuses an import with the reason instead of reporting cards that never persist', () => {
    const { store } = ReviewStore.fromStored(newer);
    assert.throws(() => store.importJson(exportFile({ other: progress() }), NOW), /^Error: review progress cannot be changed now: the saved progress was written by a newer RNN Lens/);
    assert.equal(store.has('other'), false);
  });

  it('a store blocked later (a newer value synced in) refuses from then on', () => {
    const store = ReviewStore.empty();
    store.block('the saved progress was written by a newer RNN Lens (schema 2, this version reads 1)');
    assert.equal(sched().tryGrade(store, 'c', 3, NOW).ok, false);
    assert.throws(() => store.importJson(exportFile({ c: progress() }), NOW), /cannot be changed now/);
  });
});

describe('hostile progress: the scheduling guard', () => {
  it('sets aside a card whose scheduling throws, names it, and the rest of the queue still grades', () => {
    const store = ReviewStore.empty();
    // In memory only (the store validates what it reads): a state ts-fsrs does not know.
    const broken = progress();
    broken.card.due = NOW - MIN;
    store.set('broken', { ...broken, card: { ...broken.card, state: 7 as unknown as 2 } });
    const cards = ['a', 'broken', 'b', 'c'].map((id) => ({ id, level: 'foundational', tags: [] }));
    const s = sched();
    assert.equal(s.queue(cards, store, NOW, today(NOW)).items[0].id, 'broken', 'due review first');
    assert.deepEqual(gradeThrough(s, cards, store, NOW), ['a', 'b', 'c']);
    assert.deepEqual(s.setAsideCards.map((c) => c.id), ['broken']);
    assert.ok(s.setAsideCards[0].reason.length > 0, 'with the reason');
    assert.deepEqual(s.queue(cards, store, NOW, today(NOW)).items, [], 'the queue is empty');
    assert.equal(store.get('broken')?.card.state, 7, 'its progress is left as it was');
  });

  it('a grade that throws sets the card aside and leaves the store unchanged', () => {
    const store = ReviewStore.empty();
    store.set('broken', { ...progress(), card: { ...progress().card, lastReview: Number.NaN } });
    const before = JSON.stringify(store.get('broken'));
    const s = sched();
    const r = s.tryGrade(store, 'broken', 3, NOW);
    assert.equal(r.ok, false);
    assert.equal(JSON.stringify(store.get('broken')), before);
    assert.deepEqual(s.setAsideCards.map((c) => c.id), ['broken']);
    s.clearSetAside();
    assert.deepEqual(s.setAsideCards, []);
  });
});
