// The lab panel shows one demo at a time. The host sends `show` (the demo, its controls, the
// user's model when the CodeLens opened it, and the cards the demo illustrates); the view sends
// its controls back on every change (`stateChanged`), which the host keeps for the serializer.
// Each control's type is its schema's output: the schema is the one declaration of its values.
// Each demo's controls, defaults and lists live in demos/<id>.ts; this file puts them together.
import * as v from 'valibot';
import type { CheckpointDiff } from '../engine/summaries/diff';
import { BACKEND_SETTINGS, type BackendSetting } from '../engine/backends/registry';
import { CELLS, RNN_ACTIVATIONS } from '../engine/types';
import { bidirectionalControlsSchema, DEFAULT_BIDIRECTIONAL_CONTROLS, type BidirectionalControls } from './demos/bidirectional';
import { bpttControlsSchema, DEFAULT_BPTT_CONTROLS, type BpttControls } from './demos/bptt';
import { ctcControlsSchema, DEFAULT_CTC_CONTROLS, type CtcControls } from './demos/ctc';
import { DEFAULT_INSPECT_CONTROLS, inspectControlsSchema, type InspectControls, type InspectLayerData } from './demos/inspect';
import { DEFAULT_FORWARD_CONTROLS, FORWARD_CELL_NAMES, forwardControlsSchema, type ForwardControls } from './demos/lstm-forward';
import { DEFAULT_SEQ2SEQ_CONTROLS, seq2seqControlsSchema, type Seq2seqControls } from './demos/seq2seq';
import {
  DEFAULT_TRAIN_CONTROLS, TEXT_SOURCES, trainControlsSchema, trainLayerRefSchema, trainProgressSchema, trainSeriesSchema, type SeriesCsv, type TrainControls,
} from './demos/train';
import { charControlsSchema, charExportSchema, DEFAULT_CHAR_CONTROLS, type CharControls } from './demos/char';
import { LAB_LIMITS, int } from './labLimits';

export { LAB_LIMITS };

/**
 * Every view of the lab, declared once, in the order the picker lists them: its title (the
 * panel's tab "RNN Lab: …", the view's heading, the picker) and the command that opens it. The
 * demos open on `rnnLens.demo.<name>`; the checkpoint inspector opens on a file.
 */
export const LAB_VIEWS = {
  'lstm-forward': { title: 'LSTM Forward Pass', command: 'rnnLens.demo.lstmForward' },
  bptt: { title: 'Backpropagation Through Time', command: 'rnnLens.demo.bptt' },
  train: { title: 'Training Playground', command: 'rnnLens.demo.train' },
  ctc: { title: 'CTC Alignment', command: 'rnnLens.demo.ctc' },
  bidirectional: { title: 'Bidirectional RNN', command: 'rnnLens.demo.bidirectional' },
  'rnn-vs-attention': { title: 'RNN vs Attention', command: 'rnnLens.demo.rnnVsAttention' },
  seq2seq: { title: 'Attention in Seq2seq', command: 'rnnLens.demo.seq2seq' },
  inspect: { title: 'Inspect Recurrent Layers', command: 'rnnLens.inspectCheckpoint' },
  char: { title: 'Character Model', command: 'rnnLens.trainOnFile' },
} as const satisfies Record<string, { title: string; command: string }>;

/** The lab's views: the demos a card may name, and the checkpoint inspector (opened on a file). */
export type LabDemoId = keyof typeof LAB_VIEWS;
export const LAB_DEMOS = Object.keys(LAB_VIEWS) as LabDemoId[];

/** The views that open on a file (a checkpoint, the editor's text) rather than on a demo command. */
export type FileViewId = 'inspect' | 'char';
/** Demo ids a card's `demo` may name: every view but those that open on a file. */
export type DemoId = Exclude<LabDemoId, FileViewId>;
export const DEMOS: readonly DemoId[] = LAB_DEMOS.filter((d): d is DemoId => d !== 'inspect' && d !== 'char');

/** Each view's title. */
export const DEMO_TITLES: Readonly<Record<LabDemoId, string>> = Object.fromEntries(
  LAB_DEMOS.map((d) => [d, LAB_VIEWS[d].title]),
) as Record<LabDemoId, string>;

/** The view's heading: the demo's title, the forward demo's naming the cell it runs. */
export function viewTitle(state: Pick<LabViewState, 'demo' | 'forward'>): string {
  return state.demo === 'lstm-forward' ? `${FORWARD_CELL_NAMES[state.forward.cell ?? 'lstm']} Forward Pass` : DEMO_TITLES[state.demo];
}

/** The lab panel's title (its tab, and the view's document title) while it shows `state`. */
export function labTitle(state: Pick<LabViewState, 'demo' | 'forward'>): string {
  return `RNN Lab: ${viewTitle(state)}`;
}

/** The `rnnLens.lab.backend` setting's values: `auto` (the chooser decides), or a backend by the name the lab's corner shows. */
export const LAB_BACKEND_SETTINGS: readonly LabBackendSetting[] = ['auto', ...BACKEND_SETTINGS];
export type LabBackendSetting = 'auto' | BackendSetting;

/** The frameworks whose constructors the CodeLens reads. */
export const FRAMEWORKS = ['pytorch', 'keras', 'tfjs'] as const;

const shortText = v.pipe(v.string(), v.maxLength(400));

/** How one constructor argument was read by the CodeLens (src/lab/modelArgs/args.ts). */
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

