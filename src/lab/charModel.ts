// "Train a Character Model on This File": the pure parts (no vscode), unit-tested. Which text it
// trains on and the one-line refusals, the export file's name, and the weights the view sends
// (base64 float32, already bounded by the message schema) checked against the sizes and read
// back into the engine's CharModelWeights.
import { decodeFloat32 } from '../../engine/floats';
import type { CharModelWeights } from '../../engine/export';
import { gateCount } from '../../engine/types';
import { CHAR_LIMITS, type CharExportMessage } from '../../protocol';
import { oneLine } from '../deck/escape';
import { l10n } from '../l10n';

const count = (n: number) => n.toLocaleString('en-US');

/** Why a text is not trained on (too long, empty), on one line; undefined when it is fine. */
export function charTextProblem(length: number, name: string, selection: boolean): string | undefined {
  const what = selection ? l10n.t('The selection in {0}', name) : name;
  if (length === 0) return l10n.t('RNN Lens: {0} is empty; a character model needs some text to train on.', what);
  if (length > CHAR_LIMITS.text) {
    return l10n.t('RNN Lens: {0} has {1} characters; a character model trains on at most {2}. Select a part of it and run the command again.', what, count(length), count(CHAR_LIMITS.text));
  }
  return undefined;
}

/** The label the view shows for the text: the file's name, or "the selection in" it. */
export function charTextLabel(name: string, selection: boolean): string {
  const n = oneLine(name);
  return selection ? l10n.t('the selection in {0}', n) : n;
}

/** The export's default name beside `sourceName`: `<name>.char-<cell>.safetensors` (the source's extension dropped). */
export function charExportName(sourceName: string, cell: CharExportMessage['cell']): string {
  const base = sourceName.replace(/\.[^./]*$/, '') || 'model';
  return `${base}.char-${cell}.safetensors`;
}

/** The export message's weights as CharModelWeights, or why they do not fit the sizes it gives. */
export function charWeights(msg: CharExportMessage): CharModelWeights | string {
  const { cell, vocab, embeddingDim: D, H } = msg;
  const Vn = vocab.length;
  if (vocab.some((ch) => Array.from(ch).length !== 1)) return 'the vocabulary must list one character per symbol';
  if (new Set(vocab).size !== Vn) return 'the vocabulary lists a character twice';
  const G = gateCount(cell);
  const sizes = { W: G * H * (D + H), b: G * H, E: Vn * D, V: Vn * H, c: Vn } as const;
  const out: Partial<Record<keyof typeof sizes, Float32Array>> = {};
  for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
    const a = decodeFloat32(msg[key], sizes[key]);
    if (!a) return `${key} is not ${count(sizes[key])} float32 values (${cell}, vocabulary ${Vn}, embedding ${D}, H ${H})`;
    if (!a.every(Number.isFinite)) return `${key} holds a value that is not finite`;
    out[key] = a;
  }
  return { cell, vocab, embeddingDim: D, H, layers: [{ W: out.W!, b: out.b! }], E: out.E!, V: out.V!, c: out.c! };
}
