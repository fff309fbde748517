// The host's strings are localizable: every vscode.l10n.t message in src/ is in l10n/bundle.l10n.json
// (the file translators copy), the bundle has nothing src/ no longer asks for, every call's
// placeholders match its arguments, and no notification, quick pick or dialog text bypasses l10n.t.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleText, extractFromSource, extractL10n } from '../../../build/l10n';
import { findRepoRoot } from '../../fixtures/repoRoot';

const ROOT = findRepoRoot(__dirname);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('l10n bundle', () => {
  const { messages, problems } = extractL10n(ROOT);
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;

  it('finds the host strings, each call with a literal message and as many arguments as placeholders', () => {
    assert.deepEqual(problems, []);
    assert.ok(messages.size >= 100, `src/ asks for ${messages.size} messages`);
    assert.ok(messages.has('RNN Lens: open a file first; the quiz then asks about the RNN terms in it.'));
  });

  it('has every message src/ asks for, and nothing else (run `npm run l10n` after changing one)', () => {
    const missing = [...messages.keys()].filter((m) => !(m in bundle));
    const unused = Object.keys(bundle).filter((m) => !messages.has(m));
    assert.deepEqual(missing, [], 'messages missing from l10n/bundle.l10n.json');
    assert.deepEqual(unused, [], 'messages in l10n/bundle.l10n.json that src/ no longer uses');
    for (const [key, text] of Object.entries(bundle)) assert.equal(text, key, 'the English text is the key');
    assert.equal(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'), bundleText(messages));
  });

  it('reports a message that is not a literal, and placeholders that do not match the arguments', () => {
    const found = new Map<string, string[]>();
    const wrong: string[] = [];
    extractFromSource('x.ts', [
      "vscode.l10n.t('Saved {0} of {1}', a, b);",
      "vscode.l10n.t(`RNN Lens: ${name}`);",
      "l10n.t('Lost {0}');",
      "vscode.l10n.t('plain');",
    ].join('\n'), found, wrong);
    assert.deepEqual([...found.keys()], ['Saved {0} of {1}', 'Lost {0}', 'plain']);
    assert.equal(wrong.length, 2, wrong.join('\n'));
    assert.match(wrong[0], /^x\.ts:2: l10n\.t needs a string literal/);
    assert.match(wrong[1], /^x\.ts:3: 'Lost \{0\}' names 1 placeholder\(s\) but gets 0 argument\(s\)/);
  });

  it('leaves no notification, quick pick or dialog text in src/ outside l10n.t', () => {
    // A literal (or template) right where the user reads it: a message, a placeholder, a title, a button label.
    const bare = /(show(Information|Warning|Error)Message\(\s*|placeHolder: |title: |tooltip: |openLabel: |saveLabel: |notice\('\w+', )['`"](\$\([\w-]+\) )?[^'`"$]*[A-Za-z]{3,}/;
    const found: string[] = [];
    for (const file of tsFiles(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (!/from 'vscode'/.test(text)) continue;
      text.split('\n').forEach((line, i) => {
        if (bare.test(line) && !/^\s*(\/\/|\*)/.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, []);
  });
});
