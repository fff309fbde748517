// The demos' seed fields: a seed is an integer from 0 to 2³¹ − 1; anything else typed is ignored.
import { textField, type ValueElement } from '../../ui/render/toolkit';

/** Calls `onSeed` with each valid seed typed. */
export function seedInput(id: string, value: number, onSeed: (seed: number) => void): ValueElement {
  return textField(id, 'Seed', String(value), (v) => {
    const n = Number.parseInt(v, 10);
    if (Number.isInteger(n) && n >= 0 && n < 2 ** 31) onSeed(n);
  }, { type: 'number', size: 6 });
}

/** Calls `onSeed` with each valid seed typed that differs from the one before (a new seed retrains). */
export function seedField(id: string, value: number, onSeed: (seed: number) => void): ValueElement {
  let current = value;
  return seedInput(id, value, (n) => {
    if (n === current) return;
    current = n;
    onSeed(n);
  });
}
