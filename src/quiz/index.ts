// The quiz feature's wiring: the sidebar view, its commands, the due-count status bar item and
// context key, the "this file" filter that follows the active editor, and progress export/import.
import * as vscode from 'vscode';
import { Command, ContextKey, Setting, View } from '../constants';
import type { DeckService } from '../deckService';
import { findTermsInText } from '../deck/terms';
import { DisposableStore } from '../dispose';
import { config, saveQuizDecks } from '../settings';
import { GlobalStateReviewStore } from './globalStateStore';
import { escapeNotification, oneLine } from '../deck/escape';
import { fileErrorReason, unreadableReason } from '../lab/readableFile';
import { noTermsMessage } from './notices';
import { QuizController } from './quizController';
import type { QuizRating } from '../../protocol';
import { Scheduler, type SchedulerOptions } from './scheduler';

/** Typing in a big file must not rescan it on every keystroke. */
const THIS_FILE_DEBOUNCE_MS = 400;
/** Scanning more than this for terms would stall the extension host; such files get no filter. */
const THIS_FILE_MAX_CHARS = 2_000_000;
/** Largest progress file Import reads (years of reviews of a big deck fit in a few MB). */
const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

// Counts with their noun, one message per form (l10n.t has no plural rules).
const cardCount = (n: number) => (n === 1 ? vscode.l10n.t('1 card') : vscode.l10n.t('{0} cards', n));
const reviewCount = (n: number) => (n === 1 ? vscode.l10n.t('1 review') : vscode.l10n.t('{0} reviews', n));

function schedulerOptions(): SchedulerOptions {
  const { desiredRetention, newCardsPerDay } = config();
  return { desiredRetention, newCardsPerDay };
}

/** The scheme of a notebook cell's document. */
const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

/** A file's name as the quiz shows it: one line, bidi controls neutralised (it is still escaped for Markdown where it meets it). */
function fileName(uri: vscode.Uri): string {
  return oneLine(uri.path.split('/').pop() || uri.toString());
}

/** What the quiz's commands need. */
export interface QuizCtx {
  readonly decks: DeckService;
  readonly quiz: QuizController;
  readonly progress: GlobalStateReviewStore;
  /** Where Reset Review Progress writes its backup. */
  readonly globalStorageUri: vscode.Uri;
  /** Scans the active file for terms now, not after the typing debounce. */
  scanNow(): void;
}

