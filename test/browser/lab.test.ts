// The lab view (dist/webview/lab.js) in headless Chromium under the lab's CSP (src/webviewCsp.ts),
// without VS Code: labPage.ts serves the page with a script standing in for VS Code's
// acquireVsCodeApi (it records what the view sends and answers `ready` with a `show`). Checks: both demos draw, controls recompute, hover
// highlights the equation term, zero CSP violations and console errors; it prints the recompute
// + redraw time at the default sizes (the number the issue asks for; never asserted).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LAB_DEFAULTS, type LabViewState } from '../../protocol';
import { CHROMIUM, launchChromium } from './harness';
import { LOAD, ROOT, distinctColours, labPage, pageIssues as issues, serveLab, showMessage } from './labPage';

const page = (show: ReturnType<typeof showMessage>, compileWasm = true, backend = 'auto') => labPage(show, { compileWasm, backend });

describe('lab view in Chromium under the webview CSP', { skip: !existsSync(CHROMIUM) && 'no chromium' }, () => {
  let server: { base: string; close(): Promise<void> } | undefined;
  let browser: Browser;
  let base = '';
  let html = '';

  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist/webview/lab.js')), 'build first: node esbuild.mjs');
    server = await serveLab(() => html);
    base = server.base;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(state: LabViewState): Promise<Page> {
    html = page(showMessage(state), true, 'wasm');
    const p = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    p.on('pageerror', (e) => console.error(`[lab page] ${e.stack ?? e.message}`));
    await p.goto(base, LOAD);
    await p.locator('#lab-status[data-ms]').waitFor({ timeout: 60_000 });
    // The backend chooser probes WebGL after the first draw; timings are taken on its choice.
    await p.locator('#lab-status[data-chosen]').waitFor({ timeout: 120_000 });
    return p;
  }

  async function backend(p: Page): Promise<string> {
    const note = (await p.locator('#engine-note').isVisible()) ? ` (${await p.locator('#engine-note').innerText()})` : '';
    return `${await p.locator('#lab-status').getAttribute('data-backend')}${note}`;
  }

  async function recomputeTimes(p: Page, trigger: () => Promise<void>, n: number): Promise<number[]> {
    const times: number[] = [];
    for (let k = 0; k < n; k++) {
      const before = await p.locator('#lab-status').getAttribute('data-count');
      await trigger();
      await p.waitForFunction((b) => document.querySelector('#lab-status')?.getAttribute('data-count') !== b, before);
      times.push(Number(await p.locator('#lab-status').getAttribute('data-ms')));
    }
    return times;
  }

  it('LSTM forward: six heatmaps draw, the equations show numbers, hover highlights the term', async () => {
    const p = await open({ demo: 'lstm-forward', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train } });
    for (const k of ['f', 'i', 'g', 'o', 'c', 'h']) {
      assert.ok(await distinctColours(p, `#heatmap-${k}`) > 8, `heatmap ${k} is drawn`);
    }
    assert.equal(await p.locator('#lab-title').innerText(), 'LSTM Forward Pass');
    assert.match(await p.locator('#equation-numbers').innerText(), /0\.\d{3}/);
    const box = (await p.locator('#heatmap-f').boundingBox())!;
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.locator('#equation-numbers .term-f.active').first().waitFor();
    assert.match(await p.locator('#hover-readout').innerText(), /^f\[t=\d+/);
    assert.match(await p.locator('.card-link').first().innerText(), /LSTM/);

    // Changing H recomputes with the new size (the slider's value and the heatmap's rows).
    await p.locator('#H').fill('24');
    await p.waitForFunction(() => document.querySelector('#unit')?.getAttribute('max') === '23');
    const times = await recomputeTimes(p, async () => {
      const v = Number(await p.locator('#forget-bias').inputValue());
      await p.locator('#forget-bias').fill(String(v >= 4 ? 0 : v + 0.5));
    }, 10);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`[lab] LSTM forward recompute+redraw (T=48, D=4, H=24, ${await backend(p)}): median ${sorted[5].toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`);
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('without WebGL the lab runs on the wasm it is set to, or says why it cannot; without WebGL and WebAssembly it runs on js and says why', async () => {
    const noGl = await launchChromium(['--disable-webgl', '--disable-3d-apis']);
    try {
      const bptt = showMessage({ demo: 'bptt', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train } });
      html = page(bptt, true, 'wasm');
      const p = await noGl.newPage({ viewport: { width: 1100, height: 1000 } });
      await p.goto(base, LOAD);
      await p.locator('#lab-status[data-chosen]').waitFor({ timeout: 60_000 });
      assert.equal(await p.locator('#lab-status').getAttribute('data-backend'), 'wasm');
      assert.match(await p.locator('#lab-status').innerText(), /^wasm · \d+\.\d ms$/);
      assert.equal(await p.locator('#engine-note').isVisible(), false);
      assert.ok(await distinctColours(p, '#bptt-chart canvas') > 3, 'chart is drawn on wasm');
      assert.deepEqual(await issues(p), []);
      await p.close();

      // Set to WebGL2 where there is none: the note says so and names what runs instead.
      html = page(bptt, true, 'webgl2');
      const g = await noGl.newPage({ viewport: { width: 1100, height: 1000 } });
      await g.goto(base, LOAD);
      await g.locator('#lab-status[data-chosen]').waitFor({ timeout: 60_000 });
      const ran = await g.locator('#lab-status').getAttribute('data-backend');
      assert.match(ran ?? '', /^(wasm|js)$/);
      assert.equal(await g.locator('#engine-note').innerText(),
        `webgl2 is the rnnLens.lab.backend setting, but it is not available here: the lab runs on ${ran}.`);
      assert.equal(await g.locator('#engine-note.warning').count(), 1);
      assert.ok(await distinctColours(g, '#bptt-chart canvas') > 3, 'chart is drawn');
      await g.close();

      // The quiz's policy: WebAssembly may not compile (the refusal is itself a CSP report).
      html = page(bptt, false);
      const q = await noGl.newPage({ viewport: { width: 1100, height: 1000 } });
      await q.goto(base, LOAD);
      await q.locator('#lab-status[data-chosen]').waitFor({ timeout: 60_000 });
      assert.equal(await q.locator('#lab-status').getAttribute('data-backend'), 'js');
      assert.equal(await q.locator('#engine-note').innerText(),
        'WebGL and WebAssembly are not available here: the lab runs on the plain-JS kernels (same results, on the CPU).');
      assert.match(await q.locator('#lab-status').innerText(), /^js · \d+\.\d ms$/);
      assert.ok(await distinctColours(q, '#bptt-chart canvas') > 3, 'chart is drawn on js');
      assert.deepEqual(await issues(q), ['csp script-src wasm-eval']);
    } finally {
      await noGl.close();
    }
  });

  it('BPTT: the log-axis chart draws and moving the spectral radius changes the curves and σ_max', async () => {
    const p = await open({ demo: 'bptt', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train } });
    assert.ok(await distinctColours(p, '#bptt-chart canvas') > 3, 'chart is drawn');
    const sigma1 = await p.locator('#sigma-max').innerText();
    const rows1 = await p.locator('#bptt-numbers').innerText();
    const pixels1 = await p.locator('#bptt-chart canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await p.locator('#spectral-radius').fill('1.5');
    await p.waitForFunction((s) => document.querySelector('#sigma-max')?.textContent !== s, sigma1);
    const pixels2 = await p.locator('#bptt-chart canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    assert.notEqual(pixels2, pixels1, 'the curves moved');
    assert.notEqual(await p.locator('#bptt-numbers').innerText(), rows1);
    const times = await recomputeTimes(p, async () => {
      const v = Number(await p.locator('#spectral-radius').inputValue());
      await p.locator('#spectral-radius').fill(String(v >= 1.9 ? 0.5 : v + 0.05));
    }, 10);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`[lab] BPTT recompute+redraw (4 models, T=64, D=8, H=32, ${await backend(p)}): median ${sorted[5].toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`);
    const sent = await p.evaluate(() => (window as unknown as { __sent: { type: string }[] }).__sent.map((m) => m.type));
    assert.equal(sent[0], 'ready');
    assert.ok(sent.includes('stateChanged'));
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('Forward pass for every cell: the GRU and the vanilla RNN draw their own heatmaps and equations', async () => {
    const p = await open({ demo: 'lstm-forward', forward: { ...LAB_DEFAULTS['lstm-forward'], cell: 'gru' }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train } });
    assert.equal(await p.locator('#lab-title').innerText(), 'GRU Forward Pass');
    for (const k of ['z', 'r', 'n', 'h']) assert.ok(await distinctColours(p, `#heatmap-${k}`) > 8, `GRU heatmap ${k} is drawn`);
    assert.equal(await p.locator('#heatmap-f').count(), 0);
    assert.match(await p.locator('#equation-numbers').innerText(), /\(1\s*−\s*0\.\d{3}\)/);
    assert.equal(await p.locator('#forget-bias').isVisible(), false, 'no forget gate in a GRU');
    const box = (await p.locator('#heatmap-z').boundingBox())!;
    await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.locator('#equation-numbers .term-z.active').first().waitFor();
    // The picker: the vanilla RNN's recurrence, with W_xh x_t, W_hh h_{t-1} and b_h filled in.
    await p.locator('#cell').evaluate((d: HTMLElement & { value: string }) => {
      d.value = 'rnn';
      d.dispatchEvent(new Event('change'));
    });
    await p.waitForFunction(() => document.querySelector('#lab-title')?.textContent === 'Vanilla RNN Forward Pass');
    for (const k of ['a', 'h']) assert.ok(await distinctColours(p, `#heatmap-${k}`) > 8, `RNN heatmap ${k} is drawn`);
    assert.match(await p.locator('#equation-numbers').innerText(), /tanh/);
    assert.match(await p.locator('#equation-symbolic').innerText(), /W\s*x\s*h/);
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('Bidirectional: both GRUs train live; only the bidirectional one tags what comes later; what each output sees; streaming', async () => {
    const p = await open({
      demo: 'bidirectional', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train }, bidirectional: { seed: 1 },
    });
    assert.equal(await p.locator('#lab-title').innerText(), 'Bidirectional RNN');
    await p.locator('#bi-demo[data-trained="400"]').waitFor({ timeout: 60_000 });
    const uni = Number(await p.locator('#bi-accuracy').getAttribute('data-uni'));
    const bi = Number(await p.locator('#bi-accuracy').getAttribute('data-bi'));
    assert.ok(bi > 0.95 && uni < 0.45, `uni ${uni}, bi ${bi}`);
    assert.match(await p.locator('#bi-acc-text').innerText(), /unidirectional \d+\.\d%, bidirectional \d+\.\d%/);
    assert.equal(await p.locator('#bi-tags tr').count(), 5);
    // Output 3: the unidirectional GRU sees inputs 0..3, the bidirectional all 16.
    assert.equal(await p.locator('#bi-sees').getAttribute('data-uni'), '4');
    assert.equal(await p.locator('#bi-sees').getAttribute('data-bi'), '16');
    assert.ok(await distinctColours(p, '#bi-sees-map') > 3, 'sensitivity map drawn');
    await p.locator('#bi-position').fill('9');
    await p.waitForFunction(() => document.querySelector('#bi-sees')?.getAttribute('data-uni') === '10');
    // Streaming: after 8 symbols the unidirectional tags so far are final.
    await p.locator('#bi-received').fill('8');
    await p.waitForFunction(() => /After 8 of 16/.test(document.querySelector('#bi-stream')?.textContent ?? ''));
    assert.equal(await p.locator('#bi-stream').getAttribute('data-uni-changed'), '0');
    assert.ok(Number(await p.locator('#bi-stream').getAttribute('data-bi-changed')) > 0);
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('RNN vs Attention: times measured in the page for every T, the summary built from them', async () => {
    const p = await open({ demo: 'rnn-vs-attention', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train } });
    assert.equal(await p.locator('#lab-title').innerText(), 'RNN vs Attention');
    await p.locator('#attn-demo[data-measured]').waitFor({ timeout: 60_000 });
    assert.equal(await p.locator('#attn-table tr[data-t]').count(), 6);
    const last = await p.locator('#attn-table tr[data-t="512"] td').allInnerTexts();
    assert.equal(last[1], '512', 'the GRU takes 512 sequential steps');
    assert.equal(last[4], '1', 'attention takes one');
    assert.equal(last[7], '511 / 1');
    for (const k of [2, 3, 5]) assert.ok(Number(last[k]) > 0, `a measured time in column ${k}`);
    const summary = await p.locator('#attn-summary').innerText();
    assert.ok(summary.includes(`${last[2]} ms`), 'the summary quotes the measured GRU time');
    assert.ok(summary.includes(`took ${last[5]} ms at T = 512`), 'and the measured attention time');
    console.log(`[lab] RNN vs attention at T=512 (${await backend(p)}): GRU ${last[2]} ms, unchained ${last[3]} ms, attention ${last[5]} ms`);
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('Attention in Seq2seq: both models train live; attention beats the bottleneck on long inputs; the heatmap draws', async () => {
    const p = await open({ demo: 'seq2seq', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train }, seq2seq: { seed: 1 } });
    assert.equal(await p.locator('#lab-title').innerText(), 'Attention in Seq2seq');
    await p.locator('#s2s-demo[data-trained="1500"]').waitFor({ timeout: 120_000 });
    const none = Number(await p.locator('#s2s-summary').getAttribute('data-none12'));
    const attn = Number(await p.locator('#s2s-summary').getAttribute('data-attn12'));
    assert.ok(attn > none + 0.15, `length 12: attention ${attn}, no attention ${none}`);
    assert.match(await p.locator('#s2s-summary').innerText(), /^Length 4: no attention \d+%, attention \d+%\. Length 12:/);
    assert.ok(await distinctColours(p, '#s2s-chart canvas') > 3, 'the accuracy curves draw');
    assert.ok(await distinctColours(p, '#s2s-attention') > 3, 'the attention heatmap draws');
    assert.equal(await p.locator('#s2s-tgt .s2s-sym').count(), 10);
    await p.locator('#s2s-length').fill('5');
    await p.waitForFunction(() => document.querySelectorAll('#s2s-tgt .s2s-sym').length === 5);
    assert.deepEqual(await issues(p), []);
    await p.close();
  });

  it('CTC: a GRU learns the typed word live; lattice, collapse toy, both decoders and streaming read it', async () => {
    const p = await open({
      demo: 'ctc', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train }, ctc: { word: 'hello', seed: 1 },
    });
    assert.equal(await p.locator('#lab-title').innerText(), 'CTC Alignment');
    // Training runs in the page, 300 updates; then the held-out rendition reads "hello".
    await p.locator('#ctc-demo[data-trained="300"]').waitFor({ timeout: 60_000 });
    assert.match(await p.locator('#ctc-progress').innerText(), /^300 updates .* CTC loss on the held-out rendition \(\d+ frames\): \d+\.\d{3} nats/);
    assert.equal(await p.locator('#ctc-greedy').getAttribute('data-text'), 'hello');
    assert.equal(await p.locator('#ctc-beam').getAttribute('data-text'), 'hello');
    assert.ok(await distinctColours(p, '#ctc-probs') > 4, 'probabilities drawn');
    assert.ok(await distinctColours(p, '#ctc-lattice') > 4, 'lattice drawn');
    assert.equal(await p.locator('#ctc-lattice-rows li').count(), 11, 'blank-augmented "hello": 2·5 + 1 rows');
    assert.deepEqual(await p.locator('#ctc-prob-rows li').allInnerTexts(), ['∅', 'h', 'e', 'l', 'o']);

    // The collapse toy starts as the greedy path; changing one frame changes what it reads.
    assert.match(await p.locator('#ctc-toy-out').innerText(), /“hello” \(the target\)/);
    const frames = p.locator('#ctc-toy .ctc-frame');
    const blankBetweenLs = await frames.evaluateAll((bs) => {
      const s = bs.map((b) => b.textContent);
      const first = s.indexOf('l');
      return s.indexOf('∅', first);
    });
    assert.ok(blankBetweenLs > 0, 'a blank separates the two l frames');
    // Turn that blank into an l: the repeats merge, "helo".
    await frames.nth(blankBetweenLs).focus();
    await p.keyboard.press('Enter');
    const next = await frames.nth(blankBetweenLs).innerText();
    if (next !== 'l') for (let k = 0; k < 4 && (await frames.nth(blankBetweenLs).innerText()) !== 'l'; k++) await p.keyboard.press('Enter');
    assert.match(await p.locator('#ctc-toy-out').innerText(), /“helo”/);

    // Streaming: the greedy output after a few frames is a prefix of the full one.
    await p.locator('#ctc-frames').fill('3');
    await p.waitForFunction(() => /after 3 of/.test(document.querySelector('#ctc-stream')?.textContent ?? ''));
    assert.ok('hello'.startsWith((await p.locator('#ctc-stream').getAttribute('data-text'))!));

    // A new word retrains; a bad word is a one-line message and nothing breaks.
    await p.locator('#ctc-word').evaluate((f: HTMLElement & { value: string }) => {
      f.value = 'no way';
      f.dispatchEvent(new Event('input'));
    });
    assert.match(await p.locator('#ctc-word-error').innerText(), /letters a–z only/);
    await p.locator('#ctc-word').evaluate((f: HTMLElement & { value: string }) => {
      f.value = 'banana';
      f.dispatchEvent(new Event('input'));
    });
    await p.locator('#ctc-demo[data-trained="300"]').waitFor({ timeout: 60_000 });
    assert.equal(await p.locator('#ctc-greedy').getAttribute('data-text'), 'banana');
    assert.deepEqual(await issues(p), []);
    await p.close();
  });
});
