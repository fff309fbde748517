// The ReviewStore's home in globalState (synced by Settings Sync), and how its problems reach
// the user: every problem as an output-channel line, and one warning message for problems not
// reported before (their fingerprints are remembered, so a kept-aside entry does not nag at
// every start).
// (Not named reviewStore*.ts: eslint keeps that glob free of vscode imports.)
import * as vscode from 'vscode';
import { ReviewStore, validEntries, type StoreProblem } from './reviewStore';

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
      const problem = { cardId: '', message: `cannot read saved review progress: ${err instanceof Error ? err.message : String(err)}` };
      this.report([problem]);
      return [problem];
    }
    const { store, problems } = ReviewStore.fromStored(raw);
    this.store = store;
    this.report(problems);
    return problems;
  }

  /**
   * Writes the store. Another window may have saved reviews since this one loaded (globalState is
   * shared): those are merged in first, newest review wins, except for the cards this window just
   * changed (`changed`), whose state here is the truth (an undo must stay undone).
   */
  save(changed: ReadonlySet<string>): Promise<void> {
    const run = async () => {
      if (this.store.readOnlyReason) return;
      try {
        const theirs = validEntries(this.state.get<unknown>(PROGRESS_KEY));
        this.store.mergeEntries(theirs, changed);
        await this.state.update(PROGRESS_KEY, this.store.toStored());
      } catch (err) {
        const text = `RNN Lens: could not save review progress: ${err instanceof Error ? err.message : String(err)}`;
        this.output.appendLine(text);
        void vscode.window.showErrorMessage(text);
      }
    };
    // Saves run one after another so an older snapshot never lands after a newer one.
    this.saving = this.saving.then(run);
    return this.saving;
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
      ? `RNN Lens: ${first.cardId ? `the saved progress of card '${first.cardId}' is damaged (${first.message}); it was skipped and kept unchanged.` : first.message}`
      : `RNN Lens: ${fresh.length} saved review entries are damaged and were skipped (kept unchanged). See the output channel for details.`;
    void vscode.window.showWarningMessage(text, 'Show Details').then((choice) => {
      if (choice) this.output.show(true);
    });
  }
}
