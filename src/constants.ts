// Every id the extension shares with package.json lives here; test/unit/src/constants.test.ts
// checks that the two agree, so a rename cannot silently break a contribution. The lab's demo
// commands come from protocol/demoCommands.ts, which the lab's demo registry reads too.
import { DEMO_COMMANDS, demoCommandKeys } from '../protocol/demoCommands';

export const EXTENSION_ID = 'rnn-lens.rnn-lens';
export const OUTPUT_CHANNEL = 'RNN Lens';
export const DIAGNOSTIC_SOURCE = 'RNN Lens';

export const Command = {
  showDeckProblems: 'rnnLens.showDeckProblems',
  reloadDecks: 'rnnLens.reloadDecks',
  explainTermAtCursor: 'rnnLens.explainTermAtCursor',
  openCard: 'rnnLens.openCard',
  quizCard: 'rnnLens.quizCard',
  pickCard: 'rnnLens.pickCard',
  openQuiz: 'rnnLens.openQuiz',
  quizThisFile: 'rnnLens.quizThisFile',
  revealAnswer: 'rnnLens.quiz.revealAnswer',
  gradeAgain: 'rnnLens.quiz.gradeAgain',
  gradeHard: 'rnnLens.quiz.gradeHard',
  gradeGood: 'rnnLens.quiz.gradeGood',
  gradeEasy: 'rnnLens.quiz.gradeEasy',
  showStats: 'rnnLens.showStats',
  exportProgress: 'rnnLens.exportProgress',
  importProgress: 'rnnLens.importProgress',
  resetProgress: 'rnnLens.resetProgress',
  openDemo: 'rnnLens.openDemo',
  ...demoCommandKeys(),
  trainModel: 'rnnLens.trainModel',
  visualizeModel: 'rnnLens.visualizeModel',
  inspectCheckpoint: DEMO_COMMANDS.inspect,
  trainOnFile: DEMO_COMMANDS.char,
  labTogglePlay: 'rnnLens.lab.togglePlay',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

export const View = {
  container: 'rnnLens',
  quiz: 'rnnLens.quiz',
} as const;

export const WebviewPanelType = {
  lab: 'rnnLens.lab',
} as const;

export const Setting = {
  decks: 'rnnLens.decks',
  hoverEnabled: 'rnnLens.hover.enabled',
  hoverLanguages: 'rnnLens.hover.languages',
  desiredRetention: 'rnnLens.quiz.desiredRetention',
  newCardsPerDay: 'rnnLens.quiz.newCardsPerDay',
  quizDecks: 'rnnLens.quiz.decks',
  statusBarEnabled: 'rnnLens.statusBar.enabled',
  codeLensEnabled: 'rnnLens.codeLens.enabled',
  labBackend: 'rnnLens.lab.backend',
} as const;
export type SettingId = (typeof Setting)[keyof typeof Setting];

export const ContextKey = {
  hasDueCards: 'rnnLens.hasDueCards',
  /** The quiz view's mode while it is visible (`question`, `answer`, `browse`, `empty`), else `hidden`: the keybindings' `when`. */
  quizMode: 'rnnLens.quiz.mode',
  /** True once a hover tip was shown in this window: the walkthrough's first step is done. */
  hoverShown: 'rnnLens.hoverShown',
} as const;

/** Languages the hover provider serves unless the user changes `rnnLens.hover.languages`. */
export const DEFAULT_HOVER_LANGUAGES = [
  'python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact',
  'cpp', 'c', 'cuda-cpp', 'julia', 'rust', 'r', 'rmd', 'markdown',
] as const;
