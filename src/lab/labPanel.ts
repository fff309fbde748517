// The lab: one webview panel beside the editor (a singleton that switches demos), restored after
// a window reload by the serializer registered in index.ts (webview-sample's CatCodingPanel).
// The view owns the controls; the host keeps the last state it reported, so re-opening a demo,
// or reviving the panel, shows what the user left.
import * as vscode from 'vscode';
import { Command, WebviewPanelType } from '../constants';
import type { DeckService } from '../deckService';
import { DisposableStore } from '../dispose';
import { oneLine } from '../deck/escape';
import {
  PLAYGROUND_LIMITS, labTitle, labViewMessageSchema, labViewStateSchema, parseMessage,
  type LabCardLink, type LabDemoId, type LabHostMessage, type LabViewState,
} from '../../protocol';
import { config } from '../settings';
import { buildWebviewHtml, webviewOptions } from '../webviewHtml';
import { LAB_POLICY } from '../webviewCsp';
import type { TextEditorSource } from '../lastTextEditor';
import { readCharText, saveCharModel, type CharTextMessage } from './charHost';
import { compareWith, pickNpyInput } from './inspect';
import { defaultLabState, owedText, trainLayerReply } from './labState';
import { pickCsv } from './seriesCsv';
import { describeModelConfig } from './modelArgs';

type CheckpointMessage = Extract<LabHostMessage, { type: 'checkpoint' }>;

/** A state from outside (the serializer, a command argument) is used only if it fits the schema. */
export function validLabState(raw: unknown): LabViewState | undefined {
  const r = parseMessage(labViewStateSchema, raw);
  return r.ok ? r.msg : undefined;
}

export class LabPanel implements vscode.Disposable {
  private static current: LabPanel | undefined;

  private readonly store = new DisposableStore();
  private ready = false;
  /** The text source a requestText may be answered for (see owedText); cleared by the answer. */
  private textOwed: LabViewState['train']['textSource'] | undefined;
  /** What the inspector shows: the checkpoint read, or why it could not be read. */
  private checkpoint: CheckpointMessage | Extract<LabHostMessage, { type: 'checkpointError' }> | undefined;
  /** What the character model trains on (kept for the view's reloads), and the file it came from. */
  private charText: CharTextMessage | undefined;
  /** The checkpoint read again for the playground's layer after a window reload, or why it was not. */
  private trainSource: CheckpointMessage | undefined;
  private trainLayerError: string | undefined;

  /** Opens the lab beside the active editor (focus stays in the code), or shows `state` in the open one. */
  static createOrShow(extensionUri: vscode.Uri, decks: DeckService, textEditor: TextEditorSource, state: LabViewState): LabPanel {
    const open = LabPanel.current;
    if (open) {
      open.panel.reveal(undefined, true);
      open.show(state);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      WebviewPanelType.lab,
      labTitle(state),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // Heatmaps and plots are cheap to redraw from state; no need to keep a hidden panel alive.
      { ...webviewOptions(extensionUri), retainContextWhenHidden: false },
    );
    LabPanel.current = new LabPanel(panel, extensionUri, decks, textEditor, state);
    return LabPanel.current;
  }

  /** After a window reload: VS Code hands back the panel and the state the view last saved. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, decks: DeckService, textEditor: TextEditorSource, saved: unknown): LabPanel {
    LabPanel.current?.dispose();
    const state = validLabState(saved) ?? defaultLabState('lstm-forward');
    panel.webview.options = webviewOptions(extensionUri);
    LabPanel.current = new LabPanel(panel, extensionUri, decks, textEditor, state);
    return LabPanel.current;
  }

  /** The state the open panel shows (the last one its view reported), if a panel is open. */
  static currentState(): LabViewState | undefined {
    return LabPanel.current?.state;
  }

  /** The open panel, if any. */
  static currentPanel(): LabPanel | undefined {
    return LabPanel.current;
  }

