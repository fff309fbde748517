// Every command the extension contributes, mapped to its handler in one table, and registered
// here in one place. Features export named handlers that take what they need (the feature's
// context) and return the function VS Code runs; test/unit/src/commands.test.ts checks that the
// table names exactly package.json's commands. The demo commands come from one list
// (protocol/demoCommands.ts), each opening the lab on its demo.
import * as vscode from 'vscode';
import { Command, type CommandId } from './constants';
import { reloadDecks, showDeckProblems, type DeckService } from './deckService';
import { explainTermAtCursor, pickCard, type HoverCtx } from './hover';
import { inspectCheckpoint, openDemo, openDemoOf, togglePlay, trainModel, trainOnFile, visualizeModel, type LabCtx } from './lab';
import {
  exportProgress, gradeCard, importProgress, openCard, openQuiz, quizCard, quizThisFile, resetProgress, revealAnswer, showStats, type QuizCtx,
} from './quiz';
import { DisposableStore } from './dispose';
import { DEMO_COMMANDS, OPENABLE_DEMOS, type DemoCommandId } from '../protocol/demoCommands';

/** What the handlers are built from: the deck service and each feature's context. */
export interface Features {
  readonly decks: DeckService;
  readonly hover: HoverCtx;
  readonly lab: LabCtx;
  readonly quiz: QuizCtx;
}

/** Builds a command's handler; the arguments are whatever the caller passed (check them). */
export type CommandFactory = (features: Features) => (...args: unknown[]) => unknown;

/** Each demo's own command (`RNN Lens: LSTM Forward Pass`, ...) opens the lab on it. */
const DEMO_HANDLERS = Object.fromEntries(
  OPENABLE_DEMOS.map((d): [DemoCommandId, CommandFactory] => [DEMO_COMMANDS[d], (f) => openDemoOf(d)(f.lab)]),
) as Record<DemoCommandId, CommandFactory>;

export const COMMANDS = {
  [Command.showDeckProblems]: (f) => showDeckProblems(f.decks),
  [Command.reloadDecks]: (f) => reloadDecks(f.decks),
  [Command.explainTermAtCursor]: (f) => explainTermAtCursor(f.hover),
  [Command.pickCard]: (f) => pickCard(f.hover),
  [Command.openCard]: (f) => openCard(f.quiz),
  [Command.quizCard]: (f) => quizCard(f.quiz),
  [Command.openQuiz]: (f) => openQuiz(f.quiz),
  [Command.quizThisFile]: (f) => quizThisFile(f.quiz),
  [Command.revealAnswer]: (f) => revealAnswer(f.quiz),
  [Command.gradeAgain]: (f) => gradeCard(1)(f.quiz),
  [Command.gradeHard]: (f) => gradeCard(2)(f.quiz),
  [Command.gradeGood]: (f) => gradeCard(3)(f.quiz),
  [Command.gradeEasy]: (f) => gradeCard(4)(f.quiz),
  [Command.showStats]: (f) => showStats(f.quiz),
  [Command.exportProgress]: (f) => exportProgress(f.quiz),
  [Command.importProgress]: (f) => importProgress(f.quiz),
  [Command.resetProgress]: (f) => resetProgress(f.quiz),
  [Command.openDemo]: (f) => openDemo(f.lab),
  ...DEMO_HANDLERS,
  [Command.trainModel]: (f) => trainModel(f.lab),
  [Command.visualizeModel]: (f) => visualizeModel(f.lab),
  [Command.inspectCheckpoint]: (f) => inspectCheckpoint(f.lab),
  [Command.trainOnFile]: (f) => trainOnFile(f.lab),
  [Command.labTogglePlay]: () => togglePlay(),
} as const satisfies Record<CommandId, CommandFactory>;

/** Registers every command of the table; one Disposable for them all. */
export function registerCommands(features: Features): vscode.Disposable {
  const store = new DisposableStore();
  for (const [id, factory] of Object.entries(COMMANDS) as [CommandId, CommandFactory][]) {
    store.add(vscode.commands.registerCommand(id, factory(features)));
  }
  return store;
}