export function register(context: vscode.ExtensionContext, decks: DeckService): QuizCtx & vscode.Disposable {
  const store = new DisposableStore();
  const progress = new GlobalStateReviewStore(context.globalState, decks.output);
  progress.load();
  const deckChoice = () => config().quizDecks;
  const saveDeckChoice = (ids: string[]) => {
    saveQuizDecks(ids).then(undefined, (err: unknown) => {
      void vscode.window.showErrorMessage(escapeNotification(vscode.l10n.t('RNN Lens: could not save the deck choice: {0}', err instanceof Error ? err.message : String(err))));
    });
  };
  const quiz = store.add(new QuizController(context.extensionUri, decks, progress, new Scheduler(schedulerOptions()), deckChoice(), saveDeckChoice));

  store.add(vscode.window.registerWebviewViewProvider(View.quiz, quiz));

  // ---- status bar, badge, context key --------------------------------------------------------
  const status = store.add(vscode.window.createStatusBarItem('rnnLens.quiz.due', vscode.StatusBarAlignment.Right, 100));
  status.name = vscode.l10n.t('RNN Lens: Cards Due');
  status.command = Command.openQuiz;
  const showDue = (due: number) => {
    void vscode.commands.executeCommand('setContext', ContextKey.hasDueCards, due > 0);
    if (!config().statusBarEnabled || due === 0) {
      status.hide();
      return;
    }
    status.text = `$(mortar-board) ${due}`;
    status.tooltip = due === 1 ? vscode.l10n.t('RNN Lens: 1 RNN card due. Click to open the quiz.') : vscode.l10n.t('RNN Lens: {0} RNN cards due. Click to open the quiz.', due);
    status.accessibilityInformation = { label: due === 1 ? vscode.l10n.t('RNN Lens: 1 RNN card due') : vscode.l10n.t('RNN Lens: {0} RNN cards due', due), role: 'button' };
    status.show();
  };
  quiz.onDidChangeDue(showDue, undefined, store.items);

  vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(Setting.desiredRetention) || e.affectsConfiguration(Setting.newCardsPerDay)) {
      quiz.scheduler.configure(schedulerOptions());
      quiz.refresh();
    }
    if (e.affectsConfiguration(Setting.statusBarEnabled)) showDue(quiz.dueCount());
    if (e.affectsConfiguration(Setting.quizDecks)) quiz.setChosenDecks(deckChoice());
  }, undefined, store.items);

  // ---- "this file": the cards whose terms appear in the active editor --------------------------
  // In a notebook "this file" is the whole notebook (every cell, code and Markdown), not the one
  // cell whose editor has focus.
  const activeFile = (): { uri: vscode.Uri; docs: readonly vscode.TextDocument[] } | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (notebook && (!doc || doc.uri.scheme === NOTEBOOK_CELL_SCHEME)) return { uri: notebook.uri, docs: notebook.getCells().map((c) => c.document) };
    return doc ? { uri: doc.uri, docs: [doc] } : undefined;
  };
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  const scan = () => {
    const file = activeFile();
    // Focus moving to the quiz view leaves no active editor: keep the last file's cards.
    if (!file) return;
    const name = fileName(file.uri);
    const texts = file.docs.map((doc) => doc.getText());
    if (texts.reduce((n, t) => n + t.length, 0) > THIS_FILE_MAX_CHARS) {
      quiz.setThisFile({ name, ids: new Set() });
      return;
    }
    // One text, so that a notebook's imports in its first cell set the context for the cells below.
    const ids = new Set<string>();
    for (const found of findTermsInText(decks.terms, texts.join('\n'), { language: file.docs[0]?.languageId })) for (const id of found.cardIds) ids.add(id);
    quiz.setThisFile({ name, ids });
  };
  const scheduleScan = () => {
    if (scanTimer) clearTimeout(scanTimer);
    scanTimer = setTimeout(scan, THIS_FILE_DEBOUNCE_MS);
  };
  store.add({ dispose: () => scanTimer && clearTimeout(scanTimer) });
  vscode.window.onDidChangeActiveTextEditor(scheduleScan, undefined, store.items);
  vscode.window.onDidChangeActiveNotebookEditor(scheduleScan, undefined, store.items);
  vscode.workspace.onDidChangeTextDocument((e) => {
    if (activeFile()?.docs.includes(e.document)) scheduleScan();
  }, undefined, store.items);
  vscode.workspace.onDidChangeNotebookDocument((e) => {
    if (e.notebook === vscode.window.activeNotebookEditor?.notebook) scheduleScan();
  }, undefined, store.items);
  decks.onDidChange(scheduleScan, undefined, store.items);

  // The due count (status bar, badge, context key) and the "this file" cards are computed in a
  // task of their own just after activate() returns, not inside it. Anything that runs first
  // (the view opening, a command, a deck change) computes them too; the timer dies with the store.
  const first = setTimeout(() => {
    scan();
    quiz.refresh();
  }, 0);
  store.add({ dispose: () => clearTimeout(first) });
  const scanNow = () => {
    if (scanTimer) clearTimeout(scanTimer);
    scan();
  };
  return { decks, quiz, progress, globalStorageUri: context.globalStorageUri, scanNow, dispose: () => store.dispose() };
}

// ---- commands --------------------------------------------------------------------------------

