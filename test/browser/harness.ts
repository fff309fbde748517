// Shared by the browser tests and the benchmark: a one-page http server on 127.0.0.1 that
// sends a webview's CSP exactly as the extension builds it (src/webviewCsp.ts: the lab's, with
// 'wasm-unsafe-eval', or the quiz's, without), and headless Chromium launched the way
// docs/TESTING.md says (Debian's binary, background networking off).
import * as esbuild from 'esbuild';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { webviewCsp } from '../../src/webviewCsp';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The repository root: the nearest folder up from `from` whose package.json is rnn-lens's. */
export function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'rnn-lens') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the rnn-lens root above ${from}`);
  }
}

/**
 * Bundles a page script as the webviews are bundled (esbuild.mjs): one iife for the browser, with
 * `.wat` imports compiled to WebAssembly by the build's own plugin (scripts/wat.mjs).
 */
export async function buildPageScript(entry: string, outfile: string, define: Record<string, string> = {}): Promise<void> {
  // Loaded at run time: the plugin is an ES module of the build, not part of this bundle.
  const wat = pathToFileURL(join(findRoot(__dirname), 'scripts', 'wat.mjs')).href;
  const { watPlugin } = (await import(wat)) as { watPlugin: esbuild.Plugin };
  await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"', ...define }, plugins: [watPlugin],
  });
}

export interface PageServer {
  url: string;
  nonce: string;
  close(): Promise<void>;
}

export interface PageOptions {
  /** URL path -> file on disk; '/main.js' is the page's own script. */
  files: Record<string, string>;
  /** true: the lab's policy (WebAssembly may compile); false: the quiz's. */
  compileWasm: boolean;
  /** Directives appended to the webview's policy, for a page that also runs more than the webview does (the benchmark's TF.js fetches its .wasm). */
  extraDirectives?: (origin: string) => string[];
}

const TYPES: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', css: 'text/css' };

export async function servePage(opts: PageOptions): Promise<PageServer> {
  const nonce = randomBytes(16).toString('base64');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (path === '/') {
      const csp = [webviewCsp({ source: origin, nonce, compileWasm: opts.compileWasm }), ...(opts.extraDirectives?.(origin) ?? [])].join('; ');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>running</title></head>
<body><pre id="out"></pre><script nonce="${nonce}" src="/main.js"></script></body></html>`);
      return;
    }
    const file = opts.files[path];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const ext = path.split('.').pop() ?? '';
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    nonce,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
