// Host glue for the deck: the bundled deck (compiled at build time) plus user decks named by
// the `rnnLens.decks` globs, read with vscode.workspace.fs (works in the web extension host),
// re-read when a matching file changes. Problems go to the Problems panel; counts to the
// "RNN Lens" output channel. Features read `deck` and `terms` and listen to `onDidChange`.
//
// Workspace trust: a user deck is a file of the workspace, so in Restricted Mode only the
// bundled deck loads (hover, quiz and lab work on it); user decks load once the folder is
// trusted. Only regular files up to the card size cap are read (workspace.fs.stat first).
// The deck compiler loads with the first user deck file (see loadCompiler below).
import * as vscode from 'vscode';
import bundled from 'rnn-lens:bundled-deck';
import type { Card, DeckDiagnostic } from './deck/card';
import { Deck } from './deck/deck';
import { oneLine } from './deck/escape';
import { readDeckFiles, userDeckPatterns, type DeckFileSystem } from './deck/userDecks';
import { buildTermIndex, type TermIndex } from './deck/terms';
import { DIAGNOSTIC_SOURCE, Setting } from './constants';
import { DisposableStore } from './dispose';
import { config } from './settings';

const RELOAD_DEBOUNCE_MS = 300;
/** User decks are linted a card at a time, in slices of about 20 ms: activation never blocks the host for long. */
const LINT_SLICE = { sliceMs: 20, pause: () => new Promise<void>((resolve) => setTimeout(resolve, 0)), now: () => performance.now() };
/**
 * The parser and linter (markdown-it, KaTeX, yaml) load when a user deck file is first found:
 * activation on the bundled deck loads none of them (esbuild.mjs, LAZY_CHUNKS).
 */
const loadCompiler = () => import('./deck/userDeckCompiler');

