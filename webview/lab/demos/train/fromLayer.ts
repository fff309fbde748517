// "Train this layer": the inspector hands the playground a checkpoint's recurrent layer, and the
// playground trains that one layer from its loaded weights (TrainerConfig.initial) on the chosen
// task, plotting per gate how far its weights moved: ‖W_g − W_g0‖ / ‖W_g0‖ (gateWeightChanges).
// The layer's input width D is met by the task's input: recall and text read an embedding of
// width D (learned, fresh); the series task gives one channel and the adding task two, so they
// take only a layer with D = 1 or 2. A layer with a projection (proj_size) or hard-sigmoid gates is
// not offered. Across a window reload the lab's state keeps where the layer came from (its
// weights would outgrow the saved state): the host offers to read the checkpoint again, and the
// layer trains again from its loaded weights; declined, the playground trains its own models.
import type { LabHostMessage, TrainControls, TrainLayerRef, TrainModelKey } from '../../../../protocol';
import { layerLabel } from '../../../../engine/summaries/inspect';
import { decodeLayer } from '../../common/layerData';
import type { TrainerConfig } from '../../../../engine/train';
import type { ModelParams } from '../../../../engine/train/model';
import type { RecurrentLayer } from '../../../../engine/checkpoint';
import { gateWeightChanges } from '../../../../engine/summaries/diff';
import type { LayerToTrain } from '../../common/handedLayer';
import { trainerConfig } from './math';

export { takeHandedLayer, type LayerToTrain } from '../../common/handedLayer';

/** The playground's model key of the layer's cell (a relu RNN is the IRNN's colour and label). */
export function layerModelKey(l: Pick<LayerToTrain, 'cell' | 'options'>): TrainModelKey {
  if (l.cell === 'rnn') return l.options.activation === 'relu' ? 'irnn' : 'rnn';
  return l.cell;
}

/** The tasks that can train a layer of input width D, and why the others cannot (one line each). */
export function layerTaskProblem(task: TrainControls['task'], D: number): string | undefined {
  if (task === 'series' && D !== 1) return `this layer reads D = ${D} inputs and the series task gives 1: choose delayed recall or text (both read an embedding of width ${D})`;
  if (task === 'adding' && D !== 2) return `this layer reads D = ${D} inputs and the adding task gives 2: choose delayed recall or text (both read an embedding of width ${D})`;
  return undefined;
}

/** The trainer configuration for the layer, or a one-line reason why it cannot be trained here. */
export function layerTrainerConfig(c: TrainControls, l: LayerToTrain, text: string, values: readonly number[]): TrainerConfig | string {
  if (l.params.Wr || l.options.projSize) return 'a layer with a projection (proj_size) is not trained here';
  if (l.options.recurrentActivation === 'hardSigmoid') return 'a layer with hard-sigmoid gates (TF.js, Keras) is not trained here: the trainer\'s gates are the logistic sigmoid';
  const problem = layerTaskProblem(c.task, l.D);
  if (problem) return problem;
  const key = layerModelKey(l);
  const base = trainerConfig(c, key, text, values);
  const symbolic = c.task === 'recall' || c.task === 'text';
  const cfg: TrainerConfig = {
    ...base,
    H: l.H,
    initial: { W: l.params.W, b: l.params.b, bh: l.params.bh },
    ...(symbolic ? { input: { kind: 'embedding', dim: l.D } } : {}),
  };
  delete cfg.init;
  if (l.cell === 'rnn') cfg.activation = l.options.activation ?? 'tanh';
  if (l.cell === 'gru' && l.options.resetAfter) cfg.resetAfter = true;
  else delete cfg.resetAfter;
  return cfg;
}

/** One point of the drift curve per gate, in PyTorch's letters. */
export interface DriftPoint {
  step: number;
  values: (number | null)[];
}

/** How far the cell weights `p` (the trainer's parameters) are from the layer's, per gate. */
export function layerDrift(l: Pick<LayerToTrain, 'name' | 'cell' | 'layer' | 'reverse' | 'D' | 'H' | 'params' | 'options'>, p: Pick<ModelParams, 'W' | 'b' | 'bh'>): { gates: string[]; values: (number | null)[] } {
  const f32 = (a: ArrayLike<number>) => (a instanceof Float32Array ? a : Float32Array.from(a));
  const now: RecurrentLayer = { ...l, params: { W: f32(p.W), b: f32(p.b), bh: p.bh ? f32(p.bh) : l.params.bh } };
  const changes = gateWeightChanges(l, now);
  return { gates: changes.map((g) => g.gate), values: changes.map((g) => g.relChange) };
}

/** What the lab's state keeps of a layer in training. */
export function layerRef(l: LayerToTrain): TrainLayerRef {
  return { file: l.from.file, index: l.from.index, label: l.label.slice(0, 400) };
}

/** The layer the host read again after a reload, ready to train, or why it cannot train (one line). */
export function layerFromHost(msg: Extract<LabHostMessage, { type: 'trainLayer' }>): LayerToTrain | string {
  const l = decodeLayer(msg.layer);
  if (!l.params) return `${msg.name}, ${layerLabel(l)} cannot be trained: ${l.omitted ?? 'its weights were not sent'}.`;
  return { ...l, params: l.params, options: l.options ?? {}, label: `${msg.name}, ${layerLabel(l)}`, from: { file: msg.file, index: msg.index } };
}

/** The headline while the playground waits for its layer after a reload. */
export function awaitingText(ref: TrainLayerRef): string {
  return `Before the window reload the playground trained ${ref.label}: accept "Reopen" in the notification to read it again, or train the four models instead.`;
}
