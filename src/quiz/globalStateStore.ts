// The ReviewStore's home in globalState (synced by Settings Sync), and how its problems reach
// the user: every problem as an output-channel line, and one warning message for problems not
// reported before (their fingerprints are remembered, so a kept-aside entry does not nag at
// every start).
// (Not named reviewStore*.ts: eslint keeps that glob free of vscode imports.)
import * as vscode from 'vscode';
import { escapeNotification } from '../deck/escape';
import { ReviewStore, type CardProgress, type StoreProblem } from './reviewStore';

/** The synced globalState key holding all review progress. */
export const PROGRESS_KEY = 'rnnLens.quiz.progress';
/** Problems already shown in a warning (not synced: each machine says it once). */
const REPORTED_KEY = 'rnnLens.quiz.reportedProblems';

export class GlobalStateReviewStore {
  store: ReviewStore;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: vscode.Memento & { setKeysForSync(keys: readonly string[]): void },
    private readonly output: vscode.OutputChannel,
  ) {
    state.setKeysForSync([PROGRESS_KEY]);
    this.store = ReviewStore.empty();
  }

  /** Reads globalState; problems are reported, never thrown. */
  load(): StoreProblem[] {
    let raw: unknown;
    try {
      raw = this.state.get<unknown>(PROGRESS_KEY);
    } catch (err) {
      const problem = { cardId: '', message: vscode.l10n.t('cannot read saved review progress: {0}', err instanceof Error ? err.message : String(err)) };
      this.report([problem]);
      return [problem];
    }
    const { store, problems } = ReviewStore.fromStored(raw);
    this.store = store;
    this.report(problems);
    return problems;
  }

  /** Why grades cannot be saved now (a newer schema, unreadable data), or undefined. */
  get readOnlyReason(): string | undefined {
    return this.store.readOnlyReason;
  }

  /**
   * Looks at what globalState holds now (Settings Sync or another window may have written a newer
   * schema since this window loaded): if it cannot be written over, the store becomes read-only,
   * the user is told, and the reason is returned. Returns the stored entries otherwise.
   */
  private readStored(): { blocked: string } | { entries: Map<string, CardProgress> } {
    const { store: theirs, problems } = ReviewStore.fromStored(this.state.get<unknown>(PROGRESS_KEY));
    if (theirs.readOnlyReason) {
      const fresh = !this.store.readOnlyReason;
      this.store.block(theirs.readOnlyReason);
      if (fresh) this.report(problems.filter((p) => p.cardId === ''));
      return { blocked: theirs.readOnlyReason };
    }
    const entries = new Map<string, CardProgress>();
    for (const id of theirs.ids()) entries.set(id, theirs.get(id) as CardProgress);
    return { entries };
  }

  /** Undefined when grades and imports can be saved now, or the reason they cannot. */
  checkWritable(): string | undefined {
    if (this.store.readOnlyReason) return this.store.readOnlyReason;
    try {
      const r = this.readStored();
      return 'blocked' in r ? r.blocked : undefined;
    } catch (err) {
      return vscode.l10n.t('saved review progress cannot be read: {0}', err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Writes the store. Another window may have saved reviews since this one loaded (globalState is
   * shared): those are merged in first, newest review wins, except for the cards this window just
   * changed (`changed`), whose state here is the truth (an undo must stay undone). Resolves to
   * undefined once written, or to why nothing was written (the user has been told).
   */
  save(changed: ReadonlySet<string>): Promise<string | undefined> {
    const run = async (): Promise<string | undefined> => {
      try {
        const r = this.store.readOnlyReason ? { blocked: this.store.readOnlyReason } : this.readStored();
        if ('blocked' in r) return r.blocked;
        this.store.mergeEntries(r.entries, changed);
        await this.state.update(PROGRESS_KEY, this.store.toStored());
        return undefined;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const text = vscode.l10n.t('RNN Lens: could not save review progress: {0}', reason);
        this.output.appendLine(text);
        void vscode.window.showErrorMessage(escapeNotification(text));
        return reason;
      }
    };
    // Saves run one after another so an older snapshot never lands after a newer one.
    const next = this.saving.then(run);
    this.saving = next.then(() => undefined);
    return next;
  }

  /** Clears every card's progress. The caller has checked checkWritable() and saved a backup. */
  async clear(): Promise<void> {
    await this.saving;
    this.store = ReviewStore.empty();
    await this.state.update(PROGRESS_KEY, this.store.toStored());
  }

  /** Output line for each problem; one warning message for the ones this machine has not seen. */
  report(problems: readonly StoreProblem[]): void {
    if (problems.length === 0) return;
    for (const p of problems) {
      this.output.appendLine(`RNN Lens quiz: ${p.cardId ? `progress of card '${p.cardId}'` : 'review progress'}: ${p.message}${p.cardId ? ' (kept aside, not deleted)' : ''}`);
    }
    const seen = new Set(this.state.get<string[]>(REPORTED_KEY, []));
    const fresh = problems.filter((p) => !seen.has(`${p.cardId}\u0000${p.message}`));
    if (fresh.length === 0) return;
    for (const p of fresh) seen.add(`${p.cardId}\u0000${p.message}`);
    void this.state.update(REPORTED_KEY, [...seen].slice(-500));
    const first = fresh[0];
    const text = fresh.length === 1
      ? (first.cardId
        ? vscode.l10n.t("RNN Lens: the saved progress of card '{0}' is damaged ({1}); it was skipped and kept unchanged.", first.cardId, first.message)
        : vscode.l10n.t('RNN Lens: {0}', first.message))
      : vscode.l10n.t('RNN Lens: {0} saved review entries are damaged and were skipped (kept unchanged). See the output channel for details.', fresh.length);
    const details = vscode.l10n.t('Show Details');
    void vscode.window.showWarningMessage(escapeNotification(text), details).then((choice) => {
      if (choice === details) this.output.show(true);
    });
  }
}
