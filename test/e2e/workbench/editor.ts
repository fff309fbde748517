// Editors: opening files, moving the cursor, and hovering words in text editors and notebooks.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { SLOW, exactText, plain, waitFor } from '../common';
import { quickInput, quickOpen, quickPickRows } from './palette';
import type { HoverResult } from './types';

/** Opens a workspace file through Quick Open and, if given, puts the cursor on `line` (1-based). */
export async function openFile(page: Page, rel: string, line?: number, column = 1): Promise<void> {
  const base = rel.split('/').pop() ?? rel;
  await quickOpen(page, rel);
  const row = quickPickRows(page).filter({ has: page.locator('.label-name', { hasText: exactText(base) }) }).first();
  await row.waitFor({ timeout: SLOW });
  await page.keyboard.press('Enter');
  await activeEditorFor(page, rel).waitFor({ timeout: SLOW });
  if (line !== undefined) await goTo(page, line, column);
}

/** The editor showing `rel` (its data-uri ends with the path); for a notebook, its first cell editor (cell editors carry no data-uri). */
function activeEditorFor(page: Page, rel: string): Locator {
  if (rel.endsWith('.ipynb')) return notebookCells(page).first();
  return page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${rel}"]`).first();
}

/** The cell editors of the shown notebook (VS Code draws notebooks in an overlay, outside the editor group). */
function notebookCells(page: Page): Locator {
  return page.locator('.notebook-editor .monaco-editor').filter({ visible: true });
}

function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
}

/** Moves the cursor with "Go to Line/Column" (":line:column" in Quick Open). */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await quickOpen(page, `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: SLOW });
  await waitFor(`cursor at ${line}:${column}`, async () => {
    const text = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '');
    return text.includes(`Ln ${line}, Col ${column}`) ? true : undefined;
  }, 10_000);
}

/**
 * Hovers `word` with the mouse, as a user would, and returns the hover once its content has
 * loaded. Without `line`, the first line of the active file containing the word is used.
 */
export async function hoverWord(page: Page, word: string, opts: { line?: number; occurrence?: number; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
  const editor = activeEditor(page);
  const uri = await editor.getAttribute('data-uri');
  if (!uri) throw new Error('hoverWord: no active editor');
  const file = decodeURIComponent(new URL(uri).pathname);
  const lines = readFileSync(file, 'utf8').split('\n');
  const lineNo = opts.line ?? lines.findIndex((l) => l.includes(word)) + 1;
  if (lineNo < 1 || !lines[lineNo - 1]?.includes(word)) throw new Error(`hoverWord: '${word}' not on line ${lineNo} of ${file}`);
  let col = -1;
  for (let k = 0; k <= (opts.occurrence ?? 0); k++) col = lines[lineNo - 1].indexOf(word, col + 1);
  if (col < 0) throw new Error(`hoverWord: occurrence ${opts.occurrence} of '${word}' not on line ${lineNo}`);
  // The cursor on the middle of the word gives its screen position without measuring glyphs.
  const mid = col + Math.max(1, Math.floor(word.length / 2)) + 1;
  const deadline = Date.now() + (opts.timeout ?? 30_000);
  for (;;) {
    await page.mouse.move(0, 0);
    await hideHover(page);
    await goTo(page, lineNo, mid);
    const cursor = editor.locator('.cursors-layer .cursor').first();
    const box = await waitFor('the editor cursor', async () => (await cursor.boundingBox()) ?? undefined, 10_000);
    await page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 2 });
    let result: HoverResult;
    try {
      result = await readHover(page);
    } catch (e) {
      // The first hover of a session can miss (the editor still settling, the mouse event
      // taken before the hover contribution is up): hover again, as a user would.
      if (Date.now() > deadline) throw e;
      continue;
    }
    // A hover does not refresh when a provider becomes ready later (a language server still
    // loading, a deck still being read): hover again until the expected content is there.
    if (!opts.until || opts.until.test(result.text) || Date.now() > deadline) return result;
  }
}

/**
 * Hovers `word` in the active notebook's code cells with the mouse, on the first line that
 * contains `opts.within` (default: the word itself), inside that text, and returns the hover
 * once its content has loaded (as `hoverWord` does in a text editor).
 */
export async function hoverNotebookWord(page: Page, word: string, opts: { within?: string; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
  const within = opts.within ?? word;
  const offset = within.indexOf(word);
  if (offset < 0) throw new Error(`hoverNotebookWord: '${word}' is not in '${within}'`);
  const line = notebookCells(page).locator('.view-line').filter({ hasText: within }).first();
  await line.waitFor({ timeout: SLOW });
  const deadline = Date.now() + (opts.timeout ?? 30_000);
  for (;;) {
    await page.mouse.move(0, 0);
    await hideHover(page);
    await line.waitFor({ timeout: SLOW });
    // The word's box on screen, from a DOM range over the rendered line's text (one node per token).
    const box = await line.evaluate((el, [text, at, length]) => {
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const start = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ').indexOf(text);
      if (start < 0) return undefined;
      const range = document.createRange();
      let pos = 0;
      for (const n of nodes) {
        const end = pos + n.data.length;
        if (start + at >= pos && start + at < end) range.setStart(n, start + at - pos);
        if (start + at + length > pos && start + at + length <= end) range.setEnd(n, start + at + length - pos);
        pos = end;
      }
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, [within, offset, word.length] as const);
    if (!box) throw new Error(`hoverNotebookWord: no rendered line holds '${within}'`);
    await page.mouse.move(box.x, box.y, { steps: 2 });
    // A CodeLens that arrives after the box was measured moves the line down under the mouse,
    // and no hover opens: measure and point again until the deadline.
    const result = await readHover(page).catch((err: unknown) => {
      if (Date.now() > deadline) throw err;
      return undefined;
    });
    if (!result) continue;
    if (!opts.until || opts.until.test(result.text) || Date.now() > deadline) return result;
  }
}

/** Waits for the visible hover and reads it once its content stops changing. */
async function readHover(page: Page): Promise<HoverResult> {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  // Providers answer at different times; wait until the content stops changing.
  let last = '';
  const text = await waitFor('the hover to finish loading', async () => {
    const now = plain(await hover.innerText());
    const done = now === last && now.trim() !== '' && !/^\(?loading\.\.\.\)?$/im.test(now);
    last = now;
    return done ? now : undefined;
  }, 15_000, 300);
  const html = await hover.innerHTML();
  const images = await hover.locator('img').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
  return { text, html, images };
}

export async function hideHover(page: Page): Promise<void> {
  if (await page.locator('.monaco-hover:not(.hidden)').first().isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
  }
}
