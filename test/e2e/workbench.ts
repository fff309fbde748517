// The page object: one code-server session in Chromium, and the workbench actions a user takes
// there (Quick Open, commands, editors, hovers, webviews, panels, settings, screenshots). Every
// helper waits on selectors; none sleeps a fixed time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../browser/harness';
import { ARTIFACTS, EXTENSION_ID, SLOW, exactText, plain, safeName, timed, waitFor } from './common';
import { startCodeServer, type CodeServer, type ServerOptions } from './server';

export type Theme = 'Default Light Modern' | 'Default Dark Modern' | 'Default High Contrast' | 'Default High Contrast Light';
const THEME_CLASS: Record<Theme, string> = {
  'Default Light Modern': 'vs',
  'Default Dark Modern': 'vs-dark',
  'Default High Contrast': 'hc-black',
  'Default High Contrast Light': 'hc-light',
};


export interface StartOptions extends ServerOptions {
  /** Viewport; default 1440x900. */
  viewport?: { width: number; height: number };
}

export interface HoverResult {
  /** innerText of the whole hover widget (all providers), spaces normalised. */
  text: string;
  html: string;
  /** src of every <img> in the hover (the extension's data: SVGs among them). */
  images: string[];
}

export interface WebviewIssue {
  kind: 'csp' | 'csp-console' | 'console-error' | 'page-error';
  frameUrl: string;
  text: string;
}

