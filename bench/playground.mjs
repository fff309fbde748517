// `npm run bench:playground`: the training playground in headless Chromium, on the real lab page
// (test/browser/labPage.ts, the lab's CSP), at its defaults (tanh RNN, IRNN, LSTM and GRU on the
// adding problem, T=30, H=32, B=16, wasm): run steps per second (a step = every model's update)
// over a fixed number of steps, with the models in the lab's Workers and, under a policy without
// worker-src blob:, all on the page's one thread; and the longest task on the page's thread while
// they train (a PerformanceObserver of long tasks, which reports tasks over 50 ms). Goal on a
// 2-core machine: ≥ 1.6× the one-thread rate, no task over 50 ms. Writes `chromium.playground`
// into bench/results-browser.json (the kernels' Chromium results, kept), or out/bench/ with --quick.
//   node bench/playground.mjs [--steps N] [--quick]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outDir, root } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const STEPS = arg('--steps', quick ? 100 : 400);
const WARM = 30;

mkdirSync(outDir, { recursive: true });
if (!existsSync(join(root, 'dist', 'webview', 'lab.js'))) {
  console.error('bench/playground.mjs: build first (node esbuild.mjs)');
  process.exit(1);
}
const external = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' };
await esbuild.build({ ...external, entryPoints: [join(root, 'test', 'browser', 'labPage.ts')], outfile: join(outDir, 'labPage.cjs') });
await esbuild.build({ ...external, entryPoints: [join(root, 'test', 'browser', 'harness.ts')], outfile: join(outDir, 'harness.cjs') });
await esbuild.build({ ...external, entryPoints: [join(root, 'protocol', 'index.ts')], outfile: join(outDir, 'protocol.cjs') });
const lab = require(join(outDir, 'labPage.cjs'));
const h = require(join(outDir, 'harness.cjs'));
const { LAB_DEFAULTS } = require(join(outDir, 'protocol.cjs'));

const state = {
  demo: 'train', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt },
  train: { ...LAB_DEFAULTS.train, models: [...LAB_DEFAULTS.train.models], running: true },
};

let html = '';
const server = await lab.serveLab(() => html);
const browser = await h.launchChromium();

/** One run: the page's steps per second over STEPS steps after WARM, and the longest task meanwhile. */
async function measure(blobWorkers) {
  html = lab.labPage(lab.showMessage(state), { backend: 'wasm', blobWorkers });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  await page.goto(server.base, lab.LOAD);
  await page.waitForFunction((n) => Number(globalThis.document.querySelector('#train-stats')?.getAttribute('data-step')) >= n, WARM, { timeout: 300_000 });
  const start = await page.evaluate(() => ({ t: globalThis.performance.now(), step: Number(globalThis.document.querySelector('#train-stats')?.getAttribute('data-step')) }));
  await page.waitForFunction((n) => Number(globalThis.document.querySelector('#train-stats')?.getAttribute('data-step')) >= n, start.step + STEPS, { timeout: 600_000, polling: 'raf' });
  const end = await page.evaluate(() => ({ t: globalThis.performance.now(), step: Number(globalThis.document.querySelector('#train-stats')?.getAttribute('data-step')) }));
  const longest = await page.evaluate((t0) => Math.max(0, ...globalThis.__longTasks.filter((e) => e.start >= t0).map((e) => e.ms)), start.t);
  const info = await page.evaluate(() => ({
    workers: Number(globalThis.document.querySelector('#train-stats')?.getAttribute('data-workers') ?? 0),
    where: globalThis.document.querySelector('#train-stats')?.getAttribute('data-where'),
    cores: globalThis.navigator.hardwareConcurrency,
    models: globalThis.document.querySelectorAll('#train-table tbody tr').length,
  }));
  await page.close();
  return { ...info, steps: end.step - start.step, seconds: (end.t - start.t) / 1000, stepsPerSecond: (1000 * (end.step - start.step)) / (end.t - start.t), longestTaskMs: longest };
}

try {
  console.log(`== Chromium: the training playground at its defaults, ${STEPS} steps after ${WARM}`);
  const workers = await measure(true);
  console.log(`  in Workers (${workers.workers}, ${workers.where}): ${workers.stepsPerSecond.toFixed(1)} steps/s, longest task on the page ${workers.longestTaskMs.toFixed(0)} ms`);
  const one = await measure(false);
  console.log(`  one thread (${one.where}): ${one.stepsPerSecond.toFixed(1)} steps/s, longest task on the page ${one.longestTaskMs.toFixed(0)} ms`);
  const playground = {
    models: workers.models, workers: workers.workers, cores: workers.cores, steps: STEPS,
    stepsPerSecond: workers.stepsPerSecond, oneThreadStepsPerSecond: one.stepsPerSecond,
    speedup: workers.stepsPerSecond / one.stepsPerSecond,
    mainThreadLongestTaskMs: workers.longestTaskMs, oneThreadLongestTaskMs: one.longestTaskMs,
    goals: { speedup: 1.6, longestTaskMs: 50 },
    date: new Date().toISOString(),
  };
  console.log(`  speedup ${playground.speedup.toFixed(2)}× (goal ≥ 1.6×); longest task with Workers ${playground.mainThreadLongestTaskMs.toFixed(0)} ms (goal ≤ 50 ms; 0: none over 50 ms)`);
  const file = quick ? join(outDir, 'results-browser.json') : join(here, 'results-browser.json');
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  results.chromium = { ...(results.chromium ?? {}), playground };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote chromium.playground into ${file}`);
} finally {
  await browser.close();
  await server.close();
}
