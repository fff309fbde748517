// The checkpoint inspector in the real VS Code (code-server): examples/checkpoints/char_lstm.pt
// opens from the explorer's context menu and the lab's inspector draws (the layer list, the
// spectra, the forget-bias histogram, the heatmaps and the gradient plot, none blank); another
// layer is picked with the keyboard, and a .npy input from the workspace; per-gate weight
// histograms, and "Compare with…" an earlier epoch (the heatmap, the tables, = the library); the CodeLens on
// torch.load("…") opens it too; after a window reload the file is read again only once the user
// accepts "Reopen"; a hostile file from the
// palette's QuickPick gives a one-line error with its name escaped; no CSP violation or
// console error. Screenshots light and dark go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { diffCheckpoints, readCheckpoint } from '../../engine/checkpoint';
import { npy } from '../fixtures/npy';
import { distinctColours } from '../fixtures/canvas';
import { ROOT, VSCode } from './harness';
import { clickNotificationButton, notificationText } from './notifications';
import { inspectFromExplorer, inspectorPanel, spectraComputed } from './inspectPage';
import { suiteSession } from './session';

/** A file name with Markdown link syntax: a notification must show it as text. */
const HOSTILE = 'evil](command:workbench.action.quit).pt';

describe('checkpoint inspector', () => {
  let vsc: VSCode;

  suiteSession({ name: 'inspect', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    copyFileSync(join(ROOT, 'test', 'fixtures', 'checkpoints', 'hostile.pt'), join(vsc.workspaceDir, HOSTILE));
    // Inputs for layer 1 (D = 128): one that fits, one that does not.
    writeFileSync(join(vsc.workspaceDir, 'input.npy'), npy([40, 128], Array.from({ length: 40 * 128 }, (_, i) => Math.sin(i / 7))));
    writeFileSync(join(vsc.workspaceDir, 'wrong_shape.npy'), npy([10, 3], new Array<number>(30).fill(0.5)));
    // A TF.js Layers model (hard-sigmoid gates) and a whole pickled module with a projection LSTM.
    mkdirSync(join(vsc.workspaceDir, 'tfjs_lstm'));
    for (const f of ['model.json', 'model.weights.bin']) copyFileSync(join(ROOT, 'test', 'fixtures', 'checkpoints', 'tfjs', 'lstm', f), join(vsc.workspaceDir, 'tfjs_lstm', f));
    copyFileSync(join(ROOT, 'test', 'fixtures', 'checkpoints', 'formats', 'whole.pt'), join(vsc.workspaceDir, 'whole_module.pt'));
    writeFileSync(join(vsc.workspaceDir, 'load_checkpoint.py'),
      'import torch\n\nstate = torch.load("checkpoints/char_lstm.pt", map_location="cpu")\nprint(list(state))\n');
  });

  function inspector(): Promise<FrameLocator> {
    return inspectorPanel(vsc);
  }

  it('opens from the explorer context menu on char_lstm.pt and draws every view', async () => {
    const frame = await inspectFromExplorer(vsc, 'checkpoints', 'char_lstm.pt');
    await vsc.page.locator('.tab', { hasText: 'RNN Lab: Inspect Recurrent Layers' }).first().waitFor();

    assert.equal(await frame.locator('#lab-title').innerText(), 'Inspect Recurrent Layers');
    assert.match(await frame.locator('#inspect-file').innerText(), /^char_lstm\.pt: 2 recurrent layers/);
    const status = frame.locator('#lab-status');
    console.log(`[e2e inspect] layer 0 opened (its last recompute: forward + backward × 2 at T = 64, H = 128; the spectra of 2 × 4 blocks are computed in the lab's Worker): ${await status.getAttribute('data-ms')} ms on ${await status.getAttribute('data-backend')}`);
    // The layer list: both layers of the 2-layer LSTM, with their sizes.
    const options = await frame.locator('#inspect-layer-pick vscode-option').allInnerTexts();
    assert.deepEqual(options.map((o) => o.trim()), ['lstm layer 0 (LSTM) · D 32, H 128', 'lstm layer 1 (LSTM) · D 128, H 128']);
    assert.match(await frame.locator('#inspect-layer').innerText(), /input size D = 32, hidden size H = 128, 82,944 parameters/);
    // The spectra were computed in the lab's Worker, beside the page; the progress line is gone.
    assert.equal(await frame.locator('#inspect-spectra-job').getAttribute('data-where'), 'worker');
    assert.equal(await frame.locator('#inspect-spectra-job').isHidden(), true);
    // One row per gate block, with σ_max for the checkpoint and the fresh init.
    assert.deepEqual(await frame.locator('#inspect-gates tbody th').allInnerTexts(),
      ['f — forget gate', 'i — input gate', 'g — candidate', 'o — output gate']);
    assert.match(await frame.locator('#inspect-memory').innerText(), /^Checkpoint: mean forget-gate bias \d\.\d+ → σ ≈ 0\.\d\d kept per step: half-life ≈ \d/);
    // Every canvas is drawn: 4 gates × (singular values, eigenvalues), the bias histogram, 2 × 6 heatmaps, the plot.
    assert.equal(await frame.locator('#inspect-spectra canvas').count(), 8);
    for (let i = 0; i < 8; i++) assert.ok(await distinctColours(frame, '#inspect-spectra canvas', i) > 3, `spectrum canvas ${i} is drawn`);
    assert.ok(await distinctColours(frame, '#inspect-bias') > 3, 'the bias histogram is drawn');
    assert.equal(await frame.locator('#inspect-heatmaps canvas').count(), 12);
    for (let i = 0; i < 12; i++) assert.ok(await distinctColours(frame, '#inspect-heatmaps canvas', i) > 8, `heatmap ${i} is drawn`);
    assert.ok(await distinctColours(frame, '#inspect-chart canvas') > 3, 'the gradient plot is drawn');
    for (const label of ['‖∂L/∂h_t‖ checkpoint', '|∂h_T/∂x_t| fresh']) {
      assert.ok(await frame.locator('.u-legend .u-label', { hasText: label }).count() >= 1, `legend names ${label}`);
    }
    assert.match(await frame.locator('#inspect-gradient').innerText(), /^Checkpoint: \|∂h_T\/∂x_0\| is /);
    await vsc.screenshot('inspect-light');
    await frame.locator('#inspect-heatmaps').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-heatmaps-light');
    await vsc.setTheme('Default Dark Modern');
    await frame.locator('#inspect-spectra').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-dark');
    await frame.locator('#inspect-chart').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-gradient-dark');
    await vsc.setTheme('Default Light Modern');
  });

  it('another layer is picked with the keyboard, and the input can change', async () => {
    const frame = await inspector();
    const before = await frame.locator('#inspect-gates tbody').innerText();
    const pick = frame.locator('#inspect-layer-pick');
    await pick.focus();
    await pick.press('ArrowDown');
    await frame.locator('#inspect-layer', { hasText: 'lstm layer 1 (LSTM): input size D = 128' }).waitFor();
    await frame.locator('#inspect-gates tbody').filter({ hasNotText: before }).waitFor();
    await spectraComputed(frame);
    const input = frame.locator('#inspect-input-pick');
    await input.focus();
    await input.press('ArrowDown');
    await frame.locator('#inspect-input', { hasText: 'sine waves' }).waitFor();
    const status = frame.locator('#lab-status');
    console.log(`[e2e inspect] new input on layer 1 (forward + backward × 2 at T = 64, D = H = 128, redraw): ${await status.getAttribute('data-ms')} ms on ${await status.getAttribute('data-backend')}`);
    assert.ok(await distinctColours(frame, '#inspect-heatmaps canvas', 0) > 8);
    // A .npy from the workspace: the host reads it and checks its shape against the layer's D.
    await frame.locator('#inspect-npy').click();
    await vsc.pick('wrong_shape.npy');
    await frame.locator('#inspect-input', { hasText: 'wrong_shape.npy has shape (10, 3); this layer needs (T, 128)' }).waitFor();
    await frame.locator('#inspect-npy').click();
    await vsc.pick('input.npy');
    await frame.locator('#inspect-input', { hasText: 'input.npy: 40 steps of 128 values.' }).waitFor();
    assert.ok(await distinctColours(frame, '#inspect-heatmaps canvas', 0) > 8);
  });

  it('per-gate W_hh histograms; "Compare with…" char_lstm_epoch1.pt: a heatmap of what moved, the spectra before and after', async () => {
    const frame = await inspector();
    await vsc.page.keyboard.press('Escape');
    assert.deepEqual(await frame.locator('#inspect-histograms figcaption').allInnerTexts(),
      ['W_hh f — forget gate', 'W_hh i — input gate', 'W_hh g — candidate', 'W_hh o — output gate']);
    for (let i = 0; i < 4; i++) assert.ok(await distinctColours(frame, '#inspect-histograms canvas', i) > 2, `histogram ${i} is drawn`);
    await frame.locator('#inspect-compare-button').click();
    await vsc.pick('char_lstm_epoch1.pt');
    await frame.locator('#inspect-compare-status', { hasText: /^Compared with char_lstm_epoch1\.pt: 2 layers matched by name, layer and direction\.$/ }).waitFor({ timeout: 60_000 });
    // The numbers are the library's on the same two files (rnn-lens diff prints them too).
    const read = (name: string) => readCheckpoint(new Uint8Array(readFileSync(join(vsc.workspaceDir, 'checkpoints', name))), name).layers;
    const want = diffCheckpoints(read('char_lstm.pt'), read('char_lstm_epoch1.pt'));
    const f = want.layers[1].gates.find((g) => g.gate === 'f' && g.matrix === 'W_hh')!.relChange!;
    const row = frame.locator('#inspect-compare-table tbody tr', { hasText: 'lstm layer 1 (LSTM)' });
    const headers = await frame.locator('#inspect-compare-table thead th').allInnerTexts();
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[headers.indexOf('f W_hh') - 1], `${(100 * f).toFixed(1)}%`);
    assert.deepEqual(await frame.locator('#inspect-compare-layers tbody th').allInnerTexts(), ['lstm layer 0 (LSTM)', 'lstm layer 1 (LSTM)']);
    assert.ok(await distinctColours(frame, '#inspect-compare-heatmap') > 3, 'the heatmap is drawn');
    assert.match(await frame.locator('#inspect-compare-heatmap').getAttribute('aria-label') ?? '', /^Heatmap of W_hh's relative change per layer and gate\. lstm layer 0 \(LSTM\): most in [ifgo] \(/);
    // The matrix shown changes from the keyboard.
    const pick = frame.locator('#inspect-compare-matrix');
    await pick.focus();
    await pick.press('ArrowDown');
    await frame.locator('#inspect-compare-scale', { hasText: /^Colour: W_ih's relative change/ }).waitFor();
    await frame.locator('#inspect-compare').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-compare-light');
    await vsc.setTheme('Default Dark Modern');
    await frame.locator('#inspect-compare').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-compare-dark');
    await frame.locator('#inspect-histograms').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-histograms-dark');
    await vsc.setTheme('Default Light Modern');
  });

  it('a TF.js model.json (its weights read beside it) and a whole pickled module: drawn, forward only where the engine has no gradients', async () => {
    await vsc.runCommand('RNN Lens: Inspect Recurrent Layers');
    await vsc.pick('model.json');
    let frame = await inspector();
    await frame.locator('#inspect-file', { hasText: /^model\.json: 1 recurrent layer \(each direction counted\)$/ }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('#inspect-layer').innerText(), /^lstm layer 0 \(LSTM\): input size D = 3, hidden size H = 4/);
    await frame.locator('#inspect-gradient', { hasText: 'Gradients are not shown for this layer: hard-sigmoid gates (Keras/TF.js) runs forward only in the engine.' }).waitFor();
    assert.ok(await distinctColours(frame, '#inspect-heatmaps canvas', 0) > 3, 'the gates are drawn from the forward pass');
    await spectraComputed(frame);
    assert.ok(await distinctColours(frame, '#inspect-spectra canvas', 0) > 3, 'the spectra are drawn');
    await frame.locator('#inspect-heatmaps').scrollIntoViewIfNeeded();
    await vsc.screenshot('inspect-tfjs-light');
    await vsc.runCommand('RNN Lens: Inspect Recurrent Layers');
    await vsc.pick('whole_module.pt');
    frame = await inspector();
    await frame.locator('#inspect-file', { hasText: /^whole_module\.pt: 11 recurrent layers/ }).waitFor({ timeout: 60_000 });
    assert.equal((await frame.locator('#inspect-warnings li').allInnerTexts()).length, 0, 'a whole module says its RNNs are relu: no warning');
    const options = (await frame.locator('#inspect-layer-pick vscode-option').allInnerTexts()).map((o) => o.trim());
    const proj = options.indexOf('proj layer 0 (LSTM) · D 3, H 5');
    assert.ok(proj >= 0, options.join(' | '));
    const pick = frame.locator('#inspect-layer-pick');
    await pick.focus();
    for (let i = 0; i < proj; i++) await pick.press('ArrowDown');
    await frame.locator('#inspect-layer', { hasText: /^proj layer 0 \(LSTM\): input size D = 3, hidden size H = 5, 150 parameters \(weight_ih, weight_hh, bias_ih, bias_hh, weight_hr\)/ }).waitFor();
    await frame.locator('#inspect-gradient', { hasText: /an LSTM with a projection \(proj_size 2\) runs forward only/ }).waitFor();
    assert.ok(await distinctColours(frame, '#inspect-heatmaps canvas', 0) > 3);
    await vsc.setTheme('Default Dark Modern');
    await vsc.screenshot('inspect-projection-dark');
    await vsc.setTheme('Default Light Modern');
  });

  it('the CodeLens on torch.load("checkpoints/char_lstm.pt") opens the inspector', async () => {
    await vsc.page.keyboard.press('Escape');
    await vsc.openFile('load_checkpoint.py', 3);
    const lens = vsc.page.locator('.editor-group-container.active .codelens-decoration a:visible', { hasText: 'Inspect recurrent layers' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await lens.click();
    const frame = await inspector();
    assert.match(await frame.locator('#inspect-file').innerText(), /^char_lstm\.pt: 2 recurrent layers/);
  });

  /** The notification a revived inspector shows for its workspace checkpoint; clicks "Reopen". */
  const reopen = (name: RegExp): Promise<void> => clickNotificationButton(vsc, name, 'Reopen');

  it('survives a window reload: the file is not read until the user accepts "Reopen", then the same layer is drawn', async () => {
    const frame0 = await inspector();
    const layer = await frame0.locator('#inspect-layer').innerText();
    await vsc.reloadWindow();
    const frame = await vsc.findWebview('#inspect-demo');
    await frame.locator('#inspect-file.error', { hasText: /char_lstm\.pt was not read again after the reload/ }).waitFor({ timeout: 60_000 });
    await reopen(/showed the checkpoint char_lstm\.pt before the reload/);
    await frame.locator('#inspect-file', { hasText: /^char_lstm\.pt: 2 recurrent layers/ }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#inspect-layer').innerText(), layer);
    await spectraComputed(frame);
    assert.ok(await distinctColours(frame, '#inspect-spectra canvas', 1) > 3, 'redrawn after the reload');
  });

  it('a checkpoint gone when the window reloads: "Reopen" says why instead of waiting', async () => {
    rmSync(join(vsc.workspaceDir, 'checkpoints', 'char_lstm.pt'));
    await vsc.reloadWindow();
    const frame = await vsc.findWebview('#inspect-demo');
    await reopen(/showed the checkpoint char_lstm\.pt before the reload/);
    await frame.locator('#inspect-file.error', { hasText: /RNN Lens cannot inspect char_lstm\.pt: it is not there any more \(moved or deleted\?\)/ }).waitFor({ timeout: 60_000 });
    await vsc.screenshot('inspect-gone');
  });

  it('a hostile checkpoint from the palette: one line, its name as text', async () => {
    await vsc.runCommand('RNN Lens: Inspect Recurrent Layers');
    await vsc.pick(HOSTILE);
    const { item, message } = await notificationText(vsc, /RNN Lens cannot inspect evil/);
    assert.match(message, /^RNN Lens cannot inspect evil\]\s?\(command:workbench\.action\.quit\)\.pt: refused: the pickle names "posix\.system"/);
    assert.doesNotMatch(message, /\n/);
    assert.equal(await item.locator('.notification-list-item-message a').count(), 0, 'the name did not become a link');
    await vsc.screenshot('inspect-hostile');
  });

  it('the inspector reported no CSP violation and no console error', () => {
    assert.deepEqual(vsc.webviewIssues().map((i) => `${i.kind}: ${i.text}`), []);
  });
});
