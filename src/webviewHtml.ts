// The one HTML shell for every webview: strict CSP (webviewCsp.ts), scripts only by nonce,
// styles, fonts and images only from the extension (webview.cspSource). No inline script, no
// 'unsafe-inline', no 'unsafe-eval', no remote URL; only a page that sets `compileWasm` (the lab)
// may compile WebAssembly, and only one that sets `blobWorkers` (the lab) may start a Worker.
import * as vscode from 'vscode';
import { webviewCsp } from './webviewCsp';

export interface WebviewPage {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  title: string;
  /** Script paths relative to the extension root, e.g. `dist/webview/quiz.js`. */
  scripts: string[];
  /** Stylesheet paths relative to the extension root. */
  styles: string[];
  /** Attributes for <body>, e.g. `{ 'data-view': 'quiz' }`. Values are escaped. */
  bodyAttributes?: Record<string, string>;
  /** Adds 'wasm-unsafe-eval' to script-src (the lab's wasm kernels); absent, WebAssembly cannot compile. */
  compileWasm?: boolean;
  /** Adds worker-src blob: (the lab's training Worker); absent, no Worker can start. */
  blobWorkers?: boolean;
}

export function nonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Webviews may load only what the extension built or ships. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function buildWebviewHtml(page: WebviewPage): string {
  const n = nonce();
  // The toolkit's FAST library adds one <style> element at run time (its :focus-visible probe,
  // fast-web-utilities canUseFocusVisible) and takes its nonce from <meta property="csp-nonce">:
  // publishing the nonce there keeps the CSP free of 'unsafe-inline'.
  const csp = webviewCsp({ source: page.webview.cspSource, nonce: n, compileWasm: page.compileWasm, blobWorkers: page.blobWorkers });
  const uri = (p: string) => page.webview.asWebviewUri(vscode.Uri.joinPath(page.extensionUri, ...p.split('/'))).toString();
  const attrs = Object.entries(page.bodyAttributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${n}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.styles.map((s) => `<link rel="stylesheet" href="${uri(s)}">`).join('\n')}
<title>${escapeHtml(page.title)}</title>
</head>
<body${attrs}>
${page.scripts.map((s) => `<script nonce="${n}" src="${uri(s)}"></script>`).join('\n')}
</body>
</html>`;
}
