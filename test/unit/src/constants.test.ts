// package.json and src/constants.ts must name the same commands, settings and views:
// a mismatch is a command that silently does nothing or a setting that is never read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, DEFAULT_HOVER_LANGUAGES, Setting, View, WebviewPanelType } from '../../../src/constants';
import { findRepoRoot } from '../../fixtures/repoRoot';
import { englishManifest } from '../../fixtures/manifest';

const root = findRepoRoot(__dirname);
/** The manifest's JSON (untyped, as JSON.parse gives it), read field by field below. */
const pkg: ReturnType<typeof JSON.parse> = englishManifest(root);

test('every Command id is contributed in package.json, and nothing else', () => {
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(Command).sort());
});

test('every command has the "RNN Lens" category and a title', () => {
  for (const c of pkg.contributes.commands as { command: string; title: string; category: string }[]) {
    assert.equal(c.category, 'RNN Lens', c.command);
    assert.ok(c.title.length > 0, c.command);
  }
});

test('every Setting id is a contributed configuration property, and nothing else', () => {
  const props = Object.keys(pkg.contributes.configuration.properties).sort();
  assert.deepEqual(props, Object.values(Setting).sort());
  for (const p of props) assert.ok(p.startsWith('rnnLens.'), p);
});

test('the hover language default in package.json equals DEFAULT_HOVER_LANGUAGES', () => {
  assert.deepEqual(pkg.contributes.configuration.properties[Setting.hoverLanguages].default, [...DEFAULT_HOVER_LANGUAGES]);
});

test('views and the view container match View', () => {
  assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), [View.container]);
  assert.deepEqual(pkg.contributes.views[View.container].map((v: { id: string }) => v.id), [View.quiz]);
});

test('menus and activation events name only known ids', () => {
  const ids = new Set<string>(Object.values(Command));
  for (const list of Object.values(pkg.contributes.menus) as { command: string }[][]) {
    for (const m of list) assert.ok(ids.has(m.command), m.command);
  }
  assert.ok(!pkg.activationEvents.includes('*'), 'no "*" activation');
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${WebviewPanelType.lab}`));
  for (const lang of DEFAULT_HOVER_LANGUAGES) assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`), lang);
});
