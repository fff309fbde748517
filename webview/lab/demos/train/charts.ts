// The playground's figures: loss and accuracy curves, each model's spectrum of W_hh (singular
// values and eigenvalues), gradient flow, connectivity, text samples and the numbers table. They
// draw what the run measured; the run (view.ts) decides when.
import type { TrainControls, TrainModelKey } from '../../../../protocol';
import type { Metrics } from '../../../../engine/train';
import { LineChart, type SeriesSpec } from '../../../ui/render/chart';
import { drawEigenPlane } from '../../../ui/render/plots';
import { MODEL_INFO, type History } from './math';
import { el } from '../../../ui/dom';
import { COLOURS } from '../../../ui/render/theme';

/** One model of the run. */
export interface Run {
  key: TrainModelKey;
  last?: Metrics;
  /** The slower views of this model's current weights, refreshed one model per frame. */
  view?: { singular: number[]; re: Float64Array; im: Float64Array; gate: string; flow: number[]; conn?: number[] };
  text?: { sample: string; teacherForced: number; freeRunning: number };
  /** The series task: MSE on held-out windows of the series' last 20%. */
  held?: number;
  /** The step its views were measured at. */
  measuredAt?: number;
}

/** The loss and accuracy the curves are measured against (chance, or the adding problem's baseline). */
export interface Reference {
  loss: number;
  accuracy?: number;
  label: string;
  /** A second baseline (the series task's "predict the last value"), drawn dotted. */
  second?: { loss: number; label: string };
}

/** While training, the curves are redrawn at most this often (ms). */
const CURVES_MS = 100;

export class TrainCharts {
  private lastCurves = 0;
  /** The figures, in their panels. */
  readonly grid = el('div', { class: 'train-grid' });
  readonly table = el('table', { id: 'train-table', class: 'numbers-table' });
  private readonly lossHost = el('div', { id: 'train-loss', class: 'chart' });
  private readonly accHost = el('div', { id: 'train-accuracy', class: 'chart' });
  private readonly svHost = el('div', { id: 'train-singular', class: 'chart' });
  private readonly eigen = el('canvas', { id: 'train-eigen', class: 'plane', role: 'img', 'aria-label': 'Eigenvalues of W_hh on the complex plane' });
  private readonly flowHost = el('div', { id: 'train-flow', class: 'chart' });
  private readonly connHost = el('div', { id: 'train-connectivity', class: 'chart' });
  private readonly accBox = el('div', { class: 'train-panel' });
  private readonly connBox = el('div', { class: 'train-panel' });
  private readonly textBox = el('div', { class: 'train-panel', id: 'train-text-box' });
  private readonly samples = el('div', { id: 'train-samples', class: 'samples' });
  private readonly forcing = el('table', { id: 'train-forcing', class: 'numbers-table' });
  private readonly spectrumNote = el('p', { id: 'train-spectrum-note', class: 'note' });
  private readonly connNote = el('p', { id: 'train-connectivity-note', class: 'note' });
  private charts: { loss?: LineChart; acc?: LineChart; sv?: LineChart; flow?: LineChart; conn?: LineChart } = {};
  private eigenData: { key: TrainModelKey; re: ArrayLike<number>; im: ArrayLike<number> }[] = [];

  constructor() {
    const lossBox = el('div', { class: 'train-panel' });
    lossBox.append(el('h3', {}, 'Loss against step (log scale)'), this.lossHost);
    this.accBox.append(el('h3', {}, 'Accuracy against step'), this.accHost);
    const svBox = el('div', { class: 'train-panel' });
    svBox.append(el('h3', {}, 'Singular values of W_hh, largest first'), this.svHost);
    const eigBox = el('div', { class: 'train-panel' });
    eigBox.append(el('h3', {}, 'Eigenvalues of W_hh and the unit circle'), this.eigen, this.spectrumNote);
    const flowBox = el('div', { class: 'train-panel' });
    flowBox.append(el('h3', {}, 'Gradient flow ‖∂L/∂h_t‖ against steps back (log scale)'), this.flowHost);
    this.connBox.append(el('h3', {}, 'Connectivity |∂y/∂x_t| at the recall step (log scale)'), this.connHost, this.connNote);
    this.textBox.append(el('h3', {}, 'Samples'), this.samples, el('h3', {}, 'Next-character accuracy over the same windows'), this.forcing);
    this.grid.append(lossBox, this.accBox, svBox, eigBox, flowBox, this.connBox, this.textBox);
  }

