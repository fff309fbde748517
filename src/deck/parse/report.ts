// How the parts of the parser report what is wrong: a diagnostic on one line and column of the file.
import { oneLine } from '../escape';
import type { DeckDiagnostic, Severity } from '../card';

export function diag(file: string, line: number, column: number, severity: Severity, message: string): DeckDiagnostic {
  return { file, line, column, severity, message: oneLine(message) };
}

export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.split('\n')[0];
}

export type Pos = { line: number; column: number };
export type Reporter = (line: number, column: number, message: string) => void;

/** Collects a card's diagnostics in the order they are found. */
export interface Report {
  readonly diagnostics: DeckDiagnostic[];
  readonly err: Reporter;
  readonly warn: Reporter;
}
