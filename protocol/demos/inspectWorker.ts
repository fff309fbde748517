// The checkpoint inspector and the loop that computes its gate spectra (O(H³) per gate block:
// seconds for a large layer) in the lab's Worker, or on the page where no Worker starts, block by
// block so that it reports progress and hears a cancel between blocks. Checked on arrival on both
// sides; a job is numbered (`id`) and a late reply of an older one is dropped.
import * as v from 'valibot';
import type { GateSpectrum, GateSummary, LayerLike } from '../../engine/summaries/inspect';
import { int, plainObject as object } from '../labLimits';

const id = int(0, Number.MAX_SAFE_INTEGER);

export const inspectCommandSchema = v.variant('type', [
  /** The spectra (or, above SPECTRUM_MAX_H, σ_max) of every gate block of the checkpoint's layer and of its fresh initialisation. */
  v.strictObject({ type: v.literal('spectra'), id, trained: object<LayerLike>(), fresh: object<LayerLike>() }),
  v.strictObject({ type: v.literal('cancel'), id }),
]);
export type InspectCommand = v.InferOutput<typeof inspectCommandSchema>;

const pair = <T>() => v.strictObject({ trained: v.array(object<T>()), fresh: v.array(object<T>()) });

export const inspectReplySchema = v.variant('type', [
  v.strictObject({ type: v.literal('progress'), id, done: int(0, 1000), total: int(1, 1000) }),
  v.strictObject({ type: v.literal('spectra'), id, spectra: v.optional(pair<GateSpectrum>()), summaries: pair<GateSummary>() }),
  v.strictObject({ type: v.literal('failed'), id, message: v.pipe(v.string(), v.maxLength(2000)) }),
]);
export type InspectReply = v.InferOutput<typeof inspectReplySchema>;