export const LAB_DEFAULTS: {
  'lstm-forward': ForwardControls; bptt: BpttControls; train: TrainControls; inspect: InspectControls;
  ctc: CtcControls; bidirectional: BidirectionalControls; seq2seq: Seq2seqControls; char: CharControls;
} = {
  'lstm-forward': DEFAULT_FORWARD_CONTROLS,
  bptt: DEFAULT_BPTT_CONTROLS,
  train: DEFAULT_TRAIN_CONTROLS,
  inspect: DEFAULT_INSPECT_CONTROLS,
  ctc: DEFAULT_CTC_CONTROLS,
  bidirectional: DEFAULT_BIDIRECTIONAL_CONTROLS,
  seq2seq: DEFAULT_SEQ2SEQ_CONTROLS,
  char: DEFAULT_CHAR_CONTROLS,
};

export const labViewStateSchema = v.strictObject({
  demo: v.picklist(LAB_DEMOS),
  forward: forwardControlsSchema,
  bptt: bpttControlsSchema,
  // A state saved before the playground existed has no `train`: it gets the defaults.
  train: v.optional(trainControlsSchema, () => ({ ...LAB_DEFAULTS.train, models: [...LAB_DEFAULTS.train.models] })),
  trainProgress: v.optional(trainProgressSchema),
  /** The playground's series task's numbers (absent until it is first used). */
  trainSeries: v.optional(trainSeriesSchema),
  /** The checkpoint layer the playground trains ("Train this layer"), absent when it trains its own models. */
  trainLayer: v.optional(trainLayerRefSchema),
  /** Absent in states saved before these demos existed: the defaults apply. */
  ctc: v.optional(ctcControlsSchema),
  bidirectional: v.optional(bidirectionalControlsSchema),
  seq2seq: v.optional(seq2seqControlsSchema),
  /** The model the CodeLens opened the lab with (kept across reloads). */
  model: v.optional(labModelConfigSchema),
  inspect: v.optional(inspectControlsSchema),
  /** The character model's controls; absent in states saved before it existed. */
  char: v.optional(charControlsSchema),
});
export type LabViewState = v.InferOutput<typeof labViewStateSchema>;

export const labViewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('stateChanged'), state: labViewStateSchema }),
  /** A card in the demo's "cards" list was clicked: the host runs Command.openCard. */
  v.strictObject({ type: v.literal('showCard'), cardId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) }),
  /** The playground wants text to train on: the active editor's selection or file, or the cards. */
  v.strictObject({ type: v.literal('requestText'), source: v.picklist(TEXT_SOURCES) }),
  /** The playground's series task wants a CSV file: the host asks for one, reads it and answers `csv` or `csvError`. */
  v.strictObject({ type: v.literal('pickCsv') }),
  /** The inspector's "Compare with…": the host asks for a second checkpoint and compares. */
  v.strictObject({ type: v.literal('compareCheckpoint') }),
  /** The inspector asks for a .npy input of shape (T, D) from the workspace. */
  v.strictObject({ type: v.literal('pickNpy'), D: int(1, 100_000) }),
  /** The character model wants its text again (a reloaded view): the host answers with `charText`. */
  v.strictObject({ type: v.literal('requestCharText') }),
  /** The character model's "Export for PyTorch…". */
  charExportSchema,
  /** Something failed in the view (a kernel, WebGL); the host logs it to the output channel. */
  v.strictObject({ type: v.literal('error'), message: v.pipe(v.string(), v.maxLength(4000)) }),
]);

export type LabViewMessage = v.InferOutput<typeof labViewMessageSchema>;

export interface LabCardLink {
  id: string;
  question: string;
}

export type LabHostMessage =
  | { type: 'show'; state: LabViewState; cards: LabCardLink[]; notes: string[] }
  /** The text the playground trains on (answer to `requestText`), at most PLAYGROUND_LIMITS.text characters. */
  | { type: 'text'; source: TrainControls['textSource']; label: string; text: string }
  /** The checkpoint the inspector shows: its display name, its recurrent layers and the readers' warnings. */
  | { type: 'checkpoint'; file: string; name: string; layers: InspectLayerData[]; warnings: string[] }
  /** An input for the inspector from a .npy of shape (T, D): data is base64 float32; or why not. */
  | { type: 'npyInput'; name: string; T: number; D: number; data: string; note?: string }
  | { type: 'npyError'; text: string }
  /** The inspector's checkpoint could not be read (e.g. the file is gone after a reload): why, on one line. */
  | { type: 'checkpointError'; text: string }
  /** What changed from the inspector's checkpoint (A) to the one picked (B), layer by layer. */
  | { type: 'checkpointDiff'; name: string; file: string; diff: CheckpointDiff }
  | { type: 'checkpointDiffError'; text: string }
  /** The layer the playground trained before a window reload, read again (index among the checkpoint's layers). */
  | { type: 'trainLayer'; file: string; name: string; index: number; layer: InspectLayerData }
  /** That layer was not read again (not accepted, gone, changed): why, on one line. */
  | { type: 'trainLayerError'; text: string }
  /**
   * The character model's text (at most CHAR_LIMITS.text characters), where it came from, and
   * how many distinct characters it has; or, with `error`, why there is none.
   */
  | { type: 'charText'; label: string; text: string; file?: string; error?: string }
  /** How an export went, on one line (shown under the button). */
  | { type: 'charExported'; text: string; ok: boolean }
  /** The CSV file picked for the series task (answer to `pickCsv`), or why it could not be read (one line). */
  /** "Lab: Play or Pause" (a keybinding): the shown demo's play button, if it has one. */
  | { type: 'togglePlay' }
  | { type: 'csv'; csv: SeriesCsv }
  | { type: 'csvError'; text: string };
