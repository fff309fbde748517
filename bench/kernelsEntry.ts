// What bench/run.mjs loads in Node (bundled to out/bench/kernels.cjs).
export { jsEngine } from '../webview/kernels/fast';
export { createGpuEngine } from '../webview/kernels/gpu';
export { wasmEngine } from '../webview/kernels/wasm';
export { SIZES, SWEEP_H, SWEEP_T, afterGc, jobFlops, makeData, measureSimdPeak, mergeTables, oursJob, runSizes, sizeGrowth, tfJob, timeIt } from './jobs';
export { relError } from '../webview/kernels/compare';
