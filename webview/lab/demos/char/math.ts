// The character model's pure parts (no DOM, unit-tested): the trainer it runs, the reference
// levels its loss is read against (ln V and the text's unigram entropy), the simple features of
// the text a hidden unit may track (inside a quoted string, indentation depth, bracket nesting),
// the unit that correlates most with each, the hidden states over a stretch of the text, and the
// export message built from the trained parameters.
import { forward } from '../../../../engine/api';
import type { TrainerConfig } from '../../../../engine/train';
import type { BackendName } from '../../../../engine/types';
import type { ModelParams } from '../../../../engine/train/model';
import { encodeText, OTHER_SYMBOL, textCharacters, textSymbols } from '../../../../engine/train/tasks';
import { encodeFloat32 } from '../../../../engine/floats';
import { CHAR_LIMITS, type CharControls, type CharExportMessage } from '../../../../protocol';

/** Window length and batch of a text long enough for them; shorter texts get shorter windows and fewer streams. */
export const CHAR_T = 32;
export const CHAR_BATCH = 8;

/** The window and batch a text of n characters trains with, or why it is too short. */
export function charShape(n: number): { T: number; batch: number } | string {
  const T = n >= 20 * (CHAR_T + 1) ? CHAR_T : 16;
  const held = Math.max(T + 1, Math.floor(n / 10));
  const batch = Math.min(CHAR_BATCH, Math.floor((n - held) / (T + 1)));
  if (batch < 1) return `The text has ${n} characters; a character model needs at least ${2 * (T + 1)}.`;
  return { T, batch };
}

/** `backend` as the lab's setting forces it (js or wasm); absent, the trainer picks wasm where it compiles. */
export function charTrainerConfig(c: CharControls, text: string, shape: { T: number; batch: number }, backend?: 'js' | 'wasm'): TrainerConfig {
  return {
    cell: c.cell,
    ...(c.cell === 'gru' ? { resetAfter: true } : {}),
    H: c.H,
    seed: c.seed,
    init: { scheme: 'xavier', ...(c.cell === 'lstm' ? { forgetBias: 1 } : {}) },
    task: { kind: 'text', text, T: shape.T, vocabulary: CHAR_LIMITS.vocabulary },
    input: { kind: 'embedding', dim: c.embedding },
    batch: shape.batch,
    optimizer: { kind: 'adam', lr: c.lr },
    clip: 1,
    ...(backend ? { backend } : {}),
  };
}

/** Whether a change of the controls needs fresh weights (anything but play/pause, temperature and the unit shown). */
export function charNeedsRestart(a: CharControls, b: CharControls): boolean {
  return a.cell !== b.cell || a.H !== b.H || a.embedding !== b.embedding || a.lr !== b.lr || a.seed !== b.seed;
}

/** The text's symbols as the task caps them, how many distinct characters share "other", ln V and the unigram entropy (nats). */
export function textStats(text: string): { symbols: string[]; distinct: number; shareOther: number; uniform: number; unigram: number } {
  const chars = textCharacters(text);
  const symbols = textSymbols(text, CHAR_LIMITS.vocabulary);
  const distinct = new Set(chars).size;
  const capped = symbols[symbols.length - 1] === OTHER_SYMBOL && symbols.length === CHAR_LIMITS.vocabulary && distinct > symbols.length;
  const shareOther = capped ? distinct - (symbols.length - 1) : 0;
  const counts = new Float64Array(symbols.length);
  for (const id of encodeText(chars, symbols)) counts[id]++;
  let unigram = 0;
  for (const n of counts) if (n > 0) unigram -= (n / chars.length) * Math.log(n / chars.length);
  return { symbols, distinct, shareOther, uniform: Math.log(symbols.length), unigram };
}

// ---- features of the text ------------------------------------------------------------------------

export const FEATURES = ['string', 'indent', 'brackets'] as const;
export type FeatureKey = (typeof FEATURES)[number];
export const FEATURE_NAMES: Record<FeatureKey, string> = {
  string: 'inside a quoted string',
  indent: 'indentation depth',
  brackets: 'bracket nesting depth',
};

