// What bench/run.mjs loads in Node (bundled to out/bench/kernels.cjs).
export { jsEngine } from '../engine/fast';
export { createGpuEngine } from '../engine/gpu';
export { wasmEngine } from '../engine/wasm';
export { SIZES, SWEEP_H, SWEEP_T, afterGc, jobFlops, makeData, measureSimdPeak, mergeTables, oursJob, runSizes, sizeGrowth, tfJob, timeIt } from './jobs';
export { relError } from '../engine/compare';
