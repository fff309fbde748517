// The training playground's models train in the lab's Workers (one per model, up to
// navigator.hardwareConcurrency − 1, at least two), and the results are those of one thread: under
// a policy without worker-src blob: the Workers are refused and the same models train on the page,
// and step by step, with the same seed, both show the same losses and the same spectra. Playing,
// the Workers train on by themselves and pause stops the count.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { LAB_DEFAULTS, type LabViewState, type TrainControls } from '../../protocol';
import { CHROMIUM } from './harness';
import { labPage, labSession, pageIssues, showMessage } from './labPage';

const STEPS = 6;

function state(train: Partial<TrainControls> = {}): LabViewState {
  return {
    demo: 'train', forward: { ...LAB_DEFAULTS['lstm-forward'] }, bptt: { ...LAB_DEFAULTS.bptt },
    train: { ...LAB_DEFAULTS.train, task: 'recall', delay: 4, H: 12, batch: 8, seed: 11, ...train },
  };
}

describe('training playground in Workers', { skip: !existsSync(CHROMIUM) && 'no chromium' }, () => {
  const session = labSession('train-workers');
  const open = (s: LabViewState, blobWorkers: boolean): Promise<Page> =>
    session.open(labPage(showMessage(s), { backend: 'wasm', blobWorkers }), '#train-demo');

  const attr = (p: Page, name: string) => p.locator('#train-stats').getAttribute(name);

  /** STEPS clicks of "One step", each awaited; then each model's loss cells and spectrum note. */
  async function stepThrough(p: Page): Promise<{ table: string; eigen: string }> {
    await p.waitForFunction(() => /wasm · (in \d Workers?|on the page)$/.test(document.querySelector('#train-stats')?.textContent ?? ''), undefined, { timeout: 60_000 });
    for (let k = 1; k <= STEPS; k++) {
      await p.locator('#train-step').click();
      await p.waitForFunction((n) => Number(document.querySelector('#train-stats')?.getAttribute('data-step')) === n, k, { timeout: 60_000 });
    }
    // Every model's views measured at the last step; the table (refreshed a few times a second at most) shows it.
    await p.waitForFunction((n) => document.querySelector('#train-spectrum-note')?.getAttribute('data-step') === n, String(STEPS), { timeout: 30_000 });
    await p.waitForTimeout(500);
    return { table: await p.locator('#train-table').innerText(), eigen: await p.locator('#train-spectrum-note').innerText() };
  }

  it('trains the four models in Workers, and the same on the page where Workers are refused', async () => {
    const inWorkers = await open(state({ running: false }), true);
    const w = await stepThrough(inWorkers);
    const cores = await inWorkers.evaluate(() => navigator.hardwareConcurrency);
    const expected = Math.min(4, Math.max(2, cores - 1));
    assert.equal(await attr(inWorkers, 'data-where'), 'worker');
    assert.equal(await attr(inWorkers, 'data-workers'), String(expected));
    assert.match(await inWorkers.locator('#lab-status').innerText(), new RegExp(`^wasm · in ${expected} Workers$`));
    assert.deepEqual(await pageIssues(inWorkers), []);
    await inWorkers.close();

    const onPage = await open(state({ running: false }), false);
    const p = await stepThrough(onPage);
    assert.equal(await attr(onPage, 'data-where'), 'page');
    assert.equal(await attr(onPage, 'data-workers'), '0');
    const issues = await pageIssues(onPage);
    assert.ok(issues.length > 0 && issues.every((i) => i.startsWith('csp worker-src')), issues.join('\n'));
    await onPage.close();

    assert.match(w.table, /RNN|LSTM|GRU/);
    assert.equal(p.table, w.table, 'the same losses, step by step, in Workers and on the page');
    assert.equal(p.eigen, w.eigen);
  });

  it('plays in the Workers until paused; the count then stands still', async () => {
    const page = await open(state({ running: true }), true);
    await page.waitForFunction(() => Number(document.querySelector('#train-stats')?.getAttribute('data-step')) >= 60, undefined, { timeout: 120_000 });
    assert.equal(await attr(page, 'data-where'), 'worker');
    await page.locator('#train-play').click();
    await page.waitForFunction(() => document.querySelector('#train-stats')?.getAttribute('data-running') === 'false');
    const paused = await attr(page, 'data-step');
    await page.waitForTimeout(1000);
    assert.equal(await attr(page, 'data-step'), paused);
    assert.deepEqual(await pageIssues(page), []);
    await page.close();
  });
});
