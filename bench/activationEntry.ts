// The activation bench's VS Code half (bench/activation.mjs builds and runs it): a fresh
// code-server per run with the .vsix installed, a workspace that names no user deck (the
// bundled-deck path), a Python file opened to activate RNN Lens, and the activation time as
// VS Code itself reports it in "Developer: Show Running Extensions" (code loading + the
// activate() call). Each run measures the Node extension host, then the web worker host
// (`remote.extensionKind` set to web: code-server runs the .vsix's `browser` bundle there).
// Prints one JSON line per host and run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VSCode } from '../test/e2e/harness';

const RUNS = Number(process.env.RNN_LENS_BENCH_RUNS ?? 3);
const DECK_LINE = /RNN Lens: (\d+) cards loaded \((\d+) bundled, (\d+) from user decks/;
const ACTIVATION = /(?:Startup )?Activation: (\d+)\s*ms/;

/** One Python file and nothing else: no `rnnLens.decks`, so only the bundled deck loads. */
function bundledOnlyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lens-bench-activation-'));
  writeFileSync(join(dir, 'model.py'), 'import torch.nn as nn\n\nrnn = nn.LSTM(input_size=8, hidden_size=16)\n');
  return dir;
}

type Host = 'node' | 'web';
const HOST_SETTINGS: Record<Host, Record<string, unknown>> = {
  node: {},
  web: { 'remote.extensionKind': { 'rnn-lens.rnn-lens': ['web'] } },
};

async function oneRun(run: number, host: Host): Promise<void> {
  const workspace = bundledOnlyWorkspace();
  const vsc = await VSCode.start({ name: `bench-activation-${host}-${run}`, workspace, settings: HOST_SETTINGS[host] });
  try {
    await vsc.openFile('model.py', 3);
    const deck = DECK_LINE.exec(await vsc.outputChannel('RNN Lens', DECK_LINE));
    const text = (await vsc.runningExtensions(['RNN Lens']))['RNN Lens'];
    const ms = ACTIVATION.exec(text);
    console.log(JSON.stringify({ host, run, activationMs: ms ? Number(ms[1]) : null, userCards: deck ? Number(deck[3]) : null, row: text.replace(/\s+/g, ' ').trim() }));
  } finally {
    await vsc.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const hosts = (process.env.RNN_LENS_BENCH_HOSTS ?? 'node,web').split(',').filter((h): h is Host => h === 'node' || h === 'web');
  for (let run = 1; run <= RUNS; run++) {
    for (const host of hosts) {
      // One failed run (a host that did not start) is reported, and the others still run.
      await oneRun(run, host).catch((err: unknown) => console.log(JSON.stringify({ host, run, error: String(err).split('\n')[0] })));
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
