// activate() builds the deck once, wires each feature, and registers the command table
// (src/commands.ts); features own everything else.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { OUTPUT_CHANNEL } from './constants';
import { setTranslator } from './l10n';
import { DeckService } from './deckService';
import { oneLineOutputChannel } from './outputChannel';
import { register as registerHover } from './hover';
import { register as registerLab } from './lab';
import { register as registerQuiz } from './quiz';
import { trackLastTextEditor } from './lastTextEditor';

export function activate(context: vscode.ExtensionContext): void {
  // The pure modules' strings (src/l10n.ts) translate as the glue's do.
  setTranslator(vscode.l10n.t.bind(vscode.l10n));
  const decks = new DeckService(oneLineOutputChannel(vscode.window.createOutputChannel(OUTPUT_CHANNEL)));
  context.subscriptions.push(decks);
  // Features: each register() returns its context for the commands, disposable.
  const textEditor = trackLastTextEditor(context.subscriptions);
  const hover = registerHover(context, decks, textEditor);
  const lab = registerLab(context, decks, textEditor);
  const quiz = registerQuiz(context, decks);
  context.subscriptions.push(hover, lab, quiz, registerCommands({ decks, hover, lab, quiz }));
  // User decks are read in the background: the bundled deck serves until they arrive.
  void decks.reload(false);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
