// Host <-> webview messages: discriminated unions, `switch (msg.type)` on both sides, and a
// valibot schema for every message a webview sends (validated on arrival in the host); the types
// of those messages are their schemas' outputs. Times are epoch milliseconds; messages carry plain
// JSON data only. The lists of ids here (and those imported) are the only declarations of them.
// Sections: shared, quiz (sidebar quiz), lab (lab panel). Keep each section's edits within it.
import * as v from 'valibot';
import type { RecurrentLayer } from '../engine/checkpoint';
import { CELLS, INIT_SCHEMES, OPTIMIZERS, RNN_ACTIVATIONS, type Cell, type InitScheme } from '../engine/types';
import { BUNDLED_DECKS, DEMOS, USER_DECK, type DemoId, type Kind, type Level } from '../src/deck/card';
import { RATINGS } from '../src/quiz/reviewStore';
import type { QuizStats } from '../src/quiz/stats';

export { RATINGS, RATING_NAMES, FSRS_STATE_NAMES } from '../src/quiz/reviewStore';

// ---- shared -------------------------------------------------------------------------------

/** A card as a webview sees it: HTML already rendered and sanitised on the host. */
export interface CardView {
  id: string;
  level: Level;
  kind: Kind;
  tags: string[];
  demo?: DemoId;
  questionHtml: string;
  answerHtml: string;
}

// ---- quiz ---------------------------------------------------------------------------------
// In quiz messages, questionHtml/answerHtml hold math as empty `[data-tex]` elements (TeX in the
// attribute, `data-display="true"` for display math) that the view draws with katex.render:
// KaTeX's HTML string needs inline styles, which the CSP blocks (src/deck/cardHtml.ts).

/** What the view shows: a queue card's question or answer, an opened card, or nothing due. */
export type QuizMode = 'question' | 'answer' | 'browse' | 'empty';

export interface QuizFilterState {
  level: string | null;
  tag: string | null;
  thisFile: boolean;
}

export interface QuizCounts {
  learning: number;
  review: number;
  new: number;
}

export interface QuizState {
  mode: QuizMode;
  /** The card on screen (absent in the empty state). */
  card?: CardView;
  /** One label per grade button ("10m", "3d"), in rating order 1–4; absent in browse/empty. */
  intervals?: { rating: QuizRating; label: string }[];
  /** Due now in the filtered queue. */
  counts: QuizCounts;
  /** When the next card comes due (epoch ms), for the empty state. */
  nextDueAt?: number;
  filter: QuizFilterState;
  levels: Level[];
  tags: string[];
  /** The active editor's file name for the "this file" filter, and how many cards its terms name. */
  thisFile?: { name: string; cards: number };
  canUndo: boolean;
  /** Cards in the whole deck (the empty state says when there are none at all). */
  deckSize: number;
  now: number;
  /** Why grades cannot be saved now (newer or unreadable saved progress); grading is off while set. */
  readOnly?: string;
  /** Cards that could not be scheduled this session, with why; the queue goes on without them. */
  setAside?: { id: string; reason: string }[];
  /** The decks loaded, in order, with their card counts and whether the quiz asks from them. */
  decks: QuizDeckView[];
}

export interface QuizDeckView {
  id: string;
  name: string;
  cards: number;
  chosen: boolean;
}

/** Longest deck list a view may send (there are three decks today). */
export const MAX_QUIZ_DECKS = 20;

/** The deck ids a view may choose: the bundled decks and the user deck, nothing else. */
export const QUIZ_DECK_IDS: readonly QuizDeckId[] = [...BUNDLED_DECKS.map((d) => d.id), USER_DECK.id];
export type QuizDeckId = (typeof BUNDLED_DECKS)[number]['id'] | typeof USER_DECK.id;
/** A deck id the view may send. */
export const isQuizDeckId = (id: string): id is QuizDeckId => (QUIZ_DECK_IDS as readonly string[]).includes(id);

/** What the statistics show (computed on the host by src/quiz/stats.ts). */
export type QuizStatsView = QuizStats;

/** How a notice in the quiz view is coloured. */
export type QuizNoticeLevel = 'info' | 'warning' | 'error';

export type QuizHostMessage =
  | { type: 'state'; state: QuizState }
  | { type: 'stats'; stats: QuizStatsView; focus: boolean }
  | { type: 'notice'; level: QuizNoticeLevel; text: string };

const quizCardId = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const epochMs = v.pipe(v.number(), v.finite(), v.minValue(0));

