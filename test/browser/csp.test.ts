// The lab's CSP permits compiling WebAssembly and nothing else; the quiz's permits neither. One
// page script (cspPage.ts) in headless Chromium, served under each policy exactly as the
// extension builds it (src/webviewCsp.ts), so a change to either policy shows here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, buildPageScript, findRoot, launchChromium, servePage } from './harness';

interface PageResult {
  error?: string;
  stack?: string;
  compile: string;
  instantiate: string;
  backend: string;
  evalString: string;
  chosen: string;
  wasmProbe: { available: boolean; correct: boolean; ms: number | null; error?: string };
  violations: string[];
}

const root = findRoot(__dirname);
let browser: Browser | undefined;
let script = '';
let lab: PageResult;
let quiz: PageResult;

async function runUnder(compileWasm: boolean): Promise<PageResult> {
  const server = await servePage({ files: { '/main.js': script }, compileWasm });
  try {
    const page = await browser!.newPage();
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.title === 'done', undefined, { timeout: 120_000 });
    const r = JSON.parse((await page.textContent('#out')) ?? '{}') as PageResult;
    if (r.error) throw new Error(`page failed: ${r.error}\n${r.stack ?? ''}`);
    await page.close();
    return r;
  } finally {
    await server.close();
  }
}

describe('webview CSP and WebAssembly in Chromium', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not found` }, () => {
  before(async () => {
    script = join(root, 'out', 'browser', 'csp-page.js');
    await buildPageScript(join(root, 'test', 'browser', 'cspPage.ts'), script);
    browser = await launchChromium();
    lab = await runUnder(true);
    quiz = await runUnder(false);
  });
  after(async () => {
    await browser?.close();
  });

  it("the lab's policy compiles and runs the wasm kernels, and the chooser's wasm probe passes", () => {
    const r = lab;
    assert.equal(r.compile, 'ok');
    assert.equal(r.instantiate, 'ok');
    assert.equal(r.backend, 'ok');
    assert.equal(r.wasmProbe.available, true);
    assert.equal(r.wasmProbe.correct, true, r.wasmProbe.error);
  });

  it("the lab's policy still refuses JavaScript from a string: 'wasm-unsafe-eval' adds nothing else", () => {
    const r = lab;
    assert.match(r.evalString, /^EvalError/);
    assert.deepEqual(r.violations, ['script-src eval'], 'the only violation is the eval attempt');
  });

  it("the quiz's policy refuses WebAssembly compilation; the chooser says wasm is not available and keeps js", () => {
    const r = quiz;
    assert.match(r.compile, /^CompileError: .*(Content Security Policy|unsafe-eval)/);
    assert.match(r.instantiate, /CompileError/);
    assert.match(r.backend, /the wasm backend is not available here/);
    assert.match(r.evalString, /^EvalError/);
    assert.equal(r.wasmProbe.available, false);
    assert.equal(r.chosen, 'js');
    assert.deepEqual([...new Set(r.violations)].sort(), ['script-src eval', 'script-src wasm-eval']);
  });
});
