// What the page object reports and how a session starts.
import type { ServerOptions } from '../server';

export type Theme = 'Default Light Modern' | 'Default Dark Modern' | 'Default High Contrast' | 'Default High Contrast Light';

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
