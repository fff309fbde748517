// The training playground's pure parts (no DOM, unit-tested): the trainer configuration of each
// model from the controls, the reference levels the charts draw, the curves kept across a reload
// (thinned to a bound), the per-frame step budget, and the sentences the demo states about the
// run on screen (every number in them is computed from that run).
import { TRAIN_HISTORY, type TrainControls, type TrainModelKey, type TrainProgress } from '../../../../protocol';
import type { TaskConfig, TrainerConfig } from '../../../../engine/train';
import { textSymbols } from '../../../../engine/train/tasks';
import { seriesBaselines, type SeriesBaselines } from '../../../../engine/train/series';
import { COLOURS } from '../../../ui/render/theme';

export { FrameBudget } from '../../common/frameBudget';

export interface ModelInfo {
  key: TrainModelKey;
  label: string;
  colorVar: string;
  fallback: string;
}

export const MODEL_INFO: Record<TrainModelKey, ModelInfo> = {
  rnn: { key: 'rnn', label: 'tanh RNN', ...COLOURS.red },
  irnn: { key: 'irnn', label: 'IRNN', ...COLOURS.orange },
  lstm: { key: 'lstm', label: 'LSTM', ...COLOURS.blue },
  gru: { key: 'gru', label: 'GRU', ...COLOURS.green },
};

/** Mean squared error of always answering 1 on the adding problem (the sum of two U(0,1) values): 1/6. */
export const ADDING_BASELINE = 1 / 6;

/** `values`: the series task's numbers (unused by the other tasks). */
export function taskConfig(c: TrainControls, text: string, values: readonly number[] = []): TaskConfig {
  switch (c.task) {
    case 'recall':
      return { kind: 'recall', delay: c.delay, symbols: c.symbols, length: c.length };
    case 'adding':
      return { kind: 'adding', T: c.T };
    case 'text':
      return { kind: 'text', text, T: c.T };
    case 'series':
      return { kind: 'series', values: [...values], T: c.T };
  }
}

/**
 * One model's trainer configuration. Every model gets the same seed and task, hence the same
 * batches. The IRNN is a relu RNN with identity recurrent weights (Le et al. 2015) whatever the
 * init control says; the others use the chosen scheme.
 */
export function trainerConfig(c: TrainControls, key: TrainModelKey, text: string, values: readonly number[] = []): TrainerConfig {
  const irnn = key === 'irnn';
  return {
    cell: key === 'irnn' ? 'rnn' : key,
    ...(key === 'rnn' || irnn ? { activation: irnn ? 'relu' as const : 'tanh' as const } : {}),
    H: c.H,
    seed: c.seed,
    init: irnn
      ? { scheme: 'identity', spectralRadius: 1 }
      : { scheme: c.init, spectralRadius: c.spectralRadius, ...(key === 'lstm' ? { forgetBias: c.forgetBias } : {}) },
    task: taskConfig(c, text, values),
    batch: c.batch,
    optimizer: c.optimizer === 'sgd' ? { kind: 'sgd', lr: c.lr, momentum: 0.9 } : { kind: 'adam', lr: c.lr },
    ...(c.clip > 0 ? { clip: c.clip } : {}),
    ...(c.truncate > 0 ? { truncate: c.truncate } : {}),
  };
}

/** The text task's symbols (code points, capped as the task caps them: the rarest share "other"). */
export function vocabulary(text: string): string[] {
  return textSymbols(text);
}

let lastBaselines: { values: readonly number[]; b: SeriesBaselines } | undefined;
/** seriesBaselines of the last series asked about, kept (the charts ask every frame). */
export function baselinesOf(values: readonly number[]): SeriesBaselines {
  if (lastBaselines?.values !== values) lastBaselines = { values, b: seriesBaselines(values) };
  return lastBaselines.b;
}

/**
 * The level a model that learned nothing sits at: chance accuracy and its loss, the adding
 * baseline, or the series task's two baselines measured on its held-out tail.
 */
