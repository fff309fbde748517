// One run of a checkpoint's layer on the inspector's input: forward, and backward from
// L = Σ_j h_T[j] with the connectivity |∂h_T/∂x_t| it gives. A layer the fast backends do not
// compute (an LSTM with a projection, hard-sigmoid gates) runs forward on the engine's general
// path, float32, and has no backward: its gradient views say so instead of showing numbers.
import type { RecurrentLayer } from '../../../../engine/checkpoint';
import { generalForward, needsGeneralForward } from '../../../../engine/general';
import { connectivity } from '../../../../engine/summaries/inspect';
import type { BackwardResult, ForwardOptions, ForwardResult, Shape } from '../../../../engine/types';
import type { LabEngine } from '../../demo';

export interface Run {
  fwd: ForwardResult;
  /** Absent where the engine computes the layer forward only. */
  bwd?: BackwardResult;
  conn?: number[];
}

export function runLayer(
  engine: LabEngine, cell: RecurrentLayer['cell'], shape: Shape, params: RecurrentLayer['params'], x: Float32Array, opts: ForwardOptions,
): Run {
  if (needsGeneralForward(opts)) return { fwd: generalForward(cell, shape, params, x, opts, false) };
  const fwd = engine.forward(cell, shape, params, x, opts);
  const bwd = engine.backward(cell, shape, params, x, fwd, null, { ...opts, dhT: new Float32Array(shape.H).fill(1) });
  return { fwd, bwd, conn: connectivity(bwd.dx, shape.T, shape.D) };
}

/** Why a layer's gradients are not shown, or undefined when they are. */
export function forwardOnlyReason(options: RecurrentLayer['options'] | undefined): string | undefined {
  if (options?.projSize !== undefined) return `an LSTM with a projection (proj_size ${options.projSize})`;
  if (options?.recurrentActivation === 'hardSigmoid') return 'hard-sigmoid gates (Keras/TF.js)';
  return undefined;
}