export class DeckService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changeEmitter = this.store.add(new vscode.EventEmitter<void>());
  private readonly diagnostics = this.store.add(vscode.languages.createDiagnosticCollection('rnn-lens-decks'));
  private readonly watchers = this.store.add(new DisposableStore());
  private watcherStore = new DisposableStore();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private loadGeneration = 0;
  private userProblemCount = 0;

  readonly onDidChange = this.changeEmitter.event;
  deck: Deck;
  /** Built at its first use (a hover, a "this file" scan), not at activation; rebuilt lazily when the deck changes. */
  private termIndex: TermIndex | undefined;

  constructor(readonly output: vscode.OutputChannel) {
    this.deck = new Deck(bundled.cards);
    this.store.add(output);
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.decks)) {
        this.watch();
        this.scheduleReload();
      }
    }, undefined, this.store.items);
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.watch();
      this.scheduleReload();
    }, undefined, this.store.items);
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      this.watch();
      void this.reload(false);
    }, undefined, this.store.items);
    this.watch();
  }

  /** The deck's term index, built on first use. */
  get terms(): TermIndex {
    this.termIndex ??= buildTermIndex(this.deck.cards);
    return this.termIndex;
  }

  /** The `rnnLens.decks` globs; none while the workspace is not trusted (Restricted Mode). */
  private patterns(): string[] {
    return userDeckPatterns(config().decks, vscode.workspace.isTrusted);
  }

  /** One watcher per workspace folder and pattern; any change re-reads the user decks. */
  private watch(): void {
    this.watcherStore.dispose();
    this.watcherStore = this.watchers.add(new DisposableStore());
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.patterns()) {
        const w = this.watcherStore.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern)));
        const onAny = () => this.scheduleReload();
        w.onDidChange(onAny, undefined, this.watcherStore.items);
        w.onDidCreate(onAny, undefined, this.watcherStore.items);
        w.onDidDelete(onAny, undefined, this.watcherStore.items);
      }
    }
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(false), RELOAD_DEBOUNCE_MS);
  }

  private async findUserDeckFiles(): Promise<vscode.Uri[]> {
    const seen = new Map<string, vscode.Uri>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.patterns()) {
        const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), '**/node_modules/**');
        for (const uri of found) seen.set(uri.toString(), uri);
      }
    }
    return [...seen.values()].sort((a, b) => a.toString().localeCompare(b.toString()));
  }

  /** Reads user decks and swaps in a new Deck. A broken card is left out and reported; nothing throws. */
  async reload(userAsked: boolean): Promise<void> {
    const generation = ++this.loadGeneration;
    const uris = await this.findUserDeckFiles();
    const { files, problems: readProblems } = await readDeckFiles(uris, WORKSPACE_FS);
    if (generation !== this.loadGeneration) return; // a newer reload started meanwhile
    let result: { cards: Card[]; diagnostics: DeckDiagnostic[] } = { cards: [], diagnostics: [] };
    if (files.length > 0) {
      try {
        result = await (await loadCompiler()).lintDeckInSlices(files, LINT_SLICE);
      } catch (err) {
        // Only a broken installation gets here (the .vsix lacks dist/deck-compiler.js): say so once, keep the bundled deck.
        this.output.appendLine(oneLine(`RNN Lens: cannot load the deck compiler, so user decks are not loaded: ${err instanceof Error ? err.message : String(err)}`));
        return;
      }
    }
    if (generation !== this.loadGeneration) return;
    const problems = [...readProblems, ...result.diagnostics];
    const cards: Card[] = [...bundled.cards];
    const ids = new Set(cards.map((c) => c.id));
    for (const card of result.cards) {
      if (ids.has(card.id)) {
        problems.push({
          file: card.file, line: card.line, column: 1, severity: 'error',
          message: vscode.l10n.t("id '{0}' is already used by the bundled deck; give this card another id", card.id),
        });
        continue;
      }
      ids.add(card.id);
      cards.push(card);
    }
    this.publishProblems(problems);
    // At activation with no user cards the constructor's bundled deck is already right (and its index, once built).
    if (cards.length !== this.deck.size || cards.some((c, i) => c !== this.deck.cards[i])) {
      this.deck = new Deck(cards);
      this.termIndex = undefined;
    }
    const userCount = cards.length - bundled.cards.length;
    if (!vscode.workspace.isTrusted) {
      // The setting's workspace value is not even readable here (a restricted configuration).
      this.output.appendLine('RNN Lens: Restricted Mode: only the bundled deck is loaded; user decks ("rnnLens.decks") load once you trust this folder.');
    }
    const errors = problems.filter((p) => p.severity === 'error').length;
    this.userProblemCount = problems.length;
    this.output.appendLine(
      `RNN Lens: ${cards.length} cards loaded (${bundled.cards.length} bundled, ${userCount} from user decks` +
        `${uris.length ? ` in ${uris.length} file${uris.length === 1 ? '' : 's'}` : ''})` +
        (problems.length ? `; ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'} (see Problems)` : ''),
    );
    for (const p of problems) this.output.appendLine(oneLine(`  ${displayPath(p.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}`));
    this.changeEmitter.fire();
    if (userAsked) {
      void vscode.window.showInformationMessage(
        problems.length === 0 ? vscode.l10n.t('RNN Lens: {0} cards loaded.', cards.length)
          : problems.length === 1 ? vscode.l10n.t('RNN Lens: {0} cards loaded, 1 deck problem.', cards.length)
            : vscode.l10n.t('RNN Lens: {0} cards loaded, {1} deck problems.', cards.length, problems.length),
      );
    }
  }

  private publishProblems(problems: DeckDiagnostic[]): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const line = Math.max(0, p.line - 1);
      const col = Math.max(0, p.column - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER),
        oneLine(p.message),
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = DIAGNOSTIC_SOURCE;
      const list = byFile.get(p.file) ?? [];
      list.push(d);
      byFile.set(p.file, list);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.parse(file), list);
  }

  async showProblems(): Promise<void> {
    if (this.userProblemCount === 0) {
      const message = !vscode.workspace.isTrusted
        ? vscode.l10n.t('RNN Lens: Restricted Mode: only the bundled deck is loaded. Trust this folder to load the decks of "rnnLens.decks".')
        : this.patterns().length === 0
          ? vscode.l10n.t('RNN Lens: no deck problems. Add your own decks with the setting "rnnLens.decks".')
          : vscode.l10n.t('RNN Lens: no deck problems ({0} cards loaded).', this.deck.size);
      void vscode.window.showInformationMessage(message);
      return;
    }
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.store.dispose();
  }
}

/** `RNN Lens: Reload Decks`: reads the user decks again and says how many cards loaded. */
export const reloadDecks = (decks: DeckService) => (): Promise<void> => decks.reload(true);

/** `RNN Lens: Show Deck Problems`: the Problems panel, or why there are none. */
export const showDeckProblems = (decks: DeckService) => (): Promise<void> => decks.showProblems();

/** vscode.workspace.fs for readDeckFiles: stat before reading (a symlink to a file is a file). */
const WORKSPACE_FS: DeckFileSystem<vscode.Uri> = {
  async stat(uri) {
    const st = await vscode.workspace.fs.stat(uri);
    return { file: (st.type & vscode.FileType.File) !== 0, size: st.size };
  },
  read: async (uri) => vscode.workspace.fs.readFile(uri),
  name: (uri) => uri.toString(),
};

function displayPath(file: string): string {
  try {
    return vscode.workspace.asRelativePath(vscode.Uri.parse(file), true);
  } catch {
    return file;
  }
}