export interface ProblemRow {
  /** The row's accessible label, e.g. "Error: id is missing at line 2 column 1 in broken-card.md". */
  label: string;
  text: string;
}

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
      await vsc.watchWebviews();
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

  /**
   * CSP violations and console errors from webview frames. Every frame gets a
   * securitypolicyviolation listener and a console.error hook that report back with the frame's
   * URL; VS Code fills a webview by document.open()/write() on its inner frame, which erases
   * window listeners, so the listeners are added again after every open(). Chromium also logs
   * each violation to the console ("... violates the following Content Security Policy
   * directive ..."), kept as 'csp-console' when it names a webview URL.
   */
  private async watchWebviews(): Promise<void> {
    await this.context.exposeBinding('__rnnLensReport', (source, kind: WebviewIssue['kind'], text: string) => {
      const frameUrl = source.frame.url();
      if (isWebviewUrl(frameUrl)) this.issues.push({ kind, frameUrl, text });
    });
    await this.context.addInitScript(() => {
      const w = globalThis as unknown as { __rnnLensReport?: (k: string, t: string) => void; __rnnLensHooked?: boolean };
      const report = w.__rnnLensReport;
      if (!report || w.__rnnLensHooked) return;
      w.__rnnLensHooked = true;
      const onViolation = (e: SecurityPolicyViolationEvent) => {
        report('csp', `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || 'document'}:${e.lineNumber})`);
      };
      const onError = (e: ErrorEvent) => report('page-error', String(e.message));
      const listen = () => {
        window.addEventListener('securitypolicyviolation', onViolation, true);
        window.addEventListener('error', onError);
      };
      listen();
      const open = Document.prototype.open;
      Document.prototype.open = function (this: Document, ...args: unknown[]) {
        const result = (open as (...a: unknown[]) => unknown).apply(this, args);
        if (this === document) listen();
        return result;
      } as typeof Document.prototype.open;
      const origError = console.error.bind(console);
      console.error = (...args: unknown[]) => {
        report('console-error', args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(' '));
        origError(...args);
      };
    });
    this.page.on('console', (msg) => {
      const url = msg.location().url;
      if (/Content Security Policy|^Refused to/.test(msg.text()) && isWebviewUrl(url)) {
        this.issues.push({ kind: 'csp-console', frameUrl: url, text: msg.text() });
      }
    });
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

  /** The content document of the first ready webview of the extension: two iframes deep. */
  webviewFrame(extensionId = EXTENSION_ID): FrameLocator {
    return this.page.frameLocator(webviewSelector(extensionId)).first().frameLocator('#active-frame');
  }

  /**
   * Waits for the extension's webview whose document contains `selector` (e.g. the quiz view's
   * or the lab panel's root element) and returns it; several webviews may be open at once.
   */
  async findWebview(selector: string, { extensionId = EXTENSION_ID, timeout = SLOW } = {}): Promise<FrameLocator> {
    const outer = this.page.locator(webviewSelector(extensionId));
    return waitFor(`a webview of ${extensionId} containing ${selector}`, async () => {
      const n = await outer.count();
      for (let i = 0; i < n; i++) {
        const frame = this.page.frameLocator(webviewSelector(extensionId)).nth(i).frameLocator('#active-frame');
        if ((await frame.locator(selector).count()) > 0) return frame;
      }
      return undefined;
    }, timeout, 250);
  }

  /** Absolute path of a file in the workspace copy. */
  workspaceFile(rel: string): string {
    return join(this.workspaceDir, rel);
  }

  // ----- quick input (command palette) ------------------------------------------------------

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens Quick Open (F1) with `value` typed: ">..." for commands, a path for files, ":line" to go to a line. */
  async quickOpen(value: string): Promise<Locator> {
    const widget = this.quickInput();
    const input = widget.locator('.quick-input-box input');
    // A webview that takes focus a moment after the previous step (the quiz does when it shows a
    // card) closes the palette again: open it anew, a few times, until the text is in.
    for (let attempt = 1; ; attempt++) {
      if (await widget.isVisible()) await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: SLOW });
      try {
        await input.fill(value, { timeout: 5_000 });
        return input;
      } catch (err) {
        if (attempt >= 4) throw err;
      }
    }
  }

  private rows(): Locator {
    return this.quickInput().locator('.quick-input-list .monaco-list-row');
  }

  /** Labels shown in the command palette for `query` (scrolls through the virtualised list). */
  async paletteItems(query: string): Promise<string[]> {
    await this.quickOpen(`>${query}`);
    const rows = this.rows();
    await rows.first().waitFor({ timeout: SLOW });
    await this.settleList();
    const seen = new Set<string>();
    for (let stale = 0; stale < 2;) {
      const before = seen.size;
      for (const label of await rows.locator('.label-name').allInnerTexts()) seen.add(plain(label).trim());
      await this.page.keyboard.press('PageDown');
      stale = seen.size === before ? stale + 1 : 0;
    }
    await this.page.keyboard.press('Escape');
    return [...seen];
  }

  /** Waits until the quick-pick list stops changing (results arrive in batches). */
  private async settleList(): Promise<void> {
    let last = '';
    await waitFor('the quick pick list to settle', async () => {
      const now = (await this.rows().allInnerTexts()).join('\n');
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
  async reloadWindow(): Promise<void> {
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }

  /** Runs a command by its palette title, e.g. "RNN Lens: Reload Decks", as a user would. */
  async runCommand(title: string): Promise<void> {
    await this.quickOpen(`>${title}`);
    const row = this.rows().filter({ has: this.page.locator('.label-name', { hasText: exactText(title) }) }).first();
    await row.waitFor({ timeout: SLOW });
    await row.click();
    // Done when the palette closed, or when the command opened a quick pick of its own
    // (the input no longer holds the command query).
    const input = this.quickInput().locator('.quick-input-box input');
    await waitFor(`"${title}" to leave the command palette`, async () => {
      if (!(await this.quickInput().isVisible())) return true;
      return (await input.inputValue().catch(() => '')) !== `>${title}` ? true : undefined;
    }, SLOW, 100);
  }

  /** Picks an entry in the quick pick that a command opened (e.g. a card or a channel name). */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.rows().filter({ has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exactText(label) : label }) }).first();
    await row.waitFor({ timeout: SLOW });
    await row.click();
  }

  // ----- editors -----------------------------------------------------------------------------

  /** Opens a workspace file through Quick Open and, if given, puts the cursor on `line` (1-based). */
  async openFile(rel: string, line?: number, column = 1): Promise<void> {
    const base = rel.split('/').pop() ?? rel;
    await this.quickOpen(rel);
    const row = this.rows().filter({ has: this.page.locator('.label-name', { hasText: exactText(base) }) }).first();
    await row.waitFor({ timeout: SLOW });
    await this.page.keyboard.press('Enter');
    await this.activeEditorFor(rel).waitFor({ timeout: SLOW });
    if (line !== undefined) await this.goTo(line, column);
  }

  /** The editor showing `rel` (its data-uri ends with the path); for a notebook, its first cell editor (cell editors carry no data-uri). */
  private activeEditorFor(rel: string): Locator {
    if (rel.endsWith('.ipynb')) return this.notebookCells().first();
    return this.page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${rel}"]`).first();
  }

  /** The cell editors of the shown notebook (VS Code draws notebooks in an overlay, outside the editor group). */
  private notebookCells(): Locator {
    return this.page.locator('.notebook-editor .monaco-editor').filter({ visible: true });
  }

  private activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
  }

  /** Moves the cursor with "Go to Line/Column" (":line:column" in Quick Open). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.quickOpen(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: SLOW });
    await waitFor(`cursor at ${line}:${column}`, async () => {
      const text = await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '');
      return text.includes(`Ln ${line}, Col ${column}`) ? true : undefined;
    }, 10_000);
  }

  /**
   * Hovers `word` with the mouse, as a user would, and returns the hover once its content has
   * loaded. Without `line`, the first line of the active file containing the word is used.
   */
  async hoverWord(word: string, opts: { line?: number; occurrence?: number; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
    const editor = this.activeEditor();
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
      await this.page.mouse.move(0, 0);
      await this.hideHover();
      await this.goTo(lineNo, mid);
      const cursor = editor.locator('.cursors-layer .cursor').first();
      const box = await waitFor('the editor cursor', async () => (await cursor.boundingBox()) ?? undefined, 10_000);
      await this.page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 2 });
      let result: HoverResult;
      try {
        result = await this.readHover();
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
  async hoverNotebookWord(word: string, opts: { within?: string; until?: RegExp; timeout?: number } = {}): Promise<HoverResult> {
    const within = opts.within ?? word;
    const offset = within.indexOf(word);
    if (offset < 0) throw new Error(`hoverNotebookWord: '${word}' is not in '${within}'`);
    const line = this.notebookCells().locator('.view-line').filter({ hasText: within }).first();
    await line.waitFor({ timeout: SLOW });
    const deadline = Date.now() + (opts.timeout ?? 30_000);
    for (;;) {
      await this.page.mouse.move(0, 0);
      await this.hideHover();
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
      await this.page.mouse.move(box.x, box.y, { steps: 2 });
      // A CodeLens that arrives after the box was measured moves the line down under the mouse,
      // and no hover opens: measure and point again until the deadline.
      const result = await this.readHover().catch((err: unknown) => {
        if (Date.now() > deadline) throw err;
        return undefined;
      });
      if (!result) continue;
      if (!opts.until || opts.until.test(result.text) || Date.now() > deadline) return result;
    }
  }

  /** Waits for the visible hover and reads it once its content stops changing. */
  private async readHover(): Promise<HoverResult> {
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
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

  async hideHover(): Promise<void> {
    if (await this.page.locator('.monaco-hover:not(.hidden)').first().isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
    }
  }

  // ----- panels ------------------------------------------------------------------------------

  /** Trusts the workspace folder (a session started with `restricted`) as a user does, in the Workspace Trust editor. */
  async trustWorkspace(): Promise<void> {
    await this.runCommand('Workspaces: Manage Workspace Trust');
    const editor = this.page.locator('.workspace-trust-editor');
    await editor.getByRole('button', { name: 'Trust', exact: true }).first().click({ timeout: SLOW });
    await editor.getByText(/You trust this (folder|workspace)|trusted/i).first().waitFor({ timeout: SLOW });
  }

  /**
   * Opens "Developer: Show Running Extensions" and returns each named extension's row text. The
   * list is sorted slowest first and draws only the rows in view, so it is scrolled until every
   * named row has been drawn (a quickly activated extension sits far down).
   */
  async runningExtensions(names: string[]): Promise<Record<string, string>> {
    await this.runCommand('Developer: Show Running Extensions');
    const list = this.page.locator('.runtime-extensions-editor .monaco-list').first();
    await list.waitFor({ timeout: SLOW });
    const found: Record<string, string> = {};
    let scrolls = 0;
    const rows = this.page.locator('.runtime-extensions-editor .monaco-list-row');
    await waitFor(`Running Extensions to list ${names.join(', ')}`, async () => {
      for (const name of names) {
        const row = rows.filter({ hasText: name }).first();
        // An activated extension's row names its time ("Activation: 12ms"); before that it is still coming in.
        if (!found[name] && (await row.count()) > 0 && /Activation: \d+\s*ms/.test(await row.innerText())) found[name] = await row.innerText();
      }
      if (names.every((n) => found[n])) return true;
      // Down the list, then back up, so that a row passed before it had its time is seen again.
      await list.hover();
      await this.page.mouse.wheel(0, scrolls++ % 20 < 10 ? 200 : -200);
      return undefined;
    }, 30_000, 200);
    return found;
  }

  /** Shows an output channel and returns its text once it contains `until` (if given). */
  async outputChannel(name: string, until?: RegExp): Promise<string> {
    // The picker lists the channels that exist when it opens: a channel the extension creates on
    // activation may come after it, so reopen the picker until the channel is listed.
    await waitFor(`output channel "${name}" in the picker`, async () => {
      await this.runCommand('Output: Show Output Channels...');
      const row = this.rows().filter({ has: this.page.locator('.label-name', { hasText: exactText(name) }) }).first();
      try {
        await row.waitFor({ timeout: 5_000 });
      } catch {
        await this.page.keyboard.press('Escape');
        return undefined;
      }
      await row.click();
      return true;
    }, SLOW, 500);
    const view = this.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await view.waitFor({ timeout: SLOW });
    const lines = view.locator('.monaco-editor .view-lines');
    return waitFor(`output channel "${name}"${until ? ` to match ${until}` : ''}`, async () => {
      const text = plain(await lines.innerText());
      return !until || until.test(text) ? text : undefined;
    }, 30_000, 300);
  }

  /** Rows of the Problems panel (files and their problems), once `until` matches one of them. */
  async problems(until?: RegExp): Promise<ProblemRow[]> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return waitFor(`Problems panel${until ? ` to show ${until}` : ''}`, async () => {
      const out: ProblemRow[] = [];
      for (const row of await rows.all()) {
        out.push({ label: plain((await row.getAttribute('aria-label')) ?? ''), text: plain(await row.innerText()) });
      }
      return !until || out.some((r) => until.test(r.label) || until.test(r.text)) ? out : undefined;
    }, 30_000, 300);
  }

  // ----- settings and theme ------------------------------------------------------------------

  /**
   * Merges `patch` into the workspace's .vscode/settings.json. The workspace folder is watched
   * reliably; changes to the user settings file on disk are not always picked up by code-server
   * while it runs (seen here), so user settings are only seeded at start (StartOptions.settings).
   */
  async updateSettings(patch: Record<string, unknown>): Promise<void> {
    const file = this.workspaceFile('.vscode/settings.json');
    mkdirSync(join(this.workspaceDir, '.vscode'), { recursive: true });
    const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
  }

  /** Switches the colour theme and waits until the workbench has repainted in it. */
  async setTheme(theme: Theme): Promise<void> {
    await this.updateSettings({ 'workbench.colorTheme': theme });
    await this.page.locator(`.monaco-workbench.${THEME_CLASS[theme]}`).waitFor({ timeout: SLOW });
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

function webviewSelector(extensionId: string): string {
  return `iframe.webview.ready[src*="extensionId=${extensionId}"]`;
}

/** Webview documents are served from code-server's webview "pre" folder or its resource routes. */
function isWebviewUrl(url: string): boolean {
  return /\/webview\/browser\/pre\/|vscode-webview|vscode-resource|vscode-cdn/.test(url);
}

