// The Character Model view and the loop that trains its model (in a dedicated Worker, or on the
// page where no Worker starts): the commands the view sends and the replies it gets. Both sides
// check what arrives against these schemas. Each run has a generation number: a command or a
// reply of an older run (the user changed the cell while a step was on its way) is dropped.
// Float32Arrays travel transferred, not copied.
import * as v from 'valibot';
import { CHAR_LIMITS, charControlsSchema } from './char';
import { anyNumber, int, real } from '../labLimits';
import type { BackendName } from '../../engine/types';

const gen = int(0, Number.MAX_SAFE_INTEGER);
const step = int(0, Number.MAX_SAFE_INTEGER);
const floats = v.instance(Float32Array);
const BACKENDS = ['reference', 'js', 'wasm', 'gpu'] as const satisfies readonly BackendName[];

/** The slower views a refresh asks for, one at a time. */
export const CHAR_REFRESH = ['held', 'sample', 'units'] as const;
export type CharRefresh = (typeof CHAR_REFRESH)[number];

/** At most this many steps in one `step` command. */
export const CHAR_MAX_STEPS = 1000;

export const charCommandSchema = v.variant('type', [
  /** A new run: fresh weights for these controls on this text (one code point may take two UTF-16 units). */
  v.strictObject({
    type: v.literal('start'), gen, controls: charControlsSchema,
    text: v.pipe(v.string(), v.maxLength(2 * CHAR_LIMITS.text)),
    backend: v.optional(v.picklist(['js', 'wasm'] as const)),
  }),
  /** Play or pause: while playing the loop trains on by itself and reports its progress. */
  v.strictObject({ type: v.literal('run'), gen, running: v.boolean() }),
  /** `n` steps now, then one progress reply. */
  v.strictObject({ type: v.literal('step'), gen, n: int(1, CHAR_MAX_STEPS) }),
  /** One slower view: the held-out loss, a sample at `temperature`, or the hidden units over the text. */
  v.strictObject({ type: v.literal('refresh'), gen, what: v.picklist(CHAR_REFRESH), temperature: real(0.05, 5) }),
  /** The trained parameters (for the export). */
  v.strictObject({ type: v.literal('parameters'), gen }),
]);
export type CharCommand = v.InferOutput<typeof charCommandSchema>;

const trackingSchema = v.strictObject({
  feature: v.picklist(['string', 'indent', 'brackets'] as const),
  unit: v.optional(int(0, CHAR_LIMITS.H - 1)),
  r: v.optional(real(-1.000001, 1.000001)),
});

export const charReplySchema = v.variant('type', [
  /** The run's model is built, on this backend. */
  v.strictObject({ type: v.literal('started'), gen, backend: v.picklist(BACKENDS) }),
  /** The run cannot go on: why, on one line. */
  v.strictObject({ type: v.literal('failed'), gen, message: v.pipe(v.string(), v.maxLength(2000)) }),
  /** Steps made since the last progress: the step reached and the finite training losses' sum and count. */
  v.strictObject({ type: v.literal('progress'), gen, step, lossSum: anyNumber, lossN: int(0, Number.MAX_SAFE_INTEGER), running: v.boolean() }),
  v.strictObject({ type: v.literal('held'), gen, step, loss: anyNumber }),
  v.strictObject({ type: v.literal('sample'), gen, step, text: v.pipe(v.string(), v.maxLength(4000)), temperature: real(0.05, 5) }),
  /** h over the text's first `n` characters (n × H, row-major) and the unit that tracks each feature best. */
  v.strictObject({ type: v.literal('units'), gen, step, n: int(0, CHAR_LIMITS.text), h: floats, tracking: v.array(trackingSchema) }),
  /** The parameters, in the trainer's layout: W (G·H, D+H), b, V, c, E. */
  v.strictObject({ type: v.literal('parameters'), gen, step, W: floats, b: floats, V: floats, c: floats, E: floats }),
]);
export type CharReply = v.InferOutput<typeof charReplySchema>;
