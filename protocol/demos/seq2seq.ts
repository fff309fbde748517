// The seq2seq attention demo: its controls and their defaults.
import * as v from 'valibot';
import { seed } from '../labLimits';

/** The training seed. */
export const seq2seqControlsSchema = v.strictObject({ seed });
export type Seq2seqControls = v.InferOutput<typeof seq2seqControlsSchema>;

export const DEFAULT_SEQ2SEQ_CONTROLS: Seq2seqControls = { seed: 1 };
