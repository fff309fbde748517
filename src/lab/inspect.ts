// "RNN Lens: Inspect Recurrent Layers": pick a checkpoint (.pt, .pth, .ckpt, .bin, .safetensors,
// a sharded checkpoint's .safetensors.index.json, .npz, .onnx, a TF.js model.json), read its
// recurrent layers on the host, and hand the lab only those layers' weights. The host reads with
// vscode.workspace.fs (web extension host too), which has no ranged read, so the whole file is
// read, up to MAX_CHECKPOINT_BYTES; the reader then decodes only the recurrent tensors. Files a
// checkpoint names beside it (shards, weights) are read from the same folder only, each under
// the same cap.
import * as vscode from 'vscode';
import { escapeNotification, oneLine } from '../deck/escape';
import type { LabHostMessage } from '../../protocol';
import type { CheckpointContents } from '../../engine/checkpoint';
import { npyMessage, toLayerData, type NpyMessage } from './inspectPayload';
import { fileErrorReason, sizeText, unreadableReason } from './readableFile';

/**
 * The checkpoint reader (zip, inflate, pickle, safetensors, .npy) loads with the first file it
 * reads: activation loads none of it (esbuild.mjs, LAZY_CHUNKS).
 */
const loadReader = () => import('../../engine/checkpoint');

/** The largest checkpoint the editor reads: 512 MiB (the CLI, `rnn-lens inspect`, has no cap). */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;
/** Checkpoints from this size on are read under a cancellable progress notification. */
export const PROGRESS_FROM_BYTES = 16 * 1024 * 1024;
/** The largest .npy input read. */
export const MAX_NPY_BYTES = 16 * 1024 * 1024;

export const CHECKPOINT_EXTENSIONS = ['pt', 'pth', 'ckpt', 'bin', 'safetensors', 'npz', 'onnx', 'json'] as const;
/** What the picker lists: every checkpoint kind, but of JSON files only the two that are checkpoints. */
const GLOB = '**/{*.pt,*.pth,*.ckpt,*.safetensors,*.npz,*.onnx,model.json,*.safetensors.index.json}';
/** The kinds, as the picker and messages name them. */
export const CHECKPOINT_KINDS = '.pt, .pth, .ckpt, .safetensors, .npz, .onnx, model.json';

type CheckpointMessage = Extract<LabHostMessage, { type: 'checkpoint' }>;

/** The file's name, one line, bidi controls neutralised (escaped again for Markdown where it meets it). */
const baseName = (uri: vscode.Uri) => oneLine(uri.path.split('/').pop() ?? uri.path);

/** The checkpoint named by a command argument: the explorer's Uri, a CodeLens's { uri }, or nothing. */
export function checkpointArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object') {
    const u = (arg as { uri?: unknown }).uri;
    if (u instanceof vscode.Uri) return u;
    if (typeof u === 'string' && u.length < 4000) {
      try {
        return vscode.Uri.parse(u, true);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A QuickPick of the workspace's checkpoint files, with "Browse…" for one elsewhere. */
export async function pickCheckpoint(purpose: 'inspect' | 'compare' = 'inspect'): Promise<vscode.Uri | undefined> {
  const title = purpose === 'inspect' ? vscode.l10n.t('A checkpoint to inspect') : vscode.l10n.t('A checkpoint to compare with');
  const files = await vscode.workspace.findFiles(GLOB, '**/{node_modules,.git}/**', 500);
  const browse = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('open a checkpoint from anywhere'), uri: undefined as vscode.Uri | undefined };
  const items = [
    ...files.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => ({
      label: baseName(uri), description: vscode.workspace.asRelativePath(uri, true), uri,
    })),
    browse,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: files.length ? `${title} (${CHECKPOINT_KINDS})` : vscode.l10n.t('No checkpoint in this workspace: browse for one'),
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: purpose === 'inspect' ? vscode.l10n.t('Inspect') : vscode.l10n.t('Compare'),
    filters: { [vscode.l10n.t('Checkpoints')]: [...CHECKPOINT_EXTENSIONS] },
  });
  return chosen?.[0];
}

/** One line for a notification: the file's name escaped, the reason as the reader gave it. */
function failure(uri: vscode.Uri, reason: string): never {
  throw new InspectError(vscode.l10n.t('RNN Lens cannot inspect {0}: {1}', escapeNotification(baseName(uri), 80), escapeNotification(reason, 300)));
}

export class InspectError extends Error {}

/**
 * Reads the checkpoint (progress in a notification, cancellable) into the message the lab
 * shows. Undefined when the user cancelled; throws InspectError (a one-line, escaped message).
 */
export async function loadCheckpoint(uri: vscode.Uri): Promise<CheckpointMessage | undefined> {
  const read = await readLayers(uri);
  if (!read) return undefined;
  return { type: 'checkpoint', file: uri.toString(), name: baseName(uri), layers: toLayerData(read.layers), warnings: read.warnings } satisfies CheckpointMessage;
}

/**
 * The checkpoint's recurrent layers (progress in a notification, cancellable, for a large file);
 * undefined when the user cancelled; throws InspectError (one line) when there are none.
 */
