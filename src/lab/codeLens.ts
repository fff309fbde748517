// "Visualize this LSTM" above recurrent-layer constructors (nn.LSTM(...), keras.layers.GRU(...),
// tf.layers.lstm({...}), ...). The lens carries the sizes read from the call's literal arguments
// (modelArgs.ts), so clicking it opens the lab on the user's own layer.
import * as vscode from 'vscode';
import { Command, Setting } from '../constants';
import { DisposableStore } from '../dispose';
import { TRAIN_LIMITS, type LabModelConfig } from '../protocol';
import { findModelCalls, readModelArgs } from './modelArgs';

/** Languages whose documents (and notebook cells) hold such constructors. */
export const CODELENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'typescript' },
  { language: 'javascript' },
  { language: 'typescriptreact' },
  { language: 'javascriptreact' },
];

/** Scanning a huge generated file on every edit would stall the extension host. */
const MAX_CHARS = 1_000_000;

const CELL_NAMES: Record<LabModelConfig['cell'], string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.codeLensEnabled)) this.changed.fire();
    }, undefined, this.store.items);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration().get<boolean>(Setting.codeLensEnabled, true)) return [];
    const text = document.getText();
    if (text.length > MAX_CHARS) return [];
    return findModelCalls(text).flatMap((call) => {
      const config: LabModelConfig = { ...readModelArgs(text, call), file: document.uri.toString() };
      const range = new vscode.Range(document.positionAt(call.start), document.positionAt(call.openParen));
      return [
        new vscode.CodeLens(range, {
          title: `$(eye) Visualize this ${CELL_NAMES[call.cell]}`,
          tooltip: `Open the RNN Lens lab on this ${call.callee} (input size ${config.inputSize}, hidden size ${config.hiddenSize})`,
          command: Command.visualizeModel,
          arguments: [config],
        }),
        new vscode.CodeLens(range, {
          title: '$(play) Train this in the lab',
          tooltip: `Open the Training Playground on this ${call.callee}'s cell and hidden size (up to ${TRAIN_LIMITS.H}), beside a tanh RNN`,
          command: Command.trainModel,
          arguments: [config],
        }),
      ];
    });
  }

  dispose(): void {
    this.store.dispose();
  }
}
