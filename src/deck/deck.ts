// The in-memory deck every feature reads. Built once at activation (bundled cards plus user
// decks) and replaced, never mutated, when a user deck changes.
import type { Card } from './card';

export class Deck {
  readonly cards: readonly Card[];
  private readonly byId: ReadonlyMap<string, Card>;

  constructor(cards: readonly Card[]) {
    this.cards = cards;
    this.byId = new Map(cards.map((c) => [c.id, c]));
  }

  get size(): number {
    return this.cards.length;
  }

  get(id: string): Card | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
}
