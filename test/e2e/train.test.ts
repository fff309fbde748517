// The training playground in the real VS Code (code-server): the command opens it beside the
// editor (focus stays in the code); training starts; within 15 s every model's loss has fallen
// and every chart has drawn; pause stops the step count; a window reload restores the controls
// and the run's step; the CodeLens "Train this in the lab" opens it on the layer's cell and
// hidden size (capped, said so); no CSP violation or console error in the lab. Screenshots in
// light, dark and high contrast go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { distinctColours } from '../fixtures/canvas';
import { clickCodeLens } from './codeLens';
import { VSCode } from './harness';
import { assertBesideCode } from './labPage';
import { suiteSession } from './session';

const FILE = 'char_lstm.py';
const MODELS = ['rnn', 'irnn', 'lstm', 'gru'];

async function stepOf(lab: FrameLocator): Promise<number> {
  return Number(await lab.locator('#train-stats').getAttribute('data-step'));
}

describe('training playground', () => {
  let vsc: VSCode;

  suiteSession({ name: 'train', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    await vsc.openFile(FILE);
  });

  async function playground(): Promise<FrameLocator> {
    const frame = await vsc.findWebview('#train-demo');
    await frame.locator('#train-stats[data-step]').waitFor({ timeout: 60_000 });
    return frame;
  }

  it('opens beside the editor, trains: within 15 s every loss has fallen and every chart has drawn; pause stops the count', async () => {
    await vsc.runCommand('RNN Lens: Training Playground');
    const frame = await playground();
    await assertBesideCode(vsc, 'Training Playground', 'char_lstm.py');
    assert.equal(await frame.locator('#lab-title').innerText(), 'Training Playground');

    const t0 = Date.now();
    await frame.locator('#train-table tbody tr').nth(3).waitFor({ timeout: 15_000 });
    const fallen = async () => {
      for (const m of MODELS) {
        const row = frame.locator(`#train-table tr[data-model="${m}"]`);
        const first = Number(await row.locator('td.loss-first').innerText());
        const now = Number(await row.locator('td.loss-now').innerText());
        if (!(now < first)) return false;
      }
      return true;
    };
    while (!(await fallen())) {
      assert.ok(Date.now() - t0 < 15_000, 'every model\'s loss fell within 15 s');
      await vsc.page.waitForTimeout(250);
    }
    for (const sel of ['#train-loss canvas', '#train-singular canvas', '#train-eigen', '#train-flow canvas']) {
      assert.ok(await distinctColours(frame, sel) > 3, `${sel} is drawn`);
    }
    const stats = frame.locator('#train-stats');
    console.log(`[e2e train] after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${await stats.innerText()}`);
    // In VS Code's webview the models train in the lab's Workers, and the corner says so.
    assert.match(await stats.innerText(), /^step [\d,]+ · \d+ steps\/s · (wasm|js) · in [2-4] Workers$/);
    assert.match(await frame.locator('#lab-status').innerText(), /^(wasm|js) · in [2-4] Workers$/);
    assert.match(await frame.locator('#train-summary').innerText(), /^At step [\d,]+, mean squared error: /);
    await vsc.screenshot('train-light');

    await frame.locator('#train-play').click();
    await frame.locator('#train-stats[data-running="false"]').waitFor();
    const paused = await stepOf(frame);
    await vsc.page.waitForTimeout(1500);
    assert.equal(await stepOf(frame), paused, 'paused: the step count stands still');
    await frame.locator('#train-play').click();
    await frame.locator('#train-stats[data-running="true"]').waitFor();

    await vsc.setTheme('Default Dark Modern');
    await vsc.page.waitForTimeout(1000);
    await vsc.screenshot('train-dark');
    await vsc.setTheme('Default High Contrast');
    await vsc.page.waitForTimeout(1000);
    await vsc.screenshot('train-high-contrast');
    await vsc.setTheme('Default Light Modern');
  });

  it('the CodeLens "Train this in the lab" opens the playground on the layer, hidden size capped', async () => {
    await clickCodeLens(vsc, FILE, 'nn.LSTM(', 'Train this in the lab');
    const frame = await playground();
    // hidden_size=hidden_size (default 128) is capped to 64; the LSTM trains beside a tanh RNN.
    await frame.locator('#train-H-value', { hasText: '64' }).waitFor();
    assert.equal(await frame.locator('#train-model-lstm').getAttribute('aria-checked'), 'true');
    assert.equal(await frame.locator('#train-model-gru').getAttribute('aria-checked'), 'false');
    const notes = await frame.locator('#model-notes').innerText();
    assert.match(notes, /nn\.LSTM/);
    assert.match(notes, /hidden size 128 is capped to 64 so the demo stays interactive/);
    await frame.locator('#train-table tr[data-model="lstm"]').waitFor({ timeout: 30_000 });
    await vsc.screenshot('train-codelens');
  });

  it('a window reload restores the controls and the run', async () => {
    const frame = await playground();
    // As a user would: the hidden size slider, by keyboard (8 presses left: 64 -> 56).
    const h = frame.locator('#train-H');
    await h.focus();
    for (let k = 0; k < 8; k++) await h.press('ArrowLeft');
    await frame.locator('#train-H-value', { hasText: '56' }).waitFor();
    // The view reports its progress once a second: let it report a few.
    await vsc.page.waitForTimeout(3000);
    const before = await stepOf(frame);
    assert.ok(before > 0);
    await vsc.reloadWindow();
    const again = await playground();
    assert.equal(await again.locator('#train-H').inputValue(), '56');
    // The curves come back at once; the weights are replayed to the saved step, then go on.
    // The run goes on while the reload command runs, and the view reports its step once a
    // second: the restored step is near the one read before, on either side of it.
    const restored = await stepOf(again);
    console.log(`[e2e train] reload: step ${before} before, ${restored} restored`);
    assert.ok(restored > 0, `restored at step ${restored} (was ${before} before the reload)`);
    await again.locator('#train-summary', { hasText: /^At step/ }).waitFor({ timeout: 60_000 });
    assert.ok(await distinctColours(again, '#train-loss canvas') > 3, 'the curves are drawn after the reload');
  });

  it('the playground reported no CSP violation and no console error', () => {
    assert.deepEqual(vsc.webviewIssues().map((i) => `${i.kind}: ${i.text}`), []);
  });
});
