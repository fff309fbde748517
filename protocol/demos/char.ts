// "Train a Character Model on This File": its controls, the bounds on the text it trains on, the
// text the host sends, and the export message the view sends back (the trained weights).
import * as v from 'valibot';
import { CELLS } from '../../engine/types';
import { int, real, seed } from '../labLimits';

/**
 * What trains interactively in a webview: at most `text` characters (a larger file needs a
 * selection), at most `vocabulary` symbols (the rarer characters share the "other" symbol), and
 * the sizes the controls offer.
 */
export const CHAR_LIMITS = { text: 200_000, vocabulary: 96, H: 128, embedding: 64, T: 64 } as const;

export const charControlsSchema = v.strictObject({
  cell: v.picklist(CELLS),
  H: int(2, CHAR_LIMITS.H),
  /** The embedding width (nn.Embedding's dim, word_language_model's ninp). */
  embedding: int(2, CHAR_LIMITS.embedding),
  lr: real(1e-5, 1),
  seed,
  temperature: real(0.05, 5),
  /** The hidden unit whose activation shades the text. */
  unit: int(0, CHAR_LIMITS.H - 1),
  running: v.boolean(),
});
export type CharControls = v.InferOutput<typeof charControlsSchema>;

export const DEFAULT_CHAR_CONTROLS: CharControls = {
  cell: 'lstm', H: 64, embedding: 16, lr: 0.01, seed: 1, temperature: 0.8, unit: 0, running: true,
};

/** The cells' names as the view shows them. */
export const CHAR_CELL_NAMES: Record<CharControls['cell'], string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'tanh RNN' };

/** Each export tensor's base64 of float32 (encodeFloat32): at most this many floats. */
const MAX_TENSOR_FLOATS = 4 * CHAR_LIMITS.H * (CHAR_LIMITS.embedding + CHAR_LIMITS.H);
const floats = v.pipe(v.string(), v.maxLength(4 * Math.ceil((MAX_TENSOR_FLOATS * 4) / 3)), v.regex(/^[A-Za-z0-9+/]*={0,2}$/));

/** "Export for PyTorch…": the weights in the engine's layout, as base64 float32, with the sizes they are read by. */
export const charExportSchema = v.strictObject({
  type: v.literal('exportChar'),
  cell: v.picklist(CELLS),
  /** The characters, index = symbol id (one code point each). */
  vocab: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(2))), v.minLength(2), v.maxLength(CHAR_LIMITS.vocabulary)),
  embeddingDim: int(2, CHAR_LIMITS.embedding),
  H: int(2, CHAR_LIMITS.H),
  /** W (G·H, D+H) over [x; h], b (G·H), E (vocab × D), V (vocab × H), c (vocab). */
  W: floats,
  b: floats,
  E: floats,
  V: floats,
  c: floats,
  /** The step the weights were trained to (the notification says it). */
  step: int(0, Number.MAX_SAFE_INTEGER),
});
export type CharExportMessage = v.InferOutput<typeof charExportSchema>;
