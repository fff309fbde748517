// What the host sends the lab's inspector: a checkpoint's layers (weights as base64 float32,
// within the lab's caps) and a .npy input checked against the layer's input size. Pure: no vscode.
import type { RecurrentLayer } from '../../engine/checkpoint';
import { MAX_WEIGHT_FLOATS } from '../../engine/types';
import { LAB_LIMITS, type InspectLayerData, type LabHostMessage } from '../../protocol';
import { encodeFloat32 } from '../../engine/floats';

/** All layers sent to the lab together hold at most this many numbers (2^24, 64 MB as float32). */
export const MAX_SENT_FLOATS = 1 << 24;

export type NpyMessage = Extract<LabHostMessage, { type: 'npyInput' | 'npyError' }>;

/** The layers as the lab gets them: weights as base64 float32, within the lab's and the message's caps. */
export function toLayerData(layers: readonly RecurrentLayer[], maxFloats = MAX_SENT_FLOATS): InspectLayerData[] {
  let sent = 0;
  return layers.map((l) => {
    const head = {
      name: l.name, cell: l.cell, layer: l.layer, reverse: l.reverse, D: l.D, H: l.H, ...(l.resetAfter ? { resetAfter: true } : {}),
      ...(l.options.projSize !== undefined || l.options.recurrentActivation !== undefined ? { options: l.options } : {}),
    };
    const floats = l.params.W.length + l.params.b.length + l.params.bh.length + (l.params.Wr?.length ?? 0);
    if (l.params.W.length > MAX_WEIGHT_FLOATS) {
      return { ...head, omitted: `${l.params.W.length.toLocaleString('en')} weights; the lab computes layers of up to ${MAX_WEIGHT_FLOATS.toLocaleString('en')} (try rnn-lens inspect)` };
    }
    if (sent + floats > maxFloats) {
      return { ...head, omitted: `the layers before it already fill what one view holds (${maxFloats.toLocaleString('en')} numbers)` };
    }
    sent += floats;
    return {
      ...head, W: encodeFloat32(l.params.W), b: encodeFloat32(l.params.b), bh: encodeFloat32(l.params.bh),
      ...(l.params.Wr ? { Wr: encodeFloat32(l.params.Wr) } : {}),
    };
  });
}

/** The (T, D) array as the inspector's input; longer inputs are cut to LAB_LIMITS.T steps. */
export function npyMessage(name: string, npy: { shape: number[]; data: Float32Array }, D: number): NpyMessage {
  const { shape } = npy;
  if (shape.length !== 2 || shape[1] !== D) {
    return { type: 'npyError', text: `${name} has shape (${shape.join(', ')}); this layer needs (T, ${D})` };
  }
  if (shape[0] < 2) return { type: 'npyError', text: `${name} has ${shape[0]} steps; the inspector needs at least 2` };
  if (!npy.data.every(Number.isFinite)) return { type: 'npyError', text: `${name} holds NaN or infinite values` };
  const T = Math.min(shape[0], LAB_LIMITS.T);
  const note = T < shape[0] ? `the first ${T} of its ${shape[0]} steps` : undefined;
  return { type: 'npyInput', name, T, D, data: encodeFloat32(npy.data.subarray(0, T * D)), ...(note ? { note } : {}) };
}
