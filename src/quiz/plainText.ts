// Text from files (card ids, file names, messages quoting them) on its way into a VS Code
// notification. Notifications turn `[label](https://…)`, `[label](command:…)` and
// `[label](file:…)` into links, so an id such as `[x](command:workbench.action.quit)` would
// become a button that runs a command. Pure (no vscode), so the rule is unit-tested.

/** Zero-width space: invisible, and no link syntax survives one between `]` and `(`. */
const BREAK = '\u200b';

/** Longest text a notification gets; a longer one is cut with an ellipsis. */
export const MAX_NOTIFICATION_CHARS = 1000;

/**
 * The text as it should read in a notification: a zero-width space after every `]` (so no
 * `[label](target)` is a link), control characters and line breaks as spaces, and at most `max`
 * characters.
 */
export function plainText(text: string, max = MAX_NOTIFICATION_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\]/g, `]${BREAK}`);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
