// Review progress: each card's FSRS memory state and its review log, keyed by card id.
// Pure (no vscode): the host adapter (globalStateStore.ts) moves the stored form in and out of
// globalState. Everything is plain JSON with epoch-millisecond times, so it survives
// globalState, Settings Sync and export files unchanged.
//
// Never lose a review: an entry that does not validate is reported and kept aside verbatim (it
// is written back untouched, so a later version or a manual fix can still recover it); a card
// that left the deck keeps its entry; an import merges (newer review wins, logs unioned) and
// reports every entry it could not take.
import * as v from 'valibot';
import { FSRS_STATES, RATINGS, type FsrsState, type Rating } from '../../protocol/quiz';

/** Version of the stored and exported shape; bump with a migration when the shape changes. */
export const SCHEMA_VERSION = 1;
/** Marks an export file as ours, so importing some other JSON says so instead of "0 cards". */
export const EXPORT_FORMAT = 'rnn-lens-progress';
/** Latest time an entry may hold (the end of the year 9999); later is not a date but damage. */
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Most cards one stored value or file may hold, and most reviews one card's log may hold. */
export const MAX_CARDS = 100_000;
export const MAX_LOG = 100_000;

export { FSRS_STATES, FSRS_STATE_NAMES, RATINGS, RATING_NAMES, type FsrsState, type Rating } from '../../protocol/quiz';

/** ts-fsrs's Card with times as epoch ms (Dates do not survive JSON). */
export interface CardMemory {
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: FsrsState;
  lastReview?: number;
}

/** One review: ts-fsrs's ReviewLog (the card as it was before the review) plus the time spent. */
export interface ReviewRecord {
  rating: Rating;
  /** State, due, stability and difficulty before this review. */
  state: FsrsState;
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  lastElapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  /** When the grade was given (epoch ms). */
  review: number;
  /** How long the question was on screen before the grade, when known. */
  durationMs?: number;
}

export interface CardProgress {
  card: CardMemory;
  log: ReviewRecord[];
}

export interface StoredProgress {
  schema: number;
  cards: Record<string, unknown>;
}

export interface ExportedProgress {
  format: typeof EXPORT_FORMAT;
  schema: number;
  exportedAt: number;
  cards: Record<string, CardProgress>;
}

export interface StoreProblem {
  /** The card id, or '' for a problem with the whole value. */
  cardId: string;
  message: string;
}

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  reviewsAdded: number;
  skipped: StoreProblem[];
  /** Entries taken with their future review times set to the import's `now`. */
  clamped: StoreProblem[];
}

// ---- validation -----------------------------------------------------------------------------

const epochMs = v.pipe(
  v.number((i) => `not a time (${String(i.input)})`),
  v.finite((i) => `not a time (${String(i.input)})`),
  v.minValue(0, (i) => `not a time (${String(i.input)} is before 1970)`),
  v.maxValue(MAX_TIME, (i) => `not a time (${String(i.input)} is after the year 9999)`),
);
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e9));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
const stateSchema = v.picklist(FSRS_STATES);
const ratingSchema = v.picklist(RATINGS);

const cardMemorySchema = v.object({
  due: epochMs,
  stability: nonNegative,
  difficulty: nonNegative,
  elapsedDays: nonNegative,
  scheduledDays: nonNegative,
  learningSteps: count,
  reps: count,
  lapses: count,
  state: stateSchema,
  lastReview: v.optional(epochMs),
});

const reviewRecordSchema = v.object({
  rating: ratingSchema,
  state: stateSchema,
  due: epochMs,
  stability: nonNegative,
  difficulty: nonNegative,
  elapsedDays: nonNegative,
  lastElapsedDays: nonNegative,
  scheduledDays: nonNegative,
  learningSteps: count,
  review: epochMs,
  durationMs: v.optional(nonNegative),
});

const cardProgressSchema = v.object({
  card: cardMemorySchema,
  log: v.pipe(v.array(reviewRecordSchema), v.maxLength(MAX_LOG)),
});

/** A card id as decks write them: kept loose, but never empty and never absurdly long. */
const cardIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/**
 * The `cards` object, read as is: valibot's record() drops keys such as `__proto__` and
 * `constructor`, which are valid card ids; the entries are read with Object.entries instead.
 */
const cardsObject = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'cards: expected an object of card entries'),
  v.check((x) => Object.keys(x).length <= MAX_CARDS, `cards: more than ${MAX_CARDS} entries`),
);

const storedShape = v.object({
  schema: v.pipe(v.number(), v.integer(), v.minValue(1)),
  cards: cardsObject,
});

const exportShape = v.object({
  format: v.literal(EXPORT_FORMAT),
  schema: v.pipe(v.number(), v.integer(), v.minValue(1)),
  exportedAt: v.optional(epochMs),
  cards: cardsObject,
});

