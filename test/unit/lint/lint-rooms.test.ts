// The rooms rule fires: a file that imports a room its own room may not use fails lint, in every
// spelling of an import, and a demo cannot reach into another demo or the lab shell. eslint lints
// text as if it were a real file of each room, so the repository is never modified.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { ESLint } from 'eslint';
import { findRepoRoot } from '../../fixtures/repoRoot';

const eslint = new ESLint({ cwd: findRepoRoot(__dirname) });

/** One real file per room: the importer, and the file another room's import names. */
const FILE: Record<string, string> = {
  engine: 'engine/api.ts',
  protocol: 'protocol/index.ts',
  src: 'src/extension.ts',
  webview: 'webview/lab/main.ts',
  cli: 'cli/main.ts',
  build: 'build/buildDeck.ts',
};

/** What may import what, written out here so that a change to the rule's table must change this test too. */
const MAY_IMPORT: Record<string, string[]> = {
  engine: ['engine'],
  protocol: ['protocol', 'engine'],
  src: ['src', 'engine', 'protocol'],
  webview: ['webview', 'engine', 'protocol'],
  cli: ['cli', 'engine', 'protocol', 'src'],
  build: ['build', 'src', 'cli'],
};

async function roomProblems(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.ruleId === 'rnn-lens/rooms' || m.fatal).map((m) => m.message);
}

const specifier = (from: string, to: string) => {
  const s = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '');
  return s.startsWith('.') ? s : `./${s}`;
};

describe('the rooms lint rule', () => {
  for (const [room, from] of Object.entries(FILE)) {
    for (const [other, to] of Object.entries(FILE)) {
      if (other === room) continue;
      // The command line and the build may use only the host's pure modules, so src/extension.ts is out of bounds for them either way.
      const hostGlue = other === 'src' && MAY_IMPORT[room].includes('src');
      const allowed = MAY_IMPORT[room].includes(other) && !hostGlue;
      it(`${room}/ ${allowed ? 'may' : 'must not'} import ${other}/`, async () => {
        const spec = specifier(from, to);
        const p = await roomProblems(from, `import { x } from '${spec}';\nexport const y = x;\n`);
        if (allowed) assert.deepEqual(p, []);
        else if (hostGlue) assert.deepEqual(p, [`${room}/ may use only the host's pure modules (src/deck/, src/hover/content.ts, src/hover/equation.ts), not '${spec}'.`]);
        else assert.deepEqual(p, [`${room}/ must not import ${other}/ ('${spec}'): ${room}/ may import ${MAY_IMPORT[room].map((r) => `${r}/`).join(', ')}.`]);
      });
    }
  }

  it('every spelling of an import is checked: export from, import(), require(), type imports', async () => {
    const from = FILE.src;
    const spec = specifier(from, FILE.webview);
    for (const code of [
      `export { x } from '${spec}';\n`,
      `export * from '${spec}';\n`,
      `export const m = import('${spec}');\n`,
      `declare const require: (s: string) => unknown;\nexport const m = require('${spec}');\n`,
      `import type { X } from '${spec}';\nexport type Y = X;\n`,
      `export type Y = import('${spec}').X;\n`,
    ]) {
      const p = await roomProblems(from, code);
      assert.equal(p.length, 1, `${code}: ${p.join('\n')}`);
      assert.match(p[0], /^src\/ must not import webview\//);
    }
  });

  it('the command line may read the deck modules of the host', async () => {
    assert.deepEqual(await roomProblems(FILE.cli, "import { x } from '../src/deck/card';\nexport const y = x;\n"), []);
    assert.deepEqual(await roomProblems(FILE.cli, "import { x } from '../src/hover/equation';\nexport const y = x;\n"), []);
  });

  it('a demo imports its own folder, shared code, engine and protocol, but no other demo and not the shell', async () => {
    const demo = 'webview/lab/demos/bptt/view.ts';
    for (const ok of ['./view', '../../common/trainingLoop', '../../../ui/dom', '../../../../engine/api', '../../../../protocol']) {
      assert.deepEqual(await roomProblems(demo, `import { x } from '${ok}';\nexport const y = x;\n`), [], ok);
    }
    assert.deepEqual(await roomProblems(demo, "import { x } from '../train/view';\nexport const y = x;\n"), [
      "a demo must not import another demo's folder ('../train/view' is in demos/train/): shared code goes to webview/lab/common/ or webview/ui/.",
    ]);
    assert.deepEqual(await roomProblems(demo, "import { x } from '../../main';\nexport const y = x;\n"), [
      "a demo must not import the lab shell ('../../main'): the shell calls demos through the registry.",
    ]);
  });

  it('the registry is the one file of demos/ that imports every demo', async () => {
    assert.deepEqual(await roomProblems('webview/lab/demos/index.ts', "import { x } from './train/view';\nimport { y } from './bptt/view';\nexport const z = [x, y];\n"), []);
  });

  it('tests may import any room', async () => {
    assert.deepEqual(await roomProblems('test/unit/src/commands.test.ts', "import { x } from '../../../webview/lab/main';\nimport { y } from '../../../src/extension';\nexport const z = [x, y];\n"), []);
  });
});