export function referenceLevels(c: TrainControls, text: string, values: readonly number[] = []): {
  loss: number; accuracy?: number; label: string; second?: { loss: number; label: string };
} {
  if (c.task === 'adding') return { loss: ADDING_BASELINE, label: 'always 1 (MSE 1/6 ≈ 0.167)' };
  if (c.task === 'series') {
    const b = baselinesOf(values);
    return {
      loss: b.mean, label: `predict the mean (held-out MSE ${num(b.mean)})`,
      second: { loss: b.persistence, label: `predict the last value (held-out MSE ${num(b.persistence)})` },
    };
  }
  const n = c.task === 'recall' ? c.symbols : Math.max(1, vocabulary(text).length);
  return { loss: Math.log(n), accuracy: 1 / n, label: `chance (1/${n})` };
}

/** Whether the controls' change invalidates the trained weights (anything but play/pause and temperature). */
export function needsRestart(a: TrainControls, b: TrainControls): boolean {
  for (const k of Object.keys(a) as (keyof TrainControls)[]) {
    if (k === 'running' || k === 'temperature') continue;
    // Recall's sequence length follows from delay and length: T is not used.
    if (k === 'T' && a.task === 'recall' && b.task === 'recall') continue;
    if (k === 'models' ? a.models.join() !== b.models.join() : a[k] !== b[k]) return true;
  }
  return false;
}

// ---- curves --------------------------------------------------------------------------------------

/**
 * Loss and accuracy per model against step, at most TRAIN_HISTORY points: each point is the mean
 * over the steps since the previous one; when full, every other point is merged away and the
 * stride doubles, so a long run keeps its whole shape at a bounded size.
 */
export class History {
  points: TrainProgress['points'] = [];
  private stride = 1;
  private pending = 0;
  private sumLoss: number[] = [];
  private sumAcc: number[] = [];
  private nAcc: number[] = [];

  constructor(private readonly models: number, restored?: TrainProgress['points']) {
    if (restored) {
      this.points = restored.map((p) => ({ step: p.step, loss: [...p.loss], accuracy: [...p.accuracy] }));
      // The stride of a restored run: the spacing of its last points.
      const n = this.points.length;
      if (n >= 2) this.stride = Math.max(1, this.points[n - 1].step - this.points[n - 2].step);
    }
    this.clearSums();
  }

  private clearSums(): void {
    this.pending = 0;
    this.sumLoss = new Array<number>(this.models).fill(0);
    this.sumAcc = new Array<number>(this.models).fill(0);
    this.nAcc = new Array<number>(this.models).fill(0);
  }

  /** One training step's metrics, one entry per model (NaN loss = diverged). */
  add(step: number, metrics: { loss: number; accuracy?: number }[]): void {
    for (let m = 0; m < this.models; m++) {
      this.sumLoss[m] += metrics[m].loss;
      const a = metrics[m].accuracy;
      if (a !== undefined) {
        this.sumAcc[m] += a;
        this.nAcc[m]++;
      }
    }
    if (++this.pending < this.stride) return;
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    this.points.push({
      step,
      loss: this.sumLoss.map((s) => finite(s / this.pending)),
      accuracy: this.sumAcc.map((s, m) => (this.nAcc[m] ? finite(s / this.nAcc[m]) : null)),
    });
    this.clearSums();
    if (this.points.length > TRAIN_HISTORY) {
      this.points = this.points.filter((_, i) => i % 2 === 1 || i === this.points.length - 1);
      this.stride *= 2;
    }
  }

