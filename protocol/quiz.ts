// The sidebar quiz's messages and state, and the review vocabulary they carry (grades, FSRS
// states, the statistics). In quiz messages, questionHtml/answerHtml hold math as empty
// `[data-tex]` elements (TeX in the attribute, `data-display="true"` for display math) that the
// view draws with katex.render: KaTeX's HTML string needs inline styles, which the CSP blocks
// (src/deck/cardHtml.ts).
import * as v from 'valibot';
import { BUNDLED_DECKS, USER_DECK, type CardView, type Level } from './common';
import { DEMOS } from './lab';

/** FSRS states, as ts-fsrs numbers them, and their names (the quiz's statistics show them). */
export const FSRS_STATES = [0, 1, 2, 3] as const;
export type FsrsState = (typeof FSRS_STATES)[number];
export const FSRS_STATE_NAMES: Readonly<Record<FsrsState, string>> = { 0: 'New', 1: 'Learning', 2: 'Review', 3: 'Relearning' };

/** The grades, as ts-fsrs numbers them, and their names (the quiz's grade buttons show them). */
export const RATINGS = [1, 2, 3, 4] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_NAMES: Readonly<Record<Rating, string>> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

/** What the view shows: a queue card's question or answer, an opened card, or nothing due. */
export type QuizMode = 'question' | 'answer' | 'browse' | 'empty';

export interface QuizFilterState {
  level: string | null;
  tag: string | null;
  thisFile: boolean;
}

export interface QuizCounts {
  learning: number;
  review: number;
  new: number;
}

export interface QuizState {
  mode: QuizMode;
  /** The card on screen (absent in the empty state). */
  card?: CardView;
  /** One label per grade button ("10m", "3d"), in rating order 1–4; absent in browse/empty. */
  intervals?: { rating: QuizRating; label: string }[];
  /** Due now in the filtered queue. */
  counts: QuizCounts;
  /** When the next card comes due (epoch ms), for the empty state. */
  nextDueAt?: number;
  filter: QuizFilterState;
  levels: Level[];
  tags: string[];
  /** The active editor's file name for the "this file" filter, and how many cards its terms name. */
  thisFile?: { name: string; cards: number };
  canUndo: boolean;
  /** Cards in the whole deck (the empty state says when there are none at all). */
  deckSize: number;
  now: number;
  /** Why grades cannot be saved now (newer or unreadable saved progress); grading is off while set. */
  readOnly?: string;
  /** Cards that could not be scheduled this session, with why; the queue goes on without them. */
  setAside?: { id: string; reason: string }[];
  /** The decks loaded, in order, with their card counts and whether the quiz asks from them. */
  decks: QuizDeckView[];
}

export interface QuizDeckView {
  id: string;
  name: string;
  cards: number;
  chosen: boolean;
}

/** Longest deck list a view may send (there are three decks today). */
export const MAX_QUIZ_DECKS = 20;

/** The deck ids a view may choose: the bundled decks and the user deck, nothing else. */
export const QUIZ_DECK_IDS: readonly QuizDeckId[] = [...BUNDLED_DECKS.map((d) => d.id), USER_DECK.id];
export type QuizDeckId = (typeof BUNDLED_DECKS)[number]['id'] | typeof USER_DECK.id;
/** A deck id the view may send. */
export const isQuizDeckId = (id: string): id is QuizDeckId => (QUIZ_DECK_IDS as readonly string[]).includes(id);

/** One card's memory and history as the statistics show it. */
export interface CardStats {
  id: string;
  state: FsrsState;
  /** Days for retrievability to fall to 90% (FSRS stability); 0 for a new card. */
  stability: number;
  /** FSRS difficulty, 1 (easy) to 10 (hard); 0 for a new card. */
  difficulty: number;
  /** Probability of recall now, from the forgetting curve; absent for a card never reviewed. */
  retrievability?: number;
  due?: number;
  lastReview?: number;
  reps: number;
  lapses: number;
  /** R(t) from the last review (t = 0) over `curveDays`; absent for a card never reviewed. */
  curve?: { day: number; r: number }[];
  curveDays?: number;
  /** Days from the last review to now (where "now" sits on the curve). */
  elapsedDays?: number;
  /** Latest reviews first, at most HISTORY_MAX (src/quiz/stats.ts): when, the grade, and the state before it. */
  history: { review: number; rating: Rating; state: FsrsState; elapsedDays: number; durationMs?: number }[];
  /** Reviews in all (the history may show fewer). */
  reviews: number;
}

/** The review statistics (computed on the host by src/quiz/stats.ts, whose constants size them). */
export interface QuizStats {
  /** Reviews per local day, oldest first, ending with today; `start` = that day's local midnight. */
  days: { start: number; reviews: number }[];
  totalReviews: number;
  /** True retention over the last RETENTION_DAYS, and the desired retention it is measured against. */
  retention: { passed: number; total: number; desired: number };
  /** Deck cards by state; `removed` = cards with history that left the deck. */
  byState: { new: number; learning: number; review: number; relearning: number; removed: number };
  /** Cards due on each of the next FORECAST_DAYS local days, today first (today includes the overdue). */
  forecast: { start: number; due: number }[];
  card?: CardStats;
}

/** What the statistics show. */
export type QuizStatsView = QuizStats;

/** How a notice in the quiz view is coloured. */
export type QuizNoticeLevel = 'info' | 'warning' | 'error';

export type QuizHostMessage =
  | { type: 'state'; state: QuizState }
  | { type: 'stats'; stats: QuizStatsView; focus: boolean }
  | { type: 'notice'; level: QuizNoticeLevel; text: string };

const quizCardId = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const epochMs = v.pipe(v.number(), v.finite(), v.minValue(0));

export const quizViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('reveal'), cardId: quizCardId }),
  v.strictObject({
    type: v.literal('grade'),
    cardId: quizCardId,
    rating: v.picklist(RATINGS),
    shownAt: epochMs,
  }),
  v.strictObject({ type: v.literal('undo') }),
  v.strictObject({
    type: v.literal('setFilter'),
    level: v.nullable(v.pipe(v.string(), v.maxLength(100))),
    tag: v.nullable(v.pipe(v.string(), v.maxLength(200))),
    thisFile: v.boolean(),
  }),
  /** Leave an opened card (browse mode) and go back to the queue. */
  v.strictObject({ type: v.literal('backToQueue') }),
  /** A demo the card names: one of DEMOS, never free text (the host would quote it in a warning). */
  v.strictObject({ type: v.literal('openDemo'), demo: v.picklist(DEMOS) }),
  /** A link in a card: https only, as the card HTML keeps (src/deck/cardHtml.ts). */
  v.strictObject({ type: v.literal('openLink'), href: v.pipe(v.string(), v.maxLength(2000), v.url(), v.regex(/^https:\/\//i)) }),
  v.strictObject({ type: v.literal('requestStats') }),
  /** The decks to study (ids of QuizState.decks), from the view's Decks checkboxes. */
  v.strictObject({
    type: v.literal('setDecks'),
    ids: v.pipe(v.array(v.picklist(QUIZ_DECK_IDS)), v.maxLength(MAX_QUIZ_DECKS)),
  }),
]);

export type QuizViewMessage = v.InferOutput<typeof quizViewMessageSchema>;
/** A grade, 1–4 (Again, Hard, Good, Easy: RATING_NAMES). */
export type QuizRating = Extract<QuizViewMessage, { type: 'grade' }>['rating'];