function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Validates one entry; the caller decides whether a failure is skipped or kept aside. */
export function parseCardProgress(raw: unknown): { ok: true; value: CardProgress } | { ok: false; reason: string } {
  const r = v.safeParse(cardProgressSchema, raw);
  if (!r.success) return { ok: false, reason: issuesText(r.issues) };
  // valibot's object() drops unknown keys, so the value is exactly our shape.
  return { ok: true, value: { card: { ...r.output.card }, log: r.output.log.map((l) => ({ ...l })) } };
}

function clone(p: CardProgress): CardProgress {
  return { card: { ...p.card }, log: p.log.map((l) => ({ ...l })) };
}

/** The moment an entry was last reviewed: what "newer wins" compares. */
function lastReviewed(p: CardProgress): number {
  let t = p.card.lastReview ?? 0;
  for (const l of p.log) if (l.review > t) t = l.review;
  return t;
}

/**
 * The entry with every review time after `now` set to `now` (a file from a machine whose clock
 * runs ahead), and a note saying so, or the entry unchanged and no note.
 */
export function clampFutureReviews(p: CardProgress, now: number): { progress: CardProgress; note?: string } {
  const latest = lastReviewed(p);
  if (latest <= now) return { progress: p };
  const progress = clone(p);
  if (progress.card.lastReview !== undefined && progress.card.lastReview > now) progress.card.lastReview = now;
  for (const l of progress.log) if (l.review > now) l.review = now;
  return { progress, note: `last review ${new Date(latest).toISOString()} is in the future; taken as ${new Date(now).toISOString()}` };
}

/** An object whose own keys are the map's ids (`__proto__` included: fromEntries defines, never assigns). */
function cardsRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>;
}

function reviewKey(l: ReviewRecord): string {
  return `${l.review}:${l.rating}`;
}

/** Union of two logs (same time and rating = the same review), oldest first. */
function unionLogs(a: readonly ReviewRecord[], b: readonly ReviewRecord[]): { log: ReviewRecord[]; added: number } {
  const seen = new Map<string, ReviewRecord>();
  for (const l of a) seen.set(reviewKey(l), l);
  let added = 0;
  for (const l of b) {
    if (!seen.has(reviewKey(l))) {
      seen.set(reviewKey(l), l);
      added++;
    }
  }
  return { log: [...seen.values()].sort((x, y) => x.review - y.review).map((l) => ({ ...l })), added };
}

function sameProgress(a: CardProgress, b: CardProgress): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- the store --------------------------------------------------------------------------------

export class ReviewStore {
  private readonly entries = new Map<string, CardProgress>();
  /** Entries that did not validate, kept verbatim so saving never erases them. */
  private readonly quarantined = new Map<string, unknown>();
  /** Set when the stored value came from a newer schema or is unreadable: writing would lose data. */
  private blockedReason: string | undefined;

  private constructor(readOnlyReason?: string) {
    this.blockedReason = readOnlyReason;
  }

  /** Why this store must not be written (nor grades given, nor files imported), or undefined. */
  get readOnlyReason(): string | undefined {
    return this.blockedReason;
  }

  /** Marks the store read-only, e.g. when another machine has since saved a newer schema. */
  block(reason: string): void {
    this.blockedReason ??= reason;
  }

  static empty(): ReviewStore {
    return new ReviewStore();
  }

  /**
   * Reads the stored value (whatever globalState holds). Never throws: an unusable value gives
   * an empty store plus a problem, and bad entries are reported and kept aside.
   */
  static fromStored(raw: unknown): { store: ReviewStore; problems: StoreProblem[] } {
    if (raw === undefined || raw === null) return { store: new ReviewStore(), problems: [] };
    const shape = v.safeParse(storedShape, raw);
    if (!shape.success) {
      // Nothing readable; keep the whole value aside so the next save does not overwrite it.
      const store = new ReviewStore('the saved progress is not in a format RNN Lens can read');
      store.quarantined.set('', raw);
      return {
        store,
        problems: [{ cardId: '', message: `saved review progress is unreadable (${issuesText(shape.issues)}); it is kept unchanged and not overwritten` }],
      };
    }
    const problems: StoreProblem[] = [];
    let readOnly: string | undefined;
    if (shape.output.schema > SCHEMA_VERSION) {
      readOnly = `the saved progress was written by a newer RNN Lens (schema ${shape.output.schema}, this version reads ${SCHEMA_VERSION})`;
      problems.push({ cardId: '', message: `${readOnly}; reviews in this window are not saved until RNN Lens is updated` });
    }
    const store = new ReviewStore(readOnly);
    for (const [id, entry] of Object.entries(shape.output.cards)) {
      const idOk = v.safeParse(cardIdSchema, id).success;
      const parsed = parseCardProgress(entry);
      if (idOk && parsed.ok) store.entries.set(id, parsed.value);
      else {
        store.quarantined.set(id, entry);
        problems.push({ cardId: id, message: idOk ? (parsed.ok ? 'invalid' : parsed.reason) : 'invalid card id' });
      }
    }
    return { store, problems };
  }

