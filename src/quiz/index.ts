// The quiz feature's wiring: the sidebar view, its commands, the due-count status bar item and
// context key, the "this file" filter that follows the active editor, and progress export/import.
import * as vscode from 'vscode';
import { Command, ContextKey, Setting, View } from '../constants';
import type { DeckService } from '../deckService';
import { findTermsInText } from '../deck/terms';
import { DisposableStore } from '../dispose';
import { GlobalStateReviewStore } from './globalStateStore';
import { QuizController } from './quizView';
import { Scheduler, type SchedulerOptions } from './scheduler';

/** Typing in a big file must not rescan it on every keystroke. */
const THIS_FILE_DEBOUNCE_MS = 400;
/** Scanning more than this for terms would stall the extension host; such files get no filter. */
const THIS_FILE_MAX_CHARS = 2_000_000;

function schedulerOptions(): SchedulerOptions {
  const cfg = vscode.workspace.getConfiguration();
  return {
    desiredRetention: cfg.get<number>(Setting.desiredRetention, 0.9),
    newCardsPerDay: cfg.get<number>(Setting.newCardsPerDay, 10),
  };
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

export function register(context: vscode.ExtensionContext, decks: DeckService): vscode.Disposable {
  const store = new DisposableStore();
  const progress = new GlobalStateReviewStore(context.globalState, decks.output);
  progress.load();
  const quiz = store.add(new QuizController(context.extensionUri, decks, progress, new Scheduler(schedulerOptions())));

  store.add(vscode.window.registerWebviewViewProvider(View.quiz, quiz));

  // ---- status bar, badge, context key --------------------------------------------------------
  const status = store.add(vscode.window.createStatusBarItem('rnnLens.quiz.due', vscode.StatusBarAlignment.Right, 100));
  status.name = 'RNN Lens: Cards Due';
  status.command = Command.openQuiz;
  const showDue = (due: number) => {
    void vscode.commands.executeCommand('setContext', ContextKey.hasDueCards, due > 0);
    const enabled = vscode.workspace.getConfiguration().get<boolean>(Setting.statusBarEnabled, true);
    if (!enabled || due === 0) {
      status.hide();
      return;
    }
    const label = `${due} RNN card${due === 1 ? '' : 's'} due`;
    status.text = `$(mortar-board) ${due}`;
    status.tooltip = `RNN Lens: ${label}. Click to open the quiz.`;
    status.accessibilityInformation = { label: `RNN Lens: ${label}`, role: 'button' };
    status.show();
  };
  quiz.onDidChangeDue(showDue, undefined, store.items);

  vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(Setting.desiredRetention) || e.affectsConfiguration(Setting.newCardsPerDay)) {
      quiz.scheduler.configure(schedulerOptions());
      quiz.refresh();
    }
    if (e.affectsConfiguration(Setting.statusBarEnabled)) showDue(quiz.dueCount());
  }, undefined, store.items);

  // ---- "this file": the cards whose terms appear in the active editor --------------------------
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  const scan = () => {
    const editor = vscode.window.activeTextEditor;
    // Focus moving to the quiz view leaves no active text editor: keep the last file's cards.
    if (!editor) return;
    const doc = editor.document;
    const text = doc.getText();
    if (text.length > THIS_FILE_MAX_CHARS) {
      quiz.setThisFile({ name: fileName(doc.uri), ids: new Set() });
      return;
    }
    const ids = new Set<string>();
    for (const found of findTermsInText(decks.terms, text)) for (const id of found.cardIds) ids.add(id);
    quiz.setThisFile({ name: fileName(doc.uri), ids });
  };
  const scheduleScan = () => {
    if (scanTimer) clearTimeout(scanTimer);
    scanTimer = setTimeout(scan, THIS_FILE_DEBOUNCE_MS);
  };
  store.add({ dispose: () => scanTimer && clearTimeout(scanTimer) });
  vscode.window.onDidChangeActiveTextEditor(scheduleScan, undefined, store.items);
  vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document === vscode.window.activeTextEditor?.document) scheduleScan();
  }, undefined, store.items);
  decks.onDidChange(scheduleScan, undefined, store.items);
  scan();

  // ---- commands -----------------------------------------------------------------------------
  const cardPick = async (placeHolder: string): Promise<string | undefined> => {
    const items = decks.deck.cards.map((c) => ({
      label: c.question.replace(/[`*_$\\]/g, ''),
      description: `${c.level} · ${c.kind}`,
      detail: c.tags.length ? c.tags.join(', ') : undefined,
      id: c.id,
    }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return picked?.id;
  };
  const unknownCard = (id: unknown) => {
    void vscode.window.showWarningMessage(`RNN Lens: there is no card '${String(id)}' in the deck.`);
  };

  store.add(vscode.commands.registerCommand(Command.openQuiz, () => quiz.reveal()));
  store.add(vscode.commands.registerCommand(Command.openCard, async (id?: unknown) => {
    const cardId = typeof id === 'string' ? id : await cardPick('Open which card?');
    if (cardId && !(await quiz.openCard(cardId))) unknownCard(cardId);
  }));
  store.add(vscode.commands.registerCommand(Command.quizCard, async (id?: unknown) => {
    const cardId = typeof id === 'string' ? id : await cardPick('Quiz yourself on which card?');
    if (cardId && !(await quiz.quizCard(cardId))) unknownCard(cardId);
  }));
  store.add(vscode.commands.registerCommand(Command.quizThisFile, async () => {
    if (scanTimer) clearTimeout(scanTimer);
    scan();
    quiz.setFilter({ ...quiz.currentFilter, thisFile: true });
    await quiz.reveal();
    const file = quiz.thisFileCards;
    if (!file) void vscode.window.showInformationMessage('RNN Lens: open a file first; the quiz then asks about the RNN terms in it.');
    else if (file.ids.size === 0) void vscode.window.showInformationMessage(`RNN Lens: no RNN terms from the deck appear in ${file.name}.`);
  }));
  store.add(vscode.commands.registerCommand(Command.showStats, () => quiz.showStats()));

  store.add(vscode.commands.registerCommand(Command.exportProgress, async () => {
    const day = new Date().toISOString().slice(0, 10);
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export RNN Lens Review Progress',
      saveLabel: 'Export',
      filters: { JSON: ['json'] },
      defaultUri: base ? vscode.Uri.joinPath(base, `rnn-lens-progress-${day}.json`) : undefined,
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(progress.store.exportJson(Date.now())));
      void vscode.window.showInformationMessage(`RNN Lens: exported the progress of ${progress.store.size} card${progress.store.size === 1 ? '' : 's'} to ${fileName(target)}.`);
    } catch (err) {
      void vscode.window.showErrorMessage(`RNN Lens: could not export progress: ${err instanceof Error ? err.message : String(err)}`);
    }
  }));

  store.add(vscode.commands.registerCommand(Command.importProgress, async () => {
    const picked = await vscode.window.showOpenDialog({
      title: 'Import RNN Lens Review Progress',
      openLabel: 'Import',
      canSelectMany: false,
      filters: { JSON: ['json'] },
    });
    const source = picked?.[0];
    if (!source) return;
    let report;
    try {
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(source));
      report = progress.store.importJson(text);
    } catch (err) {
      const text = `RNN Lens: nothing imported from ${fileName(source)}: ${err instanceof Error ? err.message : String(err)}`;
      decks.output.appendLine(text);
      void vscode.window.showErrorMessage(text);
      return;
    }
    // Merged entries are this window's truth now; other windows' saves are merged around them.
    await progress.save(new Set());
    quiz.refresh();
    const parts = [
      `${report.added} card${report.added === 1 ? '' : 's'} added`,
      `${report.updated} updated`,
      `${report.unchanged} unchanged`,
      `${report.reviewsAdded} review${report.reviewsAdded === 1 ? '' : 's'} added`,
    ];
    decks.output.appendLine(`RNN Lens quiz: imported ${fileName(source)}: ${parts.join(', ')}.`);
    for (const s of report.skipped) decks.output.appendLine(`  skipped '${s.cardId}': ${s.message}`);
    if (report.skipped.length) {
      void vscode.window.showWarningMessage(
        `RNN Lens: imported ${fileName(source)} (${parts.join(', ')}), but skipped ${report.skipped.length} invalid entr${report.skipped.length === 1 ? 'y' : 'ies'}: ` +
          report.skipped.slice(0, 3).map((s) => `'${s.cardId}' (${s.message.split('; ')[0]})`).join('; ') + (report.skipped.length > 3 ? '; …' : ''),
        'Show Details',
      ).then((c) => c && decks.output.show(true));
    } else {
      void vscode.window.showInformationMessage(`RNN Lens: imported ${fileName(source)}: ${parts.join(', ')}.`);
    }
  }));

  quiz.refresh();
  return store;
}