export const quizViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('reveal'), cardId: quizCardId }),
  v.strictObject({
    type: v.literal('grade'),
    cardId: quizCardId,
    rating: v.picklist(RATINGS),
    shownAt: epochMs,
  }),
  v.strictObject({ type: v.literal('undo') }),
  v.strictObject({
    type: v.literal('setFilter'),
    level: v.nullable(v.pipe(v.string(), v.maxLength(100))),
    tag: v.nullable(v.pipe(v.string(), v.maxLength(200))),
    thisFile: v.boolean(),
  }),
  /** Leave an opened card (browse mode) and go back to the queue. */
  v.strictObject({ type: v.literal('backToQueue') }),
  /** A demo the card names: one of DEMOS, never free text (the host would quote it in a warning). */
  v.strictObject({ type: v.literal('openDemo'), demo: v.picklist(DEMOS) }),
  /** A link in a card: https only, as the card HTML keeps (src/deck/cardHtml.ts). */
  v.strictObject({ type: v.literal('openLink'), href: v.pipe(v.string(), v.maxLength(2000), v.url(), v.regex(/^https:\/\//i)) }),
  v.strictObject({ type: v.literal('requestStats') }),
  /** The decks to study (ids of QuizState.decks), from the view's Decks checkboxes. */
  v.strictObject({
    type: v.literal('setDecks'),
    ids: v.pipe(v.array(v.picklist(QUIZ_DECK_IDS)), v.maxLength(MAX_QUIZ_DECKS)),
  }),
]);

export type QuizViewMessage = v.InferOutput<typeof quizViewMessageSchema>;
/** A grade, 1–4 (Again, Hard, Good, Easy: RATING_NAMES). */
export type QuizRating = Extract<QuizViewMessage, { type: 'grade' }>['rating'];

// ---- lab ----------------------------------------------------------------------------------
// The lab panel shows one demo at a time. The host sends `show` (the demo, its controls, the
// user's model when the CodeLens opened it, and the cards the demo illustrates); the view sends
// its controls back on every change (`stateChanged`), which the host keeps for the serializer.
// Each control's type is its schema's output: the schema is the one declaration of its values.

/** The lab's views: the demos a card may name, and the checkpoint inspector (opened on a file). */
export const LAB_DEMOS = [...DEMOS, 'inspect'] as const;
export type LabDemoId = (typeof LAB_DEMOS)[number];

/** Each view's title: the panel's tab ("RNN Lab: …"), the view's heading and the demo picker. */
export const DEMO_TITLES: Readonly<Record<LabDemoId, string>> = {
  'lstm-forward': 'LSTM Forward Pass',
  bptt: 'Backpropagation Through Time',
  train: 'Training Playground',
  inspect: 'Inspect Recurrent Layers',
  ctc: 'CTC Alignment',
  bidirectional: 'Bidirectional RNN',
  'rnn-vs-attention': 'RNN vs Attention',
  seq2seq: 'Attention in Seq2seq',
};

/** The forward demo's name for each cell: its cell dropdown, its heading and the panel's tab. */
export const FORWARD_CELL_NAMES: Readonly<Record<Cell, string>> = { lstm: 'LSTM', gru: 'GRU', rnn: 'Vanilla RNN' };

/** The view's heading: the demo's title, the forward demo's naming the cell it runs. */
export function viewTitle(state: Pick<LabViewState, 'demo' | 'forward'>): string {
  return state.demo === 'lstm-forward' ? `${FORWARD_CELL_NAMES[state.forward.cell ?? 'lstm']} Forward Pass` : DEMO_TITLES[state.demo];
}

/** The lab panel's title (its tab, and the view's document title) while it shows `state`. */
export function labTitle(state: Pick<LabViewState, 'demo' | 'forward'>): string {
  return `RNN Lab: ${viewTitle(state)}`;
}

/** The forward demo's input presets. */
export const LAB_INPUT_PRESETS = ['sine', 'square', 'noise', 'copy', 'word'] as const;
export type LabInputPreset = (typeof LAB_INPUT_PRESETS)[number];
export type LabInit = InitScheme;
/** The schemes BPTT offers (xavier sets no spectral radius, which is what that demo turns). */
export const BPTT_INITS = ['gaussian', 'orthogonal', 'identity'] as const satisfies readonly InitScheme[];
/** The frameworks whose constructors the CodeLens reads. */
export const FRAMEWORKS = ['pytorch', 'keras', 'tfjs'] as const;
/** A generated inspector input, or the .npy the user picked. */
export const INSPECT_INPUTS = ['noise', 'sine', 'square', 'npy'] as const;
/** The training playground's tasks, and where its text task's text comes from. */
export const TRAIN_TASKS = ['recall', 'adding', 'text'] as const;
export const TEXT_SOURCES = ['editor', 'cards'] as const;

/** Largest sizes one recompute + redraw handles inside a frame (the CodeLens caps to these). */
export const LAB_LIMITS = { D: 64, H: 128, T: 256 } as const;

/** The training playground's models: tanh RNN, IRNN (relu, identity init), LSTM, GRU. */
export const TRAIN_MODELS = ['rnn', 'irnn', 'lstm', 'gru'] as const;
export type TrainModelKey = (typeof TRAIN_MODELS)[number];

/**
 * What trains interactively (several models, every frame): the CodeLens caps a layer's hidden size
 * to H, the host sends at most `text` characters of the editor.
 */
/** The `rnnLens.lab.backend` setting's values: `auto` (the chooser decides), or a backend by the name the lab's corner shows. */
export const LAB_BACKEND_SETTINGS = ['auto', 'webgl2', 'webgl', 'wasm', 'js'] as const;
export type LabBackendSetting = (typeof LAB_BACKEND_SETTINGS)[number];

export const TRAIN_LIMITS = { H: 64, delay: 100, length: 8, symbols: 32, T: 100, batch: 64, text: 20_000 } as const;
/** Most points a run's curves keep across a window reload (TrainProgress). */
export const TRAIN_HISTORY = 400;

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const real = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
const seed = int(0, 2 ** 31 - 1);

export const forwardControlsSchema = v.strictObject({
  /** The cell the forward demo runs (absent in states saved before the picker: the LSTM). */
  cell: v.optional(v.picklist(CELLS)),
  preset: v.picklist(LAB_INPUT_PRESETS),
  /** The text of the "type a word" preset. */
  word: v.pipe(v.string(), v.maxLength(LAB_LIMITS.T)),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  T: int(1, LAB_LIMITS.T),
  seed,
  forgetBias: real(-10, 10),
  init: v.picklist(INIT_SCHEMES),
  /** The scrubber's step and the unit whose numbers the equations show (0-based). */
  step: int(0, LAB_LIMITS.T - 1),
  unit: int(0, LAB_LIMITS.H - 1),
});
export type ForwardControls = v.InferOutput<typeof forwardControlsSchema>;

export const bpttControlsSchema = v.strictObject({
  T: int(2, LAB_LIMITS.T),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  seed,
  spectralRadius: real(0, 4),
  init: v.picklist(BPTT_INITS),
  /** Truncation window k; 0 = full BPTT. */
  truncate: int(0, LAB_LIMITS.T),
  /** Global-norm clipping threshold; 0 = no clipping. */
  clip: real(0, 1e6),
  forgetBias: real(-10, 10),
  loss: v.picklist(['last', 'every'] as const),
});
export type BpttControls = v.InferOutput<typeof bpttControlsSchema>;

export const trainControlsSchema = v.strictObject({
  task: v.picklist(TRAIN_TASKS),
  /** recall: blank steps between the symbols and the cue, how many symbols out of how many. */
  delay: int(1, TRAIN_LIMITS.delay),
  symbols: int(2, TRAIN_LIMITS.symbols),
  length: int(1, TRAIN_LIMITS.length),
  /** adding and text: the sequence (window) length. */
  T: int(2, TRAIN_LIMITS.T),
  /** text: the active editor (selection or whole file) or the cards' text. */
  textSource: v.picklist(TEXT_SOURCES),
  models: v.pipe(v.array(v.picklist(TRAIN_MODELS)), v.maxLength(TRAIN_MODELS.length)),
  H: int(1, TRAIN_LIMITS.H),
  batch: int(1, TRAIN_LIMITS.batch),
  optimizer: v.picklist(OPTIMIZERS),
  lr: real(1e-5, 10),
  /** Global-norm clipping threshold; 0 = off. */
  clip: real(0, 1e6),
  /** Truncation window; 0 = full BPTT. */
  truncate: int(0, TRAIN_LIMITS.T + TRAIN_LIMITS.delay + 2 * TRAIN_LIMITS.length + 1),
  init: v.picklist(INIT_SCHEMES),
  spectralRadius: real(0, 4),
  forgetBias: real(-10, 10),
  seed,
  /** Sampling temperature of the text samples. */
  temperature: real(0.05, 5),
  /** Training runs (play) or is paused. */
  running: v.boolean(),
});
export type TrainControls = v.InferOutput<typeof trainControlsSchema>;

const metric = v.nullable(v.pipe(v.number(), v.finite()));
/** What a window reload keeps of a run: its step and the curves so far (thinned to TRAIN_HISTORY points). */
export const trainProgressSchema = v.strictObject({
  step: int(0, Number.MAX_SAFE_INTEGER),
  /** One point per recorded step: the step, then per model (in `models` order) loss and accuracy. */
  points: v.pipe(v.array(v.strictObject({
    step: int(0, Number.MAX_SAFE_INTEGER),
    loss: v.pipe(v.array(metric), v.maxLength(TRAIN_MODELS.length)),
    accuracy: v.pipe(v.array(metric), v.maxLength(TRAIN_MODELS.length)),
  })), v.maxLength(TRAIN_HISTORY)),
});
export type TrainProgress = v.InferOutput<typeof trainProgressSchema>;

/** The CTC demo: the target word (a–z, 1 to 12 letters) and the training seed. */
export const ctcControlsSchema = v.strictObject({
  word: v.pipe(v.string(), v.regex(/^[a-z]{1,12}$/)),
  seed,
});
export type CtcControls = v.InferOutput<typeof ctcControlsSchema>;

/** The bidirectional demo: the training seed. */
export const bidirectionalControlsSchema = v.strictObject({ seed });
export type BidirectionalControls = v.InferOutput<typeof bidirectionalControlsSchema>;
/** The seq2seq attention demo: the training seed. */
export const seq2seqControlsSchema = v.strictObject({ seed });
export type Seq2seqControls = v.InferOutput<typeof seq2seqControlsSchema>;

const shortText = v.pipe(v.string(), v.maxLength(400));

/** How one constructor argument was read by the CodeLens (src/lab/modelArgs.ts). */
const modelArgReadingSchema = v.strictObject({
  param: shortText,
  /** The argument's source text. */
  text: shortText,
  status: v.picklist(['literal', 'resolved', 'unreadable'] as const),
  value: v.optional(v.pipe(v.number(), v.finite())),
  /** For `resolved`: where the name's value came from. */
  via: v.optional(shortText),
});
export type ModelArgReading = v.InferOutput<typeof modelArgReadingSchema>;

/** The user's layer as the CodeLens read it, already capped to LAB_LIMITS. */
export const labModelConfigSchema = v.strictObject({
  callee: v.pipe(v.string(), v.maxLength(100)),
  framework: v.picklist(FRAMEWORKS),
  cell: v.picklist(CELLS),
  demo: v.picklist(DEMOS),
  /** 0-based line of the constructor in its file. */
  line: int(0, 10_000_000),
  file: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  inputSize: int(1, LAB_LIMITS.D),
  hiddenSize: int(1, LAB_LIMITS.H),
  steps: v.optional(int(1, LAB_LIMITS.T)),
  numLayers: int(1, 1000),
  bidirectional: v.boolean(),
  activation: v.optional(v.picklist(RNN_ACTIVATIONS)),
  readings: v.pipe(v.array(modelArgReadingSchema), v.maxLength(50)),
  /** Size parameters the call does not give at all. */
  missing: v.pipe(v.array(shortText), v.maxLength(20)),
  capped: v.pipe(v.array(v.strictObject({ param: shortText, from: v.number(), to: v.number() })), v.maxLength(20)),
});
export type LabModelConfig = v.InferOutput<typeof labModelConfigSchema>;

/** The checkpoint inspector: which file, layer and direction, and what input runs through it. */
export const inspectControlsSchema = v.strictObject({
  /** The checkpoint's URI (the host reads it again when a reloaded window revives the panel). */
  file: v.pipe(v.string(), v.maxLength(4000)),
  /** Index into the checkpoint's recurrent layers (each direction is one). */
  layer: int(0, 100_000),
  /** A plain RNN's nonlinearity, which a state_dict does not record. */
  activation: v.picklist(RNN_ACTIVATIONS),
  /** A generated input, or the .npy the user picked (not kept across reloads: noise then). */
  input: v.picklist(INSPECT_INPUTS),
  T: int(2, LAB_LIMITS.T),
  seed,
});
export type InspectControls = v.InferOutput<typeof inspectControlsSchema>;

export const LAB_DEFAULTS: {
  'lstm-forward': ForwardControls; bptt: BpttControls; train: TrainControls; inspect: InspectControls;
  ctc: CtcControls; bidirectional: BidirectionalControls; seq2seq: Seq2seqControls;
} = {
  'lstm-forward': { preset: 'sine', word: 'hello', D: 4, H: 16, T: 48, seed: 1, forgetBias: 1, init: 'xavier', step: 0, unit: 0 },
  bptt: { T: 64, D: 8, H: 32, seed: 1, spectralRadius: 1, init: 'gaussian', truncate: 0, clip: 0, forgetBias: 1, loss: 'last' },
  train: {
    task: 'adding', delay: 20, symbols: 8, length: 1, T: 30, textSource: 'cards', models: [...TRAIN_MODELS],
    H: 32, batch: 16, optimizer: 'adam', lr: 0.01, clip: 1, truncate: 0, init: 'xavier', spectralRadius: 1, forgetBias: 1,
    seed: 1, temperature: 0.8, running: true,
  },
  inspect: { file: '', layer: 0, activation: 'tanh', input: 'noise', T: 64, seed: 1 },
  ctc: { word: 'hello', seed: 1 },
  bidirectional: { seed: 1 },
  seq2seq: { seed: 1 },
};

export const labViewStateSchema = v.strictObject({
  demo: v.picklist(LAB_DEMOS),
  forward: forwardControlsSchema,
  bptt: bpttControlsSchema,
  // A state saved before the playground existed has no `train`: it gets the defaults.
  train: v.optional(trainControlsSchema, () => ({ ...LAB_DEFAULTS.train, models: [...LAB_DEFAULTS.train.models] })),
  trainProgress: v.optional(trainProgressSchema),
  /** Absent in states saved before these demos existed: the defaults apply. */
  ctc: v.optional(ctcControlsSchema),
  bidirectional: v.optional(bidirectionalControlsSchema),
  seq2seq: v.optional(seq2seqControlsSchema),
  /** The model the CodeLens opened the lab with (kept across reloads). */
  model: v.optional(labModelConfigSchema),
  inspect: v.optional(inspectControlsSchema),
});
export type LabViewState = v.InferOutput<typeof labViewStateSchema>;

export const labViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('stateChanged'), state: labViewStateSchema }),
  /** A card in the demo's "cards" list was clicked: the host runs Command.openCard. */
  v.strictObject({ type: v.literal('showCard'), cardId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
  /** The playground wants text to train on: the active editor's selection or file, or the cards. */
  v.strictObject({ type: v.literal('requestText'), source: v.picklist(TEXT_SOURCES) }),
  /** The inspector asks for a .npy input of shape (T, D) from the workspace. */
  v.strictObject({ type: v.literal('pickNpy'), D: int(1, 100_000) }),
  /** Something failed in the view (a kernel, WebGL); the host logs it to the output channel. */
  v.strictObject({ type: v.literal('error'), message: v.pipe(v.string(), v.maxLength(4000)) }),
]);

