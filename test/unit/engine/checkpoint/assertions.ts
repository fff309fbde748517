// What the checkpoint tests assert of a refusal: a CheckpointError on one line, matching what it
// says; and, for random byte edits of real files, never anything else (no other exception, no hang).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CheckpointError, readCheckpoint } from '../../../../engine/checkpoint';

export function oneLineError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CheckpointError, `a CheckpointError, not ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    assert.match(err.message, pattern);
    return true;
  });
}

export function assertDamageGivesOneLine(sources: readonly (readonly [string, Uint8Array])[], seed: number): void {
  fc.assert(fc.property(
    fc.constantFrom(...sources), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    ([name, original], edits) => {
      const bytes = original.slice();
      for (const [at, v] of edits) bytes[at % bytes.length] = v;
      try {
        readCheckpoint(bytes, name);
      } catch (err) {
        assert.ok(err instanceof CheckpointError, `${name}: ${String(err)}`);
        assert.doesNotMatch(err.message, /\n/);
      }
    },
  ), { numRuns: 300, seed });
}
