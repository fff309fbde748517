// Quick input (command palette): Quick Open, commands by their titles, and the quick picks they open.
import type { Locator, Page } from 'playwright-core';
import { SLOW, exactText, plain, waitFor } from '../common';

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Opens Quick Open (F1) with `value` typed: ">..." for commands, a path for files, ":line" to go to a line. */
export async function quickOpen(page: Page, value: string): Promise<Locator> {
  const widget = quickInput(page);
  const input = widget.locator('.quick-input-box input');
  // A webview that takes focus a moment after the previous step (the quiz does when it shows a
  // card) closes the palette again: open it anew, a few times, until the text is in.
  for (let attempt = 1; ; attempt++) {
    if (await widget.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: SLOW });
    try {
      await input.fill(value, { timeout: 5_000 });
      return input;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

export function quickPickRows(page: Page): Locator {
  return quickInput(page).locator('.quick-input-list .monaco-list-row');
}

/** Labels shown in the command palette for `query` (scrolls through the virtualised list). */
export async function paletteItems(page: Page, query: string): Promise<string[]> {
  await quickOpen(page, `>${query}`);
  const rows = quickPickRows(page);
  await rows.first().waitFor({ timeout: SLOW });
  await settleList(page);
  const seen = new Set<string>();
  for (let stale = 0; stale < 2;) {
    const before = seen.size;
    for (const label of await rows.locator('.label-name').allInnerTexts()) seen.add(plain(label).trim());
    await page.keyboard.press('PageDown');
    stale = seen.size === before ? stale + 1 : 0;
  }
  await page.keyboard.press('Escape');
  return [...seen];
}

/** Waits until the quick-pick list stops changing (results arrive in batches). */
async function settleList(page: Page): Promise<void> {
  let last = '';
  await waitFor('the quick pick list to settle', async () => {
    const now = (await quickPickRows(page).allInnerTexts()).join('\n');
    const stable = now === last && now !== '';
    last = now;
    return stable ? true : undefined;
  }, SLOW, 250);
}

/**
 * "Developer: Reload Window", as a user would reload: VS Code first flushes its storage (global
 * state, and the webviews' saved state, which it otherwise writes a few seconds behind). A bare
 * page reload does not wait for that flush, so a change made a moment before can be lost.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/**
 * Runs a command by its palette title, e.g. "RNN Lens: Reload Decks", as a user would. `listed`
 * bounds the wait for the command's row: an open palette does not add a command whose
 * precondition becomes true after it opened, so a caller that expects that reopens it instead.
 */
export async function runCommand(page: Page, title: string, listed = SLOW): Promise<void> {
  await quickOpen(page, `>${title}`);
  const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(title) }) }).first();
  await row.waitFor({ timeout: listed });
  await row.click();
  // Done when the palette closed, or when the command opened a quick pick of its own
  // (the input no longer holds the command query).
  const input = quickInput(page).locator('.quick-input-box input');
  await waitFor(`"${title}" to leave the command palette`, async () => {
    if (!(await quickInput(page).isVisible())) return true;
    return (await input.inputValue().catch(() => '')) !== `>${title}` ? true : undefined;
  }, SLOW, 100);
}

/** Picks an entry in the quick pick that a command opened (e.g. a card or a channel name). */
export async function pick(page: Page, label: string | RegExp): Promise<void> {
  const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: typeof label === 'string' ? exactText(label) : label }) }).first();
  await row.waitFor({ timeout: SLOW });
  await row.click();
}
