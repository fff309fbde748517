// RNN Lens in the web extension host (vscode.dev, code-server's browser worker), proven end to
// end. The user setting "remote.extensionKind": { "rnn-lens.rnn-lens": ["web"] } makes code-server
// run the installed .vsix in the workbench's web worker extension host, which loads the
// package.json "browser" entry (dist/web/extension.js): no Node, no fs, no process. The tests
// check that it runs there (the Running Extensions view says "web worker", the browser fetched
// dist/web/extension.js, and the Node extension host never activated it), then use it as a user
// would: the hover on nn.LSTM (light and dark), the quiz grading a card, the lab running a demo on
// its kernels, the checkpoint inspector reading a .pt file, and a user deck written into the
// workspace, read through vscode.workspace.fs, whose card then hovers.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { before, describe, it } from 'node:test';
import { distinctColours } from '../fixtures/canvas';
import { expectedLstmCard, type LstmCard } from './deck';
import { EXTENSION_ID, VSCode } from './harness';
import { hoverShowsLstmCard } from './hoverPage';
import { inspectFromExplorer } from './inspectPage';
import { labPanel } from './labPage';
import { cardOnScreen, DARK, LIGHT, openQuizFromActivityBar, waitForStatusCount } from './quizPage';
import { screenshotAndCloseAfter } from './session';

