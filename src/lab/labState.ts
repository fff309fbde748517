// The lab states the commands open, and their arguments read: pure (no vscode) so that it is
// unit-tested. A command may be run with any argument (a keybinding, another extension), so each
// reader takes unknown and returns undefined for what it does not recognise.
import { DEMOS } from '../deck/card';
import { escapeNotification, oneLine } from '../deck/escape';
import { l10n } from '../l10n';
import {
  DEMO_TITLES, LAB_DEFAULTS, type DemoId, type LabDemoId, type LabHostMessage, type LabModelConfig, type LabViewState, type TrainControls,
} from '../../protocol';

type TextSource = TrainControls['textSource'];

/** The lab's controls at their defaults, showing `demo`. */
export function defaultLabState(demo: LabDemoId): LabViewState {
  const train = LAB_DEFAULTS.train;
  return {
    demo, forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...train, models: [...train.models] },
    ctc: { ...LAB_DEFAULTS.ctc }, bidirectional: { ...LAB_DEFAULTS.bidirectional }, seq2seq: { ...LAB_DEFAULTS.seq2seq },
  };
}

const isDemo = (d: unknown): d is DemoId => typeof d === 'string' && (DEMOS as readonly string[]).includes(d);

/** Command.openDemo's choices when it is run with no argument: every demo a card may name. */
export function demoPicks(): { label: string; description: string; demo: DemoId }[] {
  return DEMOS.map((d) => ({ label: DEMO_TITLES[d], description: d, demo: d }));
}

/** Command.openDemo's argument: `{ demo, cardId? }` (hover, quiz) or the demo id alone. */
export function demoArg(arg: unknown): DemoId | undefined {
  if (isDemo(arg)) return arg;
  if (arg && typeof arg === 'object' && isDemo((arg as { demo?: unknown }).demo)) return (arg as { demo: DemoId }).demo;
  return undefined;
}

