// The e2e harness: RNN Lens in the real VS Code (code-server 4.139.1 = VS Code 1.139.1),
// driven by playwright-core with Debian's Chromium. code-server rather than
// @vscode/test-electron because VS Code's own test runners download VS Code at run time, which
// these machines cannot do (docs/TESTING.md). test/e2e/setup.mjs installs code-server.
//
// Usage: one code-server + Chromium per test file (`npm test -- e2e` runs files one at a time):
//
//   import assert from 'node:assert/strict';
//   import { after, afterEach, before, describe, it } from 'node:test';
//   import { VSCode } from './harness';
//
//   describe('hover', () => {
//     let vsc: VSCode;
//     before(async () => { vsc = await VSCode.start({ name: 'hover' }); });  // packages the .vsix if stale
//     afterEach(async (t) => { await vsc?.screenshotAfter(t); });            // every test leaves a screenshot
//     after(async () => { await vsc?.close(); });                           // kills code-server + Chromium
//
//     it('explains nn.LSTM', async () => {
//       await vsc.openFile('char_lstm.py');              // activates the extension (onLanguage:python)
//       const hover = await vsc.hoverWord('LSTM', { line: 60, until: /forget gate/ });
//       assert.match(hover.text, /forget gate/);
//       await vsc.screenshot('hover-lstm');              // artifacts/e2e/hover-hover-lstm.png
//     });
//   });
//
// Helpers (all wait on selectors, none sleeps a fixed time):
//   openFile(rel, line?, col?), goTo(line, col), hoverWord(word, { line?, occurrence?, until? })
//   -> { text, html, images }, runCommand('RNN Lens: ...'), quickOpen(text), pick(label),
//   paletteItems(query), outputChannel(name, until?), problems(until?), webviewFrame(extId?),
//   findWebview(selector) (the content frame, two iframes deep), webviewIssues() /
//   waitForWebviewIssue(pred) / clearWebviewIssues() (CSP violations, console errors and
//   uncaught errors from every webview frame), setTheme(theme), updateSettings({...}) (the
//   workspace's .vscode/settings.json), screenshot(name), workspaceFile(rel), remoteExtensionHostLog()
//   (the Node extension host's log: which extensions it activated).
// The workspace is a fresh copy of examples/ in a temp dir, so a test may write files there.
// Env: RNN_LENS_E2E_KEEP=1 keeps the temp dir (code-server.log inside); RNN_LENS_E2E_VSIX=path
// tests a given .vsix; RNN_LENS_E2E_HEADED=1 shows the browser (needs a display);
// CHROMIUM_PATH overrides /usr/bin/chromium; RNN_LENS_CACHE moves the code-server cache.
//
// The harness in parts: common.ts (paths, waitFor, timings), processes.ts (process groups and
// temp dirs), vsix.ts (packaging), server.ts (code-server's lifecycle), workbench/ (the page
// object: the VSCode class, its actions in one module per concern). Tests import from here.
export { ARTIFACTS, EXTENSION_ID, ROOT, safeName } from './common';
export { ensureVsix } from './vsix';
export { VSCode, type HoverResult, type ProblemRow, type StartOptions, type Theme, type WebviewIssue } from './workbench';
