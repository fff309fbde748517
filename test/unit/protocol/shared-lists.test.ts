// The lists of ids declared once (protocol/common.ts, protocol/lab.ts, protocol/quiz.ts,
// engine/types.ts) and what each reader of a list makes of it: the grade buttons' names
// and the scheduler's previews, the lab's titles and its state schema, the card parser's demos.
// An id added in one place only fails here (or in tsc, where a table is typed by the list).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rating as FsrsRating, State as FsrsStateEnum } from 'ts-fsrs';
import { DEMOS } from '../../../src/deck/card';
import { parseCardFile } from '../../../src/deck/parse';
import {
  DEMO_TITLES, FSRS_STATE_NAMES, LAB_DEFAULTS, LAB_DEMOS, RATINGS, RATING_NAMES, labTitle, labViewStateSchema, parseMessage, viewTitle,
  quizViewMessageSchema,
} from '../../../protocol';
import { FSRS_STATES } from '../../../src/quiz/reviewStore';
import { Scheduler } from '../../../src/quiz/scheduler';
import { englishManifest } from '../../fixtures/manifest';
import { findRepoRoot } from '../../fixtures/repoRoot';

const sorted = (xs: Iterable<string | number>) => [...xs].map(String).sort();

describe('ratings: one list for the grade buttons, the messages and the scheduler', () => {
  it('names each rating once, as ts-fsrs names its grades', () => {
    assert.deepEqual(sorted(Object.keys(RATING_NAMES)), sorted(RATINGS));
    for (const r of RATINGS) assert.equal(RATING_NAMES[r], FsrsRating[r], `rating ${r}`);
    assert.deepEqual(RATINGS.map((r) => RATING_NAMES[r]), ['Again', 'Hard', 'Good', 'Easy']);
  });

  it('previews exactly the ratings the view has buttons for, in button order', () => {
    const now = Date.UTC(2026, 2, 2, 9);
    const preview = new Scheduler({ newCardsPerDay: 10, desiredRetention: 0.9 }).preview(undefined, now);
    assert.deepEqual(preview.map((p) => p.rating), [...RATINGS]);
  });

  it('accepts a grade message for each rating and for nothing else', () => {
    const grade = (rating: unknown) => parseMessage(quizViewMessageSchema, { type: 'grade', cardId: 'c', rating, shownAt: 0 }).ok;
    for (const r of RATINGS) assert.ok(grade(r), `rating ${r}`);
    for (const r of [0, 5, 2.5, '3', null]) assert.equal(grade(r), false, `rating ${String(r)}`);
  });

  it('names each FSRS state as ts-fsrs does', () => {
    assert.deepEqual(sorted(Object.keys(FSRS_STATE_NAMES)), sorted(FSRS_STATES));
    for (const s of FSRS_STATES) assert.equal(FSRS_STATE_NAMES[s], FsrsStateEnum[s], `state ${s}`);
  });
});

describe('demos: one list for the cards, the lab state and the titles', () => {
  it('has one title for each lab view, no two alike', () => {
    assert.deepEqual(sorted(Object.keys(DEMO_TITLES)), sorted(LAB_DEMOS));
    const titles = LAB_DEMOS.map((d) => DEMO_TITLES[d]);
    assert.equal(new Set(titles).size, titles.length);
    for (const d of LAB_DEMOS) assert.equal(labTitle({ demo: d, forward: LAB_DEFAULTS['lstm-forward'] }), `RNN Lab: ${DEMO_TITLES[d]}`, d);
    // The forward demo's tab and heading name the cell it runs.
    assert.equal(labTitle({ demo: 'lstm-forward', forward: { ...LAB_DEFAULTS['lstm-forward'], cell: 'gru' } }), 'RNN Lab: GRU Forward Pass');
    assert.equal(viewTitle({ demo: 'lstm-forward', forward: { ...LAB_DEFAULTS['lstm-forward'], cell: 'rnn' } }), 'Vanilla RNN Forward Pass');
  });

  it('opens the lab on every demo a card may name, the inspector and the character model, and on nothing else', () => {
    assert.deepEqual(LAB_DEMOS.filter((d) => d !== 'inspect' && d !== 'char'), [...DEMOS]);
    const state = (demo: string) => ({ demo, forward: LAB_DEFAULTS['lstm-forward'], bptt: LAB_DEFAULTS.bptt });
    for (const d of LAB_DEMOS) assert.ok(parseMessage(labViewStateSchema, state(d)).ok, d);
    assert.equal(parseMessage(labViewStateSchema, state('gru-forward')).ok, false);
  });

  it('has a palette command for each demo, titled as the panel is (package.json cannot import the titles)', () => {
    const pkg = englishManifest(findRepoRoot(__dirname)) as {
      contributes: { commands: { command: string; title: string }[] };
    };
    const titleOf = new Map(pkg.contributes.commands.map((c) => [c.command, c.title]));
    const command = (d: string) => `rnnLens.demo.${d.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`;
    for (const d of DEMOS) assert.equal(titleOf.get(command(d)), DEMO_TITLES[d], command(d));
    assert.equal(titleOf.get('rnnLens.inspectCheckpoint'), DEMO_TITLES.inspect);
    // The character model opens on the editor's text: its command says so.
    assert.equal(titleOf.get('rnnLens.trainOnFile'), 'Train a Character Model on This File');
  });

  it('lets a card name each demo, and no other', () => {
    const card = (demo: string) => parseCardFile(`---\nid: c\nlevel: advanced\nkind: concept\ndemo: ${demo}\n---\n# Q?\n\nA.\n`, 'c.md');
    for (const d of DEMOS) {
      const r = card(d);
      assert.deepEqual(r.diagnostics, [], d);
      assert.equal(r.cards[0].demo, d);
    }
    assert.equal(card('inspect').cards.length, 0, 'the inspector opens on a file, not from a card');
    assert.equal(card('char').cards.length, 0, 'the character model opens on the editor\'s text, not from a card');
  });
});
