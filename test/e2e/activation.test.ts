// RNN Lens starts in the real VS Code: it activates on a Python file, reports its deck in the
// "RNN Lens" output channel, lists its commands in the palette, and reports a broken card of
// a user deck (examples/decks/broken-card.md, loaded through examples/.vscode/settings.json)
// in the Problems panel while the good card (examples/decks/peephole-lstm.md) loads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { englishManifest } from '../fixtures/manifest';
import { ROOT, VSCode } from './harness';
import { suiteSession } from './session';

interface ManifestCommand { command: string; title: string; category?: string }
interface Manifest {
  contributes: { commands: ManifestCommand[]; menus: { commandPalette?: { command: string; when?: string }[] } };
}

// The titles as the palette shows them: package.json's %key% strings in English (package.nls.json).
const manifest = englishManifest(ROOT) as Manifest;
const palette = manifest.contributes.menus.commandPalette ?? [];
const hidden = new Set(palette.filter((m) => m.when === 'false').map((m) => m.command));
// Commands listed only in some state (the quiz's grade keys while an answer is on screen) are left out of both checks.
const conditional = new Set(palette.filter((m) => m.when !== undefined && m.when !== 'false').map((m) => m.command));
const paletteTitle = (c: ManifestCommand) => (c.category ? `${c.category}: ${c.title}` : c.title);
const DECK_LINE = /RNN Lens: (\d+) cards loaded \((\d+) bundled, (\d+) from user decks[^)]*\)([^\n]*)/;

describe('activation', () => {
  let vsc: VSCode;
  suiteSession({ name: 'activation' }, (v) => (vsc = v));

  it('activates on a Python file and logs the card count', async () => {
    await vsc.openFile('char_lstm.py', 1);
    const text = await vsc.outputChannel('RNN Lens', DECK_LINE);
    const m = DECK_LINE.exec(text);
    assert.ok(m, `output channel shows the deck line; it shows:\n${text}`);
    const [total, bundled, user] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.ok(bundled > 0, `the bundled deck has cards (${bundled})`);
    // decks/ holds one good card and one broken card: only the good one is loaded.
    assert.equal(user, 1, `one card from the user deck: ${m[0]}`);
    assert.equal(total, bundled + user);
    assert.match(m[4], /1 error/, `the broken card is counted as an error: ${m[0]}`);
    await vsc.screenshot('output-channel');
  });

  it('lists the RNN Lens commands in the command palette', async () => {
    const items = await vsc.paletteItems('RNN Lens');
    const expected = manifest.contributes.commands.filter((c) => !hidden.has(c.command) && !conditional.has(c.command)).map(paletteTitle);
    assert.ok(expected.length >= 10, 'package.json contributes the commands');
    const missing = expected.filter((title) => !items.includes(title));
    assert.deepEqual(missing, [], `palette lists every command; it shows:\n${items.join('\n')}`);
    // Commands that only make sense with an argument stay out of the palette.
    for (const c of manifest.contributes.commands.filter((c) => hidden.has(c.command))) {
      assert.ok(!items.includes(paletteTitle(c)), `${paletteTitle(c)} is hidden from the palette`);
    }
    await vsc.quickOpen('>RNN Lens');
    await vsc.screenshot('command-palette');
    await vsc.page.keyboard.press('Escape');
  });

  it('shows the broken user card in the Problems panel, and only that card', async () => {
    const rows = await vsc.problems(/broken-card\.md/);
    const brokenFile = rows.find((r) => /broken-card\.md/.test(r.label));
    assert.ok(brokenFile, `Problems lists decks/broken-card.md: ${JSON.stringify(rows)}`);
    const problem = rows.find((r) => /expertish|level/i.test(r.label) && /error/i.test(r.label));
    assert.ok(problem, `an error names the bad level: ${JSON.stringify(rows)}`);
    assert.match(problem.label, /RNN Lens/, 'the problem comes from RNN Lens');
    assert.ok(!rows.some((r) => /peephole-lstm\.md/.test(r.label)), 'the good card has no problem');
    await vsc.screenshot('problems-panel');
  });

  it('"RNN Lens: Show Deck Problems" opens the Problems panel', async () => {
    await vsc.runCommand('View: Hide Panel');
    await vsc.page.locator('.markers-panel').waitFor({ state: 'hidden' });
    await vsc.runCommand('RNN Lens: Show Deck Problems');
    await vsc.page.locator('.markers-panel .monaco-list-row', { hasText: 'broken-card.md' }).first().waitFor();
    await vsc.screenshot('show-deck-problems');
  });
});
