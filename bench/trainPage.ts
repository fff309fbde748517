// The training benchmark's Chromium half, the page's own script: our trainer on the js and
// wasm backends beside TF.js's webgl, wasm and cpu backends, the same update (trainJobs.ts).
// The page is served with 'wasm-unsafe-eval', as the lab panel is. Results go into #out as
// JSON for bench/train.mjs.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type Sampled, merge, oursTrainer, tfJob, timeAll, tryBackend } from './trainJobs';
import { reportToPage } from '../test/browser/pageReport';

const log = (s: string): void => console.log(`[bench:chromium] ${s}`);

async function main(): Promise<Record<string, unknown>> {
  await new Promise((r) => setTimeout(r, 0));
  setWasmPaths(`${location.origin}/`);
  const js = oursTrainer('js');
  const wasm = oursTrainer('wasm');
  const table: Record<string, Sampled> = {};
  for (const be of ['webgl', 'wasm', 'cpu'] as const) {
    if (!(await tryBackend(tf, be, log))) continue;
    const job = tfJob(tf);
    const reps = be === 'cpu' ? 5 : 10;
    merge(table, await timeAll({ 'ours-js': () => js.step(1), 'ours-wasm': () => wasm.step(1), [`tf-${be}`]: job.step }, reps, 1000));
    job.dispose();
    log(`tf-${be}: ${table[`tf-${be}`].ms.toFixed(1)} ms; ours wasm ${table['ours-wasm'].ms.toFixed(1)} ms`);
  }
  return { userAgent: navigator.userAgent, table };
}

reportToPage(main);
