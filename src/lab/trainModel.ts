// "Train this in the lab": the user's layer becomes the playground's configuration. Pure (no
// vscode) so that it is unit-tested. The playground trains one model per cell kind on its own
// task, so of the layer only the cell (and a relu RNN's activation) and the hidden size carry
// over; the hidden size is capped to what trains interactively, and the notes say so.
import { PLAYGROUND_LIMITS, type LabModelConfig, type LabViewState, type TrainModelKey } from '../../protocol';

export function trainModelKey(model: Pick<LabModelConfig, 'cell' | 'activation'>): TrainModelKey {
  if (model.cell === 'rnn') return model.activation === 'relu' ? 'irnn' : 'rnn';
  return model.cell;
}

export function trainStateForModel(model: LabModelConfig, base: LabViewState): LabViewState {
  const H = Math.min(model.hiddenSize, PLAYGROUND_LIMITS.H);
  // The reader already capped huge sizes to the lab's limit: the note gives the size as written.
  const earlier = model.capped.find((c) => c.param === 'hidden size');
  const capped = H < model.hiddenSize
    ? [
      ...model.capped.filter((c) => c !== earlier),
      { param: earlier?.param ?? 'hidden size', from: earlier?.from ?? model.hiddenSize, to: H },
    ]
    : model.capped;
  const key = trainModelKey(model);
  return {
    ...base,
    demo: 'train',
    model: { ...model, demo: 'train', hiddenSize: H, capped },
    // The layer's own cell, and a tanh RNN beside it as the baseline to beat.
    train: { ...base.train, models: key === 'rnn' ? ['rnn'] : ['rnn', key], H, running: true },
    trainProgress: undefined,
  };
}
