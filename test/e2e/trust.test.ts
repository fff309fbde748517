// Workspace trust in the real VS Code: in Restricted Mode (trust on, the folder not trusted) RNN
// Lens runs on its bundled deck: the hover explains nn.LSTM, and the user deck that
// examples/.vscode/settings.json names is not read. Once the folder is trusted the user deck
// loads without a reload, and its card's term gets a hover.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, VSCode } from './harness';
import { suiteSession } from './session';

const FILE = 'char_lstm.py';
/** A note whose only RNN Lens term beyond nn.LSTM is the user deck's (examples/decks/peephole-lstm.md). */
const NOTE = 'peephole-note.md';
const DECK_LINE = /RNN Lens: (\d+) cards loaded \((\d+) bundled, (\d+) from user decks[^)]*\)/;

describe('workspace trust', () => {
  let vsc: VSCode;
  const lstmLine = readFileSync(join(ROOT, 'examples', FILE), 'utf8').split('\n').findIndex((l) => l.includes('nn.LSTM(')) + 1;

  suiteSession({ name: 'trust', restricted: true, settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    writeFileSync(vsc.workspaceFile(NOTE), '# Notes\n\nA peephole connection lets each gate of an nn.LSTM see the cell state.\n');
  });

  it('Restricted Mode: the bundled deck serves the hover; the user deck is not loaded', async () => {
    await vsc.openFile(FILE, lstmLine);
    const hover = await vsc.hoverWord('LSTM', { line: lstmLine, until: /RNN Lens/ });
    assert.match(hover.text, /Open card/, hover.text);
    assert.match(hover.text, /Quiz me on this/);
    await vsc.screenshot('restricted-hover-light');
    const text = await vsc.outputChannel('RNN Lens', /Restricted Mode/);
    const m = DECK_LINE.exec(text);
    assert.ok(m, text);
    assert.equal(Number(m[3]), 0, `no card from user decks: ${m[0]}`);
    assert.match(text, /Restricted Mode: only the bundled deck is loaded; user decks \("rnnLens\.decks"\) load once you trust this folder/);
    await vsc.screenshot('restricted-output');
  });

  it('Restricted Mode: a term only the user deck has shows nothing from RNN Lens', async () => {
    await vsc.openFile(NOTE, 3);
    let text = '';
    try {
      text = (await vsc.hoverWord('peephole', { line: 3, timeout: 5000 })).text;
    } catch (err) {
      // No hover at all: nothing from RNN Lens shown.
      assert.match(String(err), /Timeout|waiting for/i, String(err));
    }
    assert.doesNotMatch(text, /RNN Lens|Open card/, `hover on "peephole" shows:\n${text}`);
  });

  it('trusting the folder loads the user deck, and its term gets a hover (dark)', async () => {
    await vsc.trustWorkspace();
    await vsc.screenshot('trust-granted');
    const text = await vsc.outputChannel('RNN Lens', /\(\d+ bundled, 1 from user decks/);
    assert.match(text, /\(\d+ bundled, 1 from user decks in 2 files\)/, text);
    await vsc.setTheme('Default Dark Modern');
    await vsc.openFile(NOTE, 3);
    const hover = await vsc.hoverWord('peephole', { line: 3, until: /RNN Lens/ });
    assert.match(hover.text, /What is a peephole connection in an LSTM/, hover.text);
    await vsc.screenshot('trusted-user-deck-hover-dark');
  });
});
