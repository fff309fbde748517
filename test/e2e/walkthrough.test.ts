// The Get Started walkthrough and the keybindings in the real VS Code: "Welcome: Open Walkthrough..."
// lists "Get Started with RNN Lens" with its five steps; each step's picture is our SVG drawn in the
// workbench's colours (its background is the editor's, white in Light Modern, dark in Dark Modern);
// the quiz step's button opens the quiz and ticks the step. Then the quiz's keys: Ctrl+Alt+Enter
// shows the answer, Ctrl+Alt+3 grades it Good once (the count drops by one, not two), from the view
// and from the editor. The train step's button trains on the file edited last, and the Keyboard
// Shortcuts editor lists the quiz keys with their when clauses. Screenshots in light and dark go
// to artifacts/e2e/walkthrough-*.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { englishManifest } from '../fixtures/manifest';
import { waitFor } from './common';
import { ROOT, VSCode } from './harness';
import { cardOnScreen, DARK, LIGHT, openQuizFromActivityBar, waitForStatusCount } from './quizPage';
import { suiteSession } from './session';

interface Manifest {
  contributes: { walkthroughs: { title: string; steps: { id: string; title: string; media: { altText: string } }[] }[] };
}
const [walk] = (englishManifest(ROOT) as Manifest).contributes.walkthroughs;

/** The walkthrough's steps in the Welcome editor. */
function steps(vsc: VSCode): Locator {
  return vsc.page.locator('.gettingStartedContainer button.getting-started-step');
}

/** The webview (any extension's or the workbench's own) whose document holds an SVG labelled `label`. */
async function svgFrame(vsc: VSCode, label: string): Promise<FrameLocator> {
  const outer = vsc.page.locator('iframe.webview.ready');
  return waitFor(`the walkthrough picture "${label.slice(0, 40)}…"`, async () => {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const frame = vsc.page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if ((await frame.locator(`svg[aria-label="${label}"]`).count()) > 0) return frame;
    }
    return undefined;
  }, 30_000, 250);
}

/** The computed fill of the picture's first shape (its background). */
async function backgroundFill(frame: FrameLocator, label: string): Promise<string> {
  return frame.locator(`svg[aria-label="${label}"] rect`).first().evaluate((r) => getComputedStyle(r).fill);
}

