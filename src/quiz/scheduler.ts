// The quiz's scheduling: FSRS-6 through ts-fsrs, the due queue, grading with undo, and the
// interval label each grade button shows. Pure (no vscode, no DOM): every function takes the
// current time, and "today" as explicit local-day boundaries, so tests are deterministic.
import { createEmptyCard, fsrs, generatorParameters, type Card as FsrsCard, type FSRS, type Grade, type ReviewLog } from 'ts-fsrs';
import { RATINGS, parseCardProgress, type CardMemory, type CardProgress, type FsrsState, type Rating, type ReviewRecord, type ReviewStore } from './reviewStore';

export interface SchedulerOptions {
  /** FSRS desired retention, 0.7–0.99 (setting rnnLens.quiz.desiredRetention). */
  desiredRetention: number;
  /** New cards introduced per local day (setting rnnLens.quiz.newCardsPerDay). */
  newCardsPerDay: number;
}

/** Today's local-day boundaries, epoch ms: [start, end). The host computes them from the local clock. */
export interface Day {
  start: number;
  end: number;
}

/** What the queue needs to know about a deck card. */
export interface QueueCardInfo {
  id: string;
  level: string;
  tags: readonly string[];
}

export interface QuizFilter {
  level?: string;
  tag?: string;
  /** Only these cards (the "this file" filter); undefined = no such filter. */
  cardIds?: ReadonlySet<string>;
}

export type QueueKind = 'learning' | 'review' | 'new';

export interface QueueItem {
  id: string;
  kind: QueueKind;
}

export interface Queue {
  items: QueueItem[];
  counts: Record<QueueKind, number>;
  /** The earliest moment a card not in the queue becomes due (for the empty state and timers). */
  nextDueAt?: number;
  /** New cards still allowed today (before the filter). */
  newLeftToday: number;
}

export interface IntervalPreview {
  rating: Rating;
  due: number;
  label: string;
}

/** A card the scheduler could not schedule this session, and why; the queue goes on without it. */
export interface SetAsideCard {
  id: string;
  reason: string;
}

/** A grade that was not taken: refused (the store is read-only) or the card was set aside. */
export type GradeResult = { ok: true; progress: CardProgress } | { ok: false; reason: string; setAside: boolean };

export interface UndoRecord {
  cardId: string;
  before: CardProgress | undefined;
  rating: Rating;
  review: number;
}

/** Local-day boundaries around `now`, from the local clock (the host's time zone). */
export function localDay(now: number): Day {
  const d = new Date(now);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return { start, end };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Anki-style short interval: "1m", "10m", "3h", "3d", "1.2mo", "2.5y". */
export function formatInterval(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error(`the next review comes out as ${String(ms)} ms away`);
  const oneDecimal = (x: number) => {
    const r = Math.round(x * 10) / 10;
    return Number.isInteger(r) ? String(r) : r.toFixed(1);
  };
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))}m`;
  if (ms < DAY) return `${oneDecimal(ms / HOUR)}h`;
  const days = ms / DAY;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${oneDecimal(days / 30)}mo`;
  return `${oneDecimal(days / 365)}y`;
}

/**
 * ts-fsrs's card for a stored memory state. A last review after `now` (a clock that ran ahead on
 * another machine) counts as a review now: ts-fsrs refuses a negative elapsed time.
 */
export function toFsrsCard(m: CardMemory, now?: number): FsrsCard {
  const lastReview = m.lastReview === undefined ? undefined : now === undefined ? m.lastReview : Math.min(m.lastReview, now);
  return {
    due: new Date(m.due),
    stability: m.stability,
    difficulty: m.difficulty,
    elapsed_days: m.elapsedDays,
    scheduled_days: m.scheduledDays,
    learning_steps: m.learningSteps,
    reps: m.reps,
    lapses: m.lapses,
    state: m.state,
    last_review: lastReview === undefined ? undefined : new Date(lastReview),
  };
}

export function fromFsrsCard(c: FsrsCard): CardMemory {
  const m: CardMemory = {
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as number as FsrsState,
  };
  if (c.last_review) m.lastReview = c.last_review.getTime();
  return m;
}

