// Host <-> webview messages: discriminated unions, `switch (msg.type)` on both sides, and a
// valibot schema for every message a webview sends (validated on arrival in the host).
// Times are epoch milliseconds; messages carry plain JSON data only.
// Sections: shared, quiz (sidebar quiz), lab (lab panel). Keep each section's edits within it.
import * as v from 'valibot';
import type { RecurrentLayer } from '../webview/kernels/checkpoint';
import { DEMOS, type DemoId } from './deck/card';
import type { QuizStats } from './quiz/stats';

// ---- shared -------------------------------------------------------------------------------

/** A card as a webview sees it: HTML already rendered and sanitised on the host. */
export interface CardView {
  id: string;
  level: string;
  kind: string;
  tags: string[];
  demo?: string;
  questionHtml: string;
  answerHtml: string;
}

// ---- quiz ---------------------------------------------------------------------------------
// In quiz messages, questionHtml/answerHtml hold math as empty `[data-tex]` elements (TeX in the
// attribute, `data-display="true"` for display math) that the view draws with katex.render:
// KaTeX's HTML string needs inline styles, which the CSP blocks (src/deck/cardHtml.ts).

export type QuizRating = 1 | 2 | 3 | 4;

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
  levels: string[];
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

/** What the statistics show (computed on the host by src/quiz/stats.ts). */
export type QuizStatsView = QuizStats;

export type QuizHostMessage =
  | { type: 'state'; state: QuizState }
  | { type: 'stats'; stats: QuizStatsView; focus: boolean }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

const quizCardId = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const epochMs = v.pipe(v.number(), v.finite(), v.minValue(0));

export const quizViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('reveal'), cardId: quizCardId }),
  v.strictObject({
    type: v.literal('grade'),
    cardId: quizCardId,
    rating: v.picklist([1, 2, 3, 4] as const),
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
  v.strictObject({ type: v.literal('openDemo'), demo: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) }),
  v.strictObject({ type: v.literal('openLink'), href: v.pipe(v.string(), v.url(), v.maxLength(2000)) }),
  v.strictObject({ type: v.literal('requestStats') }),
  /** The decks to study (ids of QuizState.decks), from the view's Decks checkboxes. */
  v.strictObject({
    type: v.literal('setDecks'),
    ids: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100))), v.maxLength(MAX_QUIZ_DECKS)),
  }),
]);

export type QuizViewMessage = v.InferOutput<typeof quizViewMessageSchema>;

// ---- lab ----------------------------------------------------------------------------------
// The lab panel shows one demo at a time. The host sends `show` (the demo, its controls, the
// user's model when the CodeLens opened it, and the cards the demo illustrates); the view sends
// its controls back on every change (`stateChanged`), which the host keeps for the serializer.

/** The lab's views: the demos a card may name, and the checkpoint inspector (opened on a file). */
export const LAB_DEMOS = [...DEMOS, 'inspect'] as const;
export type LabDemoId = DemoId | 'inspect';
export type LabInit = 'gaussian' | 'orthogonal' | 'identity' | 'xavier';
export type LabInputPreset = 'sine' | 'square' | 'noise' | 'copy' | 'word';

/** Largest sizes one recompute + redraw handles inside a frame (the CodeLens caps to these). */
export const LAB_LIMITS = { D: 64, H: 128, T: 256 } as const;

export interface ForwardControls {
  /** The cell the forward demo runs (absent in states saved before the picker: the LSTM). */
  cell?: 'lstm' | 'gru' | 'rnn';
  preset: LabInputPreset;
  /** The text of the "type a word" preset. */
  word: string;
  D: number;
  H: number;
  T: number;
  seed: number;
  forgetBias: number;
  init: LabInit;
  /** The scrubber's step and the unit whose numbers the equations show (0-based). */
  step: number;
  unit: number;
}

export interface BpttControls {
  T: number;
  D: number;
  H: number;
  seed: number;
  spectralRadius: number;
  init: Exclude<LabInit, 'xavier'>;
  /** Truncation window k; 0 = full BPTT. */
  truncate: number;
  /** Global-norm clipping threshold; 0 = no clipping. */
  clip: number;
  forgetBias: number;
  loss: 'last' | 'every';
}

