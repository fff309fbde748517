// Localizable strings in the host's pure modules (no vscode): they call `l10n.t('… {0} …', arg)`
// as the glue calls `vscode.l10n.t`, and build/l10n.ts puts both in l10n/bundle.l10n.json.
// activate() installs vscode.l10n.t; until then (unit tests, the command line) the English
// message is formatted here, with VS Code's rule: `{n}` is the n-th argument.

export type L10nArg = string | number | boolean;
export type Translate = (message: string, ...args: L10nArg[]) => string;

/** The English text: each `{n}` replaced by the n-th argument (left as is when there is none). */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));

let current: Translate = english;

/** The translator the pure modules use from now on (undefined: English again). */
export function setTranslator(translate: Translate | undefined): void {
  current = translate ?? english;
}

export const l10n = {
  t: (message: string, ...args: L10nArg[]): string => current(message, ...args),
};