  /** What goes back to globalState: valid entries plus the kept-aside ones, untouched. */
  toStored(): StoredProgress {
    const whole = this.quarantined.get('');
    if (whole !== undefined) {
      // The stored value was unreadable as a whole: never replace it (callers check readOnlyReason).
      return whole as StoredProgress;
    }
    const cards = new Map<string, unknown>(this.quarantined);
    for (const [id, p] of this.entries) cards.set(id, clone(p));
    return { schema: SCHEMA_VERSION, cards: cardsRecord(cards) };
  }

  get size(): number {
    return this.entries.size;
  }

  get quarantinedIds(): string[] {
    return [...this.quarantined.keys()].filter((k) => k !== '');
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  get(id: string): CardProgress | undefined {
    const p = this.entries.get(id);
    return p && clone(p);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Replaces a card's progress (a grade) or removes it (undoing a card's first grade). */
  set(id: string, progress: CardProgress | undefined): void {
    if (progress) {
      this.entries.set(id, clone(progress));
      // A fresh valid entry supersedes a corrupt one under the same id.
      this.quarantined.delete(id);
    } else this.entries.delete(id);
  }

  /** Every review of every card (including cards no longer in the deck), for statistics. */
  *allReviews(): Iterable<{ cardId: string; review: ReviewRecord }> {
    for (const [cardId, p] of this.entries) for (const review of p.log) yield { cardId, review };
  }

  exportJson(now: number): string {
    const ids = [...this.entries.keys()].sort();
    const cards = cardsRecord(ids.map((id) => [id, clone(this.entries.get(id) as CardProgress)] as const));
    const file: ExportedProgress = { format: EXPORT_FORMAT, schema: SCHEMA_VERSION, exportedAt: now, cards };
    return JSON.stringify(file, null, 2) + '\n';
  }

  /**
   * Merges entries into this store: per card the entry reviewed last wins, and the logs are
   * unioned either way, so no review is lost. `except` names ids this store decides alone
   * (what this window just changed, e.g. an undo, which must not be "merged back").
   */
  mergeEntries(entries: ReadonlyMap<string, CardProgress>, except: ReadonlySet<string> = new Set()): Omit<ImportReport, 'skipped' | 'clamped'> {
    const report = { added: 0, updated: 0, unchanged: 0, reviewsAdded: 0 };
    for (const [id, theirs] of entries) {
      if (except.has(id)) continue;
      const mine = this.entries.get(id);
      if (!mine) {
        this.entries.set(id, clone(theirs));
        this.quarantined.delete(id);
        report.added++;
        report.reviewsAdded += theirs.log.length;
        continue;
      }
      const newer = lastReviewed(theirs) > lastReviewed(mine) ? theirs : mine;
      const { log, added } = unionLogs(mine.log, theirs.log);
      const merged: CardProgress = { card: { ...newer.card }, log };
      if (sameProgress(merged, mine)) report.unchanged++;
      else {
        this.entries.set(id, merged);
        report.updated++;
        report.reviewsAdded += added;
      }
    }
    return report;
  }

  /**
   * Validates an export file and merges it; review times after `now` are taken as `now`. Throws
   * when the text is not a progress file at all, or when this store must not be written.
   */
  importJson(text: string, now: number): ImportReport {
    if (this.readOnlyReason) throw new Error(`review progress cannot be changed now: ${this.readOnlyReason}`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const shape = v.safeParse(exportShape, raw);
    if (!shape.success) {
      // Accept the stored form too (someone may paste globalState), but say what was expected.
      const stored = v.safeParse(storedShape, raw);
      if (!stored.success) throw new Error(`not an RNN Lens progress file (${issuesText(shape.issues)})`);
      return this.importEntries(stored.output.schema, stored.output.cards, now);
    }
    return this.importEntries(shape.output.schema, shape.output.cards, now);
  }

  private importEntries(schema: number, cards: Record<string, unknown>, now: number): ImportReport {
    if (schema > SCHEMA_VERSION) {
      throw new Error(`the file was written by a newer RNN Lens (schema ${schema}; this version reads ${SCHEMA_VERSION}); update RNN Lens to import it`);
    }
    const good = new Map<string, CardProgress>();
    const skipped: StoreProblem[] = [];
    const clamped: StoreProblem[] = [];
    for (const [id, entry] of Object.entries(cards)) {
      if (!v.safeParse(cardIdSchema, id).success) {
        skipped.push({ cardId: id, message: 'invalid card id' });
        continue;
      }
      const parsed = parseCardProgress(entry);
      if (!parsed.ok) {
        skipped.push({ cardId: id, message: parsed.reason });
        continue;
      }
      const { progress, note } = clampFutureReviews(parsed.value, now);
      good.set(id, progress);
      if (note) clamped.push({ cardId: id, message: note });
    }
    return { ...this.mergeEntries(good), skipped, clamped };
  }
}