function fromFsrsLog(l: ReviewLog, durationMs: number | undefined): ReviewRecord {
  const r: ReviewRecord = {
    rating: l.rating as number as Rating,
    state: l.state as number as FsrsState,
    due: l.due.getTime(),
    stability: l.stability,
    difficulty: l.difficulty,
    elapsedDays: l.elapsed_days,
    lastElapsedDays: l.last_elapsed_days,
    scheduledDays: l.scheduled_days,
    learningSteps: l.learning_steps,
    review: l.review.getTime(),
  };
  if (durationMs !== undefined) r.durationMs = durationMs;
  return r;
}

function matches(card: QueueCardInfo, filter: QuizFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.level && card.level !== filter.level) return false;
  if (filter.tag && !card.tags.includes(filter.tag)) return false;
  if (filter.cardIds && !filter.cardIds.has(card.id)) return false;
  return true;
}

/** How many cards had their first review today (they used up today's new-card allowance). */
export function newCardsIntroduced(store: ReviewStore, day: Day): number {
  let n = 0;
  for (const id of store.ids()) {
    const p = store.get(id);
    if (!p || p.log.length === 0) continue;
    const first = p.log.reduce((a, b) => (b.review < a.review ? b : a));
    if (first.state === 0 && first.review >= day.start && first.review < day.end) n++;
  }
  return n;
}

/**
 * Spreads `extra` evenly through `base` (Anki's "mix new cards and reviews"): with 6 reviews
 * and 2 new cards, a new card comes after every third review.
 */
export function interleave<T>(base: readonly T[], extra: readonly T[]): T[] {
  if (extra.length === 0) return [...base];
  const out: T[] = [];
  let b = 0;
  for (let i = 0; i < extra.length; i++) {
    const until = Math.round(((i + 1) * base.length) / (extra.length + 1));
    while (b < until) out.push(base[b++]);
    out.push(extra[i]);
  }
  while (b < base.length) out.push(base[b++]);
  return out;
}

/** A grade refused because the store must not be written; the message is the reason. */
export class ReadOnlyError extends Error {}

export class Scheduler {
  private engine!: FSRS;
  private readonly undoStack: UndoRecord[] = [];
  /** Cards whose scheduling threw, with why: left out of the queue until cleared. */
  private readonly setAside = new Map<string, string>();
  options!: SchedulerOptions;

  constructor(options: SchedulerOptions) {
    this.configure(options);
  }

  /** New settings apply to the next grade; the undo history stays. */
  configure(options: SchedulerOptions): void {
    const desiredRetention = Math.min(0.99, Math.max(0.7, Number.isFinite(options.desiredRetention) ? options.desiredRetention : 0.9));
    const newCardsPerDay = Math.max(0, Math.floor(Number.isFinite(options.newCardsPerDay) ? options.newCardsPerDay : 10));
    this.options = { desiredRetention, newCardsPerDay };
    // No fuzz: the label on a button must be the interval that grade then gives.
    this.engine = fsrs(generatorParameters({ request_retention: desiredRetention, enable_fuzz: false }));
  }

  /**
   * Today's queue over the deck: learning cards that are due first (their steps are minutes
   * long), then due reviews with today's new cards spread among them. Reviews are due for the
   * whole local day they fall on, as in Anki. Cards with progress but not in `cards` (removed
   * from the deck) are ignored here and keep their history in the store.
   */
  queue(cards: readonly QueueCardInfo[], store: ReviewStore, now: number, day: Day, filter?: QuizFilter): Queue {
    const learning: { id: string; due: number }[] = [];
    const reviews: { id: string; due: number }[] = [];
    const fresh: string[] = [];
    let nextDueAt: number | undefined;
    const later = (t: number) => {
      if (nextDueAt === undefined || t < nextDueAt) nextDueAt = t;
    };
    const newLeftToday = Math.max(0, this.options.newCardsPerDay - newCardsIntroduced(store, day));
    for (const card of cards) {
      if (!matches(card, filter) || this.setAside.has(card.id)) continue;
      const p = store.get(card.id);
      if (!p || p.card.state === 0) {
        fresh.push(card.id);
        continue;
      }
      const { state, due } = p.card;
      if (state === 2) {
        if (due < day.end) reviews.push({ id: card.id, due });
        else later(due);
      } else if (due <= now) learning.push({ id: card.id, due });
      else later(due);
    }
    const byDue = (a: { id: string; due: number }, b: { id: string; due: number }) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    learning.sort(byDue);
    reviews.sort(byDue);
    const newToday = fresh.slice(0, newLeftToday);
    // New cards beyond today's allowance become available at the next day boundary.
    if (fresh.length > newToday.length) later(day.end);
    const items: QueueItem[] = [
      ...learning.map((c) => ({ id: c.id, kind: 'learning' as const })),
      ...interleave<QueueItem>(reviews.map((c) => ({ id: c.id, kind: 'review' })), newToday.map((id) => ({ id, kind: 'new' }))),
    ];
    return {
      items,
      counts: { learning: learning.length, review: reviews.length, new: newToday.length },
      nextDueAt,
      newLeftToday,
    };
  }

