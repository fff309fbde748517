// "Visualize this LSTM" above recurrent-layer constructors (nn.LSTM(...), keras.layers.GRU(...),
// tf.layers.lstm({...}), ...). The lens carries the sizes read from the call's literal arguments
// (./modelArgs/), so clicking it opens the lab on the user's own layer. A document is read once
// per version (VS Code asks again on scrolling, focus and setting changes), within the limits of
// CODELENS_LIMITS; past them one lens without a command says so.
import * as vscode from 'vscode';
import { Command, Setting } from '../constants';
import { DisposableStore } from '../dispose';
import { config } from '../settings';
import { PLAYGROUND_LIMITS, type LabModelConfig } from '../../protocol';
import { scanModelLenses, type LimitNote } from './modelArgs';

/** Languages whose documents (and notebook cells) hold such constructors. */
export const CODELENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'typescript' },
  { language: 'javascript' },
  { language: 'typescriptreact' },
  { language: 'javascriptreact' },
];

/** Documents whose lenses are kept (the visible editors and a few recent ones). */
const CACHED_DOCUMENTS = 16;

const CELL_NAMES: Record<LabModelConfig['cell'], string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };

/** A CodeLens provider that refreshes when the rnnLens.codeLens.enabled setting changes. */
export abstract class SettingCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  protected readonly store = new DisposableStore();
  protected readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.codeLensEnabled)) this.changed.fire();
    }, undefined, this.store.items);
  }

  protected get enabled(): boolean {
    return config().codeLensEnabled;
  }

  abstract provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.ProviderResult<vscode.CodeLens[]>;

  dispose(): void {
    this.store.dispose();
  }
}

export class ModelCodeLensProvider extends SettingCodeLensProvider {
  /** Lenses by document URI, for one version each; least recently used first. */
  private readonly cache = new Map<string, { version: number; lenses: vscode.CodeLens[] }>();

  constructor() {
    super();
    vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()), undefined, this.store.items);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled) return [];
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    this.cache.delete(key);
    const lenses = hit?.version === document.version ? hit.lenses : this.read(document);
    this.cache.set(key, { version: document.version, lenses });
    if (this.cache.size > CACHED_DOCUMENTS) this.cache.delete(this.cache.keys().next().value!);
    return lenses;
  }

  private read(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = document.uri.toString();
    const scan = scanModelLenses(document.getText());
    const lenses = scan.lenses.flatMap(({ call, config }) => {
      const range = lineRange(call);
      const model = { ...config, file } satisfies LabModelConfig;
      return [
        new vscode.CodeLens(range, {
          title: `$(eye) ${vscode.l10n.t('Visualize this {0}', CELL_NAMES[call.cell])}`,
          tooltip: vscode.l10n.t('Open the RNN Lens lab on this {0} (input size {1}, hidden size {2})', call.callee, config.inputSize, config.hiddenSize),
          command: Command.visualizeModel,
          arguments: [model],
        }),
        new vscode.CodeLens(range, {
          title: `$(play) ${vscode.l10n.t('Train this in the lab')}`,
          tooltip: vscode.l10n.t("Open the Training Playground on this {0}'s cell and hidden size (up to {1}), beside a tanh RNN", call.callee, PLAYGROUND_LIMITS.H),
          command: Command.trainModel,
          arguments: [model],
        }),
      ];
    });
    if (scan.note) lenses.push(noteLens(scan.note));
    return lenses;
  }

  override dispose(): void {
    this.cache.clear();
    super.dispose();
  }
}

function lineRange(at: { line: number; column: number }): vscode.Range {
  return new vscode.Range(at.line, at.column, at.line, at.column);
}

/** A lens that only reads: a command with no id is shown as plain text. */
function noteLens(note: LimitNote): vscode.CodeLens {
  return new vscode.CodeLens(lineRange(note), { title: note.title, command: '' });
}