  static disposeCurrent(): void {
    LabPanel.current?.dispose();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly decks: DeckService,
    /** The editor the playground's "editor" text comes from: the active text editor, or the last one. */
    private readonly textEditor: TextEditorSource,
    private state: LabViewState,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'rnn-lens.svg');
    this.render(extensionUri);
    panel.onDidDispose(() => this.dispose(), undefined, this.store.items);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw), undefined, this.store.items);
    // The cards list follows the deck (a user deck may add cards with a `demo`).
    decks.onDidChange(() => this.post(), undefined, this.store.items);
  }

  private render(extensionUri: vscode.Uri): void {
    this.ready = false;
    this.panel.webview.html = buildWebviewHtml({
      webview: this.panel.webview,
      extensionUri,
      title: vscode.l10n.t('RNN Lens Lab'),
      scripts: ['dist/webview/lab.js'],
      styles: ['dist/webview/katex/katex.min.css', 'dist/webview/uPlot.min.css', 'media/lab.css', 'media/lab-demos.css'],
      bodyAttributes: { 'data-view': 'lab', 'data-backend': config().labBackend },
      // The wasm kernels (engine/backends/wasm.ts) compile their SIMD module in the page, and
      // the character model trains in a Worker the page starts from a blob: URL.
      ...LAB_POLICY,
    });
  }

  /** The inspector's checkpoint: kept for the view's reloads, sent now if the view is up. */
  setCheckpoint(msg: CheckpointMessage): void {
    this.checkpoint = msg;
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  /** The inspector's checkpoint could not be read: the view says so instead of waiting for it. */
  checkpointFailed(text: string): void {
    this.checkpoint = { type: 'checkpointError', text };
    if (this.ready) void this.panel.webview.postMessage(this.checkpoint);
  }

  /** The checkpoint the playground's layer is read from again (after a window reload). */
  holdTrainCheckpoint(msg: CheckpointMessage): void {
    this.trainSource = msg;
    this.trainLayerError = undefined;
    this.sendTrainLayer();
  }

  /** The playground's layer was not read again: the view says why and trains its own models. */
  trainLayerFailed(text: string): void {
    this.trainLayerError = text;
    this.sendTrainLayer();
  }

  private sendTrainLayer(): void {
    if (!this.ready) return;
    const held = [this.trainSource, this.checkpoint?.type === 'checkpoint' ? this.checkpoint : undefined];
    const msg: LabHostMessage | undefined = this.trainLayerError && this.state.demo === 'train' && this.state.trainLayer
      ? { type: 'trainLayerError', text: this.trainLayerError }
      : trainLayerReply(this.state, held);
    if (msg) void this.panel.webview.postMessage(msg);
  }

  /** The shown demo's play or pause (a keybinding). */
  togglePlay(): void {
    if (this.ready) void this.panel.webview.postMessage({ type: 'togglePlay' } satisfies LabHostMessage);
  }

  /** The character model's text: kept for the view's reloads, sent now if the view is up. */
  setCharText(msg: CharTextMessage): void {
    this.charText = msg;
    if (this.ready && this.state.demo === 'char') void this.panel.webview.postMessage(msg);
  }

  show(state: LabViewState): void {
    this.textOwed = owedText(this.textOwed, this.state, state);
    this.state = state;
    this.panel.title = labTitle(state);
    this.post();
  }

  private onMessage(raw: unknown): void {
    const parsed = parseMessage(labViewMessageSchema, raw);
    if (!parsed.ok) {
      this.decks.output.appendLine(`RNN Lens lab: ignored a malformed message from the view (${parsed.reason})`);
      return;
    }
    const msg = parsed.msg;
    switch (msg.type) {
      case 'ready':
        // The view (re)loaded: it has nothing until we send the state (the host posts nothing before).
        this.ready = true;
        // A fresh view has no text yet: it asks once if it is on the text task.
        this.textOwed = owedText(undefined, undefined, this.state);
        this.post();
        break;
      case 'stateChanged':
        this.textOwed = owedText(this.textOwed, this.state, msg.state);
        // Another layer (or none): what was said about the last one no longer holds.
        if (msg.state.trainLayer?.file !== this.state.trainLayer?.file || msg.state.trainLayer?.index !== this.state.trainLayer?.index) this.trainLayerError = undefined;
        this.state = msg.state;
        this.panel.title = labTitle(msg.state);
        break;
      case 'requestText':
        // Only a request the view owes the host an answer to: not one sent at will for the editor's text.
        if (this.textOwed !== msg.source) {
          this.decks.output.appendLine(`RNN Lens lab: ignored a request for the ${msg.source}'s text that the lab's state did not call for`);
          break;
        }
        this.textOwed = undefined;
        void this.panel.webview.postMessage(msg.source === 'editor' ? editorText(this.textEditor()) : cardsText(this.decks));
        break;
      case 'requestCharText':
        // Only while the lab shows the character model; after a window reload, the editor's text again.
        if (this.state.demo !== 'char') break;
        this.charText ??= readCharText(this.textEditor() ?? vscode.window.visibleTextEditors[0]);
        void this.panel.webview.postMessage(this.charText);
        break;
      case 'exportChar': {
        if (this.state.demo !== 'char') break;
        const source = this.charText?.file ? vscode.Uri.parse(this.charText.file) : undefined;
        void saveCharModel(msg, source, (line) => this.decks.output.appendLine(line)).then((r) => {
          void this.panel.webview.postMessage({ type: 'charExported', ...r } satisfies LabHostMessage);
        });
        break;
      }
      case 'showCard':
        void vscode.commands.executeCommand(Command.openCard, msg.cardId);
        break;
      case 'compareCheckpoint':
        void compareWith(this.state.inspect?.file ?? '').then((reply) => {
          if (reply) void this.panel.webview.postMessage(reply);
        });
        break;
      case 'pickNpy':
        void pickNpyInput(msg.D).then((reply) => {
          if (reply) void this.panel.webview.postMessage(reply);
        });
        break;
      case 'pickCsv':
        void pickCsv().then((reply) => {
          if (reply) void this.panel.webview.postMessage(reply);
        });
        break;
      case 'error':
        this.decks.output.appendLine(`RNN Lens lab: ${msg.message}`);
        break;
    }
  }

  private post(): void {
    if (!this.ready) return;
    const msg: LabHostMessage = {
      type: 'show',
      state: this.state,
      cards: cardsFor(this.decks, this.state.demo),
      notes: this.state.model ? describeModelConfig(this.state.model) : [],
    };
    void this.panel.webview.postMessage(msg);
    if (this.checkpoint && this.state.demo === 'inspect') void this.panel.webview.postMessage(this.checkpoint);
    if (this.charText && this.state.demo === 'char') void this.panel.webview.postMessage(this.charText);
    this.sendTrainLayer();
  }

  dispose(): void {
    if (LabPanel.current === this) LabPanel.current = undefined;
    this.store.dispose();
    this.panel.dispose();
  }
}

