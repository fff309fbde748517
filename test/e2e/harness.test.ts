// The harness itself: code-server starts with the packaged .vsix installed, the workbench shows
// the examples/ workspace, and the extension's static contributions are there before any
// feature runs. If this file fails, every other e2e failure is about the harness, not RNN Lens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VSCode } from './harness';
import { shotsInThemes } from './screenshots';
import { suiteSession } from './session';

describe('e2e harness', () => {
  let vsc: VSCode;
  suiteSession({ name: 'harness' }, (v) => (vsc = v));

  it('opens the examples/ workspace in the explorer', async () => {
    const rows = await vsc.page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
    const names = rows.map((r) => r.trim());
    for (const expected of ['decks', 'notes', 'char_lstm.py', 'numpy_lstm_cell.py', 'keras_gru.py', 'tfjs_rnn.ts']) {
      assert.ok(names.includes(expected), `explorer shows ${expected}; it shows: ${names.join(', ')}`);
    }
    await vsc.screenshot('explorer');
  });

  it('lists RNN Lens among the installed extensions', async () => {
    await vsc.runCommand('Extensions: Show Installed Extensions');
    const row = vsc.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'RNN Lens' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /Learn recurrent neural networks/);
    await vsc.screenshot('extensions-view');
  });

  it('shows the RNN Lens activity-bar container with its Quiz view', async () => {
    const item = vsc.page.locator('.part.activitybar a.action-label[aria-label="RNN Lens"]');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    // A container with one view shows it under the container's title: "RNN Lens: Quiz".
    await vsc.page.locator('.part.sidebar .composite.title h2', { hasText: /RNN Lens: Quiz/i }).waitFor({ timeout: 30_000 });
    // The view's title-bar actions from package.json (menus.view/title).
    for (const label of ['Quiz Me on the Terms in This File', 'Show Review Statistics']) {
      await vsc.page.locator(`.part.sidebar .title-actions a[aria-label="${label}"]`).waitFor({ timeout: 30_000 });
    }
    await vsc.screenshot('rnn-lens-sidebar');
  });

  it('reaches into a webview and collects its CSP violations', async () => {
    // VS Code's own Markdown preview is the webview here, so this checks the harness alone.
    await vsc.openFile('notes/bptt.md', 1);
    await vsc.runCommand('Markdown: Open Preview to the Side');
    const preview = await vsc.findWebview('h1', { extensionId: 'vscode.markdown-language-features' });
    assert.equal(await preview.locator('h1').innerText(), 'Backpropagation through time (BPTT)');
    assert.deepEqual(vsc.webviewIssues().filter((i) => i.kind === 'csp'), [], 'the preview loads without CSP violations');
    // A request the preview's CSP forbids (connect-src falls back to default-src 'none').
    await preview.locator('body').evaluate(() => {
      void fetch('http://127.0.0.1:9/blocked').catch(() => undefined);
    });
    const csp = await vsc.waitForWebviewIssue((i) => i.kind === 'csp' && i.text.includes('connect-src'));
    assert.match(csp.frameUrl, /fake\.html/, 'reported from the inner (content) frame');
    vsc.clearWebviewIssues();
    await vsc.screenshot('markdown-preview');
    await vsc.runCommand('View: Close All Editors');
  });

  it('opens a file at a line and switches themes', async () => {
    await vsc.openFile('numpy_lstm_cell.py', 40);
    await vsc.setTheme('Default Light Modern');
    await shotsInThemes(vsc, 'light-theme', ['Default High Contrast', 'high-contrast']);
    await vsc.setTheme('Default Dark Modern');
  });
});
