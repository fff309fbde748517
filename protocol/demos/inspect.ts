// The checkpoint inspector: its controls and their defaults, its inputs, and the layers the
// host sends it.
import * as v from 'valibot';
import type { RecurrentLayer } from '../../engine/checkpoint';
import { RNN_ACTIVATIONS } from '../../engine/types';
import { LAB_LIMITS, int, seed } from '../labLimits';

/** A generated inspector input, or the .npy the user picked. */
export const INSPECT_INPUTS = ['noise', 'sine', 'square', 'npy'] as const;

/** Which file, layer and direction, and what input runs through it. */
export const inspectControlsSchema = v.strictObject({
  /** The checkpoint's URI (the host reads it again when a reloaded window revives the panel). */
  file: v.pipe(v.string(), v.maxLength(4000)),
  /** Index into the checkpoint's recurrent layers (each direction is one). */
  layer: int(0, 100_000),
  /** A plain RNN's nonlinearity, which a state_dict does not record. */
  activation: v.picklist(RNN_ACTIVATIONS),
  /** A generated input, or the .npy the user picked (not kept across reloads: noise then). */
  input: v.picklist(INSPECT_INPUTS),
  T: int(2, LAB_LIMITS.T),
  seed,
});
export type InspectControls = v.InferOutput<typeof inspectControlsSchema>;

export const DEFAULT_INSPECT_CONTROLS: InspectControls = { file: '', layer: 0, activation: 'tanh', input: 'noise', T: 64, seed: 1 };

/**
 * One recurrent layer and direction of a checkpoint, in the engine's layout (see
 * engine/checkpoint): W, b and bh as base64 of little-endian float32. A layer larger
 * than the lab computes comes without them, `omitted` saying why.
 */
export type InspectLayerData = Pick<RecurrentLayer, 'name' | 'cell' | 'layer' | 'reverse' | 'D' | 'H' | 'resetAfter'> & {
  /** What forward needs beyond the weights (a projection, hard-sigmoid gates), as the reader gave it. */
  options?: RecurrentLayer['options'];
  W?: string;
  b?: string;
  bh?: string;
  /** The projection (P, H) when options.projSize = P. */
  Wr?: string;
  omitted?: string;
};
