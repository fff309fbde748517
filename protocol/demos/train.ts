// The training playground: its controls and their defaults, what it lets a user choose, and
// what a window reload keeps of a run.
import * as v from 'valibot';
import { INIT_SCHEMES, OPTIMIZERS } from '../../engine/types';
import { int, real, seed } from '../labLimits';
import { CSV_LIMITS } from '../csv';

/** The training playground's tasks, and where its text task's text comes from. */
export const TRAIN_TASKS = ['recall', 'adding', 'text', 'series'] as const;
export const TEXT_SOURCES = ['editor', 'cards'] as const;

/** The training playground's models: tanh RNN, IRNN (relu, identity init), LSTM, GRU. */
export const TRAIN_MODELS = ['rnn', 'irnn', 'lstm', 'gru'] as const;
export type TrainModelKey = (typeof TRAIN_MODELS)[number];

/**
 * What the playground lets a user choose, so that several models train interactively (every
 * frame): the CodeLens caps a layer's hidden size to H, the host sends at most `text` characters
 * of the editor. The trainer's own bounds (LIMITS in engine/train/config.ts) are wider; they are
 * what createTrainer accepts.
 */
export const PLAYGROUND_LIMITS = { H: 64, delay: 100, length: 8, symbols: 32, T: 100, batch: 64, text: 20_000 } as const;
/** Most points a run's curves keep across a window reload (TrainProgress). */
export const TRAIN_HISTORY = 400;

export const trainControlsSchema = v.strictObject({
  task: v.picklist(TRAIN_TASKS),
  /** recall: blank steps between the symbols and the cue, how many symbols out of how many. */
  delay: int(1, PLAYGROUND_LIMITS.delay),
  symbols: int(2, PLAYGROUND_LIMITS.symbols),
  length: int(1, PLAYGROUND_LIMITS.length),
  /** adding and text: the sequence (window) length. */
  T: int(2, PLAYGROUND_LIMITS.T),
  /** text: the active editor (selection or whole file) or the cards' text. */
  textSource: v.picklist(TEXT_SOURCES),
  models: v.pipe(v.array(v.picklist(TRAIN_MODELS)), v.maxLength(TRAIN_MODELS.length)),
  H: int(1, PLAYGROUND_LIMITS.H),
  batch: int(1, PLAYGROUND_LIMITS.batch),
  optimizer: v.picklist(OPTIMIZERS),
  lr: real(1e-5, 10),
  /** Global-norm clipping threshold; 0 = off. */
  clip: real(0, 1e6),
  /** Truncation window; 0 = full BPTT. */
  truncate: int(0, PLAYGROUND_LIMITS.T + PLAYGROUND_LIMITS.delay + 2 * PLAYGROUND_LIMITS.length + 1),
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

export const DEFAULT_TRAIN_CONTROLS: TrainControls = {
  task: 'adding', delay: 20, symbols: 8, length: 1, T: 30, textSource: 'cards', models: [...TRAIN_MODELS],
  H: 32, batch: 16, optimizer: 'adam', lr: 0.01, clip: 1, truncate: 0, init: 'xavier', spectralRadius: 1, forgetBias: 1,
  seed: 1, temperature: 0.8, running: true,
};

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

/** Where the series task's numbers come from: pasted into the playground, or a CSV file's column. */
export const SERIES_SOURCES = ['paste', 'csv'] as const;

const finite = v.pipe(v.number(), v.finite());
const columnName = v.pipe(v.string(), v.maxLength(CSV_LIMITS.cell));
const count = int(0, Number.MAX_SAFE_INTEGER);
/** A CSV file's numeric columns as the host read them (protocol/csv.ts), at most CSV_LIMITS.values numbers in all. */
export const seriesCsvSchema = v.pipe(v.strictObject({
  /** The file's name, for display (escaped where shown). */
  file: v.pipe(v.string(), v.maxLength(300)),
  rows: count,
  header: v.boolean(),
  textColumns: count,
  capped: v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(8)),
  columns: v.pipe(v.array(v.strictObject({
    name: columnName,
    values: v.pipe(v.array(finite), v.maxLength(CSV_LIMITS.values)),
    ignored: count,
    empty: count,
  })), v.minLength(1), v.maxLength(CSV_LIMITS.numericColumns)),
}), v.check((c) => c.columns.reduce((s, col) => s + col.values.length, 0) <= CSV_LIMITS.values, `at most ${CSV_LIMITS.values} values in all`));
export type SeriesCsv = v.InferOutput<typeof seriesCsvSchema>;

/**
 * The series task's data, kept in the lab's state so that a window reload trains on the same
 * numbers without asking again: the pasted text (at most CSV_LIMITS.pasted characters) and the
 * CSV file's numeric columns with the chosen one.
 */
export const trainSeriesSchema = v.strictObject({
  source: v.picklist(SERIES_SOURCES),
  pasted: v.pipe(v.string(), v.maxLength(CSV_LIMITS.pasted)),
  csv: v.nullable(seriesCsvSchema),
  column: int(0, CSV_LIMITS.numericColumns - 1),
});
export type TrainSeries = v.InferOutput<typeof trainSeriesSchema>;

export const DEFAULT_TRAIN_SERIES: TrainSeries = { source: 'paste', pasted: '', csv: null, column: 0 };

/**
 * "Train this layer": the checkpoint layer the playground trains, as the lab's state keeps it
 * (its weights would outgrow the saved state): the checkpoint's URI, the layer's index among the
 * inspector's layers, and the headline's label. After a window reload the host offers to read
 * the file again (a checkpoint in the workspace) and sends the layer (`trainLayer`).
 */
export const trainLayerRefSchema = v.strictObject({
  file: v.pipe(v.string(), v.minLength(1), v.maxLength(4000)),
  index: int(0, 100_000),
  label: v.pipe(v.string(), v.maxLength(400)),
});
export type TrainLayerRef = v.InferOutput<typeof trainLayerRefSchema>;
