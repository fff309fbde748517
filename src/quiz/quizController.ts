// The quiz's host side: the sidebar WebviewViewProvider and the state it shows (which card, in
// which mode, under which filter). The view is a thin renderer: every decision (what is due,
// what a grade does) happens here, and the view gets a full QuizState after each change.
import * as vscode from 'vscode';
import { LEVELS, type Card } from '../deck/card';
import type { Deck } from '../deck/deck';
import type { DeckService } from '../deckService';
import { Command, ContextKey, View } from '../constants';
import { DisposableStore } from '../dispose';
import {
  parseMessage, quizViewMessageSchema, type CardView, type QuizFilterState, type QuizHostMessage, type QuizMode, type QuizNoticeLevel,
  type QuizRating, type QuizState, type QuizViewMessage,
} from '../../protocol';
import { buildWebviewHtml, webviewOptions } from '../webviewHtml';
import type { GlobalStateReviewStore } from './globalStateStore';
import { localDay, Scheduler, type Queue, type QuizFilter } from './scheduler';
import { cardsInDecks, deckChoiceSetting, deckViews } from './decks';
import { oneLine } from '../deck/escape';
import { computeStats } from './stats';

/** How a card got on screen: from the queue, or named by a command (hover "Open card" / "Quiz me"). */
type Source = 'queue' | 'pinned';

/** Longest wait for the next refresh, so counts stay right across sleeps and clock changes. */
const MAX_TIMER_MS = 60 * 60_000;

