// Settings and theme: the workspace's settings file, and the colour theme the workbench paints in.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SLOW } from '../common';
import type { Theme } from './types';

const THEME_CLASS: Record<Theme, string> = {
  'Default Light Modern': 'vs',
  'Default Dark Modern': 'vs-dark',
  'Default High Contrast': 'hc-black',
  'Default High Contrast Light': 'hc-light',
};

/**
 * Merges `patch` into the workspace's .vscode/settings.json. The workspace folder is watched
 * reliably; changes to the user settings file on disk are not always picked up by code-server
 * while it runs (seen here), so user settings are only seeded at start (StartOptions.settings).
 */
export async function updateSettings(workspaceDir: string, patch: Record<string, unknown>): Promise<void> {
  const file = join(workspaceDir, '.vscode/settings.json');
  mkdirSync(join(workspaceDir, '.vscode'), { recursive: true });
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
}

/** Switches the colour theme and waits until the workbench has repainted in it. */
export async function setTheme(page: Page, workspaceDir: string, theme: Theme): Promise<void> {
  await updateSettings(workspaceDir, { 'workbench.colorTheme': theme });
  await page.locator(`.monaco-workbench.${THEME_CLASS[theme]}`).waitFor({ timeout: SLOW });
}
