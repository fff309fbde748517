// What bench/train.mjs loads in Node (bundled to out/bench/train.cjs).
export { JOB, merge, oursTrainer, tfJob, timeAll } from './trainJobs';
export { TRAIN_DEFAULTS, createTrainer } from '../engine/train';
export { afterGc } from './jobs';
