// The extension host's localizable strings: every `vscode.l10n.t('…')` (or `l10n.t`) call in src/,
// read with the TypeScript parser. `npm run l10n` writes them to l10n/bundle.l10n.json, the file a
// translator copies to bundle.l10n.<locale>.json; test/unit/build/l10n.test.ts checks that the
// committed bundle is exactly what src/ asks for. The message is its own key (VS Code's rule for
// t() without a comment); arguments are `{0}`, `{1}`, … placeholders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface L10nExtract {
  /** Each message, with where it is asked for (path and line). */
  readonly messages: ReadonlyMap<string, readonly string[]>;
  /** Calls whose message is not a plain string literal (a bundle cannot list them). */
  readonly problems: readonly string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `l10n.t` or `vscode.l10n.t`. */
function isL10nT(expr: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(expr) || expr.name.text !== 't') return false;
  const target = expr.expression;
  return (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
}

/** The `{0}`, `{1}`, … a message names: how many arguments it needs. */
export function placeholderCount(message: string): number {
  let n = 0;
  for (const m of message.matchAll(/\{(\d+)\}/g)) n = Math.max(n, Number(m[1]) + 1);
  return n;
}

/** Adds the l10n.t messages of one file's text to `messages`, and what is wrong with a call to `problems`. */
export function extractFromSource(name: string, text: string, messages: Map<string, string[]>, problems: string[]): void {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isL10nT(node.expression)) {
      const where = `${name}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        const list = messages.get(first.text) ?? [];
        list.push(where);
        messages.set(first.text, list);
        const needed = placeholderCount(first.text);
        const given = node.arguments.length - 1;
        if (needed !== given) problems.push(`${where}: '${first.text}' names ${needed} placeholder(s) but gets ${given} argument(s)`);
      } else {
        problems.push(`${where}: l10n.t needs a string literal as its message (not ${first ? ts.SyntaxKind[first.kind] : 'nothing'})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

export function extractL10n(root: string): L10nExtract {
  const messages = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of tsFiles(join(root, 'src')).sort()) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('l10n')) extractFromSource(relative(root, file).split('\\').join('/'), text, messages, problems);
  }
  return { messages, problems };
}

/** The bundle's text: each message as its own key and English text, sorted, as JSON. */
export function bundleText(messages: ReadonlyMap<string, unknown>): string {
  const sorted = [...messages.keys()].sort();
  return `${JSON.stringify(Object.fromEntries(sorted.map((m) => [m, m])), null, 2)}\n`;
}
