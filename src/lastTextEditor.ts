// The text editor a command acts on: the active one, or else the last one that was, its document
// still open. A command run from the Welcome page's walkthrough (the active editor then, and not a
// text editor), or a request from the lab (the active editor then), still finds the user's file
// and cursor. One tracker, made by activate() and handed to the features.
import * as vscode from 'vscode';

export type TextEditorSource = () => vscode.TextEditor | undefined;

export function trackLastTextEditor(subscriptions: vscode.Disposable[]): () => vscode.TextEditor | undefined {
  let last = vscode.window.activeTextEditor;
  vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e) last = e;
  }, undefined, subscriptions);
  return () => vscode.window.activeTextEditor ?? (last && !last.document.isClosed ? last : undefined);
}
