// The lab feature's wiring: the panel's serializer, the demo commands, "Visualize this LSTM",
// and "Inspect Recurrent Layers" (a checkpoint's layers in the lab's inspector).
import * as vscode from 'vscode';
import { Command, WebviewPanelType } from '../constants';
import type { DeckService } from '../deckService';
import { DEMOS } from '../deck/card';
import { DisposableStore } from '../dispose';
import { DEMO_TITLES, LAB_DEFAULTS, labModelConfigSchema, parseMessage, type LabDemoId, type LabModelConfig, type LabViewState } from '../protocol';
import { withCardSetting } from './cardSettings';
import { CheckpointCodeLensProvider } from './checkpointLens';
import { CODELENS_SELECTOR, ModelCodeLensProvider } from './codeLens';
import { InspectError, checkpointArg, loadCheckpoint, pickCheckpoint } from './inspect';
import { LabPanel, defaultLabState } from './labPanel';
import { trainStateForModel } from './trainModel';

const isDemo = (d: unknown): d is Exclude<LabDemoId, 'inspect'> => typeof d === 'string' && (DEMOS as readonly string[]).includes(d);

/** Command.openDemo's argument: `{ demo, cardId? }` (hover, quiz) or the demo id alone. */
function demoArg(arg: unknown): Exclude<LabDemoId, 'inspect'> | undefined {
  if (isDemo(arg)) return arg;
  if (arg && typeof arg === 'object' && isDemo((arg as { demo?: unknown }).demo)) return (arg as { demo: Exclude<LabDemoId, 'inspect'> }).demo;
  return undefined;
}

function cardArg(arg: unknown): string | undefined {
  const id = arg && typeof arg === 'object' ? (arg as { cardId?: unknown }).cardId : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The open panel's controls (or the defaults) showing `demo`; the CodeLens model is dropped. */
function stateFor(demo: LabDemoId): LabViewState {
  const base = LabPanel.currentState() ?? defaultLabState(demo);
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

export function register(context: vscode.ExtensionContext, decks: DeckService): vscode.Disposable {
  const store = new DisposableStore();
  const uri = context.extensionUri;
  const open = (state: LabViewState) => LabPanel.createOrShow(uri, decks, state);

  /** Reads the checkpoint (a notification with progress) and shows it in `panel`, or says why not. */
  const showCheckpoint = async (file: vscode.Uri, panel: () => LabPanel | undefined, layer = 0) => {
    try {
      const msg = await loadCheckpoint(file);
      const target = panel();
      if (!msg || !target) return;
      const base = LabPanel.currentState() ?? defaultLabState('inspect');
      const previous = base.inspect ?? LAB_DEFAULTS.inspect;
      const sameFile = previous.file === msg.file;
      target.show({
        ...base, demo: 'inspect', model: undefined,
        inspect: { ...previous, file: msg.file, layer: sameFile && layer < msg.layers.length ? layer : 0, input: previous.input === 'npy' ? 'noise' : previous.input },
      });
      target.setCheckpoint(msg);
    } catch (err) {
      const text = err instanceof InspectError ? err.message : `RNN Lens cannot inspect this file: ${err instanceof Error ? err.message : String(err)}`;
      decks.output.appendLine(text);
      void vscode.window.showErrorMessage(text);
      // A panel already on the inspector (a revived one) shows why, rather than "Reading…".
      const target = panel();
      if (target && LabPanel.currentState()?.demo === 'inspect') target.checkpointFailed(text);
    }
  };

  store.add(vscode.window.registerWebviewPanelSerializer(WebviewPanelType.lab, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      const revived = LabPanel.revive(panel, uri, decks, saved);
      // The view keeps its controls; the checkpoint's weights are read again from the file.
      const inspect = LabPanel.currentState()?.inspect;
      if (LabPanel.currentState()?.demo === 'inspect' && inspect?.file) {
        const file = checkpointArg({ uri: inspect.file });
        if (file) void showCheckpoint(file, () => (LabPanel.currentPanel() === revived ? revived : undefined), inspect.layer);
      }
    },
  }));

  store.add(vscode.commands.registerCommand(Command.inspectCheckpoint, async (arg?: unknown) => {
    // From the explorer (a Uri), the CodeLens ({ uri }) or the palette (nothing: ask).
    const file = arg === undefined ? await pickCheckpoint() : checkpointArg(arg);
    if (!file) {
      if (arg !== undefined) void vscode.window.showWarningMessage('RNN Lens: "Inspect Recurrent Layers" needs a checkpoint file (.pt, .pth, .safetensors or .npz).');
      return;
    }
    const base = LabPanel.currentState() ?? defaultLabState('inspect');
    await showCheckpoint(file, () => open({ ...base, demo: 'inspect', model: undefined, inspect: { ...(base.inspect ?? LAB_DEFAULTS.inspect), file: file.toString() } }));
  }));

  store.add(vscode.commands.registerCommand(Command.demoLstmForward, () => open(stateFor('lstm-forward'))));
  store.add(vscode.commands.registerCommand(Command.demoBptt, () => open(stateFor('bptt'))));
  store.add(vscode.commands.registerCommand(Command.demoTrain, () => open(stateFor('train'))));
  store.add(vscode.commands.registerCommand(Command.demoCtc, () => open(stateFor('ctc'))));
  store.add(vscode.commands.registerCommand(Command.demoBidirectional, () => open(stateFor('bidirectional'))));
  store.add(vscode.commands.registerCommand(Command.demoRnnVsAttention, () => open(stateFor('rnn-vs-attention'))));
  store.add(vscode.commands.registerCommand(Command.demoSeq2seq, () => open(stateFor('seq2seq'))));
  store.add(vscode.commands.registerCommand(Command.openDemo, async (arg?: unknown) => {
    let demo = demoArg(arg);
    if (!demo && arg !== undefined) {
      void vscode.window.showWarningMessage(`RNN Lens: there is no demo ${JSON.stringify(arg)}. Demos: ${DEMOS.join(', ')}.`);
      return;
    }
    if (!demo) {
      const picked = await vscode.window.showQuickPick(
        DEMOS.map((d) => ({ label: DEMO_TITLES[d], description: d, demo: d })),
        { placeHolder: 'Open an RNN Lens demo' },
      );
      demo = picked?.demo;
    }
    if (demo) open(withCardSetting(stateFor(demo), cardArg(arg)));
  }));
  store.add(vscode.commands.registerCommand(Command.visualizeModel, (arg?: unknown) => {
    // Commands can be run with any argument (a keybinding, another extension): check it.
    const parsed = parseMessage(labModelConfigSchema, arg);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage('RNN Lens: "Visualize" needs a recurrent layer; use the CodeLens above nn.LSTM(...) and similar constructors.');
      return;
    }
    const model = parsed.msg;
    open(stateForModel(model, LabPanel.currentState() ?? defaultLabState(model.demo)));
  }));

  store.add(vscode.commands.registerCommand(Command.trainModel, (arg?: unknown) => {
    const parsed = parseMessage(labModelConfigSchema, arg);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage('RNN Lens: "Train this in the lab" needs a recurrent layer; use the CodeLens above nn.LSTM(...) and similar constructors.');
      return;
    }
    open(trainStateForModel(parsed.msg, LabPanel.currentState() ?? defaultLabState('train')));
  }));

  const lenses = store.add(new ModelCodeLensProvider());
  store.add(vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, lenses));
  const checkpointLenses = store.add(new CheckpointCodeLensProvider());
  store.add(vscode.languages.registerCodeLensProvider({ language: 'python' }, checkpointLenses));
  store.add({ dispose: () => LabPanel.disposeCurrent() });
  return store;
}
