// "Inspect recurrent layers" above torch.save(…, "path") and torch.load("path") when the literal
// path names an existing file, relative to the document's folder or a workspace folder.
import * as vscode from 'vscode';
import { Command } from '../constants';
import { findCheckpointPaths } from './checkpointPaths';
import { SettingCodeLensProvider } from './codeLens';
import { CODELENS_LIMITS } from './modelArgs';

export class CheckpointCodeLensProvider extends SettingCodeLensProvider {
  constructor() {
    super();
    // A checkpoint saved by a run makes its torch.load lens appear.
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher('**/*.{pt,pth,safetensors,npz}', false, true, false));
    watcher.onDidCreate(() => this.changed.fire(), undefined, this.store.items);
    watcher.onDidDelete(() => this.changed.fire(), undefined, this.store.items);
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.enabled) return [];
    const text = document.getText();
    if (text.length > CODELENS_LIMITS.maxChars) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const found of findCheckpointPaths(text)) {
      if (token.isCancellationRequested) return [];
      const uri = await existing(document.uri, found.path);
      if (!uri) continue;
      const range = new vscode.Range(document.positionAt(found.start), document.positionAt(found.openParen));
      lenses.push(new vscode.CodeLens(range, {
        title: `$(search) ${vscode.l10n.t('Inspect recurrent layers')}`,
        tooltip: vscode.l10n.t('Open the RNN Lens inspector on {0}', vscode.workspace.asRelativePath(uri, true)),
        command: Command.inspectCheckpoint,
        arguments: [{ uri }],
      }));
    }
    return lenses;
  }
}

/** The file `path` names, tried relative to the document's folder, then to each workspace folder. */
async function existing(doc: vscode.Uri, path: string): Promise<vscode.Uri | undefined> {
  const candidates: vscode.Uri[] = [];
  if (path.startsWith('/')) {
    candidates.push(doc.with({ path }));
  } else {
    if (doc.scheme !== 'untitled') candidates.push(vscode.Uri.joinPath(doc, '..', path));
    for (const f of vscode.workspace.workspaceFolders ?? []) candidates.push(vscode.Uri.joinPath(f.uri, path));
  }
  for (const uri of candidates) {
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (st.type & vscode.FileType.File) return uri;
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}