/** Command.openDemo's card (`{ cardId }`), whose setting the demo opens at. */
export function cardArg(arg: unknown): string | undefined {
  const id = arg && typeof arg === 'object' ? (arg as { cardId?: unknown }).cardId : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** `base` (the open panel's controls, or the defaults) showing `demo`; the CodeLens model is dropped. */
export function demoState(base: LabViewState, demo: LabDemoId): LabViewState {
  return {
    demo, forward: base.forward, bptt: base.bptt, train: base.train, trainProgress: base.trainProgress,
    ...(base.inspect ? { inspect: base.inspect } : {}),
    ...(base.char ? { char: base.char } : {}),
    ctc: base.ctc, bidirectional: base.bidirectional, seq2seq: base.seq2seq,
  };
}

/** The lab on the user's layer: its sizes go into the demo the layer's cell belongs to. */
export function stateForModel(model: LabModelConfig, base: LabViewState): LabViewState {
  const state: LabViewState = { ...base, demo: model.demo, model };
  if (model.demo === 'lstm-forward') {
    const T = model.steps ?? base.forward.T;
    state.forward = {
      ...base.forward, D: model.inputSize, H: model.hiddenSize, T,
      step: Math.min(base.forward.step, T - 1), unit: Math.min(base.forward.unit, model.hiddenSize - 1),
    };
  } else {
    state.bptt = {
      ...base.bptt, D: model.inputSize, H: model.hiddenSize,
      T: model.steps !== undefined && model.steps >= 2 ? model.steps : base.bptt.T,
    };
  }
  return state;
}

/**
 * What a revived inspector does with the checkpoint its saved state names. The saved state is
 * the view's (a webview can write any URI into it), so it never makes the host read a file by
 * itself: a checkpoint file inside the workspace is offered again, to read once the user
 * accepts; anything else (outside the workspace, /etc/passwd, /dev/zero, not a checkpoint) only
 * gets a line in the view saying how to open a checkpoint again.
 */
export type RevivedCheckpoint =
  | { kind: 'none' }
  | { kind: 'ask'; name: string; text: string }
  | { kind: 'tell'; text: string };

const CHECKPOINT_FILE = /\.(?:pt|pth|safetensors|npz)$/i;

/** The saved checkpoint's file name when it may be offered again: a checkpoint file inside the workspace. */
function offeredName(path: string | undefined, inWorkspace: boolean): string | undefined {
  const name = path === undefined ? '' : oneLine(path.split('/').pop() ?? '').slice(0, 200);
  return path !== undefined && name && inWorkspace && CHECKPOINT_FILE.test(name) ? name : undefined;
}

/** `path` is the saved URI's path (undefined when it did not parse); `inWorkspace` whether it lies in an open folder. */
export function revivedCheckpoint(state: LabViewState, path: string | undefined, inWorkspace: boolean): RevivedCheckpoint {
  if (state.demo !== 'inspect' || !state.inspect?.file) return { kind: 'none' };
  const name = offeredName(path, inWorkspace);
  if (!name) return { kind: 'tell', text: l10n.t('The inspector does not read a checkpoint again by itself after a reload: run "RNN Lens: Inspect Recurrent Layers" to open a checkpoint.') };
  return { kind: 'ask', name, text: l10n.t('{0} was not read again after the reload: accept "Reopen" in the notification, or run "RNN Lens: Inspect Recurrent Layers" to open a checkpoint.', name) };
}

/** The same for the layer a revived playground trained ("Train this layer"); `text` is the line it shows when not read again. */
export function revivedTrainLayer(state: LabViewState, path: string | undefined, inWorkspace: boolean): RevivedCheckpoint {
  if (state.demo !== 'train' || !state.trainLayer) return { kind: 'none' };
  const name = offeredName(path, inWorkspace);
  if (!name) return { kind: 'tell', text: l10n.t('The checkpoint layer is not read again by itself after a reload: the playground trains its own models; the inspector\'s "Train this layer" brings the layer back.') };
  return { kind: 'ask', name, text: l10n.t('{0} was not read again after the reload: the playground trains its own models; the inspector\'s "Train this layer" brings the layer back.', name) };
}

type CheckpointMessage = Extract<LabHostMessage, { type: 'checkpoint' }>;

/**
 * What the host sends the playground for the layer its state names, from a checkpoint the host
 * holds (the inspector's, or one read again after a reload): the layer, or why it is not there;
 * nothing while the host holds no such file.
 */
export function trainLayerReply(state: LabViewState, held: readonly (CheckpointMessage | undefined)[]): LabHostMessage | undefined {
  const ref = state.trainLayer;
  if (state.demo !== 'train' || !ref) return undefined;
  const cp = held.find((c) => c?.file === ref.file);
  if (!cp) return undefined;
  const layer = cp.layers[ref.index];
  if (!layer) {
    return { type: 'trainLayerError', text: l10n.t('{0} has {1} recurrent layers now, not the one trained before: the playground trains its own models; the inspector\'s "Train this layer" brings the layer back.', oneLine(cp.name).slice(0, 200), cp.layers.length) };
  }
  return { type: 'trainLayer', file: cp.file, name: cp.name, index: ref.index, layer };
}

/**
 * The warning for an openDemo argument that names no demo. The argument comes from anyone who
 * can run a command (a keybinding, another extension, a link), so it is quoted only as
 * escaped text on one line, never as Markdown a notification could turn into a link.
 */
export function unknownDemoMessage(arg: unknown): string {
  return typeof arg === 'string'
    ? l10n.t('RNN Lens: there is no demo "{0}". Demos: {1}.', escapeNotification(arg, 40), DEMOS.join(', '))
    : l10n.t('RNN Lens: there is no demo. Demos: {0}.', DEMOS.join(', '));
}

/**
 * The text source the playground is owed (`owed` before) once the view moved from `prev` to
 * `next`. The view asks for text (requestText) when its text task starts, on a new source, or
 * when it (re)loads on one; the host answers a request only for the source owed, and once. Off
 * the text task nothing is owed: the editor's text never goes to a view that did not call for it.
 */
export function owedText(owed: TextSource | undefined, prev: LabViewState | undefined, next: LabViewState): TextSource | undefined {
  const onText = (s: LabViewState | undefined) => (s && s.demo === 'train' && s.train.task === 'text' ? s.train.textSource : undefined);
  const now = onText(next);
  if (now === undefined) return undefined;
  return onText(prev) !== now || owed === now ? now : undefined;
}
