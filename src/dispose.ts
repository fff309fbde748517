// The one Disposable helper (after custom-editor-sample's dispose.ts): features collect what
// they register in a store and hand the store back as their single Disposable.
import * as vscode from 'vscode';

export function disposeAll(disposables: vscode.Disposable[]): void {
  while (disposables.length) {
    try {
      disposables.pop()?.dispose();
    } catch (err) {
      console.error('[rnn-lens] dispose failed', err);
    }
  }
}

export class DisposableStore implements vscode.Disposable {
  /** Pass this array as the third argument of every `onDid*` subscription. */
  readonly items: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.push(d);
    return d;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.items);
  }
}
