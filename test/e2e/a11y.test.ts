// Accessibility in the real VS Code (code-server): axe-core (the npm package, run inside each
// webview's document) over every webview view — the quiz's question and answer faces, its review
// statistics, every lab demo, the Character Model and the checkpoint inspector — in the light,
// dark and high-contrast themes finds no serious or critical violation. The rules are axe's
// defaults (WCAG 2 A and AA among them, colour contrast included, read from the theme's colours).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { DEMO_TITLES } from '../../protocol';
import { OPENABLE_DEMOS } from '../../protocol/demoCommands';
import type { Theme, VSCode } from './harness';
import { inspectorPanel } from './inspectPage';
import { cardOnScreen, openQuizFromActivityBar } from './quizPage';
import { suiteSession } from './session';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const THEMES: Theme[] = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe's serious and critical violations in the webview `frame`, one line each. */
async function violations(frame: FrameLocator): Promise<string[]> {
  const handle = await frame.locator('body').elementHandle();
  const doc = await handle?.ownerFrame();
  assert.ok(doc, 'the webview document');
  // Evaluated through the debugging protocol: the webview's CSP (scripts by nonce only) does not apply.
  if (!(await doc.evaluate(() => 'axe' in globalThis))) await doc.evaluate(AXE);
  const found = await doc.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) =>
    `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`).join(' | ')}`);
}

describe('accessibility of every webview view (axe-core)', () => {
  let vsc: VSCode;
  const problems: string[] = [];

  suiteSession({ name: 'a11y', settings: { 'workbench.colorTheme': THEMES[0] } }, (v) => (vsc = v), async () => {
    await vsc.openFile('char_lstm.py');
  });

  const check = async (what: string, frame: FrameLocator, theme: Theme) => {
    for (const v of await violations(frame)) problems.push(`${theme} · ${what}: ${v}`);
  };

  for (const theme of THEMES) {
    it(`${theme}: the quiz (question, answer, statistics), every lab demo, the Character Model and the inspector`, async () => {
      await vsc.setTheme(theme);
      const quiz = await openQuizFromActivityBar(vsc);
      const card = await cardOnScreen(quiz);
      if (card.mode === 'question') {
        await check('quiz question', quiz, theme);
        await quiz.locator('#question').click();
        await vsc.page.keyboard.press('Space');
        await quiz.locator('#card[data-mode="answer"]').waitFor({ timeout: 15_000 });
      }
      await check('quiz answer', quiz, theme);
      await vsc.runCommand('RNN Lens: Show Review Statistics');
      await quiz.locator('#stats[open] #stats-body').waitFor({ timeout: 15_000 });
      await check('quiz statistics', quiz, theme);

      for (const demo of OPENABLE_DEMOS) {
        await vsc.runCommand(`RNN Lens: ${DEMO_TITLES[demo]}`);
        // The lab's tab, shown: axe reads only what is rendered.
        await vsc.page.locator('.editor-group-container .tab.active', { hasText: 'RNN Lab:' }).first().waitFor({ timeout: 30_000 });
        const lab = await vsc.findWebview(`#lab-title:text-is("${DEMO_TITLES[demo]}")`, { timeout: 60_000 });
        await lab.locator('#lab-status[data-chosen]').waitFor({ state: 'attached', timeout: 120_000 });
        assert.ok(await lab.locator('#lab-root').isVisible(), `${DEMO_TITLES[demo]} is shown`);
        await check(`lab: ${DEMO_TITLES[demo]}`, lab, theme);
      }
      await vsc.openFile('char_lstm.py');
      await vsc.runCommand('RNN Lens: Train a Character Model on This File');
      const char = await vsc.findWebview('#char-demo');
      await char.locator('#char-sample[data-step]').waitFor({ timeout: 60_000 });
      await check('lab: Character Model', char, theme);
      await vsc.runCommand('RNN Lens: Inspect Recurrent Layers');
      await vsc.pick('char_lstm.pt');
      const inspector = await inspectorPanel(vsc);
      await check('lab: Inspect Recurrent Layers', inspector, theme);
    });
  }

  it('found no serious or critical violation', () => {
    assert.deepEqual(problems, []);
  });
});
