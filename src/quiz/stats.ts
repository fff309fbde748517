// Review statistics for the quiz view: reviews per local day (12-week heatmap), true retention
// over the last 30 days (Anki's definition: passed / all reviews of cards in the Review state),
// and the deck's cards by FSRS state. Pure: the local calendar comes from Date's local methods.
import type { ReviewStore } from './reviewStore';

export const HEATMAP_WEEKS = 12;
export const RETENTION_DAYS = 30;

export interface QuizStats {
  /** Reviews per local day, oldest first, ending with today; `start` = that day's local midnight. */
  days: { start: number; reviews: number }[];
  totalReviews: number;
  retention: { passed: number; total: number };
  /** Deck cards by state; `removed` = cards with history that left the deck. */
  byState: { new: number; learning: number; review: number; relearning: number; removed: number };
}

/** Local midnights: `count` days ending with today's, oldest first. */
export function localDayStarts(now: number, count: number): number[] {
  const d = new Date(now);
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(new Date(d.getFullYear(), d.getMonth(), d.getDate() - i).getTime());
  return out;
}

export function computeStats(store: ReviewStore, deckIds: readonly string[], now: number): QuizStats {
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
  for (const { review } of store.allReviews()) {
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
  for (const id of store.ids()) if (!inDeck.has(id)) byState.removed++;
  return {
    days: starts.map((start, i) => ({ start, reviews: counts[i] })),
    totalReviews,
    retention: { passed, total },
    byState,
  };
}