/** The selection, or else the whole document, of the editor; at most PLAYGROUND_LIMITS.text characters. */
function editorText(editor: vscode.TextEditor | undefined): LabHostMessage {
  if (!editor || editor.document.isClosed) return { type: 'text', source: 'editor', label: vscode.l10n.t('no editor is open'), text: '' };
  const doc = editor.document;
  const sel = editor.selection;
  const whole = sel.isEmpty;
  // Read a bounded range: a huge file (or one huge line) is never copied whole into a string.
  const start = whole ? 0 : doc.offsetAt(sel.start);
  const end = whole ? PLAYGROUND_LIMITS.text : Math.min(doc.offsetAt(sel.end), start + PLAYGROUND_LIMITS.text);
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  const read = doc.getText(range).slice(0, PLAYGROUND_LIMITS.text);
  // Never half an emoji: a cut between a surrogate pair's halves would leave a lone one.
  const text = /[\ud800-\udbff]$/.test(read) ? read.slice(0, -1) : read;
  const name = oneLine(doc.uri.path.split('/').pop() ?? doc.uri.path);
  const cut = read.length === PLAYGROUND_LIMITS.text ? vscode.l10n.t(' (first {0} characters)', PLAYGROUND_LIMITS.text.toLocaleString('en-US')) : '';
  return { type: 'text', source: 'editor', label: `${whole ? name : vscode.l10n.t('the selection in {0}', name)}${cut}`, text };
}

/** The deck's questions and answers as one text. */
function cardsText(decks: DeckService): LabHostMessage {
  const text = decks.deck.cards.map((c) => `${c.question}\n${c.answer}`).join('\n\n').slice(0, PLAYGROUND_LIMITS.text);
  return { type: 'text', source: 'cards', label: vscode.l10n.t('the text of {0} RNN Lens cards', decks.deck.cards.length), text };
}

/** The cards whose `demo` names this demo, in deck order. */
export function cardsFor(decks: DeckService, demo: LabDemoId): LabCardLink[] {
  return decks.deck.cards
    .filter((c) => c.demo === demo)
    .map((c) => ({ id: c.id, question: c.question.replace(/\s+/g, ' ').trim() }));
}
