// What bench/run.mjs loads in Node (bundled to out/bench/kernels.cjs).
export { jsEngine } from '../engine/backends/js';
export { createGpuEngine } from '../engine/backends/gpu';
export { wasmEngine } from '../engine/backends/wasm';
export { SIZES, SWEEP_H, SWEEP_T, afterGc, bestPeak, jobFlops, makeData, measureSimdPeak, mergeTables, oursJob, runSizes, sizeGrowth, tfJob, timeIt, wasmSummary } from './jobs';
export { relError } from '../engine/compare';
