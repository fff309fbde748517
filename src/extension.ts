// activate() builds the deck once and wires each feature; features own everything else.
import * as vscode from 'vscode';
import { OUTPUT_CHANNEL } from './constants';
import { DeckService } from './deckService';
import { register as registerHover } from './hover';
import { register as registerLab } from './lab';
import { register as registerQuiz } from './quiz';

export function activate(context: vscode.ExtensionContext): void {
  const decks = new DeckService(vscode.window.createOutputChannel(OUTPUT_CHANNEL));
  context.subscriptions.push(decks);
  // Features: each register() returns one Disposable.
  context.subscriptions.push(registerHover(context, decks));
  context.subscriptions.push(registerLab(context, decks));
  context.subscriptions.push(registerQuiz(context, decks));
  // User decks are read in the background: the bundled deck serves until they arrive.
  void decks.reload(false);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
