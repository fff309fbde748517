// package.json as a user meets it: every manifest string comes from package.nls.json (and every
// entry there is used), every setting has a markdownDescription, each keybinding names a command
// of ours and says when it applies, the Get Started walkthrough's steps each run a command of ours,
// complete on an event that can happen, and show a picture that exists; the marketplace listing
// has its icon, banner, repository, categories and keywords.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, ContextKey, Setting, View } from '../../../src/constants';
import { englishManifest, placeholders, readManifest } from '../../fixtures/manifest';
import { findRepoRoot } from '../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);
const { raw, nls } = readManifest(root);

interface Keybinding { command: string; key: string; mac?: string; when?: string; args?: unknown }
interface Step {
  id: string; title: string; description: string;
  media: { svg?: string; image?: string | Record<string, string>; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough { id: string; title: string; description: string; steps: Step[] }
interface Manifest {
  icon?: string; galleryBanner?: { color?: string; theme?: string }; repository?: { type?: string; url?: string };
  categories: string[]; keywords: string[]; l10n?: string; version: string;
  contributes: {
    commands: { command: string; title: string }[];
    keybindings: Keybinding[];
    walkthroughs: Walkthrough[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string; enumDescriptions?: string[]; items?: { enum?: string[]; enumDescriptions?: string[] } ; enum?: string[] }> };
  };
}
const pkg = englishManifest(root) as Manifest;
const rawPkg = raw as Manifest;
const commands = new Set(pkg.contributes.commands.map((c) => c.command));
const QUIZ_MODES = ['question', 'answer', 'browse', 'empty', 'hidden'];

describe('package.nls.json', () => {
  it('has the text of every %key% in package.json, and no key package.json does not use', () => {
    const used = placeholders(raw);
    assert.ok(used.length > 60, `package.json names ${used.length} keys`);
    const missing = used.filter((u) => !(u.key in nls)).map((u) => `${u.path}: %${u.key}%`);
    assert.deepEqual(missing, []);
    const usedKeys = new Set(used.map((u) => u.key));
    assert.deepEqual(Object.keys(nls).filter((k) => !usedKeys.has(k)), [], 'keys of package.nls.json that package.json never names');
    for (const [k, v] of Object.entries(nls)) assert.ok(typeof v === 'string' && v.trim().length > 0, k);
  });

  it('leaves no user-visible manifest string in package.json itself', () => {
    const c = rawPkg.contributes;
    const texts: [string, string | undefined][] = [
      ['displayName', (raw as { displayName?: string }).displayName],
      ['description', (raw as { description?: string }).description],
      ...c.commands.map((x): [string, string] => [x.command, x.title]),
      ...Object.entries(c.configuration.properties).flatMap(([id, p]): [string, string | undefined][] => [
        [id, p.markdownDescription],
        ...(p.enumDescriptions ?? p.items?.enumDescriptions ?? []).map((d, i): [string, string] => [`${id} enum ${i}`, d]),
      ]),
      ...c.walkthroughs.flatMap((w) => [
        [w.id, w.title], [w.id, w.description],
        ...w.steps.flatMap((s): [string, string | undefined][] => [[s.id, s.title], [s.id, s.description], [s.id, s.media.altText]]),
      ] as [string, string | undefined][]),
    ];
    const literal = texts.filter(([, t]) => !t || !/^%[^%\s]+%$/.test(t)).map(([where, t]) => `${where}: ${String(t)}`);
    assert.deepEqual(literal, []);
  });
});

describe('settings', () => {
  it('each has a markdownDescription and no plain description', () => {
    for (const id of Object.values(Setting)) {
      const p = pkg.contributes.configuration.properties[id];
      assert.ok(p, id);
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, `${id} has a markdownDescription`);
      assert.equal(p.description, undefined, `${id}: description is replaced by markdownDescription`);
      const values = p.enum ?? p.items?.enum;
      const descriptions = p.enumDescriptions ?? p.items?.enumDescriptions;
      if (values) assert.equal(descriptions?.length, values.length, `${id}: one enumDescription per value`);
    }
  });
});

