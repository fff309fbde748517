// The playground's "A column of a CSV file": the user picks a CSV/TSV/text file (the workspace's
// first, or any through the open dialog), the host reads it (at most CSV_LIMITS.bytes) and sends
// its numeric columns (protocol/csv.ts parseCsv, at most CSV_LIMITS.values numbers in all).
import * as vscode from 'vscode';
import { CSV_LIMITS } from '../../protocol';
import { oneLine } from '../deck/escape';
import { csvReply, type CsvReply } from './csvReply';
import { fileErrorReason, unreadableReason } from './readableFile';

const baseName = (uri: vscode.Uri) => oneLine(uri.path.split('/').pop() ?? uri.path).slice(0, 200);

/** Asks for a file and reads it; undefined when the user cancels. */
export async function pickCsv(): Promise<CsvReply | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{csv,tsv}', '**/{node_modules,.git}/**', 500);
  const items = [
    ...files.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => ({ label: baseName(uri), description: vscode.workspace.asRelativePath(uri, true), uri })),
    { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('a CSV, TSV or text file from anywhere'), uri: undefined as vscode.Uri | undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('A CSV file whose column of numbers the playground trains on') });
  if (!picked) return undefined;
  const uri = picked.uri ?? (await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: vscode.l10n.t('Train on it'), filters: { [vscode.l10n.t('CSV, TSV or text')]: ['csv', 'tsv', 'txt'] },
  }))?.[0];
  if (!uri) return undefined;
  const name = baseName(uri);
  try {
    const refused = unreadableReason(await vscode.workspace.fs.stat(uri), CSV_LIMITS.bytes, 'CSV files');
    if (refused) return { type: 'csvError', text: `${name}: ${refused}` };
    return csvReply(name, await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    return { type: 'csvError', text: `${name}: ${oneLine(fileErrorReason(err)).slice(0, 300)}` };
  }
}
