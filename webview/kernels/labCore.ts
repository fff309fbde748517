// The Node build of the lab's engine, dist/lab-core.js (CommonJS): these five exports, the trainer, and CTC.
//   forward(cell, shape, params, x, opts?)          -> { h, c?, gates, ... }
//   backward(cell, shape, params, x, fwd, dh, opts?) -> { dW, db, dx, dh0, dc0?, gradNorm }
//   initParams(cell, D, H, { scheme, spectralRadius?, forgetBias?, seed })
//   clipGlobalNorm(grads, maxNorm), spectralNorm(matrix, rows, cols)
// In Node, backend 'gpu' is GPU.js's cpu mode; 'js' (the default) is faster, and 'wasm' (the
// same loops with SIMD matrix products) fastest.
export { forward, backward } from './api';
export { initParams, clipGlobalNorm, spectralNorm } from './init';
//   createTrainer(config) -> Trainer: step(n), evaluate(batches), parameters(), spectrum(), ... (train/trainer.ts)
export { createTrainer, LIMITS as TRAIN_LIMITS, TRAIN_DEFAULTS } from './train';
//   ctc(logits, T, C, target, { blank }) -> { loss, dLogits, alpha, beta, ... } and its decoders (ctc.ts)
export { ctc, collapse, greedyDecode, prefixBeamSearch, bestAlignment, logSoftmaxRows } from './ctc';
