// A trained character model as PyTorch's word language model (pytorch/examples,
// word_language_model/model.py, RNNModel with tie_weights off) holds it: `encoder.weight`
// (nn.Embedding, vocab × ninp), `rnn.weight_ih_l{k}`, `rnn.weight_hh_l{k}`, `rnn.bias_ih_l{k}`,
// `rnn.bias_hh_l{k}` (nn.LSTM / nn.GRU / nn.RNN, PyTorch's gate order), `decoder.weight`
// (vocab × nhid) and `decoder.bias` (nn.Linear). The safetensors metadata carries `vocab` (a JSON
// list of the characters, index = id), `cell`, and the sizes the model class is built with.
import { toTorchLayout } from '../checkpoint/layer';
import type { Cell } from '../types';
import { encodeSafetensors, type NamedTensor } from './safetensors';

/** One recurrent layer in the engine's layout: W (G·H, D+H) over [x; h], b (G·H), bh optional. */
export interface EngineLayerWeights {
  W: ArrayLike<number>;
  b: ArrayLike<number>;
  bh?: ArrayLike<number>;
}

export interface CharModelWeights {
  cell: Cell;
  /** The characters, index = symbol id. */
  vocab: readonly string[];
  /** The embedding width (the first layer's D). */
  embeddingDim: number;
  H: number;
  /** Layer k reads layer k-1's h (layer 0 reads the embedding). */
  layers: readonly EngineLayerWeights[];
  /** Embedding table (vocab × embeddingDim). */
  E: ArrayLike<number>;
  /** Decoder weight (vocab × H) and bias (vocab). */
  V: ArrayLike<number>;
  c: ArrayLike<number>;
}

/** word_language_model's `rnn_type` for a cell (an RNN here is always tanh). */
export const RNN_TYPE: Record<Cell, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN_TANH' };

/** The state dict, in the order model.state_dict() lists it. */
export function charModelTensors(m: CharModelWeights): NamedTensor[] {
  const V = m.vocab.length;
  const { H, embeddingDim: Dm } = m;
  if (m.E.length !== V * Dm || m.V.length !== V * H || m.c.length !== V || m.layers.length === 0) {
    throw new RangeError(`char model: the embedding, decoder or layers do not match a vocabulary of ${V}, embedding ${Dm}, H ${H}`);
  }
  const out: NamedTensor[] = [{ name: 'encoder.weight', shape: [V, Dm], data: m.E }];
  const G = m.layers[0].b.length / H;
  m.layers.forEach((layer, k) => {
    const D = k === 0 ? Dm : H;
    const t = toTorchLayout({ name: 'rnn', cell: m.cell, layer: k, reverse: false, D, H }, layer);
    out.push(
      { name: `rnn.weight_ih_l${k}`, shape: [G * H, D], data: t.weightIh },
      { name: `rnn.weight_hh_l${k}`, shape: [G * H, H], data: t.weightHh },
      { name: `rnn.bias_ih_l${k}`, shape: [G * H], data: t.biasIh! },
      { name: `rnn.bias_hh_l${k}`, shape: [G * H], data: t.biasHh! },
    );
  });
  out.push({ name: 'decoder.weight', shape: [V, H], data: m.V }, { name: 'decoder.bias', shape: [V], data: m.c });
  return out;
}

/** The metadata: vocab and cell as the format promises, and RNNModel's constructor arguments. */
export function charModelMetadata(m: CharModelWeights): Record<string, string> {
  return {
    format: 'pt',
    vocab: JSON.stringify(m.vocab),
    cell: m.cell,
    rnn_type: RNN_TYPE[m.cell],
    ntoken: String(m.vocab.length),
    ninp: String(m.embeddingDim),
    nhid: String(m.H),
    nlayers: String(m.layers.length),
  };
}

/** The .safetensors bytes of a trained character model. */
export function exportCharModel(m: CharModelWeights): Uint8Array {
  return encodeSafetensors(charModelTensors(m), charModelMetadata(m));
}