async function cardPick(decks: DeckService, placeHolder: string): Promise<string | undefined> {
  const items = decks.deck.cards.map((c) => ({
    label: c.question.replace(/[`*_$\\]/g, ''),
    description: `${c.level} · ${c.kind}`,
    detail: c.tags.length ? c.tags.join(', ') : undefined,
    id: c.id,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.id;
}

function unknownCard(id: unknown): void {
  void vscode.window.showWarningMessage(escapeNotification(vscode.l10n.t("RNN Lens: there is no card '{0}' in the deck.", String(id))));
}

/** `RNN Lens: Open Quiz`. */
export const openQuiz = ({ quiz }: QuizCtx) => (): Thenable<void> => quiz.reveal();

/** `RNN Lens: Open Card...`: the card's answer in the quiz view (a card id, or ask). */
export const openCard = ({ decks, quiz }: QuizCtx) => async (id?: unknown): Promise<void> => {
  const cardId = typeof id === 'string' ? id : await cardPick(decks, vscode.l10n.t('Open which card?'));
  if (cardId && !(await quiz.openCard(cardId))) unknownCard(cardId);
};

/** `RNN Lens: Quiz Me on a Card...`: the card as a question (a card id, or ask). */
export const quizCard = ({ decks, quiz }: QuizCtx) => async (id?: unknown): Promise<void> => {
  const cardId = typeof id === 'string' ? id : await cardPick(decks, vscode.l10n.t('Quiz yourself on which card?'));
  if (cardId && !(await quiz.quizCard(cardId))) unknownCard(cardId);
};

/** `RNN Lens: Quiz: Show the Answer` (a keybinding while the quiz shows a question). */
export const revealAnswer = ({ quiz }: QuizCtx) => (): boolean => quiz.revealAnswer();

/** `RNN Lens: Quiz: Grade Again` (Hard, Good, Easy): a keybinding while the quiz shows an answer. */
export const gradeCard = (rating: QuizRating) => ({ quiz }: QuizCtx) => (): Promise<boolean> => quiz.gradeShown(rating);

/** `RNN Lens: Quiz Me on the Terms in This File`. */
export const quizThisFile = ({ quiz, scanNow }: QuizCtx) => async (): Promise<void> => {
  scanNow();
  quiz.setFilter({ ...quiz.currentFilter, thisFile: true });
  await quiz.reveal();
  const file = quiz.thisFileCards;
  if (!file) void vscode.window.showInformationMessage(vscode.l10n.t('RNN Lens: open a file first; the quiz then asks about the RNN terms in it.'));
  else if (file.ids.size === 0) void vscode.window.showInformationMessage(noTermsMessage(file.name));
};

/** `RNN Lens: Show Review Statistics`. */
export const showStats = ({ quiz }: QuizCtx) => () => quiz.showStats();

/** `RNN Lens: Export Review Progress...`: the progress as JSON, to a file the user picks. */
export const exportProgress = ({ progress }: QuizCtx) => async (): Promise<void> => {
  const day = new Date().toISOString().slice(0, 10);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export RNN Lens Review Progress'),
    saveLabel: vscode.l10n.t('Export'),
    filters: { JSON: ['json'] },
    defaultUri: base ? vscode.Uri.joinPath(base, `rnn-lens-progress-${day}.json`) : undefined,
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(progress.store.exportJson(Date.now())));
    void vscode.window.showInformationMessage(escapeNotification(vscode.l10n.t('RNN Lens: exported the progress of {0} to {1}.', cardCount(progress.store.size), fileName(target))));
  } catch (err) {
    void vscode.window.showErrorMessage(escapeNotification(vscode.l10n.t('RNN Lens: could not export progress: {0}', err instanceof Error ? err.message : String(err))));
  }
};

/** `RNN Lens: Import Review Progress...`: merges an exported file into the progress. */
export const importProgress = ({ decks, quiz, progress }: QuizCtx) => async (): Promise<void> => {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Import RNN Lens Review Progress'),
    openLabel: vscode.l10n.t('Import'),
    canSelectMany: false,
    filters: { JSON: ['json'] },
  });
  const source = picked?.[0];
  if (!source) return;
  const name = fileName(source);
  const refuse = (why: string) => {
    const text = vscode.l10n.t('RNN Lens: nothing imported from {0}: {1}', name, why);
    decks.output.appendLine(text);
    void vscode.window.showErrorMessage(escapeNotification(text));
  };
  // An import that could not be saved would report cards added that then vanish: refuse first.
  const blocked = progress.checkWritable();
  if (blocked) {
    refuse(blocked);
    quiz.refresh();
    return;
  }
  let report;
  try {
    // Stat first: a device or a FIFO picked in the dialog is refused, never read.
    const refused = unreadableReason(await vscode.workspace.fs.stat(source), IMPORT_MAX_BYTES, 'progress files');
    if (refused) throw new Error(refused);
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(source));
    report = progress.store.importJson(text, Date.now());
  } catch (err) {
    refuse(fileErrorReason(err));
    return;
  }
  // Merged entries are this window's truth now; other windows' saves are merged around them.
  const failed = await progress.save(new Set());
  // Cards set aside before may schedule now that their progress changed.
  quiz.scheduler.clearSetAside();
  quiz.refresh();
  if (failed) {
    refuse(vscode.l10n.t('the merged progress could not be saved ({0}); it is kept in this window until a save succeeds', failed));
    return;
  }
  const parts = [
    vscode.l10n.t('{0} added', cardCount(report.added)),
    vscode.l10n.t('{0} updated', report.updated),
    vscode.l10n.t('{0} unchanged', report.unchanged),
    vscode.l10n.t('{0} added', reviewCount(report.reviewsAdded)),
  ];
  decks.output.appendLine(`RNN Lens quiz: imported ${name}: ${parts.join(', ')}.`);
  for (const s of report.skipped) decks.output.appendLine(`  skipped '${s.cardId}': ${s.message}`);
  for (const c of report.clamped) decks.output.appendLine(`  '${c.cardId}': ${c.message}`);
  const listed = (list: readonly { cardId: string; message: string }[]) =>
    list.slice(0, 3).map((p) => `'${p.cardId}' (${p.message.split('; ')[0]})`).join('; ') + (list.length > 3 ? '; …' : '');
  const notes: string[] = [];
  if (report.skipped.length) {
    notes.push(report.skipped.length === 1
      ? vscode.l10n.t('skipped 1 invalid entry: {0}', listed(report.skipped))
      : vscode.l10n.t('skipped {0} invalid entries: {1}', report.skipped.length, listed(report.skipped)));
  }
  if (report.clamped.length) {
    const ids = `${report.clamped.slice(0, 3).map((c) => `'${c.cardId}'`).join(', ')}${report.clamped.length > 3 ? ', …' : ''}`;
    notes.push(report.clamped.length === 1
      ? vscode.l10n.t('took 1 review time in the future as now: {0}', ids)
      : vscode.l10n.t('took {0} review times in the future as now: {1}', report.clamped.length, ids));
  }
  if (notes.length) {
    const details = vscode.l10n.t('Show Details');
    void vscode.window.showWarningMessage(escapeNotification(vscode.l10n.t('RNN Lens: imported {0} ({1}), but {2}', name, parts.join(', '), notes.join(vscode.l10n.t('; and ')))), details)
      .then((c) => c === details && decks.output.show(true));
  } else {
    void vscode.window.showInformationMessage(escapeNotification(vscode.l10n.t('RNN Lens: imported {0}: {1}.', name, parts.join(', '))));
  }
};

/** `RNN Lens: Reset Review Progress...`: every card new again, after a backup. */
export const resetProgress = ({ decks, quiz, progress, globalStorageUri }: QuizCtx) => async (): Promise<void> => {
  const blocked = progress.checkWritable();
  if (blocked) {
    void vscode.window.showErrorMessage(escapeNotification(vscode.l10n.t('RNN Lens: review progress cannot be reset now: {0}', blocked)));
    quiz.refresh();
    return;
  }
  const n = progress.store.size;
  const reset = vscode.l10n.t('Reset');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Reset the review progress of {0}?', cardCount(n)),
    { modal: true, detail: vscode.l10n.t('Every card becomes new again. A backup in the Export Review Progress format is written first; Import Review Progress brings it back.') },
    reset,
  );
  if (choice !== reset) return;
  const now = Date.now();
  const folder = vscode.Uri.joinPath(globalStorageUri, 'backups');
  const backup = vscode.Uri.joinPath(folder, `rnn-lens-progress-backup-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`);
  try {
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(backup, new TextEncoder().encode(progress.store.exportJson(now)));
  } catch (err) {
    // No backup, no reset.
    void vscode.window.showErrorMessage(escapeNotification(vscode.l10n.t('RNN Lens: nothing was reset: the backup could not be written ({0}).', err instanceof Error ? err.message : String(err))));
    return;
  }
  try {
    await progress.clear();
  } catch (err) {
    void vscode.window.showErrorMessage(escapeNotification(vscode.l10n.t('RNN Lens: could not reset review progress: {0}', err instanceof Error ? err.message : String(err))));
    return;
  }
  quiz.scheduler.clearUndo();
  quiz.scheduler.clearSetAside();
  quiz.refresh();
  const where = backup.scheme === 'file' ? backup.fsPath : backup.toString(true);
  decks.output.appendLine(`RNN Lens quiz: reset the review progress of ${n} card${n === 1 ? '' : 's'}; backup: ${where}`);
  const open = await vscode.window.showInformationMessage(
    escapeNotification(vscode.l10n.t('RNN Lens: review progress reset ({0}). Backup: {1}', cardCount(n), where)),
    vscode.l10n.t('Open Backup'),
  );
  if (open) await vscode.commands.executeCommand('vscode.open', backup);
};
