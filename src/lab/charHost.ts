// The character model's host side: the active editor's selection (or its whole text, within
// CHAR_LIMITS.text characters) is what it trains on; its "Export for PyTorch…" comes back here as
// weights, written as safetensors where the user says, with a button that opens the file in the
// lab's inspector. The command itself is in index.ts.
import * as vscode from 'vscode';
import { exportCharModel } from '../../engine/export';
import { DEMO_COMMANDS } from '../../protocol/demoCommands';
import { CHAR_CELL_NAMES, type CharExportMessage, type LabHostMessage } from '../../protocol';
import { escapeNotification } from '../deck/escape';
import { charExportName, charTextLabel, charTextProblem, charWeights } from './charModel';

export type CharTextMessage = Extract<LabHostMessage, { type: 'charText' }>;

const fileName = (uri: vscode.Uri) => uri.path.split('/').pop() || uri.path;

/** The editor's selection, or else its whole text; never read whole when it is over the cap. */
export function readCharText(editor: vscode.TextEditor | undefined): CharTextMessage {
  if (!editor || editor.document.isClosed) {
    return { type: 'charText', label: '', text: '', error: vscode.l10n.t('RNN Lens: open a file in the editor (or select some text) to train a character model on it.') };
  }
  const doc = editor.document;
  const selection = !editor.selection.isEmpty;
  const range = selection ? new vscode.Range(editor.selection.start, editor.selection.end) : undefined;
  const start = range ? doc.offsetAt(range.start) : 0;
  const end = range ? doc.offsetAt(range.end) : doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
  const name = fileName(doc.uri);
  const problem = charTextProblem(end - start, name, selection);
  if (problem) return { type: 'charText', label: charTextLabel(name, selection), text: '', error: problem };
  return { type: 'charText', label: charTextLabel(name, selection), text: doc.getText(range), file: doc.uri.toString() };
}

/** "Export for PyTorch…": asks where (beside the source file), writes the safetensors, offers the inspector. */
export async function saveCharModel(msg: CharExportMessage, source: vscode.Uri | undefined, log: (line: string) => void): Promise<{ text: string; ok: boolean }> {
  const weights = charWeights(msg);
  if (typeof weights === 'string') {
    log(`RNN Lens lab: refused a character model export: ${weights}`);
    return { text: vscode.l10n.t('Not exported: {0}.', weights), ok: false };
  }
  const name = charExportName(source ? fileName(source) : 'model.txt', msg.cell);
  const folder = source && source.scheme !== 'untitled' ? vscode.Uri.joinPath(source, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the {0} character model for PyTorch', CHAR_CELL_NAMES[msg.cell]),
    saveLabel: vscode.l10n.t('Export'),
    filters: { safetensors: ['safetensors'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
  });
  if (!target) return { text: vscode.l10n.t('Export cancelled.'), ok: false };
  try {
    await vscode.workspace.fs.writeFile(target, exportCharModel(weights));
  } catch (err) {
    const text = escapeNotification(vscode.l10n.t('RNN Lens: could not write {0}: {1}', fileName(target), err instanceof Error ? err.message : String(err)));
    void vscode.window.showErrorMessage(text);
    return { text, ok: false };
  }
  const text = vscode.l10n.t('Exported the {0} at step {1} to {2}.', CHAR_CELL_NAMES[msg.cell], msg.step.toLocaleString('en-US'), fileName(target));
  const inspect = vscode.l10n.t('Open in Inspector');
  void vscode.window.showInformationMessage(escapeNotification(vscode.l10n.t('RNN Lens: {0}', text)), inspect).then((choice) => {
    if (choice === inspect) void vscode.commands.executeCommand(DEMO_COMMANDS.inspect, target);
  });
  return { text, ok: true };
}
