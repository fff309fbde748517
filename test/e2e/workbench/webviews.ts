// The extension's webviews in the page: the frames that hold them, and what they complain about.
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { EXTENSION_ID, SLOW, waitFor } from '../common';
import type { WebviewIssue } from './types';

/**
 * CSP violations and console errors from webview frames. Every frame gets a
 * securitypolicyviolation listener and a console.error hook that report back with the frame's
 * URL; VS Code fills a webview by document.open()/write() on its inner frame, which erases
 * window listeners, so the listeners are added again after every open(). Chromium also logs
 * each violation to the console ("... violates the following Content Security Policy
 * directive ..."), kept as 'csp-console' when it names a webview URL.
 */
export async function watchWebviews(context: BrowserContext, page: Page, issues: WebviewIssue[]): Promise<void> {
  await context.exposeBinding('__rnnLensReport', (source, kind: WebviewIssue['kind'], text: string) => {
    const frameUrl = source.frame.url();
    if (isWebviewUrl(frameUrl)) issues.push({ kind, frameUrl, text });
  });
  await context.addInitScript(() => {
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
  page.on('console', (msg) => {
    const url = msg.location().url;
    if (/Content Security Policy|^Refused to/.test(msg.text()) && isWebviewUrl(url)) {
      issues.push({ kind: 'csp-console', frameUrl: url, text: msg.text() });
    }
  });
}

/** The content document of the first ready webview of the extension: two iframes deep. */
export function webviewFrame(page: Page, extensionId = EXTENSION_ID): FrameLocator {
  return page.frameLocator(webviewSelector(extensionId)).first().frameLocator('#active-frame');
}

/**
 * Waits for the extension's webview whose document contains `selector` (e.g. the quiz view's
 * or the lab panel's root element) and returns it; several webviews may be open at once.
 */
export async function findWebview(page: Page, selector: string, { extensionId = EXTENSION_ID, timeout = SLOW } = {}): Promise<FrameLocator> {
  const outer = page.locator(webviewSelector(extensionId));
  return waitFor(`a webview of ${extensionId} containing ${selector}`, async () => {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const frame = page.frameLocator(webviewSelector(extensionId)).nth(i).frameLocator('#active-frame');
      if ((await frame.locator(selector).count()) > 0) return frame;
    }
    return undefined;
  }, timeout, 250);
}

function webviewSelector(extensionId: string): string {
  return `iframe.webview.ready[src*="extensionId=${extensionId}"]`;
}

/** Webview documents are served from code-server's webview "pre" folder or its resource routes. */
function isWebviewUrl(url: string): boolean {
  return /\/webview\/browser\/pre\/|vscode-webview|vscode-resource|vscode-cdn/.test(url);
}

