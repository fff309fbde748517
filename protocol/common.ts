// What both panels share: the deck vocabulary a card is written in, a card as a webview sees it,
// and the one way a host parses what a webview sends.
import * as v from 'valibot';
import type { DemoId } from './lab';

export const LEVELS = ['foundational', 'intermediate', 'advanced', 'expert'] as const;
export type Level = (typeof LEVELS)[number];

export const KINDS = ['concept', 'system-design', 'coding', 'math', 'cert'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * The decks bundled with the extension, each compiled from one folder of card files (not its
 * subfolders). `source` is what the linter asks of a card's `source` field there: `seed-or-url`
 * lets the seed deck keep `source: seed` (its cards were imported from the seed file); `url`
 * asks every card for the documentation that backs it (see SOURCE_URL in src/deck/lint.ts).
 */
export const BUNDLED_DECKS = [
  { id: 'foundations', name: 'RNN foundations', dir: 'cards', source: 'seed-or-url' },
  { id: 'practice', name: 'RNNs in practice', dir: 'cards/practice', source: 'url' },
] as const satisfies readonly { id: string; name: string; dir: string; source: 'seed-or-url' | 'url' }[];
export type BundledDeckId = (typeof BUNDLED_DECKS)[number]['id'];

/** The deck every card from the `rnnLens.decks` files belongs to. */
export const USER_DECK = { id: 'user', name: 'Your decks' } as const;

/** A card as a webview sees it: HTML already rendered and sanitised on the host. */
export interface CardView {
  id: string;
  level: Level;
  kind: Kind;
  tags: string[];
  demo?: DemoId;
  questionHtml: string;
  answerHtml: string;
}

/** Parse an unknown message with a schema; undefined (and a reason) when it does not fit. */
export function parseMessage<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
): { ok: true; msg: v.InferOutput<S> } | { ok: false; reason: string } {
  const r = v.safeParse(schema, raw);
  if (r.success) return { ok: true, msg: r.output };
  return { ok: false, reason: r.issues.map((i) => i.message).join('; ') };
}