describe('Get Started walkthrough and keybindings', () => {
  let vsc: VSCode;
  suiteSession({ name: 'walkthrough', settings: { 'workbench.colorTheme': LIGHT } }, (v) => (vsc = v));

  it('opens "Get Started with RNN Lens" with its steps, each picture in the theme\'s colours', async () => {
    await vsc.openFile('char_lstm.py', 1);
    await vsc.runCommand('Welcome: Open Walkthrough...');
    await vsc.pick(walk.title);
    await steps(vsc).first().waitFor({ timeout: 30_000 });
    const titles = (await vsc.page.locator('.gettingStartedContainer .getting-started-step h3.step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, walk.steps.map((s) => s.title));
    // The first step is open: its SVG is drawn with the editor's background of the light theme.
    const hover = walk.steps[0];
    const frame = await svgFrame(vsc, svgLabel(hover.id));
    const light = await backgroundFill(frame, svgLabel(hover.id));
    assert.equal(light, 'rgb(255, 255, 255)', 'Light Modern: a white editor background');
    await vsc.screenshot('hover-light');
    await vsc.setTheme(DARK);
    const dark = await waitFor('the picture to take the dark theme', async () => {
      const fill = await backgroundFill(await svgFrame(vsc, svgLabel(hover.id)), svgLabel(hover.id));
      return fill !== light ? fill : undefined;
    }, 30_000, 250);
    const [r, g, b] = (dark.match(/\d+/g) ?? []).map(Number);
    assert.ok(r < 60 && g < 60 && b < 60, `Dark Modern: a dark editor background (${dark})`);
    await vsc.screenshot('hover-dark');
  });

  it('the quiz step\'s button opens the quiz and ticks the step', async () => {
    const quizStep = steps(vsc).filter({ hasText: walk.steps[1].title });
    await quizStep.click();
    await svgFrame(vsc, svgLabel('quiz'));
    await vsc.screenshot('quiz-step-dark');
    await vsc.setTheme(LIGHT);
    await vsc.screenshot('quiz-step-light');
    await vsc.page.locator('.gettingStartedContainer .button-container .monaco-button', { hasText: /^Open Quiz$/ }).click();
    await vsc.findWebview('#quiz-root');
    await vsc.page.locator('.gettingStartedContainer button.getting-started-step[aria-checked="true"]', { hasText: walk.steps[1].title })
      .waitFor({ state: 'attached', timeout: 30_000 });
  });

  it('Ctrl+Alt+Enter shows the answer and Ctrl+Alt+3 grades it Good once, from the view and from the editor', async () => {
    const view = await openQuizFromActivityBar(vsc);
    const first = await cardOnScreen(view);
    assert.equal(first.mode, 'question');
    const before = await waitForStatusCount(vsc, (n) => n > 1, 'more than 1');
    // In the quiz view: the view ignores keys with modifiers, so only the keybinding acts.
    await view.locator('#question').click();
    await vsc.page.keyboard.press('Control+Alt+Enter');
    await view.locator(`#card[data-mode="answer"][data-card-id="${first.id}"]`).waitFor({ timeout: 15_000 });
    assert.ok((await view.locator('#answer').innerText()).trim().length > 20, 'the answer is shown');
    await vsc.page.keyboard.press('Control+Alt+3');
    await waitForStatusCount(vsc, (n) => n === before - 1, String(before - 1));
    await view.locator(`#card[data-mode="question"]:not([data-card-id="${first.id}"])`).waitFor({ timeout: 15_000 });
    // From the editor, while the quiz is open beside it.
    const second = await cardOnScreen(view);
    await vsc.openFile('char_lstm.py', 1);
    await vsc.page.keyboard.press('Control+Alt+Enter');
    await view.locator(`#card[data-mode="answer"][data-card-id="${second.id}"]`).waitFor({ timeout: 15_000 });
    await vsc.screenshot('answer-by-key');
    await vsc.page.keyboard.press('Control+Alt+3');
    await waitForStatusCount(vsc, (n) => n === before - 2, String(before - 2));
  });

  it('the train step\'s button trains on the file last edited (the Welcome page is the active editor then)', async () => {
    // The previous test left char_lstm.py active; now the Welcome page is.
    await vsc.page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    const trainStep = walk.steps[4];
    await steps(vsc).filter({ hasText: trainStep.title }).click();
    await vsc.page.locator('.gettingStartedContainer .button-container .monaco-button', { hasText: /^Train a Character Model on This File$/ }).click();
    const lab = await vsc.findWebview('#char-demo');
    await lab.locator('#char-text-note', { hasText: /^Training on char_lstm\.py: / }).waitFor({ timeout: 30_000 });
    await vsc.page.locator('.gettingStartedContainer button.getting-started-step[aria-checked="true"]', { hasText: trainStep.title })
      .waitFor({ state: 'attached', timeout: 30_000 });
    await vsc.screenshot('train-from-walkthrough');
  });

  it('lists the quiz keys in the Keyboard Shortcuts editor', async () => {
    await vsc.runCommand('Preferences: Open Keyboard Shortcuts');
    // The editor opens with its search box focused.
    await vsc.page.locator('.keybindings-editor').waitFor({ timeout: 30_000 });
    await vsc.page.keyboard.type('rnnLens.quiz');
    const rows = vsc.page.locator('.keybindings-editor .monaco-list-row');
    const all = await waitFor('the RNN Lens quiz keys in Keyboard Shortcuts', async () => {
      const text = (await rows.allInnerTexts()).join('\n');
      return /Show the Answer/.test(text) && /Grade Easy/.test(text) ? text : undefined;
    }, 30_000, 250);
    for (const [title, key] of [['Quiz: Show the Answer', /Ctrl\s*\+\s*Alt\s*\+\s*Enter/], ['Quiz: Grade Good', /Ctrl\s*\+\s*Alt\s*\+\s*3/]] as const) {
      const row = rows.filter({ hasText: title }).first();
      assert.ok(await row.count(), `${title} is listed:\n${all}`);
      const text = await row.innerText();
      assert.match(text, key, `${title}'s row shows its key: ${text}`);
      assert.match(text, /rnnLens\.quiz\.mode == '?(question|answer)'?/, `${title}'s row shows its when clause: ${text}`);
    }
    await vsc.screenshot('keyboard-shortcuts-light');
  });
});

/** The aria-label of a step's SVG (its <svg> element says what it shows). */
function svgLabel(step: string): string {
  const svg = readFileSync(join(ROOT, 'media', 'walkthrough', `${step}.svg`), 'utf8');
  const m = /<svg [^>]*aria-label="([^"]+)"/.exec(svg);
  assert.ok(m, `${step}.svg has an aria-label`);
  return m[1];
}