describe('keybindings', () => {
  const keys = pkg.contributes.keybindings;

  it('bind the quiz (open, reveal, each grade) and the editor (explain term at cursor)', () => {
    const bound = new Set(keys.map((k) => k.command));
    for (const id of [Command.openQuiz, Command.revealAnswer, Command.gradeAgain, Command.gradeHard, Command.gradeGood, Command.gradeEasy, Command.explainTermAtCursor]) {
      assert.ok(bound.has(id), `${id} has a keybinding`);
    }
  });

  it('each names a contributed command, has a key for every platform and a when clause', () => {
    for (const k of keys) {
      assert.ok(commands.has(k.command), `${k.command} is contributed`);
      assert.match(k.key, /^[a-z]+(\+[a-z0-9]+)+$/, `${k.command}: a modified key`);
      assert.ok(k.mac, `${k.command}: a mac key`);
      assert.ok(k.when && k.when.trim().length > 0, `${k.command} has a when clause`);
    }
    const chords = keys.map((k) => `${k.key}|${k.when}`);
    assert.equal(new Set(chords).size, chords.length, 'no key twice under the same when');
  });

  it('the quiz keys apply only in the quiz mode they act in, with keys the view itself ignores', () => {
    for (const k of keys.filter((x) => x.command.startsWith('rnnLens.quiz.'))) {
      const m = /^rnnLens\.quiz\.mode == (\w+)$/.exec(k.when ?? '');
      assert.ok(m && QUIZ_MODES.includes(m[1]), `${k.command}: ${k.when}`);
      assert.equal(m[1], k.command === Command.revealAnswer ? 'question' : 'answer', k.command);
      // The view's own keys (Space, 1-4, U) carry no modifier; these all have Ctrl/Cmd and Alt.
      assert.match(k.key, /^ctrl\+alt\+/, k.command);
      assert.match(k.mac ?? '', /^cmd\+alt\+/, k.command);
    }
    assert.equal(ContextKey.quizMode, 'rnnLens.quiz.mode');
  });
});

describe('Get Started walkthrough', () => {
  const [walk] = pkg.contributes.walkthroughs;
  const views = new Set(Object.values(pkg.contributes.views).flat().map((v) => v.id));
  const contextKeys = new Set<string>(Object.values(ContextKey));
  const settings = new Set<string>(Object.values(Setting));

  it('has at least 4 steps: hover, quiz, demo, checkpoint, train', () => {
    assert.equal(pkg.contributes.walkthroughs.length, 1);
    assert.deepEqual(walk.steps.map((s) => s.id), ['hover', 'quiz', 'demo', 'checkpoint', 'train']);
    assert.ok(walk.title.includes('RNN Lens'));
  });

  it('each step runs a command of ours from a button in its text', () => {
    for (const s of walk.steps) {
      const links = [...s.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${s.id} has a command link`);
      for (const id of links) assert.ok(commands.has(id), `${s.id}: ${id} is contributed`);
    }
  });

  it('each step completes on an event that can happen', () => {
    for (const s of walk.steps) {
      const events = s.completionEvents ?? [];
      assert.ok(events.length > 0, `${s.id} has completion events`);
      for (const e of events) {
        const [kind, arg] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
        const ok = kind === 'onCommand' ? commands.has(arg)
          : kind === 'onView' ? views.has(arg)
            : kind === 'onContext' ? contextKeys.has(arg)
              : kind === 'onSettingChanged' ? settings.has(arg) : false;
        assert.ok(ok, `${s.id}: ${e}`);
      }
      // The step's own button completes it.
      const link = /\]\(command:([\w.]+)\)/.exec(s.description)?.[1];
      assert.ok(events.includes(`onCommand:${link}`), `${s.id}: its button (${link}) completes it`);
    }
    assert.ok(walk.steps[0].completionEvents?.includes(`onContext:${ContextKey.hoverShown}`), 'a hover completes the hover step');
    assert.ok(walk.steps[1].completionEvents?.includes(`onView:${View.quiz}`), 'opening the quiz completes the quiz step');
  });

  it('each step shows an SVG of ours that follows the theme, with alt text', () => {
    for (const s of walk.steps) {
      assert.ok(s.media.svg, `${s.id}: an SVG (themed by the workbench)`);
      const file = join(root, s.media.svg);
      assert.ok(existsSync(file), `${s.media.svg} exists`);
      const svg = readFileSync(file, 'utf8');
      assert.ok(svg.length < 40_000, `${s.media.svg} is small (${svg.length} bytes)`);
      assert.match(svg, /^<svg [^>]*viewBox=/);
      assert.match(svg, /var\(--vscode-editor-background/, `${s.media.svg} takes the theme's colours`);
      assert.doesNotMatch(svg, /<script|<style|\sstyle=|href=/i, `${s.media.svg}: no script, style or link (the walkthrough's CSP allows none)`);
      assert.ok((s.media.altText ?? '').length > 30, `${s.id}: alt text`);
    }
  });
});

describe('marketplace listing', () => {
  it('has a PNG icon, a banner, a repository, categories and keywords', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    const png = readFileSync(join(root, 'media', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'a 128×128 icon');
    assert.ok(png.length < 20_000, `the icon is small (${png.length} bytes)`);
    assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(pkg.galleryBanner?.theme === 'dark' || pkg.galleryBanner?.theme === 'light');
    assert.equal(pkg.repository?.type, 'git');
    assert.match(pkg.repository?.url ?? '', /^https:\/\//);
    assert.ok(pkg.categories.includes('Education') && pkg.categories.includes('Machine Learning'));
    assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'vsce takes at most 30 keywords');
    assert.equal(pkg.l10n, './l10n');
    assert.ok(existsSync(join(root, 'l10n', 'bundle.l10n.json')));
  });

  it('packages what localization and the listing need', () => {
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const line of ['!package.nls.json', '!l10n/**', '!media/**']) assert.ok(ignore.includes(line), `.vscodeignore lets ${line.slice(1)} in`);
  });
});
