// What the deck service does before it lints a user deck, kept free of vscode so it is unit-tested:
// which globs apply (none in an untrusted workspace), and reading the files they found through
// a small file-system interface (the host passes vscode.workspace.fs), regular files only and
// none over the card size cap. Pure: no vscode, no DOM, no fs of its own.
import type { DeckDiagnostic } from './card';
import type { DeckFile } from './lint';
import { cardTooLarge, MAX_CARD_CHARS } from './limits';

/**
 * The `rnnLens.decks` globs to load: the setting's non-empty strings, and none at all while
 * the workspace is not trusted (Restricted Mode loads the bundled deck only).
 */
export function userDeckPatterns(setting: unknown, trusted: boolean): string[] {
  if (!trusted || !Array.isArray(setting)) return [];
  return setting.filter((p): p is string => typeof p === 'string' && p.trim().length > 0);
}

export interface DeckFileSystem<U> {
  /** `file` is false for a directory, device, pipe or anything else that is not a regular file. */
  stat(uri: U): Promise<{ file: boolean; size: number }>;
  read(uri: U): Promise<Uint8Array>;
  /** The name diagnostics carry. */
  name(uri: U): string;
}

/** The deck files' text, and a diagnostic for each file left out (not regular, too large, unreadable). */
export async function readDeckFiles<U>(uris: readonly U[], fs: DeckFileSystem<U>): Promise<{ files: DeckFile[]; problems: DeckDiagnostic[] }> {
  const decoder = new TextDecoder('utf-8');
  const files: DeckFile[] = [];
  const problems: DeckDiagnostic[] = [];
  for (const uri of uris) {
    const path = fs.name(uri);
    const problem = (message: string) => problems.push({ file: path, line: 1, column: 1, severity: 'error', message });
    try {
      const st = await fs.stat(uri);
      if (!st.file) problem('deck file is not a regular file: it is left out');
      else if (st.size > MAX_CARD_CHARS) problems.push(cardTooLarge(path, st.size));
      else {
        const bytes = await fs.read(uri);
        // The file may have grown since stat: the cap holds for what was read.
        if (bytes.length > MAX_CARD_CHARS) problems.push(cardTooLarge(path, bytes.length));
        else files.push({ path, text: decoder.decode(bytes) });
      }
    } catch (err) {
      problem(`cannot read deck file: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { files, problems };
}
