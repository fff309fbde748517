// The lab states the commands open, and their arguments read: pure (no vscode) so that it is
// unit-tested. A command may be run with any argument (a keybinding, another extension), so each
// reader takes unknown and returns undefined for what it does not recognise.
import { DEMOS } from '../deck/card';
import { LAB_DEFAULTS, type LabDemoId, type LabModelConfig, type LabViewState } from '../protocol';

/** The lab's controls at their defaults, showing `demo`. */
export function defaultLabState(demo: LabDemoId): LabViewState {
  const train = LAB_DEFAULTS.train;
  return {
    demo, forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...train, models: [...train.models] },
    ctc: { ...LAB_DEFAULTS.ctc }, bidirectional: { ...LAB_DEFAULTS.bidirectional }, seq2seq: { ...LAB_DEFAULTS.seq2seq },
  };
}

const isDemo = (d: unknown): d is Exclude<LabDemoId, 'inspect'> => typeof d === 'string' && (DEMOS as readonly string[]).includes(d);

/** Command.openDemo's argument: `{ demo, cardId? }` (hover, quiz) or the demo id alone. */
export function demoArg(arg: unknown): Exclude<LabDemoId, 'inspect'> | undefined {
  if (isDemo(arg)) return arg;
  if (arg && typeof arg === 'object' && isDemo((arg as { demo?: unknown }).demo)) return (arg as { demo: Exclude<LabDemoId, 'inspect'> }).demo;
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
