// "Train this layer" in the real VS Code (code-server): the inspector opens examples/checkpoints/
// char_lstm.pt, the button hands layer 0 (an LSTM, D 32, H 128) to the playground, which trains
// it from its loaded weights on text (its embedding of width 32): the step count rises, the loss
// and the per-gate relative change since loading are drawn and above zero. "Train the four
// models instead" goes back. After a window reload the layer is read again once the user accepts
// "Reopen". Screenshots light and dark go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distinctColours } from '../fixtures/canvas';
import { VSCode } from './harness';
import { inspectFromExplorer } from './inspectPage';
import { clickNotificationButton } from './notifications';
import { suiteSession } from './session';

describe('train a checkpoint layer', () => {
  let vsc: VSCode;

  suiteSession({ name: 'inspect-train', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v));

  it('the inspector\'s "Train this layer" trains layer 0 of char_lstm.pt in the playground and plots each gate\'s change', async () => {
    const inspector = await inspectFromExplorer(vsc, 'checkpoints', 'char_lstm.pt');
    const button = inspector.locator('#inspect-train-layer');
    await button.focus();
    await vsc.page.keyboard.press('Enter');
    const frame = await vsc.findWebview('#train-demo');
    await frame.locator('#train-layer', { hasText: 'Training char_lstm.pt, lstm layer 0 (LSTM) from its loaded weights.' }).waitFor({ timeout: 30_000 });
    await frame.locator('#lab-title', { hasText: 'Training Playground' }).waitFor();
    // One model, the layer's LSTM; the adding task cannot feed D = 32, so text it is.
    await frame.locator('#train-table tr[data-model="lstm"]').waitFor({ timeout: 60_000 });
    // The table follows a few times a second: the four models' rows give way to the layer's one.
    await frame.locator('#train-table tbody tr:nth-child(2)').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await frame.locator('#train-table tbody tr').count(), 1);
    assert.equal(await frame.locator('#train-task').evaluate((e) => (e as HTMLElement & { value: string }).value), 'text');
    const note = frame.locator('#train-drift-note', { hasText: /^At step [\d,]+: i [\d.]+%, f [\d.]+%, g [\d.]+%, o [\d.]+%\.$/ });
    await note.waitFor({ timeout: 60_000 });
    const step0 = Number(await frame.locator('#train-stats').getAttribute('data-step'));
    // Some gate has moved: a percentage that is not 0.00.
    await frame.locator('#train-drift-note', { hasText: /[1-9]\d*\.\d\d%|0\.0[1-9]%|0\.[1-9]\d%/ }).waitFor({ timeout: 60_000 });
    assert.ok(Number(await frame.locator('#train-stats').getAttribute('data-step')) > step0, 'the step count rises');
    assert.ok(await distinctColours(frame, '#train-drift canvas') > 3, 'the relative-change chart is drawn');
    assert.ok(await distinctColours(frame, '#train-loss canvas') > 3, 'the loss chart is drawn');
    await frame.locator('#train-layer-box').evaluate((e) => e.scrollIntoView());
    await vsc.screenshot('inspect-train-light');
    await vsc.setTheme('Default Dark Modern');
    await vsc.page.waitForTimeout(1000);
    await vsc.screenshot('inspect-train-dark');
    await vsc.setTheme('Default Light Modern');
  });

  it('after a window reload the layer is read again once the user accepts "Reopen"; "Train the four models instead" goes back for good', async () => {
    await vsc.reloadWindow();
    let frame = await vsc.findWebview('#train-demo');
    await frame.locator('#train-layer', { hasText: /^Before the window reload the playground trained char_lstm\.pt, lstm layer 0 \(LSTM\): accept "Reopen"/ }).waitFor({ timeout: 60_000 });
    // Nothing trains while the layer is awaited.
    await vsc.page.waitForTimeout(1000);
    assert.equal(Number((await frame.locator('#train-stats').getAttribute('data-step')) ?? 0), 0);
    await vsc.screenshot('inspect-train-awaiting-light');
    await clickNotificationButton(vsc, /the playground trained a layer of char_lstm\.pt before the reload/, 'Reopen');
    await frame.locator('#train-layer', { hasText: 'Training char_lstm.pt, lstm layer 0 (LSTM) from its loaded weights.' }).waitFor({ timeout: 60_000 });
    await frame.locator('#train-table tr[data-model="lstm"]').waitFor({ timeout: 60_000 });
    // The table follows a few times a second: the four models' rows give way to the layer's one.
    await frame.locator('#train-table tbody tr:nth-child(2)').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await frame.locator('#train-table tbody tr').count(), 1);
    await frame.locator('#train-drift-note', { hasText: /^At step [\d,]+: i [\d.]+%, f [\d.]+%, g [\d.]+%, o [\d.]+%\.$/ }).waitFor({ timeout: 60_000 });
    await frame.locator('#train-layer-box').evaluate((e) => e.scrollIntoView());
    await vsc.setTheme('Default Dark Modern');
    await vsc.page.waitForTimeout(1000);
    await vsc.screenshot('inspect-train-reopened-dark');
    await vsc.setTheme('Default Light Modern');

    await frame.locator('#train-layer-leave').click();
    await frame.locator('#train-layer').waitFor({ state: 'hidden' });
    await frame.locator('#train-table tbody tr').nth(3).waitFor({ timeout: 60_000 });
    // Left, the layer stays left after another reload: the four models train.
    await vsc.reloadWindow();
    frame = await vsc.findWebview('#train-demo');
    await frame.locator('#train-table tbody tr').nth(3).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#train-layer').isHidden(), true);
  });

  it('reported no CSP violation and no console error', () => {
    assert.deepEqual(vsc.webviewIssues().map((i) => `${i.kind}: ${i.text}`), []);
  });
});
