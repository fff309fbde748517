// Text from a deck file (ids, terms, file names, the values quoted in diagnostics) on its way to
// a surface that renders or splits lines: the Problems panel, the output channel, a terminal
// (one line each), a notification or a hover (Markdown, where `[x](command:...)` would be a
// link and `![](https://...)` a remote image). Every such surface goes through this module.
// Pure: no vscode, no DOM.

/** Line breaks, tabs, other C0/C1 controls and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Bidirectional formatting characters (embeddings, overrides, isolates, the implicit marks):
 * in a name they can make `evil\u202Etxt.pt` read as `evilpt.txt`. Each shows as U+FFFD, so the
 * name reads in its true order and the reader sees that something was there.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text on one line: every run of line breaks and control characters becomes one space,
 * and bidi formatting characters become U+FFFD.
 */
export function oneLine(text: string): string {
  return String(text).replace(BREAKS, ' ').replace(BIDI, '\ufffd');
}

/** A value quoted inside a message: one line, at most `max` characters (cut with an ellipsis). */
export function excerpt(text: string, max = 60): string {
  const s = oneLine(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Markdown that reads as the given text: on one line (a blank line cannot open a new block)
 * with every character that Markdown or a VS Code notification could read as syntax
 * backslash-escaped (what MarkdownString.appendText does), so no link, image or emphasis
 * can come from it.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!<>|~&:]/g, '\\$&');
}

/** A link title, which sits in double quotes: one line, no quote or backslash. */
export function escapeLinkTitle(text: string): string {
  return oneLine(text).replace(/["\\]/g, '');
}

/** Longest text a notification gets; a longer one is cut with an ellipsis. */
export const MAX_NOTIFICATION_CHARS = 1000;

/** Zero-width space: invisible, and no link syntax survives one between `]` and `(`. */
const NO_LINK = '\u200b';

/**
 * Text for a notification (showInformationMessage and friends), which renders `[text](target)`
 * as a link and nothing else of Markdown: one line, at most `max` characters, and a zero-width
 * space after every `]`, so no link can form while the text still reads the same.
 */
export function escapeNotification(text: string, max = MAX_NOTIFICATION_CHARS): string {
  return excerpt(text, max).replace(/\]/g, `]${NO_LINK}`);
}
