// The backpropagation-through-time demo: its controls and their defaults.
import * as v from 'valibot';
import type { InitScheme } from '../../engine/types';
import { LAB_LIMITS, int, real, seed } from '../labLimits';

/** The schemes BPTT offers (xavier sets no spectral radius, which is what that demo turns). */
export const BPTT_INITS = ['gaussian', 'orthogonal', 'identity'] as const satisfies readonly InitScheme[];

export const bpttControlsSchema = v.strictObject({
  T: int(2, LAB_LIMITS.T),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  seed,
  spectralRadius: real(0, 4),
  init: v.picklist(BPTT_INITS),
  /** Truncation window k; 0 = full BPTT. */
  truncate: int(0, LAB_LIMITS.T),
  /** Global-norm clipping threshold; 0 = no clipping. */
  clip: real(0, 1e6),
  forgetBias: real(-10, 10),
  loss: v.picklist(['last', 'every'] as const),
});
export type BpttControls = v.InferOutput<typeof bpttControlsSchema>;

export const DEFAULT_BPTT_CONTROLS: BpttControls = {
  T: 64, D: 8, H: 32, seed: 1, spectralRadius: 1, init: 'gaussian', truncate: 0, clip: 0, forgetBias: 1, loss: 'last',
};
