// The lab panel as the e2e tests see it in code-server: its webview, once it has drawn.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import type { VSCode } from './harness';

/** The lab's webview once it has drawn (and the backend chooser has settled). */
export async function labPanel(vsc: VSCode): Promise<FrameLocator> {
  // A command that is contributed but not registered shows "command '…' not found": say why at once.
  const notFound = vsc.page.locator('.notifications-toasts', { hasText: /command 'rnnLens\.[\w.]+' not found/ }).first();
  const found = await Promise.race([
    vsc.findWebview('#lab-root'),
    notFound.waitFor({ timeout: 60_000 }).then(() => undefined, () => new Promise<never>(() => undefined)),
  ]);
  if (!found) throw new Error(`the lab's commands are not registered (${await notFound.innerText()}): src/extension.ts must call register() from src/lab`);
  await found.locator('#lab-status[data-ms]').waitFor({ timeout: 60_000 });
  await found.locator('#lab-status[data-chosen]').waitFor({ timeout: 120_000 });
  return found;
}

/**
 * The lab opened beside the code without taking focus: two editor groups, the tab
 * `RNN Lab: <title>` in the second, and the editor of `file` still the active one.
 */
export async function assertBesideCode(vsc: VSCode, title: string, file: string): Promise<void> {
  const groups = vsc.page.locator('.editor-group-container');
  assert.equal(await groups.count(), 2);
  await groups.nth(1).locator('.tab', { hasText: `RNN Lab: ${title}` }).waitFor();
  assert.equal(await vsc.page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${file}"]`).count(), 1,
    'focus stays in the code (preserveFocus)');
}
