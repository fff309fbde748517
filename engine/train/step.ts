// One update: loss and gradients, global-norm clipping (clip_grad_norm_), the optimizer's step.
// The trainer runs it on every batch; the PyTorch comparison runs it on the fixtures' batches.
import { clipGlobalNorm } from '../init';
import { show } from './config';
import type { GradResult, Model } from './model';
import type { FloatArray, Optimizer } from './optim';
import type { Batch } from './tasks';

export interface StepOptions {
  /** Max global gradient norm; absent or 0: no clipping. */
  clip?: number;
  truncate?: number;
  /** The state the batch starts from (a stream's previous window, detached); zeros where absent. */
  h0?: FloatArray;
  c0?: FloatArray;
}

export interface StepResult extends GradResult {
  /** Global gradient norm before clipping; not finite where the step was skipped. */
  gradNorm: number;
}

export function trainStep(model: Model, opt: Optimizer, params: readonly FloatArray[], batch: Batch, o: StepOptions = {}): StepResult {
  const r = model.lossAndGrad(batch, o.h0, o.c0, o.truncate);
  const gradNorm = clipGlobalNorm(r.grads, o.clip !== undefined && o.clip > 0 ? o.clip : Infinity);
  // A diverged batch (an overflowed state, a non-finite gradient) updates nothing, so the weights
  // learned so far survive it; the caller sees the non-finite gradNorm.
  if (Number.isFinite(gradNorm)) opt.step(params, r.grads);
  return { ...r, gradNorm };
}

/** one() run n times (n an integer from 1 to max, else a one-line RangeError); the last result. */
export function repeatSteps<M>(n: number, max: number, one: () => M): M {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`step(n): n must be an integer from 1 to ${max}, got ${show(n)}`);
  let m = one();
  for (let i = 1; i < n; i++) m = one();
  return m;
}
