// The lab feature's wiring: the panel's serializer, the demo commands, "Visualize this LSTM",
// and "Inspect Recurrent Layers" (a checkpoint's layers in the lab's inspector).
import * as vscode from 'vscode';
import { WebviewPanelType } from '../constants';
import type { DeckService } from '../deckService';
import { DisposableStore } from '../dispose';
import { escapeNotification } from '../deck/escape';
import { LAB_DEFAULTS, labModelConfigSchema, parseMessage, type DemoId, type LabDemoId, type LabViewState } from '../../protocol';
import { withCardSetting } from './cardSettings';
import { CheckpointCodeLensProvider } from './checkpointLens';
import { CODELENS_SELECTOR, ModelCodeLensProvider } from './codeLens';
import { CHECKPOINT_KINDS, InspectError, checkpointArg, loadCheckpoint, pickCheckpoint } from './inspect';
import { readCharText } from './charHost';
import { LabPanel } from './labPanel';
import type { TextEditorSource } from '../lastTextEditor';
import {
  cardArg, defaultLabState, demoArg, demoPicks, demoState, revivedCheckpoint, revivedTrainLayer, stateForModel, unknownDemoMessage,
} from './labState';
import { trainStateForModel } from './trainModel';

/** The open panel's controls (or the defaults) showing `demo`; the CodeLens model is dropped. */
function stateFor(demo: LabDemoId): LabViewState {
  return demoState(LabPanel.currentState() ?? defaultLabState(demo), demo);
}

/** What the lab's commands need: opening the panel on a state, and reading a checkpoint into it. */
export interface LabCtx {
  open(state: LabViewState): LabPanel;
  /** Reads the checkpoint (a notification with progress) and shows it in `panel`, or says why not. */
  showCheckpoint(file: vscode.Uri, panel: () => LabPanel | undefined, layer?: number): Promise<void>;
  /**
   * The active text editor, or else the last one that was (its document still open): run from the
   * Welcome page's walkthrough, which is the active editor then, a command still finds the user's file.
   */
  textEditor(): vscode.TextEditor | undefined;
}

export function register(context: vscode.ExtensionContext, decks: DeckService, textEditor: TextEditorSource): LabCtx & vscode.Disposable {
  const store = new DisposableStore();
  const uri = context.extensionUri;
  const open = (state: LabViewState) => LabPanel.createOrShow(uri, decks, textEditor, state);

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
      const text = err instanceof InspectError ? err.message : escapeNotification(vscode.l10n.t('RNN Lens cannot inspect this file: {0}', err instanceof Error ? err.message : String(err)));
      decks.output.appendLine(text);
      void vscode.window.showErrorMessage(text);
      // A panel already on the inspector (a revived one) shows why, rather than "Reading…".
      const target = panel();
      if (target && LabPanel.currentState()?.demo === 'inspect') target.checkpointFailed(text);
    }
  };

  /** The playground's layer after a reload, once the user said to read its checkpoint again. */
  const reopenTrainLayer = async (file: vscode.Uri, revived: LabPanel, text: string) => {
    try {
      const msg = await loadCheckpoint(file);
      if (LabPanel.currentPanel() !== revived) return;
      if (msg) revived.holdTrainCheckpoint(msg);
      else revived.trainLayerFailed(text);
    } catch (err) {
      const why = err instanceof InspectError ? err.message : escapeNotification(vscode.l10n.t('RNN Lens cannot inspect this file: {0}', err instanceof Error ? err.message : String(err)));
      decks.output.appendLine(why);
      if (LabPanel.currentPanel() === revived) revived.trainLayerFailed(why);
    }
  };

  /** A revived playground trained a checkpoint's layer: offered again like the inspector's checkpoint. */
  const reviveTrainLayer = (revived: LabPanel, state: LabViewState): void => {
    const ref = state.trainLayer;
    const file = ref ? checkpointArg({ uri: ref.file }) : undefined;
    const plan = revivedTrainLayer(state, file?.path, !!file && vscode.workspace.getWorkspaceFolder(file) !== undefined);
    if (plan.kind === 'none') return;
    if (plan.kind !== 'ask' || !file) return revived.trainLayerFailed(plan.text);
    const reopen = vscode.l10n.t('Reopen');
    void vscode.window.showInformationMessage(
      vscode.l10n.t('RNN Lens: the playground trained a layer of {0} before the reload. Read it again?', escapeNotification(plan.name, 80)), reopen,
    ).then((choice) => {
      const same = LabPanel.currentPanel() === revived && LabPanel.currentState()?.trainLayer?.file === ref?.file;
      if (!same) return;
      if (choice === reopen) void reopenTrainLayer(file, revived, plan.text);
      else revived.trainLayerFailed(plan.text);
    });
  };

  /** After a window reload: the panel comes back with its saved state; its checkpoint is not read by itself. */
  const revive = (panel: vscode.WebviewPanel, saved: unknown): void => {
    const revived = LabPanel.revive(panel, uri, decks, textEditor, saved);
    const revivedState = LabPanel.currentState();
    if (revivedState?.demo === 'train') return reviveTrainLayer(revived, revivedState);
    // The view keeps its controls; the checkpoint's weights are read again only if the user says so.
    const state = LabPanel.currentState();
    const file = state?.inspect?.file ? checkpointArg({ uri: state.inspect.file }) : undefined;
    const plan = state ? revivedCheckpoint(state, file?.path, !!file && vscode.workspace.getWorkspaceFolder(file) !== undefined) : { kind: 'none' as const };
    if (plan.kind === 'none') return;
    revived.checkpointFailed(plan.text);
    if (plan.kind !== 'ask' || !file) return;
    // Not awaited: the panel is revived now, the question waits for the user.
    const reopen = vscode.l10n.t('Reopen');
    void vscode.window.showInformationMessage(
      vscode.l10n.t('RNN Lens: the lab showed the checkpoint {0} before the reload. Read it again?', escapeNotification(plan.name, 80)), reopen,
    ).then((choice) => {
      // Only if the panel still shows that file (the user may have opened another meanwhile).
      if (choice === reopen && LabPanel.currentPanel() === revived && LabPanel.currentState()?.inspect?.file === state?.inspect?.file) {
        void showCheckpoint(file, () => (LabPanel.currentPanel() === revived ? revived : undefined), state?.inspect?.layer);
      }
    });
  };

  store.add(vscode.window.registerWebviewPanelSerializer(WebviewPanelType.lab, {
    deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      revive(panel, saved);
      return Promise.resolve();
    },
  }));

  const lenses = store.add(new ModelCodeLensProvider());
  store.add(vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, lenses));
  const checkpointLenses = store.add(new CheckpointCodeLensProvider());
  store.add(vscode.languages.registerCodeLensProvider({ language: 'python' }, checkpointLenses));
  store.add({ dispose: () => LabPanel.disposeCurrent() });
  return { open, showCheckpoint, textEditor, dispose: () => store.dispose() };
}

