// The checkpoint inspector as the e2e tests see it in code-server: opened from the explorer's
// context menu, and its webview once it has drawn.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import type { VSCode } from './harness';

/** The inspector's webview once it has computed and listed the gates, their spectra included. */
export async function inspectorPanel(vsc: VSCode): Promise<FrameLocator> {
  const frame = await vsc.findWebview('#inspect-demo');
  await frame.locator('#lab-status[data-ms]').waitFor({ timeout: 60_000 });
  await frame.locator('#inspect-gates tbody tr').first().waitFor({ timeout: 60_000 });
  await spectraComputed(frame);
  return frame;
}

/** The spectra job (computed beside the page) has filled the gate table: no "…" is left in it. */
export async function spectraComputed(frame: FrameLocator): Promise<void> {
  await frame.locator('#inspect-gates tbody td', { hasText: '…' }).first().waitFor({ state: 'detached', timeout: 60_000 });
}

/** Right-clicks `file` inside the top-level `folder` in the explorer and takes "Inspect Recurrent Layers". */
export async function inspectFromExplorer(vsc: VSCode, folder: string, file: string): Promise<FrameLocator> {
  await vsc.runCommand('View: Show Explorer');
  const tree = vsc.page.locator('.explorer-folders-view');
  // Expanded, not toggled: the explorer may already show the folder open (a click would close it).
  const folderRow = tree.locator('.monaco-list-row', { hasText: new RegExp(`^${folder}$`) });
  await folderRow.waitFor({ timeout: 30_000 });
  const open = tree.locator('.monaco-list-row[aria-expanded="true"]', { hasText: new RegExp(`^${folder}$`) });
  // A click while the tree is still being laid out can be lost: click again, at most three times.
  for (let i = 0; i < 3 && (await open.count()) === 0; i++) {
    await folderRow.click();
    await open.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  assert.equal(await open.count(), 1, `the explorer shows ${folder}/ open`);
  await tree.locator('.monaco-list-row', { hasText: file }).click({ button: 'right' });
  // The menu item as a keyboard user takes it: focused (by pointing at it), then Enter.
  await vsc.page.locator('.monaco-menu .action-item', { hasText: 'Inspect Recurrent Layers' }).hover();
  await vsc.page.keyboard.press('Enter');
  return inspectorPanel(vsc);
}
