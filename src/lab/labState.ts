// The lab states the commands open, and their arguments read: pure (no vscode) so that it is
// unit-tested. A command may be run with any argument (a keybinding, another extension), so each
// reader takes unknown and returns undefined for what it does not recognise.
import { DEMOS } from '../deck/card';
import { escapeNotification, oneLine } from '../deck/escape';
import { l10n } from '../l10n';
import { DEMO_TITLES, LAB_DEFAULTS, type DemoId, type LabDemoId, type LabModelConfig, type LabViewState, type TrainControls } from '../../protocol';

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

/** `path` is the saved URI's path (undefined when it did not parse); `inWorkspace` whether it lies in an open folder. */
export function revivedCheckpoint(state: LabViewState, path: string | undefined, inWorkspace: boolean): RevivedCheckpoint {
  if (state.demo !== 'inspect' || !state.inspect?.file) return { kind: 'none' };
  const name = path === undefined ? '' : oneLine(path.split('/').pop() ?? '').slice(0, 200);
  if (path === undefined || !name || !inWorkspace || !CHECKPOINT_FILE.test(name)) {
    return { kind: 'tell', text: l10n.t('The inspector does not read a checkpoint again by itself after a reload: run "RNN Lens: Inspect Recurrent Layers" to open a checkpoint.') };
  }
  return { kind: 'ask', name, text: l10n.t('{0} was not read again after the reload: accept "Reopen" in the notification, or run "RNN Lens: Inspect Recurrent Layers" to open a checkpoint.', name) };
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
