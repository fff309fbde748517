// The bidirectional RNN demo: its controls and their defaults.
import * as v from 'valibot';
import { seed } from '../labLimits';

/** The training seed. */
export const bidirectionalControlsSchema = v.strictObject({ seed });
export type BidirectionalControls = v.InferOutput<typeof bidirectionalControlsSchema>;

export const DEFAULT_BIDIRECTIONAL_CONTROLS: BidirectionalControls = { seed: 1 };
