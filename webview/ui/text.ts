// Words the views print: pure (no DOM), shared by the quiz and the lab.

/** What a caught value says: an Error's message, anything else as a string. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** errorText's first line, at most `max` characters: what a Worker's loop reports (its replies' bound). */
export function errorLine(err: unknown, max = 2000): string {
  return errorText(err).split('\n')[0].slice(0, max);
}

/** "1 card", "2 cards". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
