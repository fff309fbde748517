// "Open demo" from a card (hover, quiz) opens its demo at the setting that shows the card's
// claim: the vanilla-RNN card's recurrence in the forward demo's RNN cell, the GRU card's gates in
// its GRU cell. Pure: no vscode.
import type { Cell } from '../../engine/types';
import type { LabViewState } from '../../protocol';

type Setting = (state: LabViewState) => LabViewState;

const forwardCell = (cell: Cell): Setting => (s) =>
  s.demo === 'lstm-forward' ? { ...s, forward: { ...s.forward, cell } } : s;

const CARD_SETTINGS: Record<string, Setting> = {
  'vanilla-rnn': forwardCell('rnn'),
  'gru-vs-lstm': forwardCell('gru'),
  'lstm-gates': forwardCell('lstm'),
  'lstm-forward-numpy': forwardCell('lstm'),
};

/** `state` moved to the card's setting, when the card has one for the state's demo; otherwise `state`. */
export function withCardSetting(state: LabViewState, cardId: string | undefined): LabViewState {
  const setting = cardId !== undefined && Object.hasOwn(CARD_SETTINGS, cardId) ? CARD_SETTINGS[cardId] : undefined;
  return setting ? setting(state) : state;
}