async function readLayers(uri: vscode.Uri): Promise<CheckpointContents | undefined> {
  let st: vscode.FileStat;
  try {
    st = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    failure(uri, fileErrorReason(err));
  }
  // A device or a FIFO is never opened: /dev/zero would fill memory, a FIFO would never return.
  const refused = unreadableReason(st, MAX_CHECKPOINT_BYTES, 'checkpoints', vscode.l10n.t(' (run `rnn-lens inspect` in a terminal for larger ones)'));
  if (refused) failure(uri, refused);
  const size = st.size;
  const read = async (token?: vscode.CancellationToken): Promise<CheckpointContents | undefined> => {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (err) {
      failure(uri, fileErrorReason(err));
    }
    if (token?.isCancellationRequested) return undefined;
    // The file may have grown between stat and read.
    if (bytes.length > MAX_CHECKPOINT_BYTES) failure(uri, vscode.l10n.t('it is larger than {0}', sizeText(MAX_CHECKPOINT_BYTES)));
    // Only a broken installation (a .vsix without dist/checkpoint-reader.js) fails here: one line, as for any other failure.
    const { CheckpointError, readCheckpoint } = await loadReader()
      .catch((err: unknown) => failure(uri, vscode.l10n.t('the checkpoint reader did not load: {0}', err instanceof Error ? err.message : String(err))));
    try {
      const contents = await readCheckpoint(bytes, baseName(uri), { sibling: siblingReader(uri, token) });
      if (contents.layers.length === 0) failure(uri, contents.warnings.at(-1) ?? vscode.l10n.t('no recurrent layer found'));
      return contents;
    } catch (err) {
      if (token?.isCancellationRequested) return undefined;
      if (err instanceof InspectError) throw err;
      failure(uri, err instanceof CheckpointError ? err.message : vscode.l10n.t('an unexpected error: {0}', err instanceof Error ? err.message : String(err)));
    }
  };
  // A small file is read before a notification could be seen; a large one shows progress and can be cancelled.
  if (size < PROGRESS_FROM_BYTES) return read();
  return vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: vscode.l10n.t('RNN Lens: reading {0} ({1})', escapeNotification(baseName(uri), 80), sizeText(size)),
    cancellable: true,
  }, (_progress, token) => read(token));
}

type DiffMessage = Extract<LabHostMessage, { type: 'checkpointDiff' | 'checkpointDiffError' }>;

/**
 * "Compare with…": the user picks a second checkpoint; both are read and compared layer by layer.
 * Undefined when the user cancelled; an error message (one line) when either cannot be read.
 */
export async function compareWith(fileA: string): Promise<DiffMessage | undefined> {
  let a: vscode.Uri;
  try {
    a = vscode.Uri.parse(fileA, true);
  } catch {
    return { type: 'checkpointDiffError', text: vscode.l10n.t('the inspector has no checkpoint open to compare') };
  }
  const b = await pickCheckpoint('compare');
  if (!b) return undefined;
  try {
    const [A, B] = [await readLayers(a), await readLayers(b)];
    if (!A || !B) return undefined;
    const { diffCheckpoints } = await loadReader();
    return { type: 'checkpointDiff', name: baseName(b), file: b.toString(), diff: diffCheckpoints(A.layers, B.layers) };
  } catch (err) {
    return { type: 'checkpointDiffError', text: err instanceof InspectError ? err.message : vscode.l10n.t('RNN Lens cannot compare: {0}', escapeNotification(err instanceof Error ? err.message : String(err), 300)) };
  }
}

/**
 * The files beside `uri` as the reader asks for them: a bare name in the same folder, under the
 * same size cap; undefined when it is not there (the reader says what is missing).
 */
export function siblingReader(uri: vscode.Uri, token?: vscode.CancellationToken): (name: string) => Promise<Uint8Array | undefined> {
  const folder = uri.with({ path: uri.path.replace(/\/[^/]*$/, '') || '/' });
  return async (name) => {
    if (token?.isCancellationRequested) return undefined;
    if (!name || /[/\\]/.test(name) || name === '.' || name === '..') return undefined;
    const file = vscode.Uri.joinPath(folder, name);
    let st: vscode.FileStat;
    try {
      st = await vscode.workspace.fs.stat(file);
    } catch {
      return undefined;
    }
    const refused = unreadableReason(st, MAX_CHECKPOINT_BYTES, 'checkpoints');
    if (refused) failure(uri, `${name}: ${refused}`);
    const bytes = await vscode.workspace.fs.readFile(file);
    if (bytes.length > MAX_CHECKPOINT_BYTES) failure(uri, vscode.l10n.t('{0} is larger than {1}', name, sizeText(MAX_CHECKPOINT_BYTES)));
    return bytes;
  };
}

/** A .npy of shape (T, D) from the workspace (or anywhere), as the inspector's input. */
export async function pickNpyInput(D: number): Promise<NpyMessage | undefined> {
  const files = await vscode.workspace.findFiles('**/*.npy', '**/{node_modules,.git}/**', 500);
  const items = [
    ...files.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => ({ label: baseName(uri), description: vscode.workspace.asRelativePath(uri, true), uri })),
    { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('a .npy from anywhere'), uri: undefined as vscode.Uri | undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('An input of shape (T, {0}) as a .npy file', D) });
  if (!picked) return undefined;
  const uri = picked.uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Use as input'), filters: { NumPy: ['npy'] } }))?.[0];
  if (!uri) return undefined;
  const name = escapeNotification(baseName(uri), 80);
  try {
    const refused = unreadableReason(await vscode.workspace.fs.stat(uri), MAX_NPY_BYTES, 'inputs');
    if (refused) return { type: 'npyError', text: `${name}: ${refused}` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.length > MAX_NPY_BYTES) return { type: 'npyError', text: vscode.l10n.t('{0} is larger than {1}', name, sizeText(MAX_NPY_BYTES)) };
    const npy = (await loadReader()).readNpy(bytes, baseName(uri));
    return npyMessage(name, npy, D);
  } catch (err) {
    return { type: 'npyError', text: `${name}: ${escapeNotification(err instanceof Error ? err.message : String(err), 300)}` };
  }
}
