// The host's one reader and writer of the rnnLens.* settings: src/config.ts's typed getters over
// the live configuration.
import * as vscode from 'vscode';
import { Config } from './config';
import { Setting } from './constants';
import { deckChoiceSetting } from './quiz/decks';

/** The settings as they are now (read anew on each call: settings change while the host runs). */
export function config(): Config {
  return new Config(vscode.workspace.getConfiguration());
}

/** Saves the quiz's deck choice (`rnnLens.quiz.decks`) in the user settings. */
export function saveQuizDecks(ids: Iterable<string>): Thenable<void> {
  return vscode.workspace.getConfiguration().update(Setting.quizDecks, deckChoiceSetting(ids), vscode.ConfigurationTarget.Global);
}
