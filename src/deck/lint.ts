// The deck linter: every card file parsed (./parse/ reports what is wrong inside one card),
// then the checks that need the whole deck: duplicate ids and terms claimed by several cards
// without a tie-break. Pure: no vscode, no DOM, no fs. Never throws.
//
// A broken card is left out and reported; the rest of the deck still loads. Two exceptions
// keep cards in: the first of several cards with one id stays (the later ones are left out,
// since review progress is keyed by id), and a term tie leaves both cards in (the cards are
// fine; only the hover's choice between them is undecided) while still counting as an error.
import { BUNDLED_DECKS, USER_DECK, type Card, type DeckDiagnostic, type ParseResult } from './card';
import { excerpt } from './escape';
import { parseCardFileDetailed, type CardSourceInfo } from './parse';
import { buildTermIndex, type TermEntry } from './terms';

export interface DeckFile {
  path: string;
  text: string;
  /** The deck the file belongs to: a BUNDLED_DECKS id (whose `source` rule then applies), or a user deck. */
  deck?: string;
}

/** A card's `source`: an http(s) URL, then the version it describes in parentheses. */
export const SOURCE_URL = /^https?:\/\/[^\s()]+\s+\((?=[^)]*[A-Za-z0-9])[^()]{1,200}\)$/;
const SOURCE_EXAMPLE = "'https://pytorch.org/docs/2.5/generated/torch.nn.LSTM.html (PyTorch 2.5)'";

/**
 * What a card's `source` must be. In the bundled decks (BUNDLED_DECKS' `source` rule) a card
 * without a valid source is an error and left out; in user decks `source` stays optional and a
 * malformed one is only a warning, so a user's card never disappears over a citation.
 */
function checkSource(card: Card, file: DeckFile, pos: { line: number; column: number } | undefined): DeckDiagnostic | undefined {
  const rule = BUNDLED_DECKS.find((d) => d.id === file.deck)?.source;
  const seedOk = rule === undefined || rule === 'seed-or-url';
  const expected = `an http(s) URL and the version in parentheses, e.g. ${SOURCE_EXAMPLE}${seedOk ? ", or 'seed'" : ''}`;
  const where = pos ?? { line: 1, column: 1 };
  const source = card.source;
  if (source === undefined) {
    if (!rule) return undefined;
    return { file: file.path, line: where.line, column: where.column, severity: 'error', message: `missing 'source': the bundled decks name the documentation that backs each card (${expected}); this card is left out` };
  }
  if (SOURCE_URL.test(source) || (seedOk && source === 'seed')) return undefined;
  const severity = rule ? 'error' : 'warning';
  const tail = rule ? '; this card is left out' : '';
  return { file: file.path, line: where.line, column: where.column, severity, message: `source '${excerpt(source)}' should be ${expected}${tail}` };
}

/**
 * The linter as steps: one card file parsed per step (the costly part: Markdown and KaTeX), then
 * the cross-card checks. `lintDeck` runs every step at once; the host runs them in time slices
 * (`lintDeckInSlices`) so that a large user deck never holds the extension host for long.
 */
export function* lintDeckSteps(files: readonly DeckFile[]): Generator<void, ParseResult, void> {
  const diagnostics: DeckDiagnostic[] = [];
  const cards: Card[] = [];
  const info = new Map<Card, CardSourceInfo>();
  const byId = new Map<string, Card>();
  for (const f of files) {
    const r = parseCardFileDetailed(f.text, f.path);
    diagnostics.push(...r.diagnostics);
    for (const card of r.cards) {
      card.deck = f.deck ?? USER_DECK.id;
      const bad = checkSource(card, f, r.info?.sourcePos);
      if (bad) {
        diagnostics.push(bad);
        if (bad.severity === 'error') continue;
      }
      const first = byId.get(card.id);
      if (first) {
        const p = r.info?.idPos ?? { line: 1, column: 1 };
        diagnostics.push({
          file: f.path, line: p.line, column: p.column, severity: 'error',
          message: `duplicate id '${card.id}': ${first.file}:${first.line} already uses it; ids must be unique (this card is left out)`,
        });
        continue;
      }
      byId.set(card.id, card);
      cards.push(card);
      if (r.info) info.set(card, r.info);
    }
    yield;
  }
  diagnostics.push(...termTies(cards, info));
  return { cards, diagnostics };
}

export function lintDeck(files: readonly DeckFile[]): ParseResult {
  const steps = lintDeckSteps(files);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

export interface SliceOptions {
  /** Work at most this long before pausing (a step already begun finishes). */
  sliceMs: number;
  /** Lets the event loop run: the host passes a zero timeout. */
  pause: () => Promise<void>;
  now: () => number;
}

/**
 * `lintDeck` in slices of about `sliceMs`, pausing between them and once at the end, so the
 * caller's own work after it starts a fresh slice. Also returns the longest slice it ran.
 */
export async function lintDeckInSlices(files: readonly DeckFile[], o: SliceOptions): Promise<ParseResult & { longestSliceMs: number }> {
  const steps = lintDeckSteps(files);
  let longest = 0;
  let start = o.now();
  for (;;) {
    const s = steps.next();
    const elapsed = o.now() - start;
    if (s.done || elapsed >= o.sliceMs) {
      longest = Math.max(longest, elapsed);
      await o.pause();
      start = o.now();
    }
    if (s.done) return { ...s.value, longestSliceMs: longest };
  }
}

/**
 * Terms whose best card is undecided: for each key of the term index, the entries with the
 * highest priority; among those, terms written out beat API-name aliases (`nn.LSTM` indexed
 * as `LSTM`), as in the matcher. Two cards left at the top is an error on the later card's term.
 */
function termTies(cards: readonly Card[], info: ReadonlyMap<Card, CardSourceInfo>): DeckDiagnostic[] {
  const out: DeckDiagnostic[] = [];
  const byId = new Map(cards.map((c) => [c.id, c]));
  const order = new Map(cards.map((c, i) => [c, i]));
  const reported = new Set<string>();
  const index = buildTermIndex(cards);
  for (const entries of index.byKey.values()) {
    if (entries.length < 2) continue;
    const top = Math.max(...entries.map((e) => e.priority));
    let best: readonly TermEntry[] = entries.filter((e) => e.priority === top);
    if (best.some((e) => !e.alias)) best = best.filter((e) => !e.alias);
    const owners = [...new Set(best.map((e) => e.cardId))];
    if (owners.length < 2) continue;
    // Report on the later card (in load order), naming the earlier one first.
    const [first, ...others] = owners
      .map((id) => byId.get(id))
      .filter((c): c is Card => c !== undefined)
      .sort((a, b) => order.get(a)! - order.get(b)!);
    for (const other of others) {
      const pair = `${first.id}\u0000${other.id}\u0000${best.find((e) => e.cardId === other.id)?.term}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      const entry = best.find((e) => e.cardId === other.id);
      const firstEntry = best.find((e) => e.cardId === first.id);
      if (!entry || !firstEntry) continue;
      const p = info.get(other)?.termPos[entry.order] ?? { line: other.line, column: 1 };
      const same = entry.term === firstEntry.term ? `'${entry.term}'` : `'${entry.term}' (as '${firstEntry.term}')`;
      out.push({
        file: other.file, line: p.line, column: p.column, severity: 'error',
        message: `term ${same} is claimed by ${first.id} and ${other.id} without a tie-break; give one a higher priority`,
      });
    }
  }
  return out;
}