/** The checkpoint inspector: which file, layer and direction, and what input runs through it. */
export interface InspectControls {
  /** The checkpoint's URI (the host reads it again when a reloaded window revives the panel). */
  file: string;
  /** Index into the checkpoint's recurrent layers (each direction is one). */
  layer: number;
  /** A plain RNN's nonlinearity, which a state_dict does not record. */
  activation: 'tanh' | 'relu';
  /** A generated input, or the .npy the user picked (not kept across reloads: noise then). */
  input: 'noise' | 'sine' | 'square' | 'npy';
  T: number;
  seed: number;
}

/** The CTC demo: the target word (a–z, 1 to 12 letters) and the training seed. */
export interface CtcControls {
  word: string;
  seed: number;
}

/** The bidirectional demo: the training seed. */
export interface BidirectionalControls {
  seed: number;
}

/** The seq2seq attention demo: the training seed. */
export interface Seq2seqControls {
  seed: number;
}

/** The training playground's models: tanh RNN, IRNN (relu, identity init), LSTM, GRU. */
export const TRAIN_MODELS = ['rnn', 'irnn', 'lstm', 'gru'] as const;
export type TrainModelKey = (typeof TRAIN_MODELS)[number];

/**
 * What trains interactively (several models, every frame): the CodeLens caps a layer's hidden size
 * to H, the host sends at most `text` characters of the editor.
 */
export const TRAIN_LIMITS = { H: 64, delay: 100, length: 8, symbols: 32, T: 100, batch: 64, text: 20_000 } as const;

export interface TrainControls {
  task: 'recall' | 'adding' | 'text';
  /** recall: blank steps between the symbols and the cue, how many symbols out of how many. */
  delay: number;
  symbols: number;
  length: number;
  /** adding and text: the sequence (window) length. */
  T: number;
  /** text: the active editor (selection or whole file) or the cards' text. */
  textSource: 'editor' | 'cards';
  models: TrainModelKey[];
  H: number;
  batch: number;
  optimizer: 'adam' | 'sgd';
  lr: number;
  /** Global-norm clipping threshold; 0 = off. */
  clip: number;
  /** Truncation window; 0 = full BPTT. */
  truncate: number;
  init: LabInit;
  spectralRadius: number;
  forgetBias: number;
  seed: number;
  /** Sampling temperature of the text samples. */
  temperature: number;
  /** Training runs (play) or is paused. */
  running: boolean;
}

/** What a window reload keeps of a run: its step and the curves so far (thinned to TRAIN_HISTORY points). */
export interface TrainProgress {
  step: number;
  /** One point per recorded step: the step, then per model (in `models` order) loss and accuracy. */
  points: { step: number; loss: (number | null)[]; accuracy: (number | null)[] }[];
}
export const TRAIN_HISTORY = 400;

export const LAB_DEFAULTS: {
  'lstm-forward': ForwardControls; bptt: BpttControls; train: TrainControls; inspect: InspectControls;
  ctc: CtcControls; bidirectional: BidirectionalControls; seq2seq: Seq2seqControls;
} = {
  'lstm-forward': { preset: 'sine', word: 'hello', D: 4, H: 16, T: 48, seed: 1, forgetBias: 1, init: 'xavier', step: 0, unit: 0 },
  bptt: { T: 64, D: 8, H: 32, seed: 1, spectralRadius: 1, init: 'gaussian', truncate: 0, clip: 0, forgetBias: 1, loss: 'last' },
  train: {
    task: 'adding', delay: 20, symbols: 8, length: 1, T: 30, textSource: 'cards', models: ['rnn', 'irnn', 'lstm', 'gru'],
    H: 32, batch: 16, optimizer: 'adam', lr: 0.01, clip: 1, truncate: 0, init: 'xavier', spectralRadius: 1, forgetBias: 1,
    seed: 1, temperature: 0.8, running: true,
  },
  inspect: { file: '', layer: 0, activation: 'tanh', input: 'noise', T: 64, seed: 1 },
  ctc: { word: 'hello', seed: 1 },
  bidirectional: { seed: 1 },
  seq2seq: { seed: 1 },
};

