// The character-LM benchmark's Chromium half: ours on js and wasm beside TF.js's wasm and webgl
// backends, the same update (charlmJobs.ts). The text comes from bench/charlm.mjs at build time.
// Results go into #out as JSON.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { oursCharLM, tfCharJob } from './charlmJobs';
import { type Sampled, merge, timeAll, tryBackend } from './trainJobs';
import { reportToPage } from '../test/browser/pageReport';

declare const CHARLM_TEXT: string;
const log = (s: string): void => console.log(`[bench:chromium] ${s}`);

async function main(): Promise<Record<string, unknown>> {
  await new Promise((r) => setTimeout(r, 0));
  setWasmPaths(`${location.origin}/`);
  const js = oursCharLM(CHARLM_TEXT, 'js');
  const wasm = oursCharLM(CHARLM_TEXT, 'wasm');
  const table: Record<string, Sampled> = {};
  for (const be of ['webgl', 'wasm'] as const) {
    if (!(await tryBackend(tf, be, log))) continue;
    const job = tfCharJob(tf, CHARLM_TEXT);
    merge(table, await timeAll({ 'ours-js': () => js.step(1), 'ours-wasm': () => wasm.step(1), [`tf-${be}`]: job.step }, 4, 1000));
    job.dispose();
    log(`tf-${be}: ${table[`tf-${be}`].ms.toFixed(0)} ms; ours wasm ${table['ours-wasm'].ms.toFixed(0)} ms, js ${table['ours-js'].ms.toFixed(0)} ms`);
  }
  return { userAgent: navigator.userAgent, table };
}

reportToPage(main);
