// The training playground and the loops that train its models (in the lab's Workers, or on the
// page where no Worker starts): the commands the view sends and the replies it gets, checked on
// arrival on both sides. A run is numbered (`gen`): a late reply of an older run is dropped.
// Each model keeps its index in the run (its row, its colour) wherever it trains.
import * as v from 'valibot';
import { TRAIN_MODELS, TRAIN_TASKS } from './train';
import { anyNumber, int, plainObject as object, real } from '../labLimits';
import type { TrainerConfig } from '../../engine/train/config';
import type { RecurrentLayer } from '../../engine/checkpoint';

const gen = int(0, Number.MAX_SAFE_INTEGER);
const step = int(0, Number.MAX_SAFE_INTEGER);
const index = int(0, TRAIN_MODELS.length - 1);

export const trainCommandSchema = v.variant('type', [
  /**
   * A new run of these models (a Worker gets some of them), each from its trainer configuration:
   * createTrainer checks it and refuses what it cannot train in one line. `layer`: "Train this
   * layer", the checkpoint layer the one model starts from (its gates' drift is measured from it).
   */
  v.strictObject({
    type: v.literal('start'), gen,
    models: v.pipe(v.array(v.strictObject({ index, key: v.picklist(TRAIN_MODELS), config: object<TrainerConfig>() })), v.minLength(1), v.maxLength(TRAIN_MODELS.length)),
    layer: v.optional(object<Pick<RecurrentLayer, 'name' | 'cell' | 'layer' | 'reverse' | 'D' | 'H' | 'params' | 'options'>>()),
  }),
  /** Train every model up to step `until`, then wait (0, or a step already reached: stop). */
  v.strictObject({ type: v.literal('run'), gen, until: step }),
  /** One model's slower views from its current weights. */
  v.strictObject({ type: v.literal('measure'), gen, index, task: v.picklist(TRAIN_TASKS), temperature: real(0.05, 5) }),
]);
export type TrainCommand = v.InferOutput<typeof trainCommandSchema>;

const metricsSchema = v.strictObject({ step, loss: anyNumber, accuracy: v.optional(anyNumber), gradNorm: anyNumber });
const numbers = v.array(anyNumber);
const f64 = v.custom<Float64Array<ArrayBufferLike>>((x) => x instanceof Float64Array);

export const trainReplySchema = v.variant('type', [
  v.strictObject({ type: v.literal('started'), gen, index, backend: v.picklist(['reference', 'js', 'wasm', 'gpu'] as const) }),
  /** The run cannot go on: why, on one line. */
  v.strictObject({ type: v.literal('failed'), gen, message: v.pipe(v.string(), v.maxLength(2000)) }),
  /** One model's steps since its last progress, each step's metrics in order. */
  v.strictObject({ type: v.literal('progress'), gen, index, metrics: v.array(metricsSchema) }),
  v.strictObject({
    type: v.literal('measured'), gen, index, step,
    view: v.optional(v.strictObject({ singular: numbers, re: f64, im: f64, gate: v.string(), flow: numbers, conn: v.optional(numbers) })),
    text: v.optional(v.strictObject({ sample: v.pipe(v.string(), v.maxLength(4000)), teacherForced: anyNumber, freeRunning: anyNumber })),
    held: v.optional(anyNumber),
    drift: v.optional(v.strictObject({ gates: v.array(v.string()), values: v.array(v.nullable(anyNumber)) })),
  }),
]);
export type TrainReply = v.InferOutput<typeof trainReplySchema>;
