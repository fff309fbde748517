// The lab view (dist/webview/lab.js) as a page for headless Chromium, without VS Code: a tiny
// server serves dist/ and media/ and a page built like src/webviewHtml.ts does, under the lab's
// CSP (src/webviewCsp.ts), plus one nonce'd script standing in for VS Code's acquireVsCodeApi:
// it records what the view sends and CSP violations, keeps setState, answers `ready` with a
// `show` and `requestText` with a `text`. Shared by the lab and playground browser tests.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LabHostMessage, LabViewState } from '../../protocol';
import { LAB_POLICY, webviewCsp } from '../../src/webviewCsp';
import { findRoot, launchChromium } from './harness';

export { distinctColours } from '../fixtures/canvas';

export const ROOT = findRoot(__dirname);
const NONCE = 'labtestnonce0123456789';
const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.html': 'text/html',
};

export function showMessage(state: LabViewState): LabHostMessage {
  return { type: 'show', state, cards: [{ id: 'lstm-forward-pass', question: 'Implement an LSTM cell forward pass' }], notes: [] };
}

/**
 * How a test opens the lab page: the document parsed, not every subresource loaded. The page's
 * first state is then awaited on its own selector, so a machine slowed down by other work waits
 * longer instead of failing at the navigation.
 */
export const LOAD = { waitUntil: 'domcontentloaded', timeout: 60_000 } as const;

/**
 * The lab's page under the lab's policy (LAB_POLICY); `compileWasm: false` takes WebAssembly
 * away, `blobWorkers: false` the Worker (as a policy that refuses it would).
 */
export function labPage(show: LabHostMessage, opts: { compileWasm?: boolean; blobWorkers?: boolean; text?: string; backend?: string; charText?: string } = {}): string {
  const csp = webviewCsp({ source: `'self'`, nonce: NONCE, compileWasm: opts.compileWasm ?? LAB_POLICY.compileWasm, blobWorkers: opts.blobWorkers ?? LAB_POLICY.blobWorkers });
  const text = JSON.stringify(opts.text ?? '');
  const shim = `
    window.__sent = []; window.__issues = []; window.__longTasks = []; let saved;
    // Tasks over 50 ms on the page's thread (the benchmark reads them).
    try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true }); } catch {}
    window.addEventListener('securitypolicyviolation', (e) => window.__issues.push('csp ' + e.effectiveDirective + ' ' + e.blockedURI));
    window.addEventListener('error', (e) => window.__issues.push('error ' + e.message));
    const origError = console.error.bind(console);
    console.error = (...a) => { window.__issues.push('console.error ' + a.join(' ')); origError(...a); };
    window.acquireVsCodeApi = () => ({
      postMessage(m) {
        window.__sent.push(m);
        if (m.type === 'ready') setTimeout(() => window.postMessage(${JSON.stringify(show)}, '*'), 0);
        if (m.type === 'requestCharText') setTimeout(() => window.postMessage({ type: 'charText', label: 'the test text', text: ${JSON.stringify(opts.charText ?? '')} }, '*'), 0);
        if (m.type === 'requestText') setTimeout(() => window.postMessage({ type: 'text', source: m.source, label: 'the test text', text: ${text} }, '*'), 0);
      },
      getState() { return saved; }, setState(s) { saved = s; },
    });`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${NONCE}">
<link rel="stylesheet" href="/dist/webview/katex/katex.min.css">
<link rel="stylesheet" href="/dist/webview/uPlot.min.css">
<link rel="stylesheet" href="/media/lab.css">
<link rel="stylesheet" href="/media/lab-demos.css">
<title>lab</title></head>
<body class="vscode-dark" data-view="lab" data-backend="${opts.backend ?? 'auto'}">
<script nonce="${NONCE}">${shim}</script>
<script nonce="${NONCE}" src="/dist/webview/lab.js"></script>
</body></html>`;
}

/** Serves `html()` at / and the repository's files elsewhere. */
export async function serveLab(html: () => string): Promise<{ base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html());
      return;
    }
    const file = normalize(join(ROOT, url.pathname));
    if (!file.startsWith(ROOT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** CSP violations, uncaught errors and console errors the page recorded. */
export async function pageIssues(p: Page): Promise<string[]> {
  return p.evaluate(() => (window as unknown as { __issues: string[] }).__issues);
}

/**
 * One suite's browser and lab server (its before/after hooks registered here): `open` serves a
 * page from labPage() and waits for the demo's root `selector`.
 */
export function labSession(name: string): { open(html: string, selector: string): Promise<Page> } {
  let server: { base: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let page = '';
  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist/webview/lab.js')), 'build first: node esbuild.mjs');
    server = await serveLab(() => page);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    async open(html, selector) {
      page = html;
      const p = await browser!.newPage({ viewport: { width: 1200, height: 1600 } });
      p.on('pageerror', (e) => console.error(`[${name} page] ${e.stack ?? e.message}`));
      await p.goto(server!.base, LOAD);
      await p.locator(selector).waitFor({ timeout: 60_000 });
      return p;
    },
  };
}
