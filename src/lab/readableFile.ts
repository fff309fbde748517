// Whether a file the host is about to read whole is one it may read: a regular file (a symlink
// to one counts) no larger than the cap. A device (/dev/zero never ends), a FIFO (a read never
// returns) or a folder is refused from its stat alone, before any byte is read. Pure: the host
// passes vscode.workspace.fs.stat's result, whose `type` holds vscode.FileType's bits.

import { l10n } from '../l10n';

/** vscode.FileType's values (a bit set: a symlink to a file is File | SymbolicLink). */
export const FILE_TYPE = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 } as const;

export interface FileStatLike {
  readonly type: number;
  readonly size: number;
}

export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Why the file must not be read (one clause, for "cannot inspect NAME: …"), or undefined when it may be. */
export function unreadableReason(st: FileStatLike, maxBytes: number, what = 'files', larger = ''): string | undefined {
  if (st.type & FILE_TYPE.Directory) return l10n.t('it is a folder');
  if (!(st.type & FILE_TYPE.File)) {
    return st.type & FILE_TYPE.SymbolicLink
      ? l10n.t('it is a link to something that is not a regular file (a device or a pipe)')
      : l10n.t('it is not a regular file (a device or a pipe)');
  }
  if (!Number.isFinite(st.size) || st.size < 0) return l10n.t('its size cannot be read');
  if (st.size > maxBytes) return l10n.t('it is {0}; the editor reads {1} up to {2}{3}', sizeText(st.size), what, sizeText(maxBytes), larger);
  return undefined;
}

/**
 * A file system error as one clause a user can act on. vscode.FileSystemError carries a `code`
 * (FileNotFound, NoPermissions, ...); its message is the raw errno text with the full path.
 */
export function fileErrorReason(err: unknown): string {
  const code = err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  switch (code) {
    case 'FileNotFound': case 'EntryNotFound': return l10n.t('it is not there any more (moved or deleted?): open it again from where it is now');
    case 'NoPermissions': return l10n.t('it cannot be read (permission denied): check who may read it');
    case 'FileIsADirectory': return l10n.t('it is a folder');
    case 'Unavailable': return l10n.t('its file system is unavailable just now: try again once it is back');
    default: return err instanceof Error ? err.message : String(err);
  }
}
