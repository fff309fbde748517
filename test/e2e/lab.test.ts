// The lab panel in the real VS Code (code-server): each demo command opens the panel beside the
// editor (focus stays in the code); the heatmaps and the BPTT plot draw; moving the spectral
// radius changes the curves; the CodeLens above nn.LSTM(...) in examples/char_lstm.py opens the
// forward demo with that layer's sizes; the lab runs on wasm under its own CSP (the quiz's plus
// 'wasm-unsafe-eval' and worker-src blob:, src/webviewCsp.ts); no CSP violation or console error in the lab.
// Screenshots of both demos in light and dark go to artifacts/e2e/; the recompute + redraw time
// at the default sizes is printed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { LAB_POLICY, webviewCsp } from '../../src/webviewCsp';
import { distinctColours } from '../fixtures/canvas';
import { clickCodeLens } from './codeLens';
import { VSCode } from './harness';
import { assertBesideCode, labPanel } from './labPage';
import { darkShot } from './screenshots';
import { suiteSession } from './session';

const FILE = 'char_lstm.py';

async function canvasSize(lab: FrameLocator, selector: string): Promise<{ w: number; h: number }> {
  return lab.locator(selector).first().evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
}

describe('lab panel', () => {
  let vsc: VSCode;
  const times: string[] = [];

  after(() => {
    if (times.length) console.log(`[e2e lab] recompute + redraw at default sizes: ${times.join('; ')}`);
  });
  suiteSession({ name: 'lab', settings: { 'workbench.colorTheme': 'Default Light Modern' } }, (v) => (vsc = v), async () => {
    await vsc.openFile(FILE);
  });

  function lab(): Promise<FrameLocator> {
    return labPanel(vsc);
  }

  /**
   * Opens the demo `title` from the code, as a user does, and returns its panel once `root` shows
   * in it, titled `title`, in the tab `RNN Lab: <title>` of the second editor group.
   */
  async function demoFromCode(title: string, root: string): Promise<FrameLocator> {
    await vsc.openFile(FILE);
    await vsc.runCommand(`RNN Lens: ${title}`);
    const frame = await lab();
    await frame.locator(root).waitFor();
    assert.equal(await frame.locator('#lab-title').innerText(), title);
    await vsc.page.locator('.editor-group-container').nth(1).locator('.tab', { hasText: `RNN Lab: ${title}` }).waitFor();
    return frame;
  }

  async function recordTime(frame: FrameLocator, what: string): Promise<void> {
    const status = frame.locator('#lab-status');
    times.push(`${what}: ${await status.getAttribute('data-ms')} ms on ${await status.getAttribute('data-backend')}`);
  }

  it('LSTM Forward Pass opens beside the editor and draws six heatmaps with the equations', async () => {
    await vsc.runCommand('RNN Lens: LSTM Forward Pass');
    const frame = await lab();
    await assertBesideCode(vsc, 'LSTM Forward Pass', 'char_lstm.py');
    assert.equal(await vsc.page.locator('.editor-group-container').nth(0).locator('.tab.active', { hasText: FILE }).count(), 1);

    assert.equal(await frame.locator('#lab-title').innerText(), 'LSTM Forward Pass');
    for (const k of ['f', 'i', 'g', 'o', 'c', 'h']) {
      const size = await canvasSize(frame, `#heatmap-${k}`);
      assert.ok(size.w > 100 && size.h > 50, `heatmap ${k} has a drawing size (${size.w}×${size.h})`);
      assert.ok(await distinctColours(frame, `#heatmap-${k}`) > 8, `heatmap ${k} is drawn`);
    }
    // The equations with the selected unit's numbers, drawn by KaTeX.
    assert.ok(await frame.locator('#equation-numbers .katex').count() >= 3);
    assert.match(await frame.locator('#equation-numbers').innerText(), /\d\.\d{3}/);
    // The backend the settings name (wasm, seeded by the harness), with no note.
    assert.match(await frame.locator('#lab-status').innerText(), /^wasm · \d+\.\d ms$/);
    assert.equal(await frame.locator('#lab-status').getAttribute('data-backend'), 'wasm');
    assert.equal(await frame.locator('#engine-note').isVisible(), false, 'no fallback note');
    // Timing after a few recomputes (the first ones include the JIT warming up).
    const bias = frame.locator('#forget-bias');
    await bias.focus();
    for (let k = 0; k < 5; k++) await bias.press('ArrowRight');
    await frame.locator('#forget-bias-value', { hasText: '1.5' }).waitFor();
    await recordTime(frame, 'LSTM forward (T=48, D=4, H=16)');
    await vsc.screenshot('forward-light');
    // Hovering a heatmap cell highlights its term in the equations (scrolled into view for the shot).
    await frame.locator('#equation-numbers').scrollIntoViewIfNeeded();
    const hm = frame.locator('#heatmap-h');
    await hm.scrollIntoViewIfNeeded();
    await hm.hover({ position: { x: 40, y: 30 } });
    await frame.locator('#equation-numbers .term-h.active').first().waitFor();
    assert.match(await frame.locator('#hover-readout').innerText(), /^h\[t=\d+/);
    await vsc.screenshot('forward-equations-light');
    await darkShot(vsc, 'forward-dark', () => frame.locator('#heatmap-f').waitFor());
  });

  it("the lab's page carries exactly the lab's CSP: the webviews' policy plus 'wasm-unsafe-eval' and worker-src blob:", async () => {
    const frame = await lab();
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const nonce = await frame.locator('meta[property="csp-nonce"]').getAttribute('content');
    const source = /font-src ([^;]+)/.exec(csp ?? '')?.[1];
    assert.ok(csp && nonce && source, `the page has a CSP and a nonce (${csp})`);
    assert.equal(csp, webviewCsp({ source, nonce, ...LAB_POLICY }));
    assert.match(csp, /script-src 'nonce-[^']+' 'wasm-unsafe-eval';/);
    assert.match(csp, /; worker-src blob:$/);
  });

  it('Backpropagation Through Time draws the curves, and the spectral radius moves them', async () => {
    const frame = await demoFromCode('Backpropagation Through Time', '#bptt-demo');
    assert.ok(await distinctColours(frame, '#bptt-chart canvas') > 3, 'the plot is drawn');
    for (const label of ['RNN (tanh)', 'RNN (relu)', 'LSTM', 'GRU', 'bound']) {
      assert.ok(await frame.locator('.u-legend .u-label', { hasText: label }).count() >= 1, `legend names ${label}`);
    }
    const sigma = await frame.locator('#sigma-max').innerText();
    const before = await frame.locator('#bptt-chart canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    // As a user would: focus the slider and press the arrow key (0.05 per press).
    const slider = frame.locator('#spectral-radius');
    await slider.focus();
    for (let k = 0; k < 8; k++) await slider.press('ArrowRight');
    assert.equal(await slider.inputValue(), '1.4');
    await frame.locator('#spectral-radius-value', { hasText: '1.40' }).waitFor();
    await frame.locator('#sigma-max').filter({ hasNotText: sigma }).waitFor();
    const after = await frame.locator('#bptt-chart canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    assert.notEqual(after, before, 'the curves changed');
    await recordTime(frame, 'BPTT (4 models, T=64, D=8, H=32)');
    await vsc.screenshot('bptt-light');
    await vsc.setTheme('Default Dark Modern');
    await frame.locator('#bptt-chart canvas').waitFor();
    await vsc.screenshot('bptt-dark');
    await vsc.setTheme('Default High Contrast');
    await frame.locator('#bptt-chart canvas').waitFor();
    await vsc.screenshot('bptt-high-contrast');
    await vsc.setTheme('Default Light Modern');
  });

  it('the CodeLens on nn.LSTM in char_lstm.py opens the forward demo with that layer', async () => {
    await clickCodeLens(vsc, FILE, 'nn.LSTM(', 'Visualize this LSTM');
    const frame = await lab();
    await frame.locator('#forward-demo').waitFor();
    // input_size=embed_dim (default 32), hidden_size=hidden_size (default 128), num_layers=2.
    await frame.locator('#D-value', { hasText: '32' }).waitFor();
    assert.equal(await frame.locator('#H').inputValue(), '128');
    const notes = frame.locator('#model-notes');
    await notes.waitFor();
    assert.match(await notes.innerText(), /nn\.LSTM/);
    assert.match(await notes.innerText(), /input size 32, hidden size 128/);
    assert.match(await notes.innerText(), /2 stacked layers/);
    const rows = await canvasSize(frame, '#heatmap-h');
    assert.ok(rows.h > 50);
    assert.ok(await distinctColours(frame, '#heatmap-h') > 8);
    await vsc.screenshot('codelens-forward');
  });

  it('the panel survives a window reload with its demo and controls', async () => {
    await vsc.reloadWindow();
    // Restored by the serializer from the state the view saved: the CodeLens's layer, 32 → 128.
    const frame = await lab();
    await frame.locator('#forward-demo').waitFor();
    assert.equal(await frame.locator('#D').inputValue(), '32');
    assert.equal(await frame.locator('#H').inputValue(), '128');
    assert.match(await frame.locator('#model-notes').innerText(), /nn\.LSTM/);
    assert.ok(await distinctColours(frame, '#heatmap-f') > 8, 'redrawn after the reload');
    await vsc.page.locator('.tab', { hasText: 'RNN Lab: LSTM Forward Pass' }).first().waitFor();
  });

  it('the CodeLens on a Keras GRU opens the BPTT demo with its units', async () => {
    await clickCodeLens(vsc, 'keras_gru.py', 'layers.GRU(', 'Visualize this GRU');
    const frame = await lab();
    await frame.locator('#bptt-demo').waitFor();
    // units=units, the default of build_model(units: int = 32); wrapped in Bidirectional.
    await frame.locator('#H-value', { hasText: '32' }).waitFor();
    const notes = await frame.locator('#model-notes').innerText();
    assert.match(notes, /layers\.GRU/);
    assert.match(notes, /Bidirectional: the demo shows the forward direction/);
    assert.match(notes, /input_shape is not given/);
  });

  it('CTC Alignment trains a GRU on the word live and draws the lattice and both decoders', async () => {
    const frame = await demoFromCode('CTC Alignment', '#ctc-demo');
    await frame.locator('#ctc-demo[data-trained="300"]').waitFor({ timeout: 120_000 });
    assert.equal(await frame.locator('#ctc-greedy').getAttribute('data-text'), 'hello');
    assert.ok(await distinctColours(frame, '#ctc-probs') > 4, 'probabilities drawn');
    assert.ok(await distinctColours(frame, '#ctc-lattice') > 4, 'lattice drawn');
    assert.match(await frame.locator('.card-link').first().innerText(), /Connectionist Temporal Classification/);
    await vsc.screenshot('ctc-light');
    await frame.locator('#ctc-toy').evaluate((e) => e.scrollIntoView());
    await vsc.screenshot('ctc-decoders-light');
    await darkShot(vsc, 'ctc-dark', () => frame.locator('#ctc-lattice').evaluate((e) => e.scrollIntoView()));
  });

  it('the forward demo runs the GRU and the vanilla RNN, picked in its cell dropdown', async () => {
    await vsc.runCommand('RNN Lens: LSTM Forward Pass');
    const frame = await lab();
    for (const [cell, title, keys] of [['gru', 'GRU Forward Pass', ['z', 'r', 'n', 'h']], ['rnn', 'Vanilla RNN Forward Pass', ['a', 'h']]] as const) {
      await frame.locator('#cell').click();
      await frame.locator('#cell vscode-option', { hasText: cell === 'gru' ? 'GRU' : 'Vanilla RNN' }).click();
      await frame.locator('#lab-title', { hasText: title }).waitFor();
      // The panel's tab names the cell too.
      await vsc.page.locator('.tab', { hasText: `RNN Lab: ${title}` }).first().waitFor();
      for (const k of keys) assert.ok(await distinctColours(frame, `#heatmap-${k}`) > 8, `${title}: heatmap ${k}`);
      await vsc.screenshot(`forward-${cell}-light`);
    }
    await darkShot(vsc, 'forward-rnn-dark', () => frame.locator('#heatmap-a').waitFor());
    await frame.locator('#cell').click();
    await frame.locator('#cell vscode-option', { hasText: 'LSTM' }).click();
    await frame.locator('#lab-title', { hasText: 'LSTM Forward Pass' }).waitFor();
    await vsc.page.locator('.tab', { hasText: 'RNN Lab: LSTM Forward Pass' }).first().waitFor();
  });

  it('Bidirectional RNN trains both GRUs live and shows what each output sees', async () => {
    await vsc.runCommand('RNN Lens: Bidirectional RNN');
    const frame = await lab();
    await frame.locator('#bi-demo[data-trained="400"]').waitFor({ timeout: 120_000 });
    assert.ok(Number(await frame.locator('#bi-accuracy').getAttribute('data-bi')) > 0.95);
    assert.ok(await distinctColours(frame, '#bi-sees-map') > 3);
    await vsc.screenshot('bidirectional-light');
    await darkShot(vsc, 'bidirectional-dark', () => frame.locator('#bi-sees-map').evaluate((e) => e.scrollIntoView()));
  });

  it('RNN vs Attention measures both in the page', async () => {
    await vsc.runCommand('RNN Lens: RNN vs Attention');
    const frame = await lab();
    await frame.locator('#attn-demo[data-measured]').waitFor({ timeout: 120_000 });
    assert.equal(await frame.locator('#attn-table tr[data-t]').count(), 6);
    assert.match(await frame.locator('#attn-summary').innerText(), /One attention layer took \d+\.\d\d ms at T = 512/);
    await vsc.screenshot('rnn-vs-attention-light');
    await darkShot(vsc, 'rnn-vs-attention-dark', () => frame.locator('#attn-table').waitFor());
  });

  it('Attention in Seq2seq trains both models live and draws the bottleneck curve and the attention heatmap', async () => {
    await vsc.runCommand('RNN Lens: Attention in Seq2seq');
    const frame = await lab();
    await frame.locator('#s2s-demo[data-trained="1500"]').waitFor({ timeout: 180_000 });
    assert.ok(await distinctColours(frame, '#s2s-chart canvas') > 3);
    assert.ok(await distinctColours(frame, '#s2s-attention') > 3);
    await vsc.screenshot('seq2seq-light');
    await darkShot(vsc, 'seq2seq-dark', () => frame.locator('#s2s-attention').evaluate((e) => e.scrollIntoView()));
  });

  it('the lab reported no CSP violation and no console error', () => {
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues.map((i) => `${i.kind}: ${i.text}`), []);
  });
});

