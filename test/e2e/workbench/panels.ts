// Panels and editors of the workbench itself: Workspace Trust, Running Extensions, Output, Problems.
import type { Page } from 'playwright-core';
import { SLOW, exactText, plain, waitFor } from '../common';
import { quickPickRows, runCommand } from './palette';
import type { ProblemRow } from './types';

/** Trusts the workspace folder (a session started with `restricted`) as a user does, in the Workspace Trust editor. */
export async function trustWorkspace(page: Page): Promise<void> {
  await runCommand(page, 'Workspaces: Manage Workspace Trust');
  const editor = page.locator('.workspace-trust-editor');
  await editor.getByRole('button', { name: 'Trust', exact: true }).first().click({ timeout: SLOW });
  await editor.getByText(/You trust this (folder|workspace)|trusted/i).first().waitFor({ timeout: SLOW });
}

/**
 * Opens "Developer: Show Running Extensions" and returns each named extension's row text. The
 * list is sorted slowest first and draws only the rows in view, so it is scrolled until every
 * named row has been drawn (a quickly activated extension sits far down).
 */
export async function runningExtensions(page: Page, names: string[]): Promise<Record<string, string>> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor .monaco-list').first();
  await list.waitFor({ timeout: SLOW });
  const found: Record<string, string> = {};
  let scrolls = 0;
  const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
  await waitFor(`Running Extensions to list ${names.join(', ')}`, async () => {
    for (const name of names) {
      const row = rows.filter({ hasText: name }).first();
      // An activated extension's row names its time ("Activation: 12ms"); before that it is still coming in.
      if (!found[name] && (await row.count()) > 0 && /Activation: \d+\s*ms/.test(await row.innerText())) found[name] = await row.innerText();
    }
    if (names.every((n) => found[n])) return true;
    // Down the list, then back up, so that a row passed before it had its time is seen again.
    await list.hover();
    await page.mouse.wheel(0, scrolls++ % 20 < 10 ? 200 : -200);
    return undefined;
  }, 30_000, 200);
  return found;
}

/** Shows an output channel and returns its text once it contains `until` (if given). */
export async function outputChannel(page: Page, name: string, until?: RegExp): Promise<string> {
  // The picker lists the channels that exist when it opens: a channel the extension creates on
  // activation may come after it, so reopen the picker until the channel is listed. The command
  // itself can be missing from the palette for a while after the window opens (seen in the web
  // worker host), and an open palette does not add it: reopen the palette too.
  await waitFor(`output channel "${name}" in the picker`, async () => {
    try {
      await runCommand(page, 'Output: Show Output Channels...', 5_000);
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
    const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(name) }) }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
    await row.click();
    return true;
  }, SLOW, 500);
  const view = page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
  await view.waitFor({ timeout: SLOW });
  const lines = view.locator('.monaco-editor .view-lines');
  return waitFor(`output channel "${name}"${until ? ` to match ${until}` : ''}`, async () => {
    const text = plain(await lines.innerText());
    return !until || until.test(text) ? text : undefined;
  }, 30_000, 300);
}

/** Rows of the Problems panel (files and their problems), once `until` matches one of them. */
export async function problems(page: Page, until?: RegExp): Promise<ProblemRow[]> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const rows = page.locator('.markers-panel .monaco-list-row');
  return waitFor(`Problems panel${until ? ` to show ${until}` : ''}`, async () => {
    const out: ProblemRow[] = [];
    for (const row of await rows.all()) {
      out.push({ label: plain((await row.getAttribute('aria-label')) ?? ''), text: plain(await row.innerText()) });
    }
    return !until || out.some((r) => until.test(r.label) || until.test(r.text)) ? out : undefined;
  }, 30_000, 300);
}