/** How one constructor argument was read by the CodeLens (src/lab/modelArgs.ts). */
export interface ModelArgReading {
  param: string;
  /** The argument's source text. */
  text: string;
  status: 'literal' | 'resolved' | 'unreadable';
  value?: number;
  /** For `resolved`: where the name's value came from. */
  via?: string;
}

/** The user's layer as the CodeLens read it, already capped to LAB_LIMITS. */
export interface LabModelConfig {
  callee: string;
  framework: 'pytorch' | 'keras' | 'tfjs';
  cell: 'lstm' | 'gru' | 'rnn';
  demo: DemoId;
  /** 0-based line of the constructor in its file. */
  line: number;
  file?: string;
  inputSize: number;
  hiddenSize: number;
  steps?: number;
  numLayers: number;
  bidirectional: boolean;
  activation?: 'tanh' | 'relu';
  readings: ModelArgReading[];
  /** Size parameters the call does not give at all. */
  missing: string[];
  capped: { param: string; from: number; to: number }[];
}

export interface LabViewState {
  demo: LabDemoId;
  forward: ForwardControls;
  bptt: BpttControls;
  train: TrainControls;
  trainProgress?: TrainProgress;
  /** Absent in states saved before these demos existed: the defaults apply. */
  ctc?: CtcControls;
  bidirectional?: BidirectionalControls;
  seq2seq?: Seq2seqControls;
  /** The model the CodeLens opened the lab with (kept across reloads). */
  model?: LabModelConfig;
  inspect?: InspectControls;
}

export interface LabCardLink {
  id: string;
  question: string;
}

