// The series task's numbers as the task and the playground's view see them: the split into a
// training part and a held-out tail (the last 20%), the normalisation by the training part's mean
// and standard deviation, and the two baselines a next-step predictor has to beat on the held-out
// tail ("predict the mean", "predict the last value"). Pure: no editor, no DOM.

/** The fraction of the series held out at its end for validation. */
export const SERIES_HELD_FRACTION = 0.2;
/** Fewest values a series task accepts (a training part and a held-out tail of a few steps each). */
export const SERIES_MIN_VALUES = 20;
/** Most values a series task accepts. */
export const SERIES_MAX_VALUES = 100_000;

export interface SeriesSplit {
  /** Values in the training part (the first ones); the rest are held out. */
  trainN: number;
  heldN: number;
  /** Mean and standard deviation of the training part (std 1 where the part is constant). */
  mean: number;
  std: number;
}

export interface SeriesBaselines {
  /** MSE (normalised units) over the held-out tail's next-step targets of always predicting the training mean. */
  mean: number;
  /** MSE of predicting x_{t+1} = x_t (persistence), over the same targets. */
  persistence: number;
  /** How many (x_t, x_{t+1}) pairs of the held-out tail they are measured on. */
  pairs: number;
}

/** The split of n values: the last 20% (at least 2) held out. */
export function seriesSplit(values: readonly number[]): SeriesSplit {
  const n = values.length;
  const heldN = Math.max(2, Math.ceil(n * SERIES_HELD_FRACTION));
  const trainN = n - heldN;
  let sum = 0;
  for (let i = 0; i < trainN; i++) sum += values[i];
  const mean = trainN > 0 ? sum / trainN : 0;
  let sq = 0;
  for (let i = 0; i < trainN; i++) sq += (values[i] - mean) ** 2;
  const sd = trainN > 0 ? Math.sqrt(sq / trainN) : 0;
  return { trainN, heldN, mean, std: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
}

/** The series in normalised units: (x − mean) / std of the training part. */
export function normalizeSeries(values: readonly number[], split: SeriesSplit = seriesSplit(values)): Float64Array {
  return Float64Array.from(values, (x) => (x - split.mean) / split.std);
}

/**
 * The baselines on the held-out tail, in normalised units (the loss curves' units): every pair
 * (x_t, x_{t+1}) with both in the tail.
 */
export function seriesBaselines(values: readonly number[]): SeriesBaselines {
  const split = seriesSplit(values);
  const z = normalizeSeries(values, split);
  let mean = 0, persistence = 0, pairs = 0;
  for (let t = split.trainN; t + 1 < z.length; t++) {
    mean += z[t + 1] * z[t + 1];
    persistence += (z[t + 1] - z[t]) ** 2;
    pairs++;
  }
  return { mean: pairs ? mean / pairs : 0, persistence: pairs ? persistence / pairs : 0, pairs };
}
