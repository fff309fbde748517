// The page object: one code-server session in Chromium, and the workbench actions a user takes
// there (Quick Open, commands, editors, hovers, webviews, panels, settings, screenshots). Every
// helper waits on selectors; none sleeps a fixed time.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../browser/harness';
import { ARTIFACTS, SLOW, safeName, timed, waitFor } from '../common';
import { startCodeServer, type CodeServer } from '../server';
import { goTo, hideHover, hoverNotebookWord, hoverWord, openFile } from './editor';
import { paletteItems, pick, quickOpen, reloadWindow, runCommand } from './palette';
import { outputChannel, problems, runningExtensions, trustWorkspace } from './panels';
import { setTheme, updateSettings } from './settings';
import type { HoverResult, ProblemRow, StartOptions, Theme, WebviewIssue } from './types';
import { findWebview, watchWebviews, webviewFrame } from './webviews';

export type { HoverResult, ProblemRow, StartOptions, Theme, WebviewIssue } from './types';

export class VSCode {
  /** The temp copy of the workspace (absolute path). */
  readonly workspaceDir: string;
  readonly url: string;
  private readonly issues: WebviewIssue[] = [];
  private readonly screenshots = new Set<string>();
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.workspaceDir = server.workspaceDir;
    this.url = server.url;
  }

  /** Packages (once), installs the .vsix into a fresh code-server, opens the workspace in Chromium. */
  static async start(opts: StartOptions): Promise<VSCode> {
    const name = safeName(opts.name);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const server = await startCodeServer({ ...opts, name });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: process.env.RNN_LENS_E2E_HEADED !== '1',
        // Without the background-networking flags Chromium floods the closed network (docs/TESTING.md).
        args: [...CHROMIUM_ARGS, '--disable-dev-shm-usage'],
      });
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 } });
      const page = await context.newPage();
      const vsc = new VSCode(name, server, browser, context, page);
      await watchWebviews(vsc.context, page, vsc.issues);
      await timed('workbench ready', name, async () => {
        await page.goto(server.url);
        await page.locator('.monaco-workbench').waitFor({ timeout: SLOW });
        // The explorer lists the workspace once the remote file system answered.
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: SLOW });
        // The extension's contributions are registered (commands in the palette, views) once its
        // activity-bar container shows; before that the palette does not list its commands.
        await page.locator('.part.activitybar a[aria-label="RNN Lens"]').waitFor({ timeout: SLOW });
      });
      return vsc;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      console.error(`[e2e ${name}] start failed; code-server log:\n${existsSync(server.logFile) ? readFileSync(server.logFile, 'utf8').slice(-4000) : '(none)'}`);
      await server.stop();
      throw err;
    }
  }

  /** The text of the Node (remote) extension host's logs: which extensions it activated. */
  remoteExtensionHostLog(): string {
    return this.server.remoteExtensionHostLog();
  }

  /** Everything the webviews complained about so far (CSP violations, console errors, uncaught errors). */
  webviewIssues(): WebviewIssue[] {
    return [...this.issues];
  }

  /** Waits until a webview reports an issue that `pred` accepts and returns it. */
  async waitForWebviewIssue(pred: (i: WebviewIssue) => boolean, timeout = 10_000): Promise<WebviewIssue> {
    return waitFor('a webview issue', () => this.issues.find(pred), timeout, 100);
  }

  clearWebviewIssues(): void {
    this.issues.length = 0;
  }

  // ----- webviews (./webviews.ts) ----------------------------------------------------------

  webviewFrame(extensionId?: string): FrameLocator {
    return webviewFrame(this.page, extensionId);
  }

  async findWebview(selector: string, opts: { extensionId?: string; timeout?: number } = {}): Promise<FrameLocator> {
    return findWebview(this.page, selector, opts);
  }

  /** Absolute path of a file in the workspace copy. */
  workspaceFile(rel: string): string {
    return join(this.workspaceDir, rel);
  }

  // ----- quick input, the command palette (./palette.ts) -------------------------------------

  async quickOpen(value: string): Promise<Locator> {
    return quickOpen(this.page, value);
  }

  async paletteItems(query: string): Promise<string[]> {
    return paletteItems(this.page, query);
  }

  async reloadWindow(): Promise<void> {
    return reloadWindow(this.page);
  }

  async runCommand(title: string): Promise<void> {
    return runCommand(this.page, title);
  }

  async pick(label: string | RegExp): Promise<void> {
    return pick(this.page, label);
  }

  // ----- editors and hovers (./editor.ts) ---------------------------------------------------

  async openFile(rel: string, line?: number, column = 1): Promise<void> {
    return openFile(this.page, rel, line, column);
  }

  async goTo(line: number, column = 1): Promise<void> {
    return goTo(this.page, line, column);
  }

  async hoverWord(word: string, opts: { line?: number; occurrence?: number; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
    return hoverWord(this.page, word, opts);
  }

  async hoverNotebookWord(word: string, opts: { within?: string; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
    return hoverNotebookWord(this.page, word, opts);
  }

  async hideHover(): Promise<void> {
    return hideHover(this.page);
  }

  // ----- panels (./panels.ts) ---------------------------------------------------------------

  async trustWorkspace(): Promise<void> {
    return trustWorkspace(this.page);
  }

  async runningExtensions(names: string[]): Promise<Record<string, string>> {
    return runningExtensions(this.page, names);
  }

  async outputChannel(name: string, until?: RegExp): Promise<string> {
    return outputChannel(this.page, name, until);
  }

  async problems(until?: RegExp): Promise<ProblemRow[]> {
    return problems(this.page, until);
  }

  // ----- settings and theme (./settings.ts) -------------------------------------------------

  async updateSettings(patch: Record<string, unknown>): Promise<void> {
    return updateSettings(this.workspaceDir, patch);
  }

  async setTheme(theme: Theme): Promise<void> {
    return setTheme(this.page, this.workspaceDir, theme);
  }

  // ----- artifacts ---------------------------------------------------------------------------

  /** Saves artifacts/e2e/<session>-<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = join(ARTIFACTS, `${this.name}-${safeName(name)}.png`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: file });
    this.screenshots.add(file);
    return file;
  }

  /** For afterEach: a screenshot named after the test (marked FAILED when it failed). */
  async screenshotAfter(t: { name: string }): Promise<void> {
    if (this.closed) return;
    await this.screenshot(`after-${t.name}`).catch((err) => console.error(`[e2e ${this.name}] screenshot failed: ${String(err)}`));
  }

  /** Closes Chromium, kills code-server's process group and removes the temp dir. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await timed('close', this.name, async () => {
      await this.browser.close().catch(() => undefined);
      await this.server.stop();
    });
  }
}
