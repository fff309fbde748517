// One API over every backend: `backend` picks reference (float64), js (float32, the default),
// wasm (js's loops with SIMD matrix products; the fastest in Node) or gpu (GPU.js: webgl2/webgl
// in a browser, its cpu mode in Node).
import { defaultGpuEngine } from './backends/gpu';
import { generalForward, needsGeneralForward } from './general';
import { jsEngine } from './backends/js';
import { referenceEngine } from './reference';
import { wasmEngine } from './backends/wasm';
import {
  type BackendName, type BackwardOptions, type BackwardResult, type Cell, type Engine, type ForwardOptions, type ForwardResult,
  type Params, type Shape, type Vec, checkOptions,
} from './types';

export function engineFor(backend: BackendName | undefined): Engine {
  switch (backend ?? 'js') {
    case 'js':
      return jsEngine;
    case 'reference':
      return referenceEngine;
    case 'wasm':
      return wasmEngine();
    case 'gpu':
      return defaultGpuEngine();
    default:
      throw new RangeError(`unknown backend '${String(backend)}' (reference, js, wasm or gpu)`);
  }
}

export function forward(cell: Cell, shape: Shape, params: Params, x: Vec, opts: ForwardOptions = {}): ForwardResult {
  checkOptions(opts);
  // A projection or hard-sigmoid gates: the one forward that has them, on any backend.
  if (needsGeneralForward(opts)) return generalForward(cell, shape, params, x, opts, opts.backend === 'reference');
  return engineFor(opts.backend).forward(cell, shape, params, x, opts);
}

export function backward(
  cell: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts: BackwardOptions = {},
): BackwardResult {
  checkOptions(opts);
  const o = opts as ForwardOptions;
  if (needsGeneralForward(o)) throw new RangeError('backward of an LSTM with a projection or of hard-sigmoid gates is not computed (forward only)');
  return engineFor(opts.backend).backward(cell, shape, params, x, fwd, dh, opts);
}
