// Random byte edits of real checkpoint files: the reader may refuse them, but only ever with a
// one-line CheckpointError (never another exception, a hang or a crash).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CheckpointError, readCheckpoint } from '../../../../engine/checkpoint';

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
