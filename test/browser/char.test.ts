// The Character Model in headless Chromium, on the real trainer: under the lab's policy it trains
// in a dedicated Worker started from a blob: URL; under a policy without worker-src blob: the
// Worker is refused and the same model trains on the page. Step by step, with the same seed, both
// show the same held-out loss, the same sample and the same tracking units; playing trains on by
// itself in the Worker and pause stops it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { LAB_DEFAULTS, type CharControls, type LabViewState } from '../../protocol';
import { CHROMIUM } from './harness';
import { labPage, labSession, pageIssues, showMessage } from './labPage';

const TEXT = 'def f(x):\n    return (x + 1) * "two"\n\n'.repeat(60);
const STEPS = 12;

function state(char: Partial<CharControls> = {}): LabViewState {
  return {
    demo: 'char', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt }, train: { ...LAB_DEFAULTS.train },
    char: { ...LAB_DEFAULTS.char, H: 16, embedding: 8, seed: 7, ...char },
  };
}

interface Seen {
  loss: string;
  held: string;
  sample: string;
  tracking: string;
  stats: string;
  corner: string;
  issues: string[];
}

describe('character model in Chromium: a Worker, or the page where none starts', { skip: !existsSync(CHROMIUM) && 'no chromium' }, () => {
  const session = labSession('char');
  const open = (s: LabViewState, blobWorkers: boolean): Promise<Page> =>
    session.open(labPage(showMessage(s), { charText: TEXT, backend: 'wasm', blobWorkers }), '#char-demo');

  const attr = (p: Page, sel: string, name: string) => p.locator(sel).getAttribute(name);

  /** STEPS clicks of "One step", each awaited, then the views of the last step. */
  async function stepThrough(p: Page): Promise<Seen> {
    await p.waitForFunction(() => document.querySelector('#char-stats')?.textContent?.includes('wasm'), undefined, { timeout: 60_000 });
    for (let k = 1; k <= STEPS; k++) {
      await p.locator('#char-step').click();
      await p.waitForFunction((n) => Number(document.querySelector('#char-stats')?.getAttribute('data-step')) === n, k, { timeout: 60_000 });
    }
    const at = String(STEPS);
    await p.waitForFunction((n) => ['#char-sample', '#char-shaded'].every((s) => document.querySelector(s)?.getAttribute('data-step') === n)
      && document.querySelector('#char-loss-line')?.getAttribute('data-held') !== '', at, { timeout: 60_000 });
    return {
      loss: await p.locator('#char-loss-line').innerText(),
      held: (await attr(p, '#char-loss-line', 'data-held')) ?? '',
      sample: await p.locator('#char-sample').innerText(),
      tracking: await p.locator('#char-tracking').innerText(),
      stats: await p.locator('#char-stats').innerText(),
      corner: await p.locator('#lab-status').innerText(),
      issues: await pageIssues(p),
    };
  }

  it('trains in a Worker under the lab policy, and on the page where the Worker is refused, with the same results', async () => {
    const inWorker = await open(state({ running: false }), true);
    const w = await stepThrough(inWorker);
    assert.equal(await attr(inWorker, '#char-stats', 'data-where'), 'worker');
    assert.match(w.stats, new RegExp(`^step ${STEPS} .* wasm · in a Worker$`));
    assert.equal(w.corner, 'wasm · in a Worker');
    assert.deepEqual(w.issues, []);
    await inWorker.close();

    const onPage = await open(state({ running: false }), false);
    const p = await stepThrough(onPage);
    assert.equal(await attr(onPage, '#char-stats', 'data-where'), 'page');
    assert.equal(p.corner, 'wasm · on the page');
    // The refused Worker is the only thing the policy stopped, and the stats line says why it trains here.
    assert.ok(p.issues.length > 0 && p.issues.every((i) => i.startsWith('csp worker-src')), p.issues.join('\n'));
    assert.match((await attr(onPage, '#char-stats', 'title')) ?? '', /^Training on the page: the Worker did not start/);
    await onPage.close();

    assert.ok(Number(w.held) > 0, `held-out loss ${w.held}`);
    assert.equal(p.held, w.held);
    assert.equal(p.loss, w.loss);
    assert.equal(p.sample, w.sample);
    assert.ok(w.sample.length > 0);
    assert.equal(p.tracking, w.tracking);
  });

  it('plays in the Worker until paused', async () => {
    const page = await open(state({ running: true }), true);
    await page.waitForFunction(() => Number(document.querySelector('#char-stats')?.getAttribute('data-step')) >= 30, undefined, { timeout: 120_000 });
    assert.equal(await attr(page, '#char-stats', 'data-where'), 'worker');
    await page.locator('#char-play').click();
    await page.waitForFunction(() => document.querySelector('#char-stats')?.getAttribute('data-running') === 'false');
    // A slice under way when the pause arrived still reports; after it, the count stays.
    await page.waitForTimeout(500);
    const paused = await attr(page, '#char-stats', 'data-step');
    await page.waitForTimeout(1000);
    assert.equal(await attr(page, '#char-stats', 'data-step'), paused);
    assert.deepEqual(await pageIssues(page), []);
    await page.close();
  });
});
