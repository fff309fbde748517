// The CodeLens on a hostile file in the real VS Code (code-server): 16,000 recurrent layers in
// one 1 MB Python file. The first 1,000 get "Visualize" lenses read from their arguments (the
// first one opens the lab with its sizes); where they stop, a lens without a link says how many
// more there are. Screenshots in light and dark go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { VSCode } from './harness';
import { darkShot } from './screenshots';
import { suiteSession } from './session';

const FILE = 'hostile_layers.py';
const LAYERS = 16_000;
const HEAD = ['import torch.nn as nn', 'HIDDEN = 64', 'EMBED = 24', ''];

/** 1-based line of layer `i` (0-based) in FILE. */
const lineOf = (i: number): number => HEAD.length + i + 1;

function hostileFile(): string {
  const lines = [...HEAD];
  for (let i = 0; i < LAYERS; i++) {
    const call = i % 2 === 0 ? `layer_${i} = nn.LSTM(${(i % 50) + 1}, HIDDEN, num_layers=2)` : `layer_${i} = nn.GRU(input_size=EMBED, hidden_size=${(i % 100) + 1})`;
    lines.push(`${call}  # ${'-'.repeat(Math.max(0, 61 - call.length))}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('CodeLens on 16,000 layers in one file', () => {
  let vsc: VSCode;

  suiteSession({ name: 'codelens', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    const text = hostileFile();
    assert.ok(text.length > 1_000_000, `${text.length} chars`);
    writeFileSync(vsc.workspaceFile(FILE), text);
  });

  const lenses = () => vsc.page.locator('.editor-group-container.active .codelens-decoration');

  it('the first layer has a lens that opens the lab with its sizes', async () => {
    await vsc.openFile(FILE, 1);
    const lens = lenses().locator('a:visible', { hasText: 'Visualize this LSTM' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const frame = await vsc.findWebview('#forward-demo');
    // layer_0 = nn.LSTM(1, HIDDEN, num_layers=2), HIDDEN = 64 on line 2.
    await frame.locator('#D-value', { hasText: /^1$/ }).waitFor();
    assert.equal(await frame.locator('#H').inputValue(), '64');
    const notes = await frame.locator('#model-notes').innerText();
    assert.match(notes, /hidden_size = HIDDEN read as 64 \(HIDDEN = 64 on line 2\)/);
    assert.match(notes, /2 stacked layers/);
  });

  it('past 1,000 layers one lens, not a link, says how many more have none', async () => {
    await vsc.openFile(FILE, lineOf(1000));
    const note = lenses().filter({ hasText: 'RNN Lens: 15,000 more layers from here have no lens (at most 1,000 per file)' }).first();
    await note.waitFor({ timeout: 60_000 });
    assert.equal(await note.locator('a').count(), 0, 'the note is plain text');
    // The layer above the note still has its own lens.
    await lenses().locator('a:visible', { hasText: 'Visualize this GRU' }).first().waitFor();
    await vsc.screenshot('limit-note-light');
    await darkShot(vsc, 'limit-note-dark', () => note.waitFor());
  });
});
