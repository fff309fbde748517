// Clicks a CodeLens as a user would: opens the example file at the first line holding `needle`,
// waits for the lens titled `title` above it in the active editor, clicks it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type VSCode } from './harness';

export async function clickCodeLens(vsc: VSCode, file: string, needle: string, title: string): Promise<void> {
  const line = readFileSync(join(ROOT, 'examples', file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
  await vsc.openFile(file, line);
  const lens = vsc.page.locator('.editor-group-container.active .codelens-decoration a:visible', { hasText: title }).first();
  await lens.waitFor({ timeout: 60_000 });
  await lens.click();
}
