// The CTC alignment demo: its controls and their defaults.
import * as v from 'valibot';
import { seed } from '../labLimits';

/** The target word (a–z, 1 to 12 letters) and the training seed. */
export const ctcControlsSchema = v.strictObject({
  word: v.pipe(v.string(), v.regex(/^[a-z]{1,12}$/)),
  seed,
});
export type CtcControls = v.InferOutput<typeof ctcControlsSchema>;

export const DEFAULT_CTC_CONTROLS: CtcControls = { word: 'hello', seed: 1 };