  /** The panels the task has. */
  showPanels(task: TrainControls['task']): void {
    this.accBox.hidden = task === 'adding' || task === 'series';
    this.connBox.hidden = task !== 'recall';
    this.textBox.hidden = task !== 'text';
  }

  /** (Re)builds the charts for the models and the theme; the views already measured are drawn at once. */
  build(c: TrainControls, ref: Reference, runs: Run[]): void {
    for (const ch of Object.values(this.charts)) ch?.destroy();
    const series = (extra: SeriesSpec[]): SeriesSpec[] => [
      ...c.models.map((k) => ({ label: MODEL_INFO[k].label, colorVar: MODEL_INFO[k].colorVar, fallback: MODEL_INFO[k].fallback })),
      ...extra,
    ];
    const dashed = (label: string): SeriesSpec => ({ label, ...COLOURS.muted, dash: [6, 4], width: 1 });
    this.charts = {
      loss: new LineChart(this.lossHost, { xLabel: 'step', yLabel: 'loss', log: true, height: 220, series: series([dashed(ref.label), ...(ref.second ? [{ label: ref.second.label, ...COLOURS.muted, dash: [2, 3], width: 1 }] : [])]) }),
      acc: new LineChart(this.accHost, { xLabel: 'step', yLabel: 'accuracy', log: false, height: 220, series: series([dashed('chance')]) }),
      sv: new LineChart(this.svHost, { xLabel: 'index', yLabel: 'σ', log: false, height: 220, series: series([dashed('σ = 1')]) }),
      flow: new LineChart(this.flowHost, { xLabel: 'steps back', yLabel: '‖∂L/∂h_t‖', log: true, height: 220, series: series([]) }),
      conn: new LineChart(this.connHost, { xLabel: 't', yLabel: '|∂y/∂x_t|', log: true, height: 220, series: series([]) }),
    };
    if (runs.length) this.views(c, runs);
  }

  /** Loss and accuracy against step, each with its reference level. */
  /**
   * The loss and accuracy curves. While training (`live`) they are redrawn at most every CURVES_MS:
   * the curves move by a few steps a frame, and each redraw is work on the page's thread.
   */
  curves(models: number, history: History, ref: Reference, live = false): void {
    const now = performance.now();
    if (live && now - this.lastCurves < CURVES_MS) return;
    this.lastCurves = now;
    const pts = history.points;
    const xs = pts.map((p) => p.step);
    const per = (what: 'loss' | 'accuracy') => Array.from({ length: models }, (_, m) => pts.map((p) => p[what][m] ?? null));
    const second = ref.second;
    this.charts.loss?.setData(xs, [...per('loss'), xs.map(() => ref.loss), ...(second ? [xs.map(() => second.loss)] : [])]);
    if (ref.accuracy !== undefined) this.charts.acc?.setData(xs, [...per('accuracy'), xs.map(() => ref.accuracy ?? null)]);
  }

  /** Per model: loss at the first recorded step and now, accuracy now, the last step's gradient norm. */
  numbers(c: TrainControls, history: History, runs: Run[], accuracy: boolean): void {
    const first = history.points[0];
    const head = el('tr');
    for (const h of ['', 'loss at first', 'loss now', ...(accuracy ? ['accuracy now'] : []), '‖∇θ‖ last step']) head.append(el('th', {}, h));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    c.models.forEach((key, m) => {
      const tr = el('tr', { 'data-model': key });
      const now = history.last(m, 'loss');
      const acc = history.last(m, 'accuracy');
      const g = runs[m]?.last?.gradNorm;
      tr.append(
        el('th', { scope: 'row' }, MODEL_INFO[key].label),
        el('td', { class: 'loss-first' }, formatSmall(first?.loss[m] ?? NaN)),
        el('td', { class: 'loss-now' }, formatSmall(now ?? NaN)),
        ...(accuracy ? [el('td', { class: 'accuracy-now' }, acc === null ? '—' : `${(100 * acc).toFixed(1)}%`)] : []),
        el('td', { class: 'grad-norm' }, formatSmall(g ?? NaN)),
      );
      body.append(tr);
    });
    this.table.replaceChildren(thead, body);
  }

