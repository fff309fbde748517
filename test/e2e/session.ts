// The hooks around an e2e suite's one code-server session: started before the suite's tests, a
// screenshot after each test, named after it (a failure leaves a picture of the workbench), and
// the session closed after the last.
import { after, afterEach, before } from 'node:test';
import { VSCode, type StartOptions } from './harness';

/**
 * Registers the after-hooks in the calling `describe`. `session` reads the suite's session when a
 * hook runs: undefined when `before` could not start one, and then there is nothing to do.
 */
export function screenshotAndCloseAfter(session: () => VSCode | undefined): void {
  afterEach(async (t) => {
    await session()?.screenshotAfter(t);
  });
  after(async () => {
    await session()?.close();
  });
}

/**
 * Starts the suite's session before its tests and hands it to `set` (so the after-hooks close it
 * even when `ready` fails), then runs `ready`, the suite's own setup on it.
 */
export function suiteSession(opts: StartOptions, set: (vsc: VSCode) => void, ready?: () => Promise<void> | void): void {
  let vsc: VSCode | undefined;
  before(async () => {
    vsc = await VSCode.start(opts);
    set(vsc);
    await ready?.();
  });
  screenshotAndCloseAfter(() => vsc);
}
