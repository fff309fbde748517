// The one Content-Security-Policy every webview gets (webviewHtml.ts), kept free of `vscode` so
// the browser tests and the benchmark serve their pages under this exact string:
//   default-src 'none'; scripts only by nonce; styles, fonts and images only from `source`
//   (webview.cspSource in VS Code). No 'unsafe-eval', no 'unsafe-inline', no remote URL.
// Two extras exist, and a page asks for each by name: `compileWasm` adds 'wasm-unsafe-eval' to
// script-src, which lets the page compile WebAssembly and nothing else (eval and new Function
// stay refused); `blobWorkers` adds worker-src blob:, which lets the page start dedicated
// Workers from scripts it made itself (a blob: URL) and from nowhere else. Only the lab asks for
// them (its wasm kernels, its training Worker: LAB_POLICY); the quiz never does.

export interface CspOptions {
  /** Where styles, fonts and images may come from: webview.cspSource, or a test server's origin. */
  source: string;
  /** The page's script nonce; it also marks the one run-time <style> the toolkit adds. */
  nonce: string;
  /** Adds 'wasm-unsafe-eval' to script-src: WebAssembly.Module/instantiate work, eval does not. */
  compileWasm?: boolean;
  /** Adds worker-src blob:: a Worker may run a script the page made (a Blob), no other one. */
  blobWorkers?: boolean;
}

/** The lab's extras, in one place for the panel and the tests that serve its page. */
export const LAB_POLICY = { compileWasm: true, blobWorkers: true } as const satisfies Partial<CspOptions>;

export const WASM_UNSAFE_EVAL = `'wasm-unsafe-eval'`;

export function webviewCsp(opts: CspOptions): string {
  const scripts = [`'nonce-${opts.nonce}'`, ...(opts.compileWasm ? [WASM_UNSAFE_EVAL] : [])];
  return [
    `default-src 'none'`,
    `script-src ${scripts.join(' ')}`,
    `style-src ${opts.source} 'nonce-${opts.nonce}'`,
    `font-src ${opts.source}`,
    `img-src ${opts.source} data:`,
    ...(opts.blobWorkers ? ['worker-src blob:'] : []),
  ].join('; ');
}
