// The command table (src/commands.ts) against package.json: every contributed command has exactly
// one handler and no handler is left uncontributed; menus, keybindings and hover links name only
// commands of the table. The table's module is host glue (it registers with vscode), so this reads
// it as TypeScript rather than running it. Then the pure parts the thin handlers call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { Command } from '../../../src/constants';
import { HOVER_COMMANDS, hoverMarkdown, pickCardArgs } from '../../../src/hover/content';
import { cardArg, defaultLabState, demoArg, demoState, stateForModel } from '../../../src/lab/labState';
import { withCardSetting } from '../../../src/lab/cardSettings';
import { DEMOS, type Card } from '../../../src/deck/card';
import type { LabModelConfig } from '../../../protocol';
import { DEMO_COMMANDS, OPENABLE_DEMOS } from '../../../protocol/demoCommands';
import { findRepoRoot } from '../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributed: string[] = (pkg.contributes.commands as { command: string }[]).map((c) => c.command);

/** The command ids the table in src/commands.ts maps, in its order (keys are `[Command.name]`). */
function tableIds(): string[] {
  const file = join(root, 'src', 'commands.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let table: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'COMMANDS' && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) table = init;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  assert.ok(table, 'src/commands.ts has a COMMANDS object literal');
  return table.properties.flatMap((p) => {
    // The demo commands' handlers, one per entry of the shared list.
    if (ts.isSpreadAssignment(p)) {
      assert.equal(p.expression.getText(source), 'DEMO_HANDLERS', `spread ${p.getText(source)} is the demo commands' handlers`);
      return OPENABLE_DEMOS.map((d) => DEMO_COMMANDS[d]);
    }
    assert.ok(ts.isPropertyAssignment(p) && ts.isComputedPropertyName(p.name), `entry ${p.getText(source)} is keyed [Command.name]`);
    const key = p.name.expression;
    assert.ok(ts.isPropertyAccessExpression(key) && key.expression.getText(source) === 'Command', key.getText(source));
    const id = (Command as Record<string, string>)[key.name.text];
    assert.ok(id, `Command.${key.name.text} exists`);
    return [id];
  });
}

describe('the command table', () => {
  it('maps exactly package.json\'s commands, each once', () => {
    const ids = tableIds();
    assert.equal(new Set(ids).size, ids.length, 'no command twice');
    assert.deepEqual([...ids].sort(), [...contributed].sort());
  });

  it('menus, keybindings and hover links name only commands of the table', () => {
    const known = new Set(tableIds());
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const m of items) assert.ok(known.has(m.command), `${menu}: ${m.command}`);
    }
    for (const k of (pkg.contributes.keybindings ?? []) as { command: string }[]) assert.ok(known.has(k.command.replace(/^-/, '')), k.command);
    for (const id of HOVER_COMMANDS) assert.ok(known.has(id), id);
  });
});

/** The arguments of the hover's `command:` link for `command`, decoded as VS Code decodes them. */
function linkArgs(markdown: string, command: string): unknown[] {
  const m = new RegExp(`\\(command:${command.replace(/\./g, '\\.')}\\?([^ )]*)`).exec(markdown);
  assert.ok(m, `a ${command} link in\n${markdown}`);
  return JSON.parse(decodeURIComponent(m[1])) as unknown[];
}

const card = (over: Partial<Card> = {}): Card => ({
  id: 'lstm-gates', level: 'foundational', kind: 'concept', tags: [], terms: ['forget gate'], question: 'What do the gates do?',
  answer: 'They gate.', questionHtml: '', answerHtml: '', file: 'x.md', line: 1, demo: 'lstm-forward', ...over,
});

describe('what the thin handlers call', () => {
  it('pickCard accepts the hover\'s "+N more" link and refuses anything else', () => {
    const md = hoverMarkdown({ card: card(), term: 'forget (gate)', cardIds: ['lstm-gates', 'gru-vs-lstm'] });
    const [args] = linkArgs(md, Command.pickCard);
    assert.deepEqual(pickCardArgs(args), { term: 'forget (gate)', cardIds: ['lstm-gates', 'gru-vs-lstm'] });
    for (const bad of [undefined, 'forget gate', { term: 'x' }, { term: 1, cardIds: [] }, { term: 'x', cardIds: [3] }]) {
      assert.equal(pickCardArgs(bad), undefined, JSON.stringify(bad));
    }
  });

  it('openDemo reads the hover\'s "Open demo" link, a bare demo id, and nothing else', () => {
    const [args] = linkArgs(hoverMarkdown({ card: card(), term: 'forget gate', cardIds: ['lstm-gates'] }), Command.openDemo);
    assert.equal(demoArg(args), 'lstm-forward');
    assert.equal(cardArg(args), 'lstm-gates');
    for (const d of DEMOS) assert.equal(demoArg(d), d);
    for (const bad of [undefined, 'inspect', 'nope', { demo: 'inspect' }, { demo: 3 }, ['bptt'], null]) assert.equal(demoArg(bad), undefined, JSON.stringify(bad));
    assert.equal(cardArg('lstm-forward'), undefined);
    assert.equal(cardArg({ demo: 'bptt', cardId: 7 }), undefined);
  });

  it('a demo command keeps the open panel\'s controls, drops the CodeLens model, and a card moves it to its setting', () => {
    const base = { ...defaultLabState('bptt'), model: { demo: 'bptt' } as LabModelConfig };
    base.forward = { ...base.forward, T: 7 };
    const s = demoState(base, 'lstm-forward');
    assert.equal(s.demo, 'lstm-forward');
    assert.equal(s.forward.T, 7);
    assert.equal(s.model, undefined);
    assert.equal(withCardSetting(s, 'vanilla-rnn').forward.cell, 'rnn');
  });

  it('Visualize opens the layer\'s sizes in its demo, the step and unit kept in range', () => {
    const model = { demo: 'lstm-forward', cell: 'lstm', inputSize: 3, hiddenSize: 2, steps: 4, capped: [] } as unknown as LabModelConfig;
    const base = defaultLabState('bptt');
    base.forward = { ...base.forward, step: 9, unit: 5 };
    const s = stateForModel(model, base);
    assert.equal(s.demo, 'lstm-forward');
    assert.deepEqual([s.forward.D, s.forward.H, s.forward.T, s.forward.step, s.forward.unit], [3, 2, 4, 3, 1]);
    const bptt = stateForModel({ ...model, demo: 'bptt', steps: 1 } as LabModelConfig, base);
    assert.deepEqual([bptt.bptt.D, bptt.bptt.H, bptt.bptt.T], [3, 2, base.bptt.T]);
  });
});
