// What bench/charlm.mjs loads in Node (bundled to out/bench/charlm.cjs).
export { CHAR_JOB, benchText, oursCharLM, tfCharJob } from './charlmJobs';
export { timeAll } from './trainJobs';
