// The gpu backend on webgl2 and the wasm backend in headless Chromium, run by the page's own
// script under the lab's CSP as src/webviewCsp.ts builds it (Playwright's evaluate would bypass
// the CSP, so it only reads the result).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { decide, type Probe } from '../../engine/backends/choose';
import { CHROMIUM, buildPageScript, launchChromium, servePage, type PageServer } from './harness';

// esbuild bundles this file to out/test/browser/; the repo root is three levels up either way.
const root = join(__dirname, '..', '..', '..');
const outDir = join(root, 'out', 'browser');

interface CaseResult { label: string; fwdMaxAbs: number; gradRel: Record<string, number> }
interface PageResult {
  error?: string;
  stack?: string;
  mode: string;
  webgl2: boolean;
  renderer: string | null;
  cases: CaseResult[];
  wasmCases: CaseResult[];
  wasmMulAddCases: CaseResult[];
  wasmInfo: { relaxedSimd: boolean; threads: number; sharedMemoryAvailable: boolean };
  recomputeMs: Record<string, number>;
  liveTexturesWarm: number;
  liveTexturesAfter: number;
  liveTexturesDisposed: number;
  chosen: string;
  probes: { name: string; correct: boolean; ms: number | null; error?: string }[];
  beforeLoss: string;
  afterLoss: CaseResult & { name: string };
  changes: string[];
  cspViolations: string[];
}

let browser: Browser | undefined;
let server: PageServer | undefined;
let result: PageResult;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  const script = join(outDir, 'kernels-page.js');
  await buildPageScript(join(root, 'test', 'browser', 'kernelsPage.ts'), script);
  server = await servePage({ files: { '/main.js': script }, compileWasm: true });
  browser = await launchChromium();
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.title === 'done', undefined, { timeout: 240_000 });
  result = JSON.parse((await page.textContent('#out')) ?? '{}') as PageResult;
  if (result.error) throw new Error(`page failed: ${result.error}\n${result.stack ?? ''}\n${logs.join('\n')}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page ran under the CSP without violations, on webgl2', () => {
  assert.deepEqual(result.cspViolations, []);
  assert.equal(result.mode, 'webgl2');
  assert.equal(result.webgl2, true);
});

function assertAgrees(t: { diagnostic(s: string): void }, cases: CaseResult[]): void {
  for (const c of cases) {
    t.diagnostic(`${c.label}: fwd ${c.fwdMaxAbs.toExponential(1)}, ${Object.entries(c.gradRel).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
    assert.ok(c.fwdMaxAbs < 1e-5, `${c.label}: forward max abs error ${c.fwdMaxAbs}`);
    for (const [k, v] of Object.entries(c.gradRel)) assert.ok(v < 1e-4, `${c.label}: ${k} relative error ${v}`);
  }
}

test('gpu (webgl2) agrees with the float64 reference on every cell, with and without truncation', (t) => {
  assert.ok(result.cases.length >= 8);
  assertAgrees(t, result.cases);
});

test('wasm compiles under the lab\'s CSP and agrees with the float64 reference, SIMD blocks and leftovers alike', (t) => {
  assert.equal(result.wasmCases.length, 6);
  assertAgrees(t, result.wasmCases);
});
test('the wasm engine forced to its mul + add build agrees with the reference too; without cross-origin isolation it runs on one thread', (t) => {
  t.diagnostic(`wasm engine: ${JSON.stringify(result.wasmInfo)}`);
  assert.equal(result.wasmInfo.threads, 1);
  assert.equal(result.wasmInfo.sharedMemoryAvailable, false, 'the test page is not cross-origin isolated');
  assert.equal(result.wasmMulAddCases.length, 3);
  assertAgrees(t, result.wasmMulAddCases);
});


test('one LSTM recompute at the demo size is timed, recomputes add no texture, and dispose frees them all', (t) => {
  for (const [k, v] of Object.entries(result.recomputeMs)) t.diagnostic(`LSTM forward+BPTT T=64 B=1 D=8 H=32, ${k}: ${v.toFixed(2)} ms`);
  t.diagnostic(`renderer: ${result.renderer}`);
  assert.ok(result.recomputeMs['gpu:webgl2'] > 0 && result.recomputeMs.wasm > 0 && result.recomputeMs.js > 0);
  t.diagnostic(`gpu textures: ${result.liveTexturesWarm} after one recompute, ${result.liveTexturesAfter} after more, ${result.liveTexturesDisposed} after dispose`);
  assert.ok(result.liveTexturesWarm > 0);
  assert.equal(result.liveTexturesAfter, result.liveTexturesWarm);
  assert.equal(result.liveTexturesDisposed, 0);
});

test('chooseBackend probes webgl2, webgl, wasm and js, and chooses by the documented rule', (t) => {
  for (const p of result.probes) t.diagnostic(`${p.name}: correct=${p.correct} ms=${p.ms}${p.error ? ` (${p.error})` : ''}`);
  const names = result.probes.map((p) => p.name);
  assert.deepEqual(names, ['gpu:webgl2', 'gpu:webgl', 'wasm', 'js']);
  const correct = result.probes.filter((p) => p.correct);
  assert.ok(correct.some((p) => p.name === 'gpu:webgl2'), 'webgl2 passes its probe');
  assert.ok(correct.some((p) => p.name === 'wasm'), 'wasm passes its probe');
  // Whatever SwiftShader's timings were, the choice is what decide() makes of them.
  const probes = result.probes.map((p) => ({ ...p, ms: p.ms ?? Infinity }) as Probe);
  assert.equal(result.chosen, decide(probes).order[0]);
});

test('a lost WebGL context moves the switch to js, which still answers correctly', () => {
  assert.equal(result.beforeLoss, 'gpu:webgl2');
  assert.equal(result.afterLoss.name, 'js');
  assert.ok(result.changes.some((c) => c === 'js: contextLost'), result.changes.join('; '));
  assert.ok(result.afterLoss.fwdMaxAbs < 1e-5);
  for (const v of Object.values(result.afterLoss.gradRel)) assert.ok(v < 1e-4);
});
