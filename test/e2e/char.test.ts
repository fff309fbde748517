// "Train a Character Model on This File" in the real VS Code (code-server): on char_lstm.py the
// command opens the lab's Character Model beside the code; the step count rises, a sample
// appears, the text is shaded by a hidden unit and the units that track are listed; a unit is
// picked from that table with the keyboard; "Export for PyTorch…" goes through VS Code's save
// dialog (its default name beside the source file) and the notification's "Open in Inspector"
// opens the written file in the inspector, which lists the layer `rnn`; a window reload keeps the
// controls and trains on the file again; no CSP violation or console error. Screenshots light and
// dark go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { readCheckpoint } from '../../engine/checkpoint';
import { distinctColours } from '../fixtures/canvas';
import { VSCode } from './harness';
import { inspectorPanel } from './inspectPage';
import { assertBesideCode } from './labPage';
import { clickNotificationButton } from './notifications';
import { suiteSession } from './session';

const FILE = 'char_lstm.py';
const EXPORTED = 'char_lstm.char-lstm.safetensors';

async function stepOf(lab: FrameLocator): Promise<number> {
  return Number(await lab.locator('#char-stats').getAttribute('data-step'));
}

describe('character model', () => {
  let vsc: VSCode;

  suiteSession({ name: 'char', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    await vsc.openFile(FILE);
  });

  it('trains on the file: the step count rises, a sample appears, the text is shaded by a unit', async () => {
    await vsc.runCommand('RNN Lens: Train a Character Model on This File');
    const frame = await vsc.findWebview('#char-demo');
    await assertBesideCode(vsc, 'Character Model', FILE);
    assert.equal(await frame.locator('#lab-title').innerText(), 'Character Model');
    assert.match(await frame.locator('#char-text-note').innerText(), /^Training on char_lstm\.py: [\d,]+ characters, \d+ distinct, \d+ symbols\. Seed 1\.$/);

    await frame.locator('#char-stats[data-step]').waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    while ((await stepOf(frame)) < 30) {
      assert.ok(Date.now() - t0 < 60_000, '30 steps within a minute');
      await vsc.page.waitForTimeout(250);
    }
    // In VS Code's webview the model trains in a Worker (the lab's CSP allows worker-src blob:), and the corner says so.
    assert.equal(await frame.locator('#char-stats').getAttribute('data-where'), 'worker');
    assert.match(await frame.locator('#lab-status').innerText(), /^(wasm|js) · in a Worker$/);
    const sample = frame.locator('#char-sample');
    await frame.locator('#char-sample[data-step]').waitFor({ timeout: 30_000 });
    assert.ok((await sample.innerText()).length > 20, 'a sample is shown');
    assert.match(await frame.locator('#char-loss-line').innerText(), /^At step [\d,]+: training loss \d\.\d{3}, held-out loss \d\.\d{3} nats per character; uniform over the \d+ symbols: ln \d+ = \d\.\d{3}; the text's unigram entropy: \d\.\d{3}\.$/);
    assert.ok(await distinctColours(frame, '#char-loss canvas') > 3, 'the loss chart is drawn');

    // The text, each character shaded by unit 0, and the units that track each feature.
    await frame.locator('#char-shaded[data-unit="0"] span').nth(300).waitFor({ timeout: 30_000 });
    const rows = frame.locator('#char-tracking tbody tr');
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await frame.locator('#char-tracking tbody th').allInnerTexts(), ['inside a quoted string', 'indentation depth', 'bracket nesting depth']);
    for (let i = 0; i < 3; i++) assert.match(await rows.nth(i).locator('td.r').innerText(), /^-?0\.\d{3}$|^1\.000$/);

    // Paused, the units stay put: the indentation unit, picked from the table with the keyboard.
    await frame.locator('#char-play').click();
    await frame.locator('#char-stats[data-running="false"]').waitFor();
    const unit = (await rows.nth(1).locator('td.unit').innerText()).trim();
    await frame.locator('#char-show-indent').focus();
    await vsc.page.keyboard.press('Enter');
    await frame.locator(`#char-shaded[data-unit="${unit}"]`).waitFor({ timeout: 15_000 });
    assert.match(await frame.locator('#char-shaded-note').innerText(), new RegExp(`^Unit ${unit} of 64 after step`));
    assert.equal(await frame.locator('#char-values tbody tr').count(), 600);

    await frame.locator('#char-play').focus();
    await vsc.page.keyboard.press('Enter');
    await frame.locator('#char-stats[data-running="true"]').waitFor();
    const before = await stepOf(frame);
    await vsc.page.waitForTimeout(1500);
    assert.ok((await stepOf(frame)) > before, 'training goes on');
    // "Lab: Play or Pause", Ctrl+Alt+P, while the lab is the active editor: the view's play button.
    await frame.locator('#lab-title').click();
    await vsc.page.keyboard.press('Control+Alt+P');
    await frame.locator('#char-stats[data-running="false"]').waitFor({ timeout: 15_000 });
    await vsc.page.keyboard.press('Control+Alt+P');
    await frame.locator('#char-stats[data-running="true"]').waitFor({ timeout: 15_000 });
    await vsc.screenshot('char-light');
    await vsc.setTheme('Default Dark Modern');
    await frame.locator('#char-tracking').scrollIntoViewIfNeeded();
    await vsc.screenshot('char-dark');
    await vsc.setTheme('Default Light Modern');
  });

  it('a window reload keeps the controls and trains on the file again', async () => {
    const frame = await vsc.findWebview('#char-demo');
    // As a user would: the hidden size slider, by keyboard (8 presses left: 64 -> 56).
    const h = frame.locator('#char-H');
    await h.focus();
    for (let k = 0; k < 8; k++) await h.press('ArrowLeft');
    await frame.locator('#char-H-value', { hasText: '56' }).waitFor();
    await vsc.reloadWindow();
    const again = await vsc.findWebview('#char-demo');
    assert.equal(await again.locator('#char-H').inputValue(), '56');
    await again.locator('#char-text-note', { hasText: /^Training on char_lstm\.py: / }).waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    while ((await stepOf(again)) < 5) {
      assert.ok(Date.now() - t0 < 60_000, 'it trains again after the reload');
      await vsc.page.waitForTimeout(250);
    }
  });

  it('exports for PyTorch through the save dialog, and the inspector opens the file on layer rnn', async () => {
    const frame = await vsc.findWebview('#char-demo');
    await frame.locator('#char-play').click();
    await frame.locator('#char-stats[data-running="false"]').waitFor();
    await frame.locator('#char-export').click();
    // VS Code's own save dialog (a quick input in code-server), with the default name beside the source file.
    const input = vsc.page.locator('.quick-input-widget .quick-input-box input');
    await vsc.page.waitForFunction((name) => (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value.endsWith(name), EXPORTED, { timeout: 30_000 });
    assert.match(await input.inputValue(), new RegExp(`/${EXPORTED.replace(/\./g, '\\.')}$`));
    await vsc.page.keyboard.press('Enter');
    await frame.locator('#char-export-status[data-ok="true"]').waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('#char-export-status').innerText(), new RegExp(`^Exported the LSTM at step [\\d,]+ to ${EXPORTED.replace(/\./g, '\\.')}\\.$`));

    const path = join(vsc.workspaceDir, EXPORTED);
    assert.ok(existsSync(path), 'the file is written beside char_lstm.py');
    const read = readCheckpoint(new Uint8Array(readFileSync(path)), EXPORTED);
    assert.deepEqual(read.layers.map((l) => [l.name, l.cell, l.layer, l.H, l.D]), [['rnn', 'lstm', 0, 56, 16]]);

    await clickNotificationButton(vsc, /Exported the LSTM at step/, 'Open in Inspector');
    const inspector = await inspectorPanel(vsc);
    assert.match(await inspector.locator('#inspect-file').innerText(), new RegExp(`^${EXPORTED.replace(/\./g, '\\.')}: 1 recurrent layer`));
    const options = await inspector.locator('#inspect-layer-pick vscode-option').allInnerTexts();
    assert.deepEqual(options.map((o) => o.trim()), ['rnn layer 0 (LSTM) · D 16, H 56']);
    await vsc.screenshot('char-exported-inspector');
  });

  it('the lab reported no CSP violation and no console error', () => {
    assert.deepEqual(vsc.webviewIssues().map((i) => `${i.kind}: ${i.text}`), []);
  });
});
