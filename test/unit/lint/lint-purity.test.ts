// The purity rule fires: a pure module that imports vscode, Node's fs or path, or touches the DOM
// fails lint, while host glue may import vscode. eslint runs on text as if it were each file, so
// the repository itself is never modified.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { findRepoRoot } from '../../fixtures/repoRoot';

const eslint = new ESLint({ cwd: findRepoRoot(__dirname) });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the purity lint rule', () => {
  for (const file of ['src/deck/parse/index.ts', 'src/quiz/scheduler.ts', 'src/lab/modelArgs/args.ts', 'engine/api.ts', 'webview/lab/demos/train/math.ts']) {
    it(`${file}: importing vscode fails lint`, async () => {
      const p = await problems(file, "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
      assert.ok(p.some((m) => /no-restricted-imports: .*Pure modules must not import vscode/.test(m)), p.join('\n'));
    });
  }

  it('a pure module may not import Node fs or path, nor touch the DOM', async () => {
    const p = await problems('src/deck/lint.ts', "import { readFileSync } from 'node:fs';\nexport const t = readFileSync('x', 'utf8') + document.title;\n");
    assert.ok(p.some((m) => /no-restricted-imports: .*workspace\.fs/.test(m)), p.join('\n'));
    assert.ok(p.some((m) => /no-restricted-globals: .*document.*DOM/.test(m)), p.join('\n'));
  });

  it('host glue may import vscode, but not Node fs', async () => {
    assert.deepEqual(await problems('src/quiz/index.ts', "import * as vscode from 'vscode';\nexport const x = vscode.version;\n"), []);
    const p = await problems('src/quiz/index.ts', "import { readFileSync } from 'fs';\nexport const t = readFileSync('x');\n");
    assert.ok(p.some((m) => /no-restricted-imports: .*workspace\.fs/.test(m)), p.join('\n'));
  });

  it('the CLI may use Node fs', async () => {
    assert.deepEqual(await problems('cli/main.ts', "import { readFileSync } from 'node:fs';\nexport const t = readFileSync('x');\n"), []);
  });
});
