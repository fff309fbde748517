// The sidebar quiz as the e2e tests see it in code-server: the status bar's due count, the view
// opened from the activity bar, and the card on screen.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import type { Theme, VSCode } from './harness';

export const LIGHT: Theme = 'Default Light Modern';
export const DARK: Theme = 'Default Dark Modern';

/** The status bar item's count ("RNN Lens: 10 RNN cards due"), or 0 when it is hidden. */
export async function statusCount(vsc: VSCode): Promise<number> {
  const item = vsc.page.locator('.part.statusbar [aria-label^="RNN Lens: "][aria-label*=" due"]').first();
  if (!(await item.isVisible().catch(() => false))) return 0;
  const label = (await item.getAttribute('aria-label')) ?? '';
  const m = /RNN Lens: (\d+) RNN cards? due/.exec(label);
  assert.ok(m, `status bar label: ${label}`);
  return Number(m[1]);
}

export async function waitForStatusCount(vsc: VSCode, pred: (n: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  let last = -1;
  while (Date.now() < deadline) {
    last = await statusCount(vsc);
    if (pred(last)) return last;
    await vsc.page.waitForTimeout(200);
  }
  throw new Error(`status bar count never became ${what} (last: ${last})`);
}

export async function openQuizFromActivityBar(vsc: VSCode): Promise<FrameLocator> {
  // The item (li), not its link: the due-count badge sits over the link's centre.
  const item = vsc.page.locator('.part.activitybar li.action-item:has(> a[aria-label^="RNN Lens"])').first();
  await item.waitFor({ timeout: 60_000 });
  // Clicking the item of the open container closes the side bar, and after a reload the
  // workbench may still be restoring it: click only while it is not showing, and look again.
  const title = vsc.page.locator('.part.sidebar .composite.title').filter({ hasText: /RNN Lens/i });
  for (let attempt = 0; !(await title.isVisible()); attempt++) {
    if (attempt === 5) throw new Error('the RNN Lens side bar did not open from the activity bar');
    if (attempt > 0 || !(await item.evaluate((e) => e.classList.contains('checked')))) await item.click();
    await title.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  return vsc.findWebview('#quiz-root');
}

export async function cardOnScreen(view: FrameLocator): Promise<{ id: string; mode: string; question: string }> {
  const card = view.locator('#card[data-card-id]:not([hidden])');
  await card.waitFor({ timeout: 30_000 });
  return {
    id: (await card.getAttribute('data-card-id')) ?? '',
    mode: (await card.getAttribute('data-mode')) ?? '',
    question: (await view.locator('#question').innerText()).trim(),
  };
}

/** Runs "Import Review Progress..." and picks `file` (in the workspace) in VS Code's open dialog. */
export async function importProgressFile(vsc: VSCode, file: string): Promise<void> {
  await vsc.quickOpen('>RNN Lens: Import Review Progress...');
  await vsc.pick('RNN Lens: Import Review Progress...');
  // The dialog fills in its folder asynchronously: wait until it lists the file, then type.
  const base = file.split('/').pop() ?? file;
  await vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: base }).first().waitFor({ timeout: 30_000 });
  await vsc.page.locator('.quick-input-widget .quick-input-box input').fill(file);
  await vsc.page.waitForFunction((f) => (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value === f, file, { timeout: 10_000 });
  await vsc.page.keyboard.press('Enter');
}

/**
 * Runs "Quiz Me on the Terms in This File" on the active editor and returns the quiz view once
 * its "this file" filter is on and its note matches `note`, with the number of cards the note counts.
 */
export async function quizOnThisFile(vsc: VSCode, note: RegExp): Promise<{ view: FrameLocator; n: number }> {
  await vsc.runCommand('RNN Lens: Quiz Me on the Terms in This File');
  const view = await openQuizFromActivityBar(vsc);
  await view.locator('#filter-this-file[aria-checked="true"]').waitFor({ timeout: 15_000 });
  const shown = view.locator('#this-file-note');
  await shown.filter({ hasText: note }).waitFor({ timeout: 15_000 });
  return { view, n: Number(/: (\d+) card/.exec(await shown.innerText())?.[1]) };
}