/**
 * One recurrent layer and direction of a checkpoint, in the engine's layout (see
 * webview/kernels/checkpoint): W, b and bh as base64 of little-endian float32. A layer larger
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

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const real = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));

export const forwardControlsSchema = v.strictObject({
  cell: v.optional(v.picklist(['lstm', 'gru', 'rnn'] as const)),
  preset: v.picklist(['sine', 'square', 'noise', 'copy', 'word'] as const),
  word: v.pipe(v.string(), v.maxLength(LAB_LIMITS.T)),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  T: int(1, LAB_LIMITS.T),
  seed: int(0, 2 ** 31 - 1),
  forgetBias: real(-10, 10),
  init: v.picklist(['gaussian', 'orthogonal', 'identity', 'xavier'] as const),
  step: int(0, LAB_LIMITS.T - 1),
  unit: int(0, LAB_LIMITS.H - 1),
});

export const bpttControlsSchema = v.strictObject({
  T: int(2, LAB_LIMITS.T),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  seed: int(0, 2 ** 31 - 1),
  spectralRadius: real(0, 4),
  init: v.picklist(['gaussian', 'orthogonal', 'identity'] as const),
  truncate: int(0, LAB_LIMITS.T),
  clip: real(0, 1e6),
  forgetBias: real(-10, 10),
  loss: v.picklist(['last', 'every'] as const),
});

export const trainControlsSchema = v.strictObject({
  task: v.picklist(['recall', 'adding', 'text'] as const),
  delay: int(1, TRAIN_LIMITS.delay),
  symbols: int(2, TRAIN_LIMITS.symbols),
  length: int(1, TRAIN_LIMITS.length),
  T: int(2, TRAIN_LIMITS.T),
  textSource: v.picklist(['editor', 'cards'] as const),
  models: v.pipe(v.array(v.picklist(TRAIN_MODELS)), v.maxLength(TRAIN_MODELS.length)),
  H: int(1, TRAIN_LIMITS.H),
  batch: int(1, TRAIN_LIMITS.batch),
  optimizer: v.picklist(['adam', 'sgd'] as const),
  lr: real(1e-5, 10),
  clip: real(0, 1e6),
  truncate: int(0, TRAIN_LIMITS.T + TRAIN_LIMITS.delay + 2 * TRAIN_LIMITS.length + 1),
  init: v.picklist(['gaussian', 'orthogonal', 'identity', 'xavier'] as const),
  spectralRadius: real(0, 4),
  forgetBias: real(-10, 10),
  seed: int(0, 2 ** 31 - 1),
  temperature: real(0.05, 5),
  running: v.boolean(),
});

const metric = v.nullable(v.pipe(v.number(), v.finite()));
export const trainProgressSchema = v.strictObject({
  step: int(0, Number.MAX_SAFE_INTEGER),
  points: v.pipe(v.array(v.strictObject({
    step: int(0, Number.MAX_SAFE_INTEGER),
    loss: v.pipe(v.array(metric), v.maxLength(TRAIN_MODELS.length)),
    accuracy: v.pipe(v.array(metric), v.maxLength(TRAIN_MODELS.length)),
  })), v.maxLength(TRAIN_HISTORY)),
});

export const ctcControlsSchema = v.strictObject({
  word: v.pipe(v.string(), v.regex(/^[a-z]{1,12}$/)),
  seed: int(0, 2 ** 31 - 1),
});

export const bidirectionalControlsSchema = v.strictObject({ seed: int(0, 2 ** 31 - 1) });
export const seq2seqControlsSchema = v.strictObject({ seed: int(0, 2 ** 31 - 1) });

const shortText = v.pipe(v.string(), v.maxLength(400));

export const labModelConfigSchema = v.strictObject({
  callee: v.pipe(v.string(), v.maxLength(100)),
  framework: v.picklist(['pytorch', 'keras', 'tfjs'] as const),
  cell: v.picklist(['lstm', 'gru', 'rnn'] as const),
  demo: v.picklist(DEMOS),
  line: int(0, 10_000_000),
  file: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  inputSize: int(1, LAB_LIMITS.D),
  hiddenSize: int(1, LAB_LIMITS.H),
  steps: v.optional(int(1, LAB_LIMITS.T)),
  numLayers: int(1, 1000),
  bidirectional: v.boolean(),
  activation: v.optional(v.picklist(['tanh', 'relu'] as const)),
  readings: v.pipe(v.array(v.strictObject({
    param: shortText,
    text: shortText,
    status: v.picklist(['literal', 'resolved', 'unreadable'] as const),
    value: v.optional(v.pipe(v.number(), v.finite())),
    via: v.optional(shortText),
  })), v.maxLength(50)),
  missing: v.pipe(v.array(shortText), v.maxLength(20)),
  capped: v.pipe(v.array(v.strictObject({ param: shortText, from: v.number(), to: v.number() })), v.maxLength(20)),
});

export const inspectControlsSchema = v.strictObject({
  file: v.pipe(v.string(), v.maxLength(4000)),
  layer: int(0, 100_000),
  activation: v.picklist(['tanh', 'relu'] as const),
  input: v.picklist(['noise', 'sine', 'square', 'npy'] as const),
  T: int(2, LAB_LIMITS.T),
  seed: int(0, 2 ** 31 - 1),
});

export const labViewStateSchema = v.strictObject({
  demo: v.picklist(LAB_DEMOS),
  forward: forwardControlsSchema,
  bptt: bpttControlsSchema,
  // A state saved before the playground existed has no `train`: it gets the defaults.
  train: v.optional(trainControlsSchema, () => ({ ...LAB_DEFAULTS.train, models: [...LAB_DEFAULTS.train.models] })),
  trainProgress: v.optional(trainProgressSchema),
  ctc: v.optional(ctcControlsSchema),
  bidirectional: v.optional(bidirectionalControlsSchema),
  seq2seq: v.optional(seq2seqControlsSchema),
  model: v.optional(labModelConfigSchema),
  inspect: v.optional(inspectControlsSchema),
});

export const labViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('stateChanged'), state: labViewStateSchema }),
  /** A card in the demo's "cards" list was clicked: the host runs Command.openCard. */
  v.strictObject({ type: v.literal('showCard'), cardId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
  /** The playground wants text to train on: the active editor's selection or file, or the cards. */
  v.strictObject({ type: v.literal('requestText'), source: v.picklist(['editor', 'cards'] as const) }),
  /** The inspector asks for a .npy input of shape (T, D) from the workspace. */
  v.strictObject({ type: v.literal('pickNpy'), D: int(1, 100_000) }),
  /** Something failed in the view (a kernel, WebGL); the host logs it to the output channel. */
  v.strictObject({ type: v.literal('error'), message: v.pipe(v.string(), v.maxLength(4000)) }),
]);

export type LabViewMessage = v.InferOutput<typeof labViewMessageSchema>;


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