const FILE = 'char_lstm.py';
const DECK_LINE = /RNN Lens: \d+ cards loaded \(\d+ bundled, (\d+) from user decks/;

/** The user-deck count of the newest "cards loaded" line in the RNN Lens output channel. */
function userCardCount(output: string): number | undefined {
  const all = [...output.matchAll(new RegExp(DECK_LINE.source, 'g'))];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

const ZONEOUT_CARD = `---
id: my-zoneout
level: advanced
kind: concept
tags: [regularisation, lstm]
terms: [zoneout]
---
# What does zoneout do to an RNN's hidden state during training?

At each step, each unit keeps its previous value $h_{t-1}$ with probability $p$ instead of
taking the new one, like dropout that copies the old state instead of zeroing it. Gradients
and information flow through the kept units unchanged, which regularises long sequences.
`;
const ZONEOUT_NOTE = '# Regularising the LSTM\n\nZoneout keeps some hidden units of the LSTM at their previous values.\n';

describe('web extension host', () => {
  let vsc: VSCode;
  let expected: LstmCard;
  /** Every URL the page and its workers requested. */
  const requested: string[] = [];

  before(async () => {
    expected = await expectedLstmCard(FILE);
    vsc = await VSCode.start({
      name: 'webhost',
      settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] }, 'workbench.colorTheme': LIGHT },
    });
    vsc.page.on('request', (r) => void requested.push(r.url()));
    vsc.page.on('worker', (w) => void requested.push(w.url()));
  });
  screenshotAndCloseAfter(() => vsc);

  it('runs the browser bundle in the web worker extension host, not in the Node one', async () => {
    await vsc.openFile(FILE, expected.line);
    // Activated: the deck line is in the output channel (the user deck in examples/decks read).
    const output = await vsc.outputChannel('RNN Lens', DECK_LINE);
    assert.equal(userCardCount(output), 1, `examples/decks/peephole-lstm.md is loaded: ${output}`);

    const running = await vsc.runningExtensions(['RNN Lens', 'JSON Language Features']);
    const [oursText, jsonText] = [running['RNN Lens'], running['JSON Language Features']];
    await vsc.screenshot('running-extensions');
    // The view opens as a modal editor over the workbench: close it as a user would (before
    // asserting, so that a failure here leaves the next tests a usable workbench).
    await vsc.page.keyboard.press('Escape');
    await vsc.page.locator('.monaco-modal-editor-block').waitFor({ state: 'hidden', timeout: 10_000 });
    assert.match(oursText, /web worker/i, `RNN Lens runs in the web worker host; its row says: ${oursText}`);
    // The view tells the hosts apart: extensions in the Node host show the server's address.
    assert.match(jsonText, /127\.0\.0\.1:\d+/);
    assert.doesNotMatch(jsonText, /web worker/i);

    // The browser fetched the web bundle (through code-server's resource route,
    // vscode-remote-resource?path=<extension folder>/dist/web/extension.js); the Node extension
    // host logged other extensions' activations, never ours.
    const bundle = /\/rnn-lens\.rnn-lens-[^/]+\/dist\/web\/extension\.js(&|$)/;
    assert.ok(requested.some((u) => bundle.test(decodeURIComponent(u))), 'the browser fetched the extension\'s dist/web/extension.js');
    const nodeHostLog = vsc.remoteExtensionHostLog();
    assert.match(nodeHostLog, /_doActivateExtension vscode\./, 'the Node extension host log lists its activations');
    // The Node host lists every installed extension as "global" but runs only its "local" ones.
    const id = EXTENSION_ID.replace('.', '\\.');
    assert.doesNotMatch(nodeHostLog, new RegExp(`_doActivateExtension ${id}\\b`), 'the Node extension host never activated RNN Lens');
    for (const [, list] of nodeHostLog.matchAll(/following local extensions: (.*)/g)) {
      assert.ok(!list.split(',').includes(EXTENSION_ID), 'RNN Lens is not among the Node extension host\'s local extensions');
    }
  });

  it('hovers nn.LSTM with the card, its equation image and links (light and dark)', async () => {
    await vsc.openFile(FILE, expected.line);
    await hoverShowsLstmCard(vsc, expected);
    await vsc.screenshot('hover-nn-lstm-light');
    await vsc.setTheme(DARK);
    await hoverShowsLstmCard(vsc, expected);
    await vsc.screenshot('hover-nn-lstm-dark');
    await vsc.hideHover();
  });

  it('the quiz opens from the activity bar and grades a card with 3 (Good)', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const before = await cardOnScreen(view);
    assert.equal(before.mode, 'question');
    const count = await waitForStatusCount(vsc, (n) => n > 0, 'positive');
    await view.locator('#question').click();
    await vsc.page.keyboard.press('Space');
    await view.locator('#answer').waitFor({ state: 'visible', timeout: 15_000 });
    await vsc.page.keyboard.press('3');
    await waitForStatusCount(vsc, (n) => n === count - 1, String(count - 1));
    if (count > 1) await view.locator(`#card[data-mode="question"]:not([data-card-id="${before.id}"])`).waitFor({ timeout: 15_000 });
    await vsc.screenshot('quiz-dark');
  });

  it('the lab opens the LSTM forward demo and computes it on its kernels', async () => {
    await vsc.openFile(FILE);
    await vsc.runCommand('RNN Lens: LSTM Forward Pass');
    const frame = await labPanel(vsc);
    assert.equal(await frame.locator('#lab-title').innerText(), 'LSTM Forward Pass');
    for (const k of ['f', 'h']) assert.ok(await distinctColours(frame, `#heatmap-${k}`) > 8, `heatmap ${k} is drawn`);
    assert.match(await frame.locator('#lab-status').innerText(), /^wasm · \d+\.\d ms$/);
    const issues = vsc.webviewIssues();
    assert.deepEqual(issues, [], 'no CSP violation or console error in the webviews');
    await vsc.screenshot('lab-dark');
    await vsc.runCommand('View: Close All Editors');
  });

  it('inspects examples/checkpoints/char_lstm.pt, read through vscode.workspace.fs', async () => {
    const frame = await inspectFromExplorer(vsc, 'checkpoints', 'char_lstm.pt');
    assert.match(await frame.locator('#inspect-file').innerText(), /^char_lstm\.pt: 2 recurrent layers/);
    assert.match(await frame.locator('#inspect-layer').innerText(), /input size D = 32, hidden size H = 128, 82,944 parameters/);
    assert.ok(await distinctColours(frame, '#inspect-spectra canvas', 0) > 3, 'the first gate\'s spectrum is drawn');
    assert.deepEqual(vsc.webviewIssues(), [], 'no CSP violation or console error in the webviews');
    await vsc.screenshot('inspect-dark');
    await vsc.runCommand('View: Close All Editors');
  });

  it('reads a new user deck file through vscode.workspace.fs and hovers its card', async () => {
    for (const [rel, text] of [['decks/zoneout.md', ZONEOUT_CARD], ['notes/zoneout.md', ZONEOUT_NOTE]]) {
      mkdirSync(dirname(vsc.workspaceFile(rel)), { recursive: true });
      writeFileSync(vsc.workspaceFile(rel), text);
    }
    // The deck's file watcher re-reads decks/**/*.md: two user cards now.
    const output = await vsc.outputChannel('RNN Lens', /from user decks in 3 files/);
    assert.equal(userCardCount(output), 2, output);
    await vsc.setTheme(LIGHT);
    await vsc.openFile('notes/zoneout.md', 3);
    const hover = await vsc.hoverWord('Zoneout', { line: 3, until: /RNN Lens/ });
    assert.match(hover.text, /What does zoneout do to an RNN's hidden state during training\?/);
    assert.match(hover.text, /Open card/);
    await vsc.screenshot('hover-user-card-light');
  });
});