  /** The due time each grade would give this card now, with its button label. Throws what ts-fsrs throws. */
  preview(progress: CardProgress | undefined, now: number): IntervalPreview[] {
    const card = progress ? toFsrsCard(progress.card, now) : createEmptyCard(new Date(now));
    const p = this.engine.repeat(card, new Date(now));
    return RATINGS.map((rating) => {
      const due = p[rating as Grade].card.due.getTime();
      return { rating, due, label: formatInterval(due - now) };
    });
  }

  /** The preview, or undefined with the card set aside when it cannot be scheduled. */
  previewOrSetAside(cardId: string, progress: CardProgress | undefined, now: number): IntervalPreview[] | undefined {
    try {
      return this.preview(progress, now);
    } catch (err) {
      this.putAside(cardId, err);
      return undefined;
    }
  }

  /**
   * Grades a card, writes the new state and log entry to the store, and remembers how to undo it.
   * Throws, leaving the store as it was, when the card cannot be scheduled.
   */
  grade(store: ReviewStore, cardId: string, rating: Rating, now: number, shownAt?: number): CardProgress {
    if (store.readOnlyReason) throw new ReadOnlyError(store.readOnlyReason);
    const before = store.get(cardId);
    const card = before ? toFsrsCard(before.card, now) : createEmptyCard(new Date(now));
    const item = this.engine.next(card, new Date(now), rating as Grade);
    const durationMs = shownAt !== undefined && shownAt <= now ? Math.min(now - shownAt, 60 * MINUTE) : undefined;
    const after: CardProgress = {
      card: fromFsrsCard(item.card),
      log: [...(before?.log ?? []), fromFsrsLog(item.log, durationMs)],
    };
    // What is stored must read back: a NaN or absurd time from the engine is refused here.
    const check = parseCardProgress(after);
    if (!check.ok) throw new Error(`the new state is invalid (${check.reason})`);
    store.set(cardId, after);
    this.undoStack.push({ cardId, before, rating, review: now });
    if (this.undoStack.length > 100) this.undoStack.shift();
    return after;
  }

  /**
   * Grades; or refuses (store read-only); or sets the card aside when it cannot be scheduled. The
   * store is unchanged unless the grade is taken. Never throws.
   */
  tryGrade(store: ReviewStore, cardId: string, rating: Rating, now: number, shownAt?: number): GradeResult {
    try {
      return { ok: true, progress: this.grade(store, cardId, rating, now, shownAt) };
    } catch (err) {
      if (err instanceof ReadOnlyError) return { ok: false, reason: err.message, setAside: false };
      return { ok: false, reason: this.putAside(cardId, err), setAside: true };
    }
  }

  private putAside(cardId: string, err: unknown): string {
    const reason = err instanceof Error ? err.message : String(err);
    this.setAside.set(cardId, reason);
    return reason;
  }

  /** The cards set aside this session, in the order they were. */
  get setAsideCards(): SetAsideCard[] {
    return [...this.setAside].map(([id, reason]) => ({ id, reason }));
  }

  /** Gives set-aside cards another chance (after an import or a reset changed their progress). */
  clearSetAside(): void {
    this.setAside.clear();
  }

  /** Forgets every undo (after a reset, there is nothing to go back to). */
  clearUndo(): void {
    this.undoStack.length = 0;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** Takes back the last grade: the card's state and log are exactly as before it. */
  undo(store: ReviewStore): UndoRecord | undefined {
    const last = this.undoStack.pop();
    if (!last) return undefined;
    store.set(last.cardId, last.before);
    return last;
  }
}
