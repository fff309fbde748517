// The playground's "Your numbers" task in the real VS Code (code-server): numbers pasted into its
// text area train the four models (the step count rises, the loss chart is drawn, the headline
// names the held-out baselines); a CSV file from the workspace (examples/data/sine.csv) is picked
// through the host, its column chosen in the dropdown, and the choice survives a window reload.
// Screenshots light and dark go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { distinctColours } from '../fixtures/canvas';
import { VSCode } from './harness';
import { suiteSession } from './session';

async function stepOf(lab: FrameLocator): Promise<number> {
  return Number(await lab.locator('#train-stats').getAttribute('data-step'));
}

async function choose(frame: FrameLocator, id: string, option: string): Promise<void> {
  await frame.locator(`#${id}`).click();
  await frame.locator(`#${id} vscode-option`, { hasText: option }).click();
}

describe('training playground on your numbers', () => {
  let vsc: VSCode;

  suiteSession({ name: 'train-series', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    await vsc.openFile('char_lstm.py');
  });

  async function playground(): Promise<FrameLocator> {
    const frame = await vsc.findWebview('#train-demo');
    await frame.locator('#train-stats[data-step]').waitFor({ timeout: 60_000 });
    return frame;
  }

  it('pasted numbers train the four models against the two baselines', async () => {
    await vsc.runCommand('RNN Lens: Training Playground');
    const frame = await playground();
    await choose(frame, 'train-task', 'Your numbers');
    await frame.locator('#train-message', { hasText: 'Paste at least 20 numbers' }).waitFor();
    const numbers = Array.from({ length: 700 }, (_, i) => (Math.sin(i / 5) * 10 + 50).toFixed(3));
    await frame.locator('#train-series-text').fill(`${numbers.join(', ')}\nn/a`);
    await frame.locator('#train-series-use').click();
    await frame.locator('#train-series-note', { hasText: /^Training on 700 pasted numbers: 700 values, the first 560 for training and the last 140 \(20%\) held out/ }).waitFor();
    assert.match(await frame.locator('#train-series-note').innerText(), /1 non-numeric entry was ignored\.$/);
    await frame.locator('#train-table tr[data-model="gru"]').waitFor({ timeout: 30_000 });
    const s0 = await stepOf(frame);
    await frame.locator('#train-summary', { hasText: /^At step [\d,]+, MSE on the held-out last 20% \(normalised units\): .*predicting the mean scores/ }).waitFor({ timeout: 30_000 });
    await vsc.page.waitForTimeout(1500);
    assert.ok(await stepOf(frame) > s0, 'the step count rises');
    assert.ok(await distinctColours(frame, '#train-loss canvas') > 3, 'the loss chart is drawn');
    await vsc.screenshot('train-series-paste-light');
    await frame.locator('#train-summary').evaluate((e) => e.scrollIntoView());
    await vsc.screenshot('train-series-paste-chart-light');
  });

  it('a CSV file\'s column is picked through the host and kept across a reload', async () => {
    const frame = await playground();
    await choose(frame, 'train-series-source', 'A column of a CSV file');
    await frame.locator('#train-series-pick').click();
    await vsc.pick('sine.csv');
    await frame.locator('#train-series-file', { hasText: 'sine.csv: 1,000 rows after a header, 2 numeric columns, 1 of text (not offered).' }).waitFor({ timeout: 30_000 });
    await choose(frame, 'train-series-column', 'signal');
    const note = frame.locator('#train-series-note', { hasText: /^Training on column “signal” of sine\.csv: 999 values/ });
    await note.waitFor();
    assert.match(await note.innerText(), /1 non-numeric entry was ignored\.$/);
    await frame.locator('#train-summary', { hasText: /predicting the mean scores/ }).waitFor({ timeout: 30_000 });
    await vsc.setTheme('Default Dark Modern');
    await vsc.page.waitForTimeout(1000);
    await vsc.screenshot('train-series-csv-dark');
    await frame.locator('#train-summary').evaluate((e) => e.scrollIntoView());
    await vsc.screenshot('train-series-csv-chart-dark');
    await vsc.setTheme('Default Light Modern');
    await vsc.page.waitForTimeout(3000);
    await vsc.reloadWindow();
    const again = await playground();
    await again.locator('#train-series-note', { hasText: /^Training on column “signal” of sine\.csv: 999 values/ }).waitFor({ timeout: 30_000 });
    await again.locator('#train-summary', { hasText: /predicting the mean scores/ }).waitFor({ timeout: 60_000 });
  });

  it('reported no CSP violation and no console error', () => {
    assert.deepEqual(vsc.webviewIssues().map((i) => `${i.kind}: ${i.text}`), []);
  });
});
