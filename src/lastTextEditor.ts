// The text editor a command acts on: the active one, or else the last one that was, its document
// still open. A command run from the Welcome page's walkthrough (the active editor then, and not a
// text editor) still finds the user's file and cursor.
import * as vscode from 'vscode';

export function trackLastTextEditor(subscriptions: vscode.Disposable[]): () => vscode.TextEditor | undefined {
  let last = vscode.window.activeTextEditor;
  vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e) last = e;
  }, undefined, subscriptions);
  return () => vscode.window.activeTextEditor ?? (last && !last.document.isClosed ? last : undefined);
}
