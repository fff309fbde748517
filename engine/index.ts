// The Node build of the lab's engine, dist/lab-core.js (CommonJS): these five kernel functions,
// then the trainer, then the checkpoint reader, then CTC.
//   forward(cell, shape, params, x, opts?)          -> { h, c?, gates, ... }
//   backward(cell, shape, params, x, fwd, dh, opts?) -> { dW, db, dx, dh0, dc0?, gradNorm }
//   initParams(cell, D, H, { scheme, spectralRadius?, forgetBias?, seed })
//   clipGlobalNorm(grads, maxNorm), spectralNorm(matrix, rows, cols)
// In Node, backend 'gpu' is GPU.js's cpu mode; 'js' (the default) is faster, and 'wasm' (the
// same loops with SIMD matrix products) fastest.
export { forward, backward } from './api';
export { initParams, clipGlobalNorm, spectralNorm } from './init';
//   createTrainer(config) -> Trainer: step(n), evaluate(batches), parameters(), spectrum(gate?),
//     gradientNorms(), connectivity(), sample(...), freeRunning(prime?) (train/trainer.ts);
//   TRAIN_LIMITS, its caps; TRAIN_DEFAULTS, settings that learn the demos fast.
// The trainer's default backend is wasm where it compiles, else js.
export { createTrainer, TRAINER_LIMITS as TRAIN_LIMITS, TRAIN_DEFAULTS } from './train';
//   readCheckpoint(bytes, fileName) -> { layers, warnings }: the recurrent layers of a torch.save,
//   safetensors or .npz file in the engine's layout; throws CheckpointError (one line) on a bad file.
export { readCheckpoint, CheckpointError } from './checkpoint';
//   ctc(logits, T, C, target, { blank }) -> { loss, dLogits, alpha, beta, ... } and its decoders (ctc.ts)
export { ctc, collapse, greedyDecode, prefixBeamSearch, bestAlignment, logSoftmaxRows } from './ctc';
