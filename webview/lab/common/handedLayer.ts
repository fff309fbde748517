// A checkpoint layer on its way from the inspector ("Train this layer") to the training
// playground, within the page: the inspector hands it over and opens the playground, which takes
// it on its next show (demos/train/fromLayer.ts).
import type { RecurrentLayer } from '../../../engine/checkpoint';

/** The layer as the inspector decoded it. */
export type LayerToTrain = Pick<RecurrentLayer, 'name' | 'cell' | 'layer' | 'reverse' | 'D' | 'H' | 'params' | 'options'> & {
  /** Where it comes from, for the headline: "char_lstm.pt, lstm layer 0 (LSTM)". */
  label: string;
  /** The checkpoint's URI and the layer's index among its layers: what a window reload reads again. */
  from: { file: string; index: number };
};

let pending: LayerToTrain | undefined;

/** The inspector's button: the next show of the playground trains this layer. */
export function handLayerToPlayground(layer: LayerToTrain): void {
  pending = layer;
}

/** The layer handed over since the last call, once. */
export function takeHandedLayer(): LayerToTrain | undefined {
  const l = pending;
  pending = undefined;
  return l;
}

