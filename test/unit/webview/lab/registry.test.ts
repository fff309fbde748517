// The lab's demo registry (webview/lab/demos/index.ts) against the protocol's lists, package.json
// and the host: each view of the lab has one spec, opened by a contributed command, and the host's
// "Open Demo..." offers every demo a card may name. Importing the registry builds no DOM (demos
// are built by their spec's create), so it runs here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_TITLES, LAB_DEMOS } from '../../../../protocol';
import { DEMO_COMMANDS } from '../../../../protocol/demoCommands';
import { DEMO_SPECS } from '../../../../webview/lab/demos';
import { demoPicks } from '../../../../src/lab/labState';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const pkg = JSON.parse(readFileSync(join(findRepoRoot(__dirname), 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: { command: string }[] };
};
const contributed = pkg.contributes.commands.map((c) => c.command);
const ids = DEMO_SPECS.map((d) => d.id);

describe('the lab demo registry', () => {
  it('has one spec per lab view, in the protocol\'s order', () => {
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
    assert.deepEqual(ids, [...LAB_DEMOS]);
  });

  it('gives each spec its title and the command of the shared list', () => {
    for (const d of DEMO_SPECS) {
      assert.equal(d.title, DEMO_TITLES[d.id], d.id);
      assert.equal(d.command, DEMO_COMMANDS[d.id], d.id);
    }
  });

  it('opens each demo on a command package.json contributes', () => {
    for (const d of DEMO_SPECS) assert.ok(contributed.includes(d.command), `${d.id}: ${d.command}`);
    // Commands activate the extension by themselves (VS Code lists contributed commands); a
    // command named here would be one the registry cannot miss.
    for (const e of pkg.activationEvents.filter((a) => a.startsWith('onCommand:'))) {
      assert.ok(contributed.includes(e.slice('onCommand:'.length)), e);
    }
  });

  it('has a spec for every rnnLens.demo.* command', () => {
    const commands = new Set(DEMO_SPECS.map((d) => d.command));
    const demoCommands = contributed.filter((c) => c.startsWith('rnnLens.demo.'));
    assert.ok(demoCommands.length > 0);
    for (const c of demoCommands) assert.ok(commands.has(c), c);
  });

  it('lets each host message be handled by one demo at most', () => {
    const types = DEMO_SPECS.flatMap((d) => d.messages);
    assert.equal(new Set(types).size, types.length);
    assert.ok(!types.includes('show'), 'the page handles show itself');
  });

  it('offers every demo but the inspector and the character model (they open on a file) in the host\'s "Open Demo..."', () => {
    assert.deepEqual(demoPicks().map((p) => p.demo), ids.filter((d) => d !== 'inspect' && d !== 'char'));
    for (const p of demoPicks()) assert.equal(p.label, DEMO_TITLES[p.demo]);
  });
});
