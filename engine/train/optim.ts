// Optimizers with PyTorch's update rules, so that a run here and a run of torch.optim on the same
// weights and gradients agree step for step (scripts/torch/train.py writes the fixtures that
// test/unit/engine/train-torch.test.ts compares with):
// - Adam (torch.optim.Adam, no weight decay, not amsgrad):
//     m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//     p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + eps)
// - SGD with momentum (torch.optim.SGD, dampening 0, not Nesterov):
//     buf = momentum·buf + g  (buf = g on the first step);  p -= lr·buf
// State lives in arrays of the parameters' own precision and is allocated once.
import type { OptimizerConfig } from './config';

export type FloatArray = Float32Array | Float64Array;

export interface Optimizer {
  /** Updates every params[i] in place from grads[i]; the two lists keep their order across calls. */
  step(params: readonly FloatArray[], grads: readonly ArrayLike<number>[]): void;
  /** Updates made so far. */
  readonly steps: number;
}

function stateLike(params: readonly FloatArray[]): FloatArray[] {
  return params.map((p) => (p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length)));
}

/** An optimizer from its update; `steps` counts the updates, this one included. */
function counted(update: (params: readonly FloatArray[], grads: readonly ArrayLike<number>[], steps: number) => void): Optimizer {
  let steps = 0;
  return {
    get steps() {
      return steps;
    },
    step(params, grads) {
      steps++;
      update(params, grads, steps);
    },
  };
}

export function createOptimizer(cfg: OptimizerConfig): Optimizer {
  const lr = cfg.lr;
  if (cfg.kind === 'sgd') {
    const mu = cfg.momentum ?? 0;
    let buf: FloatArray[] | null = null;
    return counted((params, grads) => {
      buf ??= stateLike(params);
      for (let k = 0; k < params.length; k++) {
        const p = params[k], g = grads[k], m = buf[k];
        if (mu === 0) {
          for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
        } else {
          for (let i = 0; i < p.length; i++) {
            const v = mu * m[i] + g[i];
            m[i] = v;
            p[i] -= lr * m[i];
          }
        }
      }
    });
  }
  const b1 = cfg.beta1 ?? 0.9;
  const b2 = cfg.beta2 ?? 0.999;
  const eps = cfg.eps ?? 1e-8;
  let m: FloatArray[] | null = null;
  let v: FloatArray[] | null = null;
  return counted((params, grads, steps) => {
    m ??= stateLike(params);
    v ??= stateLike(params);
    const bc1 = 1 - Math.pow(b1, steps);
    const bc2 = Math.sqrt(1 - Math.pow(b2, steps));
    const stepSize = lr / bc1;
    for (let k = 0; k < params.length; k++) {
      const p = params[k], g = grads[k], mk = m[k], vk = v[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        mk[i] = b1 * mk[i] + (1 - b1) * gi;
        vk[i] = b2 * vk[i] + (1 - b2) * gi * gi;
        p[i] -= stepSize * mk[i] / (Math.sqrt(vk[i]) / bc2 + eps);
      }
    }
  });
}
