// Shared by the browser tests and the benchmark: a one-page http server on 127.0.0.1 that
// sends the webview's CSP (scripts only by nonce, no 'unsafe-eval'), and headless Chromium
// launched the way docs/TESTING.md says (Debian's binary, background networking off).
import * as esbuild from 'esbuild';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Bundles a page script as the webviews are bundled: one iife for the browser. */
export async function buildPageScript(entry: string, outfile: string, define: Record<string, string> = {}): Promise<void> {
  await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"', ...define },
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
  /** Extra script-src sources, for pages that are not held to the webview's CSP (the benchmark's TF.js wasm). */
  extraScriptSrc?: string;
}

const TYPES: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', css: 'text/css' };

export async function servePage(opts: PageOptions): Promise<PageServer> {
  const nonce = randomBytes(16).toString('base64');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (path === '/') {
      const csp = [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'${opts.extraScriptSrc ? ` ${opts.extraScriptSrc}` : ''}`,
        `style-src ${origin}`,
        `img-src ${origin} data:`,
        `connect-src ${origin}`,
      ].join('; ');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>running</title></head>
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
