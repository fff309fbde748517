// What every part of the e2e harness shares: where the repository and the artifacts are, the
// patient timeout, polling without fixed sleeps, and phase timings.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRoot } from '../browser/harness';

/** The repo root: tests run bundled from out/test/e2e/, so walk up to RNN Lens's package.json. */
export const ROOT = findRoot(__dirname);
export const EXTENSION_ID = 'rnn-lens.rnn-lens';
export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
/** Generous: on 2 shared cores a cold workbench can take 20 s while another job compiles. */
export const SLOW = 60_000;

/** Polls `probe` until it returns something other than undefined; errors count as "not yet". */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = SLOW, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Timing: each phase is printed and appended to artifacts/e2e/timings.jsonl so the cost of the
 * suite stays visible (timings are reported, never asserted).
 */
export function timed<T>(label: string, name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  return fn().finally(() => {
    const ms = Math.round(performance.now() - t0);
    console.error(`[e2e ${name}] ${label}: ${(ms / 1000).toFixed(1)} s`);
    mkdirSync(ARTIFACTS, { recursive: true });
    appendFileSync(join(ARTIFACTS, 'timings.jsonl'), JSON.stringify({ at: new Date().toISOString(), session: name, phase: label, ms }) + '\n');
  });
}

/** VS Code renders spaces in the editor as U+00A0; tests compare plain text. */
export function plain(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}

export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'screenshot';
}

/** Matches an element whose whole text is `s` (surrounding white space aside). */
export function exactText(s: string): RegExp {
  return new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
