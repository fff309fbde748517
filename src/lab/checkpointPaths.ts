// Where Python code names a checkpoint file by a literal path: `torch.load("model.pt")` and
// `torch.save(model.state_dict(), "model.pt")` (also `r"..."` strings and keyword forms
// `f="..."`). The CodeLens "Inspect recurrent layers" goes above each such call whose file
// exists. Pure: no vscode.

export interface CheckpointPath {
  /** Offset of `torch.` in the text, and of the call's `(`. */
  start: number;
  openParen: number;
  call: 'save' | 'load';
  /** The path as written (escapes are not interpreted; a path with a backslash escape is skipped). */
  path: string;
}

/** At most this many per document, and paths of at most this many characters. */
export const MAX_CHECKPOINT_PATHS = 50;
const MAX_PATH = 1000;

const CALL = /\btorch\.(save|load)\s*\(/g;
/** A plain or raw string literal (no f-, b- or u-strings, no escapes): quote, body, quote. */
const LITERAL = /^\s*(?:f\s*=\s*)?r?(["'])([^"'\\\n]{1,1000})\1\s*[,)]/;

/** The position after the first top-level comma from `from` on, or -1 (gives up past a line break in a string or 2,000 characters). */
function afterFirstArgument(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  const end = Math.min(text.length, from + 2000);
  for (let i = from; i < end; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      else if (ch === '\n') return -1;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return -1;
      depth--;
    } else if (ch === ',' && depth === 0) return i + 1;
  }
  return -1;
}

export function findCheckpointPaths(text: string): CheckpointPath[] {
  const out: CheckpointPath[] = [];
  CALL.lastIndex = 0;
  for (let m = CALL.exec(text); m && out.length < MAX_CHECKPOINT_PATHS; m = CALL.exec(text)) {
    const call = m[1] as 'save' | 'load';
    const openParen = m.index + m[0].length - 1;
    // Skip calls on commented-out lines.
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (text.slice(lineStart, m.index).includes('#')) continue;
    const argAt = call === 'load' ? openParen + 1 : afterFirstArgument(text, openParen + 1);
    if (argAt < 0) continue;
    const lit = LITERAL.exec(text.slice(argAt, argAt + MAX_PATH + 20));
    if (!lit) continue;
    out.push({ start: m.index, openParen, call, path: lit[2] });
  }
  return out;
}
