// What a webview or a file can make the host do: each test starts from the hostile input (a
// device, a FIFO, a saved state naming /etc/passwd, a file name holding a command link, a bidi
// override or a newline, a request for the editor's text nobody called for) and checks what
// comes out. The host glue around these decisions is thin and runs them as they are.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { escapeNotification, oneLine } from '../../../../src/deck/escape';
import { defaultLabState, owedText, revivedCheckpoint, revivedTrainLayer, trainLayerReply, unknownDemoMessage } from '../../../../src/lab/labState';
import { FILE_TYPE, fileErrorReason, unreadableReason, type FileStatLike } from '../../../../src/lab/readableFile';
import { oneLineOutputChannel } from '../../../../src/outputChannel';
import { LAB_DEFAULTS, type LabViewState } from '../../../../protocol';
import { noTermsMessage } from '../../../../src/quiz/notices';

const TMP = mkdtempSync(join(tmpdir(), 'rnn-lens-host-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** A stat as vscode.workspace.fs gives it for a local file (VS Code's disk provider: stat follows the link, lstat says whether it is one). */
function vscodeStat(path: string): FileStatLike {
  const target = statSync(path);
  const link = lstatSync(path).isSymbolicLink() ? FILE_TYPE.SymbolicLink : 0;
  const type = target.isFile() ? FILE_TYPE.File : target.isDirectory() ? FILE_TYPE.Directory : FILE_TYPE.Unknown;
  return { type: type | link, size: target.size };
}

/** A Markdown link target in a notification's text: `](` with nothing between. */
const hasLink = (text: string) => /\]\(/.test(text);

describe('files the host reads whole: regular files only, within the cap, decided from the stat', () => {
  const MAX = 1024;
  it('/dev/zero, a symlink to it and a FIFO are refused before any read; a folder and an oversize file too', () => {
    const fifo = join(TMP, 'model.pt.fifo');
    execFileSync('mkfifo', [fifo]);
    const zeroLink = join(TMP, 'zero.pt');
    symlinkSync('/dev/zero', zeroLink);
    const big = join(TMP, 'big.pt');
    writeFileSync(big, Buffer.alloc(MAX + 1));
    mkdirSync(join(TMP, 'folder.pt'));
    assert.equal(unreadableReason(vscodeStat('/dev/zero'), MAX), 'it is not a regular file (a device or a pipe)');
    assert.equal(unreadableReason(vscodeStat(zeroLink), MAX), 'it is a link to something that is not a regular file (a device or a pipe)');
    assert.equal(unreadableReason(vscodeStat(fifo), MAX), 'it is not a regular file (a device or a pipe)');
    assert.equal(unreadableReason(vscodeStat(join(TMP, 'folder.pt')), MAX), 'it is a folder');
    assert.equal(unreadableReason(vscodeStat(big), MAX, 'checkpoints'), 'it is 2 KiB; the editor reads checkpoints up to 1 KiB');
  });

  it('a regular file within the cap, or a symlink to one, may be read', () => {
    const ok = join(TMP, 'ok.pt');
    writeFileSync(ok, Buffer.alloc(MAX));
    symlinkSync(ok, join(TMP, 'ok-link.pt'));
    assert.equal(unreadableReason(vscodeStat(ok), MAX), undefined);
    assert.equal(unreadableReason(vscodeStat(join(TMP, 'ok-link.pt')), MAX), undefined);
  });
});

describe('a revived inspector never reads the file its saved state names by itself', () => {
  const on = (file: string): LabViewState => ({ ...defaultLabState('inspect'), inspect: { ...LAB_DEFAULTS.inspect, file } });
  it('/etc/passwd, /dev/zero, a file outside the workspace: no read, no offer, a line saying what to do', () => {
    for (const [file, inWorkspace] of [['file:///etc/passwd', false], ['file:///dev/zero', false], ['file:///home/u/elsewhere/model.pt', false]] as const) {
      const plan = revivedCheckpoint(on(file), new URL(file).pathname, inWorkspace);
      assert.equal(plan.kind, 'tell', file);
      assert.match(plan.kind === 'tell' ? plan.text : '', /does not read a checkpoint again by itself after a reload: run "RNN Lens: Inspect Recurrent Layers"/);
    }
  });

  it('a workspace file that is not a checkpoint (or a URI that did not parse) is not offered either', () => {
    assert.equal(revivedCheckpoint(on('file:///ws/.ssh/id_rsa'), '/ws/.ssh/id_rsa', true).kind, 'tell');
    assert.equal(revivedCheckpoint(on('::'), undefined, true).kind, 'tell');
  });

  it('a checkpoint in the workspace is offered again (read only once the user accepts), its name one plain line', () => {
    const plan = revivedCheckpoint(on('file:///ws/model\u202Etp.pt'), '/ws/model\u202Etp.pt', true);
    assert.equal(plan.kind, 'ask');
    if (plan.kind !== 'ask') return;
    assert.equal(plan.name, 'model\ufffdtp.pt');
    assert.match(plan.text, /^model\ufffdtp\.pt was not read again after the reload: accept "Reopen"/);
  });

  it('a state on another demo, or with no file, reads nothing', () => {
    assert.equal(revivedCheckpoint({ ...on('file:///ws/model.pt'), demo: 'bptt' }, '/ws/model.pt', true).kind, 'none');
    assert.equal(revivedCheckpoint(on(''), '', true).kind, 'none');
  });
});

describe("a revived playground's checkpoint layer is read again only if the user accepts", () => {
  const on = (file: string, index = 1): LabViewState => ({ ...defaultLabState('train'), trainLayer: { file, index, label: 'm.pt, lstm layer 1 (LSTM)' } });
  const layer = { name: 'lstm', cell: 'lstm' as const, layer: 1, reverse: false, D: 2, H: 3, W: 'AAAA', b: 'AAAA', bh: 'AAAA' };
  const held = { type: 'checkpoint' as const, file: 'file:///ws/m.pt', name: 'm.pt', layers: [{ ...layer, layer: 0 }, layer], warnings: [] };

  it('offers a checkpoint in the workspace again; anything else gets a line and the playground trains its own models', () => {
    const ask = revivedTrainLayer(on('file:///ws/m.pt'), '/ws/m.pt', true);
    assert.equal(ask.kind, 'ask');
    assert.match(ask.kind === 'ask' ? ask.text : '', /^m\.pt was not read again after the reload: the playground trains its own models; the inspector's "Train this layer" brings the layer back\.$/);
    for (const [file, path, inWorkspace] of [['file:///etc/passwd', '/etc/passwd', false], ['file:///ws/notes.txt', '/ws/notes.txt', true], ['::', undefined, true]] as const) {
      const plan = revivedTrainLayer(on(file), path, inWorkspace);
      assert.equal(plan.kind, 'tell', file);
      assert.match(plan.kind === 'tell' ? plan.text : '', /^The checkpoint layer is not read again by itself after a reload: the playground trains its own models/);
    }
    assert.equal(revivedTrainLayer(defaultLabState('train'), '/ws/m.pt', true).kind, 'none');
    assert.equal(revivedTrainLayer({ ...on('file:///ws/m.pt'), demo: 'inspect' }, '/ws/m.pt', true).kind, 'none');
  });

  it('sends the layer from a checkpoint the host holds for that file, and says so when the layer is gone', () => {
    assert.deepEqual(trainLayerReply(on('file:///ws/m.pt'), [undefined, held]), { type: 'trainLayer', file: 'file:///ws/m.pt', name: 'm.pt', index: 1, layer });
    assert.equal(trainLayerReply(on('file:///ws/other.pt'), [held]), undefined, 'another file: nothing yet');
    assert.equal(trainLayerReply({ ...on('file:///ws/m.pt'), demo: 'inspect' }, [held]), undefined);
    const gone = trainLayerReply(on('file:///ws/m.pt', 5), [held]);
    assert.deepEqual(gone, { type: 'trainLayerError', text: 'm.pt has 2 recurrent layers now, not the one trained before: the playground trains its own models; the inspector\'s "Train this layer" brings the layer back.' });
  });
});

describe('names from files and arguments are text wherever they are shown', () => {
  const LINK = '[x](command:workbench.action.terminal.new)';
  it('"Quiz Me on the Terms in This File": a file name holding a command link shows as text', () => {
    const text = noTermsMessage(`${LINK}.py`);
    assert.equal(hasLink(text), false, text);
    assert.equal(text.replace(/\u200b/g, ''), `RNN Lens: no RNN terms from the deck appear in ${LINK}.py.`);
  });

  it('openDemo with a hostile string: the warning quotes it as text, and nothing for a non-string', () => {
    const text = unknownDemoMessage(LINK);
    assert.equal(hasLink(text), false, text);
    assert.match(text, /^RNN Lens: there is no demo "\[x\]\u200b\(command:workbench/);
    assert.match(text, /Demos: lstm-forward, bptt, train, ctc, bidirectional, rnn-vs-attention, seq2seq\.$/);
    assert.equal(unknownDemoMessage({ demo: 7 }), 'RNN Lens: there is no demo. Demos: lstm-forward, bptt, train, ctc, bidirectional, rnn-vs-attention, seq2seq.');
    assert.ok(unknownDemoMessage('y'.repeat(100)).length < 160, 'a long argument is cut');
  });

  it('bidi embeddings, overrides, isolates and marks are neutralised in every escaped name', () => {
    const name = 'report\u202Efdp.exe \u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    const shown = oneLine(name);
    assert.doesNotMatch(shown, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    assert.equal(shown, `report\ufffdfdp.exe ${'\ufffd'.repeat(11)}`);
    assert.doesNotMatch(escapeNotification(name), /[\u202a-\u202e\u2066-\u2069]/);
  });

  it('the output channel: a name with newlines cannot forge a line of its own', () => {
    const lines: string[] = [];
    const fake = {
      name: 'RNN Lens', append: (v: string) => lines.push(`+${v}`), appendLine: (v: string) => lines.push(v),
      replace: (v: string) => lines.push(`=${v}`), clear: () => {}, show: () => {}, hide: () => {}, dispose: () => {},
    } as unknown as vscode.OutputChannel;
    const out = oneLineOutputChannel(fake);
    out.appendLine('RNN Lens quiz: imported a.json\nRNN Lens: all your cards were deleted\r\n\u2028.json');
    out.append('x\ny');
    out.replace('a\u0000b');
    assert.deepEqual(lines, ['RNN Lens quiz: imported a.json RNN Lens: all your cards were deleted .json', '+x y', '=a b']);
    assert.equal(out.name, 'RNN Lens');
  });
});

describe('requestText: the editor text goes only to a request the lab state calls for, once', () => {
  const base = defaultLabState('train');
  const text = (source: 'editor' | 'cards', demo: LabViewState['demo'] = 'train'): LabViewState => ({ ...base, demo, train: { ...base.train, task: 'text', textSource: source } });
  it('nothing is owed while the view is not on the text task: an unprompted request for the editor gets nothing', () => {
    assert.equal(owedText(undefined, undefined, base), undefined);
    assert.equal(owedText(undefined, base, { ...base, train: { ...base.train, task: 'recall' } }), undefined);
    assert.equal(owedText(undefined, undefined, text('editor', 'lstm-forward')), undefined);
  });

  it('the text task starting, a new source or a fresh view owe one answer for that source; the answer clears it', () => {
    assert.equal(owedText(undefined, base, text('editor')), 'editor');
    assert.equal(owedText(undefined, text('cards'), text('editor')), 'editor');
    assert.equal(owedText(undefined, undefined, text('cards')), 'cards');
    // The view echoes the same state: still owed until answered, and not again after.
    assert.equal(owedText('editor', text('editor'), text('editor')), 'editor');
    assert.equal(owedText(undefined, text('editor'), text('editor')), undefined);
    // Leaving the task drops what was owed.
    assert.equal(owedText('editor', text('editor'), base), undefined);
  });
});

describe('a file system error as a reason', () => {
  /** What vscode.workspace.fs throws: a FileSystemError, an Error with a code and the raw errno text. */
  const fsError = (code: string) => Object.assign(new Error(`Error: ENOENT: no such file or directory, stat '/tmp/secret/dir/model.pt'`), { code });

  it('a file gone since it was chosen says so and what to do, without the full path', () => {
    const reason = fileErrorReason(fsError('FileNotFound'));
    assert.match(reason, /^it is not there any more \(moved or deleted\?\): open it again/);
    assert.doesNotMatch(reason, /ENOENT|\/tmp\/secret/);
  });

  it('permission and availability errors name the cause', () => {
    assert.match(fileErrorReason(fsError('NoPermissions')), /permission denied/);
    assert.match(fileErrorReason(fsError('Unavailable')), /unavailable/);
    assert.equal(fileErrorReason(fsError('FileIsADirectory')), 'it is a folder');
  });

  it('any other error keeps its own message; a thrown non-error is shown as text', () => {
    assert.equal(fileErrorReason(new Error('line 1: not JSON')), 'line 1: not JSON');
    assert.equal(fileErrorReason(Object.assign(new Error('odd'), { code: 42 })), 'odd');
    assert.equal(fileErrorReason('plain'), 'plain');
  });
});