export type LabViewMessage = v.InferOutput<typeof labViewMessageSchema>;

export interface LabCardLink {
  id: string;
  question: string;
}

/**
 * One recurrent layer and direction of a checkpoint, in the engine's layout (see
 * engine/checkpoint): W, b and bh as base64 of little-endian float32. A layer larger
 * than the lab computes comes without them, `omitted` saying why.
 */
export type InspectLayerData = Pick<RecurrentLayer, 'name' | 'cell' | 'layer' | 'reverse' | 'D' | 'H' | 'resetAfter'> & {
  W?: string;
  b?: string;
  bh?: string;
  omitted?: string;
};

export type LabHostMessage =
  | { type: 'show'; state: LabViewState; cards: LabCardLink[]; notes: string[] }
  /** The text the playground trains on (answer to `requestText`), at most TRAIN_LIMITS.text characters. */
  | { type: 'text'; source: TrainControls['textSource']; label: string; text: string }
  /** The checkpoint the inspector shows: its display name, its recurrent layers and the readers' warnings. */
  | { type: 'checkpoint'; file: string; name: string; layers: InspectLayerData[]; warnings: string[] }
  /** An input for the inspector from a .npy of shape (T, D): data is base64 float32; or why not. */
  | { type: 'npyInput'; name: string; T: number; D: number; data: string; note?: string }
  | { type: 'npyError'; text: string }
  /** The inspector's checkpoint could not be read (e.g. the file is gone after a reload): why, on one line. */
  | { type: 'checkpointError'; text: string };

// ---- validation helper --------------------------------------------------------------------

/** Parse an unknown message with a schema; undefined (and a reason) when it does not fit. */
export function parseMessage<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
): { ok: true; msg: v.InferOutput<S> } | { ok: false; reason: string } {
  const r = v.safeParse(schema, raw);
  if (r.success) return { ok: true, msg: r.output };
  return { ok: false, reason: r.issues.map((i) => i.message).join('; ') };
}