export class QuizController implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private view: vscode.WebviewView | undefined;
  private viewReady = false;
  private viewStore = new DisposableStore();
  private mode: QuizMode = 'empty';
  private currentId: string | undefined;
  private source: Source = 'queue';
  private filter: QuizFilterState = { level: null, tag: null, thisFile: false };
  private thisFile: { name: string; ids: Set<string> } | undefined;
  /** The decks the quiz asks from (setting rnnLens.quiz.decks; see ./decks.ts). */
  private chosenDecks: ReadonlySet<string>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly cardViews = new WeakMap<Deck, Map<string, CardView>>();
  private readonly dueEmitter = this.store.add(new vscode.EventEmitter<number>());
  /** Fires with the number of cards due (whole deck, no filter) whenever it may have changed. */
  readonly onDidChangeDue = this.dueEmitter.event;
  private lastDue = -1;
  private pendingStatsFocus = false;
  /** The last save failed (its notice stays in the view until a save succeeds). */
  private saveFailed = false;
  /** The last value of the `rnnLens.quiz.mode` context key. */
  private lastModeKey: string | undefined;
  /** The card on screen and when it came up: a grade by keybinding records the review's duration from it. */
  private shown: { id: string; at: number } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly decks: DeckService,
    private readonly progress: GlobalStateReviewStore,
    readonly scheduler: Scheduler,
    chosenDecks: ReadonlySet<string>,
    /** Saves a deck choice made in the view (the host writes the setting). */
    private readonly saveDeckChoice: (ids: string[]) => void,
  ) {
    this.chosenDecks = chosenDecks;
    decks.onDidChange(() => this.refresh(), undefined, this.store.items);
  }

  // ---- the webview ------------------------------------------------------------------------------

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewStore.dispose();
    this.view = view;
    this.viewReady = false;
    const viewStore = new DisposableStore();
    this.viewStore = viewStore;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = buildWebviewHtml({
      webview: view.webview,
      extensionUri: this.extensionUri,
      title: vscode.l10n.t('RNN Lens Quiz'),
      scripts: ['dist/webview/quiz.js'],
      styles: ['dist/webview/katex/katex.min.css', 'media/quiz.css'],
      bodyAttributes: { 'data-view': 'quiz' },
    });
    view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw), undefined, viewStore.items);
    view.onDidChangeVisibility(() => {
      if (view.visible) this.refresh();
      else this.setModeKey();
    }, undefined, viewStore.items);
    view.onDidDispose(() => {
      if (this.view === view) {
        this.view = undefined;
        this.viewReady = false;
        this.setModeKey();
      }
      viewStore.dispose();
    }, undefined, viewStore.items);
    this.updateBadge(this.lastDue);
  }

  private post(msg: QuizHostMessage): void {
    // The view says `ready` first; nothing is posted before (docs/ARCHITECTURE.md).
    if (this.view && this.viewReady) void this.view.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseMessage(quizViewMessageSchema, raw);
    if (!parsed.ok) {
      this.decks.output.appendLine(oneLine(`RNN Lens quiz: ignored a malformed message from the view (${parsed.reason})`));
      return;
    }
    this.handle(parsed.msg);
  }

  private handle(msg: QuizViewMessage): void {
    switch (msg.type) {
      case 'ready':
        this.viewReady = true;
        this.refresh();
        if (this.pendingStatsFocus) {
          this.pendingStatsFocus = false;
          this.postStats(true);
        }
        return;
      case 'reveal':
        if (msg.cardId === this.currentId && this.mode === 'question') {
          this.mode = 'answer';
        } else {
          // The view showed an older state: it gets the current one again below.
          this.decks.output.appendLine(oneLine(`RNN Lens quiz: ignored "reveal ${msg.cardId}": '${this.currentId ?? 'nothing'}' is on screen (${this.mode})`));
        }
        this.refresh();
        return;
      case 'grade':
        void this.grade(msg.cardId, msg.rating, msg.shownAt);
        return;
      case 'undo':
        void this.undo();
        return;
      case 'setFilter':
        this.setFilter({ level: msg.level, tag: msg.tag, thisFile: msg.thisFile });
        return;
      case 'backToQueue':
        this.currentId = undefined;
        this.source = 'queue';
        this.refresh();
        return;
      case 'openDemo':
        // The lab takes `{ demo, cardId? }` (src/lab/index.ts) and checks the demo id itself.
        void vscode.commands.executeCommand(Command.openDemo, this.currentId ? { demo: msg.demo, cardId: this.currentId } : msg.demo);
        return;
      case 'openLink': {
        // The schema lets only https through; the parsed scheme is checked again before opening.
        const uri = vscode.Uri.parse(msg.href);
        if (uri.scheme === 'https') void vscode.env.openExternal(uri);
        return;
      }
      case 'requestStats':
        this.postStats(false);
        return;
      case 'setDecks':
        // Known deck ids only (the schema's picklist), in the view's order: nothing else reaches the settings.
        this.setChosenDecks(new Set(deckChoiceSetting(msg.ids)));
        this.saveDeckChoice(deckChoiceSetting(this.chosenDecks));
        return;
    }
  }

  // ---- commands ---------------------------------------------------------------------------------

  /**
   * `Quiz: Show the Answer` (a keybinding): as the view's Space does. Only while the view shows a
   * question, so the view's own key and the keybinding on one press cannot do two things.
   */
  revealAnswer(): boolean {
    if (!this.viewShowing || this.mode !== 'question' || !this.currentId) return false;
    this.mode = 'answer';
    this.refresh();
    return true;
  }

  /**
   * `Quiz: Grade Again/Hard/Good/Easy` (keybindings): grades the card whose answer is on screen.
   * A card is graded only from its answer, and the next card comes up as a question, so a second
   * grade for one key press does nothing.
   */
  async gradeShown(rating: QuizRating): Promise<boolean> {
    if (!this.viewShowing || this.mode !== 'answer' || !this.currentId) return false;
    await this.grade(this.currentId, rating, this.shown?.id === this.currentId ? this.shown.at : undefined);
    return true;
  }

  /** The view is on screen and has rendered a state. */
  private get viewShowing(): boolean {
    return !!this.view?.visible && this.viewReady;
  }

  /** The keybindings' context key: the mode on screen, or `hidden`. */
  private setModeKey(): void {
    const mode = this.viewShowing ? this.mode : 'hidden';
    if (mode === this.lastModeKey) return;
    this.lastModeKey = mode;
    void vscode.commands.executeCommand('setContext', ContextKey.quizMode, mode);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${View.quiz}.focus`);
  }

  /** Shows a card with its answer, without grading it ("Open card" from a hover). */
  openCard(cardId: string): Promise<boolean> {
    return this.pin(cardId, 'browse');
  }

  /** Puts a card up as a question now, due or not ("Quiz me on this"). */
  quizCard(cardId: string): Promise<boolean> {
    return this.pin(cardId, 'question');
  }

  /** Puts one card in the view, chosen by the user rather than the scheduler; false if no such card. */
  private async pin(cardId: string, mode: 'browse' | 'question'): Promise<boolean> {
    if (!this.decks.deck.has(cardId)) return false;
    this.currentId = cardId;
    this.source = 'pinned';
    this.mode = mode;
    this.refresh();
    await this.reveal();
    return true;
  }

  async showStats(): Promise<void> {
    if (this.view && this.viewReady) this.postStats(true);
    else this.pendingStatsFocus = true;
    await this.reveal();
    if (this.view?.show) this.view.show(false);
  }

  setFilter(filter: QuizFilterState): void {
    const levels = new Set<string>(LEVELS);
    const next = {
      level: filter.level && levels.has(filter.level) ? filter.level : null,
      tag: filter.tag || null,
      thisFile: filter.thisFile,
    };
    const same = next.level === this.filter.level && next.tag === this.filter.tag && next.thisFile === this.filter.thisFile;
    this.filter = next;
    // The same filter again (a control echoing its value) must not swap the card on screen.
    if (!same && this.source === 'queue') this.currentId = undefined;
    this.refresh();
  }

  /** The decks to study changed (the setting, or the view's checkboxes). */
  setChosenDecks(ids: ReadonlySet<string>): void {
    const same = ids.size === this.chosenDecks.size && [...ids].every((id) => this.chosenDecks.has(id));
    if (same) return;
    this.chosenDecks = new Set(ids);
    if (this.source === 'queue') this.currentId = undefined;
    this.refresh();
  }

  /** The cards of the chosen decks: what the queue, the count and the statistics cover. */
  private studyCards(): readonly Card[] {
    return cardsInDecks(this.decks.deck.cards, this.chosenDecks);
  }

  get currentFilter(): QuizFilterState {
    return { ...this.filter };
  }

  /** The "this file" card set, computed by the caller from the active editor's terms. */
  setThisFile(file: { name: string; ids: Set<string> } | undefined): void {
    const same = file && this.thisFile && file.name === this.thisFile.name && file.ids.size === this.thisFile.ids.size &&
      [...file.ids].every((id) => this.thisFile?.ids.has(id));
    if (same) return;
    this.thisFile = file;
    if (this.filter.thisFile && this.source === 'queue') this.currentId = undefined;
    this.refresh();
  }

  get thisFileCards(): { name: string; ids: ReadonlySet<string> } | undefined {
    return this.thisFile;
  }

  get isViewVisible(): boolean {
    return !!this.view?.visible;
  }

  // ---- state --------------------------------------------------------------------------------------

  private queueFor(now: number, withFilter: boolean): Queue {
    const filter: QuizFilter = {};
    if (withFilter) {
      if (this.filter.level) filter.level = this.filter.level;
      if (this.filter.tag) filter.tag = this.filter.tag;
      if (this.filter.thisFile) filter.cardIds = this.thisFile?.ids ?? new Set();
    }
    return this.scheduler.queue(this.studyCards(), this.progress.store, now, localDay(now), filter);
  }

  /** Due cards over the whole deck: the status bar and badge number. */
  dueCount(now = Date.now()): number {
    return this.queueFor(now, false).items.length;
  }

  private cardView(card: Card): CardView {
    const deck = this.decks.deck;
    let cache = this.cardViews.get(deck);
    if (!cache) {
      cache = new Map();
      this.cardViews.set(deck, cache);
    }
    let cv = cache.get(card.id);
    if (!cv) {
      cv = {
        id: card.id,
        level: card.level,
        kind: card.kind,
        tags: [...card.tags],
        questionHtml: card.questionHtml,
        answerHtml: card.answerHtml,
      };
      if (card.demo) cv.demo = card.demo;
      cache.set(card.id, cv);
    }
    return cv;
  }

  /** Recomputes what is due and what is on screen, and tells the view, status bar and badge. */
  refresh(): void {
    const now = Date.now();
    const queue = this.queueFor(now, true);
    const deck = this.decks.deck;
    // A pinned card stays until graded or dismissed; a queue card stays while it is still due
    // (so a refresh between reveal and grade does not swap the card under the user's finger).
    if (this.currentId && !deck.has(this.currentId)) this.currentId = undefined;
    if (this.source === 'queue' && this.currentId && !queue.items.some((i) => i.id === this.currentId)) this.currentId = undefined;
    if (!this.currentId) {
      this.source = 'queue';
      this.currentId = queue.items[0]?.id;
      this.mode = this.currentId ? 'question' : 'empty';
    } else if (this.mode === 'empty') this.mode = 'question';
    const card = this.currentId ? deck.get(this.currentId) : undefined;
    if (card && this.shown?.id !== card.id) this.shown = { id: card.id, at: now };
    let intervals: QuizState['intervals'];
    if (card && this.mode !== 'browse') {
      const preview = this.scheduler.previewOrSetAside(card.id, this.progress.store.get(card.id), now);
      if (!preview) {
        // Set aside: say which card and why, and go on with the rest of the queue.
        this.tellSetAside(card.id);
        this.currentId = undefined;
        this.source = 'queue';
        this.refresh();
        return;
      }
      intervals = preview.map(({ rating, label }) => ({ rating, label }));
    }
    const readOnly = this.progress.readOnlyReason;
    const study = this.studyCards();
    const state: QuizState = {
      mode: card ? this.mode : 'empty',
      counts: queue.counts,
      filter: { ...this.filter },
      levels: LEVELS.filter((l) => study.some((c) => c.level === l)),
      tags: [...new Set(study.flatMap((c) => c.tags))].sort(),
      canUndo: this.scheduler.canUndo && !readOnly,
      deckSize: deck.size,
      now,
      decks: deckViews(deck.cards, this.chosenDecks),
    };
    if (queue.nextDueAt !== undefined) state.nextDueAt = queue.nextDueAt;
    if (this.thisFile) state.thisFile = { name: this.thisFile.name, cards: [...this.thisFile.ids].filter((id) => deck.has(id)).length };
    if (card) state.card = this.cardView(card);
    if (intervals) state.intervals = intervals;
    if (readOnly) state.readOnly = readOnly;
    const setAside = this.scheduler.setAsideCards;
    if (setAside.length) state.setAside = setAside;
    this.post({ type: 'state', state });
    this.setModeKey();
    const due = this.dueCount(now);
    if (due !== this.lastDue) {
      this.lastDue = due;
      this.updateBadge(due);
      this.dueEmitter.fire(due);
    }
    this.scheduleRefresh(now);
  }

  private updateBadge(due: number): void {
    if (!this.view) return;
    this.view.badge = due > 0 ? { value: due, tooltip: due === 1 ? vscode.l10n.t('1 card due') : vscode.l10n.t('{0} cards due', due) } : undefined;
  }

  /** Wakes up when the next card comes due (or the day turns), so the count is right without input. */
  private scheduleRefresh(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    const whole = this.queueFor(now, false);
    const day = localDay(now);
    const next = Math.min(whole.nextDueAt ?? day.end, day.end);
    const wait = Math.min(MAX_TIMER_MS, Math.max(1_000, next - now + 500));
    this.timer = setTimeout(() => this.refresh(), wait);
  }

  private postStats(focus: boolean): void {
    const study = this.studyCards();
    const inStudy = new Set(study.map((c) => c.id));
    const exclude = new Set(this.decks.deck.cards.filter((c) => !inStudy.has(c.id)).map((c) => c.id));
    const stats = computeStats(this.progress.store, [...inStudy], Date.now(), {
      exclude,
      desiredRetention: this.scheduler.options.desiredRetention,
      ...(this.currentId && this.decks.deck.has(this.currentId) ? { cardId: this.currentId } : {}),
    });
    this.post({ type: 'stats', stats, focus });
  }

  private async grade(cardId: string, rating: QuizRating, shownAt: number | undefined): Promise<void> {
    // A grade for a card no longer on screen (a double key press, a stale view) is dropped.
    if (cardId !== this.currentId || (this.mode !== 'question' && this.mode !== 'answer')) {
      this.decks.output.appendLine(oneLine(`RNN Lens quiz: ignored a grade of '${cardId}': '${this.currentId ?? 'nothing'}' is on screen (${this.mode})`));
      this.refresh();
      return;
    }
    if (!this.decks.deck.has(cardId)) return;
    // A grade that could not be saved is not taken: the view says why (refresh shows the reason).
    const blocked = this.progress.checkWritable();
    if (blocked) {
      this.decks.output.appendLine(oneLine(`RNN Lens quiz: refused a grade of '${cardId}': ${blocked}`));
      this.notice('error', vscode.l10n.t('Grade not taken: {0}.', blocked));
      this.refresh();
      return;
    }
    const result = this.scheduler.tryGrade(this.progress.store, cardId, rating, Date.now(), shownAt);
    if (!result.ok && !result.setAside) {
      this.decks.output.appendLine(oneLine(`RNN Lens quiz: refused a grade of '${cardId}': ${result.reason}`));
      this.notice('error', vscode.l10n.t('Grade not taken: {0}.', result.reason));
      this.refresh();
      return;
    }
    if (!result.ok) this.tellSetAside(cardId);
    // Either way the queue moves on: graded, or set aside.
    this.currentId = undefined;
    this.source = 'queue';
    this.refresh();
    if (!result.ok) return;
    const failed = await this.progress.save(new Set([cardId]));
    if (failed) {
      this.notice('error', vscode.l10n.t('The last grade is not saved yet: {0}', failed));
      // A save that found newer progress made the store read-only: the view shows why.
      this.refresh();
    } else if (this.saveFailed) this.notice('info', '');
    this.saveFailed = !!failed;
  }

  /** Output line and view notice for a card the scheduler just set aside. */
  private tellSetAside(cardId: string): void {
    const reason = this.scheduler.setAsideCards.find((c) => c.id === cardId)?.reason ?? 'unknown error';
    const text = vscode.l10n.t("Card '{0}' cannot be scheduled ({1}); it is set aside for this session and the rest of the queue goes on.", cardId, reason);
    this.decks.output.appendLine(oneLine(`RNN Lens quiz: ${text}`));
    this.notice('warning', text);
  }

  private async undo(): Promise<void> {
    if (this.progress.checkWritable()) {
      this.refresh();
      return;
    }
    const undone = this.scheduler.undo(this.progress.store);
    if (!undone) return;
    this.currentId = this.decks.deck.has(undone.cardId) ? undone.cardId : undefined;
    this.source = 'pinned';
    this.mode = 'question';
    this.refresh();
    await this.progress.save(new Set([undone.cardId]));
  }

  notice(level: QuizNoticeLevel, text: string): void {
    this.post({ type: 'notice', level, text });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.viewStore.dispose();
    this.store.dispose();
  }
}