/** `Inspect Recurrent Layers`: from the explorer (a Uri), the CodeLens ({ uri }) or the palette (nothing: ask). */
export const inspectCheckpoint = ({ open, showCheckpoint }: LabCtx) => async (arg?: unknown): Promise<void> => {
  const file = arg === undefined ? await pickCheckpoint() : checkpointArg(arg);
  if (!file) {
    if (arg !== undefined) void vscode.window.showWarningMessage(vscode.l10n.t('RNN Lens: "Inspect Recurrent Layers" needs a checkpoint file ({0}).', CHECKPOINT_KINDS));
    return;
  }
  const base = LabPanel.currentState() ?? defaultLabState('inspect');
  await showCheckpoint(file, () => open({ ...base, demo: 'inspect', model: undefined, inspect: { ...(base.inspect ?? LAB_DEFAULTS.inspect), file: file.toString() } }));
};

/** The command of one demo (`RNN Lens: LSTM Forward Pass`, ...): the lab on that demo. */
export const openDemoOf = (demo: DemoId) => ({ open }: LabCtx) => (): LabPanel => open(stateFor(demo));

/** `RNN Lens: Open Demo...`: `{ demo, cardId? }` (hover, quiz), the demo id alone, or nothing (ask). */
export const openDemo = ({ open }: LabCtx) => async (arg?: unknown): Promise<void> => {
  let demo = demoArg(arg);
  if (!demo && arg !== undefined) {
    void vscode.window.showWarningMessage(unknownDemoMessage(arg));
    return;
  }
  if (!demo) {
    const picked = await vscode.window.showQuickPick(
      demoPicks(),
      { placeHolder: vscode.l10n.t('Open an RNN Lens demo') },
    );
    demo = picked?.demo;
  }
  if (demo) open(withCardSetting(stateFor(demo), cardArg(arg)));
};

/** "Visualize this LSTM" (a CodeLens): the lab on the user's layer. */
export const visualizeModel = ({ open }: LabCtx) => (arg?: unknown): void => {
  // Commands can be run with any argument (a keybinding, another extension): check it.
  const parsed = parseMessage(labModelConfigSchema, arg);
  if (!parsed.ok) {
    void vscode.window.showWarningMessage(vscode.l10n.t('RNN Lens: "Visualize" needs a recurrent layer; use the CodeLens above nn.LSTM(...) and similar constructors.'));
    return;
  }
  const model = parsed.msg;
  open(stateForModel(model, LabPanel.currentState() ?? defaultLabState(model.demo)));
};

/** "Train this in the lab" (a CodeLens): the training playground on the user's layer. */
export const trainModel = ({ open }: LabCtx) => (arg?: unknown): void => {
  const parsed = parseMessage(labModelConfigSchema, arg);
  if (!parsed.ok) {
    void vscode.window.showWarningMessage(vscode.l10n.t('RNN Lens: "Train this in the lab" needs a recurrent layer; use the CodeLens above nn.LSTM(...) and similar constructors.'));
    return;
  }
  open(trainStateForModel(parsed.msg, LabPanel.currentState() ?? defaultLabState('train')));
};

/** The command: the lab on the character model, training on the active editor's text. */
export const trainOnFile = ({ open, textEditor }: LabCtx) => (): void => {
  const editor = textEditor();
  const msg = readCharText(editor);
  if (msg.error) {
    void vscode.window.showWarningMessage(escapeNotification(msg.error));
    return;
  }
  const base = LabPanel.currentState() ?? defaultLabState('char');
  const panel = open({ ...base, demo: 'char', model: undefined, char: base.char ?? { ...LAB_DEFAULTS.char } });
  panel.setCharText(msg);
};

/** "Lab: Play or Pause" (Ctrl/Cmd+Alt+P in the lab): the shown demo's play button. */
export const togglePlay = () => (): void => {
  const panel = LabPanel.currentPanel();
  if (panel) panel.togglePlay();
  else void vscode.window.showInformationMessage(vscode.l10n.t('RNN Lens: open a lab demo first, for example "RNN Lens: Training Playground".'));
};
