// The lab feature's wiring: the panel's serializer, the demo commands, "Visualize this LSTM".
import * as vscode from 'vscode';
import { Command, WebviewPanelType } from '../constants';
import type { DeckService } from '../deckService';
import { DEMOS } from '../deck/card';
import { DisposableStore } from '../dispose';
import { labModelConfigSchema, parseMessage, type LabDemoId, type LabModelConfig, type LabViewState } from '../protocol';
import { withCardSetting } from './cardSettings';
import { CODELENS_SELECTOR, ModelCodeLensProvider } from './codeLens';
import { DEMO_TITLES, LabPanel, defaultLabState } from './labPanel';
import { trainStateForModel } from './trainModel';

const isDemo = (d: unknown): d is LabDemoId => typeof d === 'string' && (DEMOS as readonly string[]).includes(d);

/** Command.openDemo's argument: `{ demo, cardId? }` (hover, quiz) or the demo id alone. */
function demoArg(arg: unknown): LabDemoId | undefined {
  if (isDemo(arg)) return arg;
  if (arg && typeof arg === 'object' && isDemo((arg as { demo?: unknown }).demo)) return (arg as { demo: LabDemoId }).demo;
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

  store.add(vscode.window.registerWebviewPanelSerializer(WebviewPanelType.lab, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      LabPanel.revive(panel, uri, decks, saved);
    },
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
  store.add({ dispose: () => LabPanel.disposeCurrent() });
  return store;
}