/**
 * Each feature at each character (after reading it): 1 inside a '…' or "…" string (its quotes
 * included, a backslash escapes, a line end closes a string left open), the leading whitespace of
 * the character's line (a tab counts 4), and the depth of ( [ { outside strings (never below 0).
 */
export function textFeatures(chars: readonly string[]): Record<FeatureKey, Float64Array> {
  const n = chars.length;
  const string = new Float64Array(n), indent = new Float64Array(n), brackets = new Float64Array(n);
  let quote = '', escaped = false, depth = 0;
  // The indentation of each line: its leading whitespace, measured once per line.
  let lineIndent = 0;
  for (let t = 0; t < n; t++) {
    const ch = chars[t];
    if (t === 0 || chars[t - 1] === '\n') {
      lineIndent = 0;
      for (let k = t; k < n && (chars[k] === ' ' || chars[k] === '\t'); k++) lineIndent += chars[k] === '\t' ? 4 : 1;
    }
    indent[t] = lineIndent;
    if (quote) {
      string[t] = 1;
      if (ch === '\n') quote = '';
      else if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      string[t] = 1;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
    brackets[t] = depth;
  }
  return { string, indent, brackets };
}

/** Pearson's r of unit u's activation (h is T × H, row-major) with f; null where either does not vary. */
export function correlation(h: ArrayLike<number>, H: number, u: number, f: ArrayLike<number>): number | null {
  const n = f.length;
  let sx = 0, sy = 0;
  for (let t = 0; t < n; t++) {
    sx += h[t * H + u];
    sy += f[t];
  }
  const mx = sx / n, my = sy / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let t = 0; t < n; t++) {
    const dx = h[t * H + u] - mx, dy = f[t] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export interface TrackingUnit {
  feature: FeatureKey;
  /** The unit with the largest |r|, and r; undefined when the feature does not vary over the stretch. */
  unit?: number;
  r?: number;
}

/** For each feature, the unit whose activation correlates most (in absolute value) with it. */
export function trackingUnits(h: ArrayLike<number>, H: number, features: Record<FeatureKey, ArrayLike<number>>): TrackingUnit[] {
  return FEATURES.map((feature) => {
    let best: TrackingUnit = { feature };
    for (let u = 0; u < H; u++) {
      const r = correlation(h, H, u, features[feature]);
      if (r !== null && (best.r === undefined || Math.abs(r) > Math.abs(best.r))) best = { feature, unit: u, r };
    }
    return best;
  });
}

// ---- the hidden states over the text ------------------------------------------------------------

/** The model's h (T × H) over `chars` from a zero state: the embedding rows, then the cell (on the trainer's backend). */
export function hiddenStates(
  c: Pick<CharControls, 'cell' | 'H' | 'embedding'>, p: ModelParams, chars: readonly string[], symbols: readonly string[], backend: BackendName = 'js',
): Float32Array | Float64Array {
  const ids = encodeText(chars, symbols);
  const D = c.embedding;
  const E = p.E!;
  const x = new Float32Array(ids.length * D);
  for (let t = 0; t < ids.length; t++) for (let d = 0; d < D; d++) x[t * D + d] = E[ids[t] * D + d];
  const fwd = forward(c.cell, { T: ids.length, B: 1, D, H: c.H }, { W: p.W, b: p.b }, x, {
    backend, ...(c.cell === 'gru' ? { resetAfter: true } : { activation: 'tanh' as const }),
  });
  return fwd.h;
}

// ---- the export ------------------------------------------------------------------------------------

/** The message "Export for PyTorch…" sends: the parameters as base64 float32, with the sizes and the vocabulary. */
export function exportMessage(c: Pick<CharControls, 'cell' | 'H' | 'embedding'>, p: ModelParams, symbols: readonly string[], step: number): CharExportMessage {
  const f = (a: ArrayLike<number>) => encodeFloat32(Float32Array.from(a));
  return {
    type: 'exportChar', cell: c.cell, vocab: [...symbols], embeddingDim: c.embedding, H: c.H,
    W: f(p.W), b: f(p.b), E: f(p.E ?? []), V: f(p.V), c: f(p.c), step,
  };
}