  /** Spectrum, gradient flow, connectivity and text views from each model's last refresh. */
  views(c: TrainControls, runs: Run[]): void {
    const pad = (rows: (number[] | undefined)[]) => {
      const n = Math.max(0, ...rows.map((r) => r?.length ?? 0));
      return { n, ys: rows.map((r) => Array.from({ length: n }, (_, i) => r?.[i] ?? null)) };
    };
    const idx = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
    const views = runs.map((r) => r.view);
    // The step every model's views are at least as recent as (tests wait for it).
    this.spectrumNote.dataset.step = String(Math.min(...runs.map((r) => r.measuredAt ?? 0)));
    const sv = pad(views.map((v) => v?.singular));
    this.charts.sv?.setData(idx(sv.n, 1), [...sv.ys, idx(sv.n).map(() => 1)]);
    const flow = pad(views.map((v) => v?.flow));
    this.charts.flow?.setData(idx(flow.n), flow.ys);
    this.eigenData = runs.flatMap((r) => (r.view ? [{ key: r.key, re: r.view.re, im: r.view.im }] : []));
    this.drawEigen();
    const rho = (v: NonNullable<Run['view']>) => v.re.reduce((m, re, i) => Math.max(m, Math.hypot(re, v.im[i])), 0);
    this.spectrumNote.textContent = runs.flatMap((r) => (r.view
      ? [`${MODEL_INFO[r.key].label}${r.view.gate === 'h' ? '' : ` (block ${r.view.gate})`}: σ_max ${r.view.singular[0]?.toFixed(2) ?? '—'}, spectral radius ${rho(r.view).toFixed(2)}`]
      : [])).join('; ') + '. Outside the circle a direction grows step after step; well inside it fades.';
    if (c.task === 'recall') {
      const conn = pad(views.map((v) => v?.conn));
      this.charts.conn?.setData(idx(conn.n), conn.ys);
      // The symbols sit at t = 0..length-1, the cue after the delay, the first answer one step later.
      const recallAt = c.length + c.delay + 1;
      this.connNote.textContent = `How much the answer at the recall step (t = ${recallAt}) depends on each input; x_0 holds the first symbol: ` +
        runs.map((r) => `${MODEL_INFO[r.key].label} ${formatSmall(r.view?.conn?.[0] ?? NaN)}`).join('; ') + '.';
    }
    if (c.task === 'text') this.drawText(runs);
  }

  /** A fresh run: no eigenvalues until its models are measured. */
  clear(): void {
    this.eigenData = [];
  }

  /** The panel's width changed: the charts follow (layout is read here, not every frame). */
  resize(): void {
    for (const ch of Object.values(this.charts)) ch?.resize();
    this.drawEigen();
  }

  /** The canvases tests check are drawn. */
  get canvases(): HTMLCanvasElement[] {
    return [...Object.values(this.charts).map((ch) => ch?.canvas), this.eigen].filter((c): c is HTMLCanvasElement => !!c);
  }

  private drawText(runs: Run[]): void {
    const rows: HTMLElement[] = [];
    const head = el('tr');
    for (const h of ['', 'teacher-forced', 'free-running']) head.append(el('th', {}, h));
    const body = el('tbody');
    for (const run of runs) {
      if (!run.text) continue;
      const block = el('div', { class: 'sample', 'data-model': run.key });
      block.append(el('strong', {}, `${MODEL_INFO[run.key].label}: `), el('code', {}, run.text.sample));
      rows.push(block);
      const tr = el('tr', { 'data-model': run.key });
      tr.append(el('th', { scope: 'row' }, MODEL_INFO[run.key].label),
        el('td', {}, `${(100 * run.text.teacherForced).toFixed(1)}%`), el('td', {}, `${(100 * run.text.freeRunning).toFixed(1)}%`));
      body.append(tr);
    }
    this.samples.replaceChildren(...rows);
    const thead = el('thead');
    thead.append(head);
    this.forcing.replaceChildren(thead, body);
  }

  private drawEigen(): void {
    drawEigenPlane(this.eigen, this.eigenData.map((d) => ({ series: MODEL_INFO[d.key], re: d.re, im: d.im })));
  }
}

function formatSmall(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(2) : v.toPrecision(3);
}
