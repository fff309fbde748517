// Review statistics for the quiz view, as Anki shows them for FSRS: reviews per local day
// (12-week heatmap), true retention over the last 30 days (Anki's definition: passed / all
// reviews of cards in the Review state) against the desired retention, the due forecast for the
// next 30 days, the cards by FSRS state, and one card's memory (stability, difficulty,
// retrievability now, its forgetting curve and its review history). Pure: the local calendar
// comes from Date's local methods; retrievability from ts-fsrs's own forgetting curve.
import { forgetting_curve, generatorParameters } from 'ts-fsrs';
import type { CardStats, QuizStats } from '../../protocol/quiz';
import type { CardProgress, ReviewStore } from './reviewStore';

export type { CardStats, QuizStats } from '../../protocol/quiz';

export const HEATMAP_WEEKS = 12;
export const RETENTION_DAYS = 30;
export const FORECAST_DAYS = 30;
/** Points of a drawn forgetting curve (0 to CURVE_POINTS - 1 steps over its span). */
export const CURVE_POINTS = 61;
/** Reviews of one card shown in its history (the latest ones). */
export const HISTORY_MAX = 100;
const DAY_MS = 86_400_000;

/** The FSRS parameters the scheduler uses (ts-fsrs defaults; see ./scheduler.ts). */
const DEFAULT_W = generatorParameters().w;

/** Probability of recall `elapsedDays` after the last review, for stability `stability` (ts-fsrs FSRS-6). */
export function retrievabilityAfter(elapsedDays: number, stability: number, w: readonly number[] = DEFAULT_W): number {
  if (!(stability > 0)) return 0;
  return forgetting_curve(w, Math.max(0, elapsedDays), stability);
}

/** A card's memory and history as the statistics show it (a card without progress is new). */
export function cardStats(id: string, progress: CardProgress | undefined, now: number, w: readonly number[] = DEFAULT_W): CardStats {
  const log = progress?.log ?? [];
  const history = log.slice(-HISTORY_MAX).reverse().map((r) => {
    const h: CardStats['history'][number] = { review: r.review, rating: r.rating, state: r.state, elapsedDays: r.elapsedDays };
    if (r.durationMs !== undefined) h.durationMs = r.durationMs;
    return h;
  });
  const m = progress?.card;
  const out: CardStats = {
    id,
    state: m?.state ?? 0,
    stability: m && m.state !== 0 ? m.stability : 0,
    difficulty: m && m.state !== 0 ? m.difficulty : 0,
    reps: m?.reps ?? 0,
    lapses: m?.lapses ?? 0,
    history,
    reviews: log.length,
  };
  if (!m || m.state === 0 || m.lastReview === undefined || !(m.stability > 0)) return out;
  out.due = m.due;
  out.lastReview = m.lastReview;
  const elapsed = Math.max(0, (now - m.lastReview) / DAY_MS);
  out.elapsedDays = elapsed;
  out.retrievability = retrievabilityAfter(elapsed, m.stability, w);
  // Span: past now and past the due date, at least a week, so the fall is visible.
  const dueDays = Math.max(0, (m.due - m.lastReview) / DAY_MS);
  const span = Math.min(36_500, Math.max(7, elapsed * 1.25, dueDays * 1.5, m.stability * 2));
  out.curveDays = span;
  out.curve = [];
  for (let i = 0; i < CURVE_POINTS; i++) {
    const day = (span * i) / (CURVE_POINTS - 1);
    out.curve.push({ day, r: retrievabilityAfter(day, m.stability, w) });
  }
  return out;
}

export interface StatsOptions {
  /** Cards of decks not chosen for study: their reviews and states are left out. */
  exclude?: ReadonlySet<string>;
  /** The retention FSRS schedules for (setting rnnLens.quiz.desiredRetention). */
  desiredRetention?: number;
  /** A card whose memory to show (the one on screen). */
  cardId?: string;
}

/** Local midnights: `count` days ending with today's, oldest first. */
export function localDayStarts(now: number, count: number): number[] {
  const d = new Date(now);
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(new Date(d.getFullYear(), d.getMonth(), d.getDate() - i).getTime());
  return out;
}

export function computeStats(store: ReviewStore, deckIds: readonly string[], now: number, options: StatsOptions = {}): QuizStats {
  const exclude = options.exclude ?? new Set<string>();
  const starts = localDayStarts(now, HEATMAP_WEEKS * 7);
  const tomorrow = (() => {
    const d = new Date(now);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  })();
  const counts = new Array<number>(starts.length).fill(0);
  const retentionFrom = localDayStarts(now, RETENTION_DAYS)[0];
  let passed = 0;
  let total = 0;
  let totalReviews = 0;
  for (const { cardId, review } of store.allReviews()) {
    if (exclude.has(cardId)) continue;
    totalReviews++;
    const t = review.review;
    if (t >= starts[0] && t < tomorrow) {
      // Binary search would do; 84 days is small enough to scan from the end.
      for (let i = starts.length - 1; i >= 0; i--) {
        if (t >= starts[i]) {
          counts[i]++;
          break;
        }
      }
    }
    if (t >= retentionFrom && t < tomorrow && review.state === 2) {
      total++;
      if (review.rating > 1) passed++;
    }
  }
  const byState = { new: 0, learning: 0, review: 0, relearning: 0, removed: 0 };
  const inDeck = new Set(deckIds);
  for (const id of deckIds) {
    const p = store.get(id);
    const s = p?.card.state ?? 0;
    if (s === 0) byState.new++;
    else if (s === 1) byState.learning++;
    else if (s === 2) byState.review++;
    else byState.relearning++;
  }
  for (const id of store.ids()) if (!inDeck.has(id) && !exclude.has(id)) byState.removed++;
  const stats: QuizStats = {
    days: starts.map((start, i) => ({ start, reviews: counts[i] })),
    totalReviews,
    retention: { passed, total, desired: options.desiredRetention ?? 0.9 },
    byState,
    forecast: dueForecast(store, deckIds, now),
  };
  if (options.cardId !== undefined) stats.card = cardStats(options.cardId, store.get(options.cardId), now);
  return stats;
}

/**
 * Cards (new ones aside) due on each of the next FORECAST_DAYS local days, today first; cards
 * already overdue count for today, as in Anki's Future Due graph.
 */
export function dueForecast(store: ReviewStore, deckIds: readonly string[], now: number): { start: number; due: number }[] {
  const d = new Date(now);
  const starts: number[] = [];
  for (let i = 0; i <= FORECAST_DAYS; i++) starts.push(new Date(d.getFullYear(), d.getMonth(), d.getDate() + i).getTime());
  const counts = new Array<number>(FORECAST_DAYS).fill(0);
  for (const id of deckIds) {
    const m = store.get(id)?.card;
    if (!m || m.state === 0) continue;
    if (m.due < starts[1]) {
      counts[0]++;
      continue;
    }
    for (let i = 1; i < FORECAST_DAYS; i++) {
      if (m.due < starts[i + 1]) {
        counts[i]++;
        break;
      }
    }
  }
  return counts.map((due, i) => ({ start: starts[i], due }));
}