  /** The last recorded value of a model's loss or accuracy. */
  last(model: number, what: 'loss' | 'accuracy'): number | null {
    for (let i = this.points.length - 1; i >= 0; i--) {
      const v = this.points[i][what][model];
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }

  /** The first step at which a model's recorded accuracy reached `level`, if it did. */
  firstReaching(model: number, level: number): number | undefined {
    return this.points.find((p) => (p.accuracy[model] ?? -1) >= level)?.step;
  }
}

// ---- what the demo says -----------------------------------------------------------------------------

const pct = (v: number) => {
  const p = 100 * v;
  return `${Math.abs(p - Math.round(p)) < 0.05 ? Math.round(p) : p.toFixed(1)}%`;
};
const num = (v: number) => (v >= 0.01 ? v.toFixed(3) : v.toExponential(2));
export const stepText = (s: number) => s.toLocaleString('en-US');

/**
 * The headline about the run on screen, e.g. "At step 1,200: LSTM 94% accuracy (first ≥ 90% at
 * step 900); tanh RNN 13%. Chance is 12.5%." Accuracy for recall and text, MSE for adding.
 */
export function summarize(
  c: TrainControls, keys: TrainModelKey[], h: History, step: number, text: string, values: readonly number[] = [], held: (number | undefined)[] = [],
): string {
  if (step === 0 || keys.length === 0) return 'Not trained yet.';
  const ref = referenceLevels(c, text, values);
  if (ref.second) return summarizeSeries(keys, step, held, ref.loss, ref.second.loss);
  const parts: string[] = [];
  if (ref.accuracy !== undefined) {
    const order = keys.map((k, m) => ({ k, m, acc: h.last(m, 'accuracy') })).sort((a, b) => (b.acc ?? -1) - (a.acc ?? -1));
    for (const { k, m, acc } of order) {
      if (acc === null) {
        parts.push(`${MODEL_INFO[k].label} diverged (loss not finite)`);
        continue;
      }
      const at90 = h.firstReaching(m, 0.9);
      parts.push(`${MODEL_INFO[k].label} ${pct(acc)}${at90 !== undefined ? ` (≥ 90% since step ${stepText(at90)})` : ''}`);
    }
    return `At step ${stepText(step)}, accuracy: ${parts.join('; ')}. Chance is ${pct(ref.accuracy)}.`;
  }
  const order = keys.map((k, m) => ({ k, m, loss: h.last(m, 'loss') })).sort((a, b) => (a.loss ?? Infinity) - (b.loss ?? Infinity));
  for (const { k, loss } of order) {
    if (loss === null) parts.push(`${MODEL_INFO[k].label} diverged (loss not finite)`);
    else parts.push(`${MODEL_INFO[k].label} ${num(loss)}${loss < ref.loss ? ` (${(ref.loss / loss).toFixed(1)}× below the baseline)` : ' (not below the baseline)'}`);
  }
  return `At step ${stepText(step)}, mean squared error: ${parts.join('; ')}. Always answering 1 scores ${num(ref.loss)}.`;
}

/**
 * The series task's headline: each model's MSE on held-out windows of the last 20% (`held`, per
 * model in `keys` order, measured a few times a second; undefined until measured) beside the two
 * baselines measured on the same tail, in normalised units.
 */
function summarizeSeries(keys: TrainModelKey[], step: number, held: (number | undefined)[], mean: number, last: number): string {
  const measured = keys.map((k, m) => ({ k, loss: held[m] })).filter((o): o is { k: TrainModelKey; loss: number } => o.loss !== undefined);
  const base = `predicting the mean scores ${num(mean)} and predicting the last value ${num(last)}`;
  if (measured.length === 0) return `At step ${stepText(step)}: on the held-out last 20%, ${base}; the models' held-out MSE is measured next.`;
  measured.sort((a, b) => (Number.isFinite(a.loss) ? a.loss : Infinity) - (Number.isFinite(b.loss) ? b.loss : Infinity));
  const parts = measured.map((o) => `${MODEL_INFO[o.k].label} ${Number.isFinite(o.loss) ? num(o.loss) : 'diverged'}`);
  const beat = measured.filter((o) => o.loss < Math.min(mean, last)).map((o) => MODEL_INFO[o.k].label);
  return `At step ${stepText(step)}, MSE on the held-out last 20% (normalised units): ${parts.join('; ')}; ${base}. ${beat.length ? `Below both: ${beat.join(', ')}.` : 'No model is below both yet.'}`;
}

// The labels of the playground's dropdowns.

export const TASKS: Record<TrainControls['task'], string> = {
  recall: 'Delayed recall',
  adding: 'Adding problem',
  text: 'Text: next character',
  series: 'Your numbers: next value',
};

export const TEXT_SOURCES: Record<TrainControls['textSource'], string> = {
  cards: 'The RNN Lens cards',
  editor: 'The editor (selection or file)',
};

export const OPTIMIZERS: Record<TrainControls['optimizer'], string> = { adam: 'Adam', sgd: 'SGD, momentum 0.9' };

export const INITS: Record<TrainControls['init'], string> = {
  xavier: 'Xavier',
  gaussian: 'Gaussian',
  orthogonal: 'Orthogonal',
  identity: 'Identity',
};
