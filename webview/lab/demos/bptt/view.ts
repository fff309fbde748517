// "Backpropagation Through Time": ‖dL/dh_t‖ against t on a log axis for a vanilla RNN (tanh),
// the same RNN with relu (IRNN with identity init), an LSTM and a GRU, all on the same input
// and initialisation. Overlays: the vanilla RNN's bound (γ·‖W_hh‖)^(T−t) and the LSTM's product
// of forget gates along the cell-state path. The side table holds the numbers that matter.
import type { BpttControls, LabViewState } from '../../../../protocol';
import { LAB_LIMITS } from '../../../../protocol';
import { clipGlobalNorm, initParams, spectralNorm } from '../../../../engine/init';
import type { Activation, Cell, Out } from '../../../../engine/types';
import { LineChart } from '../../../ui/render/chart';
import { choiceDropdown, textField, type ValueElement } from '../../../ui/render/toolkit';
import { boundCurve, fitDecayRate, forgetProduct, forLogAxis, recurrentBlock, sig } from '../../../../engine/summaries/bptt';
import { gaussianSource } from '../../../../engine/init';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { seedInput } from '../../common/seed';
import { demoSpec, type Demo, type LabEngine } from '../../demo';
import { COLOURS } from '../../../ui/render/theme';

interface Model {
  key: string;
  label: string;
  cell: Cell;
  activation?: Activation;
}

const MODELS: Model[] = [
  { key: 'rnn-tanh', label: 'RNN (tanh)', cell: 'rnn', activation: 'tanh' },
  { key: 'rnn-relu', label: 'RNN (relu, IRNN)', cell: 'rnn', activation: 'relu' },
  { key: 'lstm', label: 'LSTM', cell: 'lstm' },
  { key: 'gru', label: 'GRU', cell: 'gru' },
];

const INITS: Record<BpttControls['init'], string> = {
  gaussian: 'Gaussian',
  orthogonal: 'Orthogonal',
  identity: 'Identity (IRNN)',
};

const LOSSES: Record<BpttControls['loss'], string> = {
  last: 'At the last step only',
  every: 'At every step',
};

interface ModelResult {
  gradNorm: Out;
  paramNorm: number;
  clippedNorm: number;
  fit: ReturnType<typeof fitDecayRate>;
  f?: Out;
}

export class BpttDemo implements Demo {
  readonly root = el('section', { id: 'bptt-demo', class: 'demo', 'aria-label': 'Backpropagation through time' });
  readonly id = 'bptt' as const;
  private c: BpttControls;
  private readonly chartHost = el('div', { id: 'bptt-chart', class: 'chart' });
  private chart: LineChart;
  private readonly table = el('table', { id: 'bptt-numbers', class: 'numbers-table' });
  private readonly sigmaText = el('p', { id: 'sigma-max', class: 'headline' });
  private readonly explain = el('p', { class: 'note', id: 'bptt-explain' });
  private readonly init: ValueElement;
  private readonly loss: ValueElement;
  private readonly seed: ValueElement;
  private readonly clip: ValueElement;
  private readonly sRadius: Slider;
  private readonly sTrunc: Slider;
  private readonly sBias: Slider;
  private readonly sT: Slider;
  private readonly sH: Slider;
  private results = new Map<string, ModelResult>();
  private sigma = 0;
  private T = 0;

  constructor(initial: BpttControls, private readonly onChange: (c: BpttControls) => void) {
    this.c = { ...initial };
    const set = (patch: Partial<BpttControls>) => {
      this.c = { ...this.c, ...patch };
      this.onChange(this.c);
    };
    this.sRadius = slider('spectral-radius', 'Spectral radius of W_hh', {
      min: 0, max: 2, step: 0.05, value: this.c.spectralRadius, format: (v) => v.toFixed(2), onInput: (v) => set({ spectralRadius: v }),
    });
    this.init = choiceDropdown('init', 'Initialisation of W_hh', INITS, this.c.init, (init) => set({ init }));
    this.sTrunc = slider('truncate', 'Truncation window k', {
      min: 0, max: this.c.T, step: 1, value: this.c.truncate, format: (v) => (v === 0 ? 'full BPTT' : `k = ${v}`), onInput: (v) => set({ truncate: v }),
    });
    this.clip = textField('clip', 'Clipping threshold (0 = off)', String(this.c.clip), (v) => {
      const n = Number(v);
      if (Number.isFinite(n) && n >= 0 && n <= 1e6) set({ clip: n });
    }, { type: 'number', size: 8 });
    this.sBias = slider('forget-bias', 'LSTM forget-gate bias', { min: -3, max: 5, step: 0.1, value: this.c.forgetBias, format: (v) => v.toFixed(1), onInput: (v) => set({ forgetBias: v }) });
    this.loss = choiceDropdown('loss', 'Loss', LOSSES, this.c.loss, (loss) => set({ loss }));
    this.sT = slider('T', 'Steps T', { min: 2, max: LAB_LIMITS.T, step: 1, value: this.c.T, onInput: (v) => set({ T: v, truncate: Math.min(this.c.truncate, v) }) });
    this.sH = slider('H', 'Hidden size H', { min: 1, max: LAB_LIMITS.H, step: 1, value: this.c.H, onInput: (v) => set({ H: v }) });
    this.seed = seedInput('seed', this.c.seed, (seed) => set({ seed }));

    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Recurrent weights', this.sRadius.row, labelled('init', 'Init', this.init), this.sBias.row),
      group('Training', labelled('loss', 'Loss', this.loss), this.sTrunc.row, labelled('clip', 'Clip ‖∇‖ at', this.clip)),
      group('Sizes', this.sT.row, this.sH.row, labelled('seed', 'Seed', this.seed)),
    );
    const side = el('div', { class: 'bptt-side' });
    side.append(this.sigmaText, this.table, this.explain);
    const body = el('div', { class: 'bptt-body' });
    body.append(this.chartHost, side);
    this.root.append(controls, el('h3', {}, '‖dL/dh_t‖ against t (log scale): how much of the loss reaches step t'), body);
    this.chart = this.makeChart();
  }

  private makeChart(): LineChart {
    return new LineChart(this.chartHost, {
      xLabel: 't', yLabel: '‖dL/dh_t‖', log: true,
      series: [
        { label: 'RNN (tanh)', ...COLOURS.red },
        { label: 'RNN (relu)', ...COLOURS.orange },
        { label: 'LSTM', ...COLOURS.blue },
        { label: 'GRU', ...COLOURS.green },
        { label: 'bound (γ‖W_hh‖)^(T−t)', ...COLOURS.red, dash: [6, 4], width: 1 },
        { label: 'LSTM ∏ f (mean)', ...COLOURS.blue, dash: [2, 3], width: 1.5 },
      ],
    });
  }

  get controls(): BpttControls {
    return this.c;
  }

  show(state: LabViewState): void {
    this.setControls(state.bptt);
  }

  hide(): void {}

  render(engine: LabEngine, recompute: boolean): void {
    if (recompute) this.compute(engine);
    this.draw();
  }

  themeChanged(): void {
    this.rebuildChart();
  }

  dispose(): void {}

  setControls(c: BpttControls): void {
    this.c = { ...c };
    this.init.value = c.init;
    this.loss.value = c.loss;
    if (this.clip.value !== String(c.clip)) this.clip.value = String(c.clip);
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
    this.sRadius.set(c.spectralRadius);
    this.sTrunc.set(c.truncate, c.T);
    this.sBias.set(c.forgetBias);
    this.sT.set(c.T);
    this.sH.set(c.H);
  }

  compute(engine: LabEngine): void {
    const { T, D, H, seed } = this.c;
    const shape = { T, B: 1, D, H };
    // The same input for every model: seeded Gaussian noise.
    const g = gaussianSource(seed ^ 0x27d4eb2f);
    const x = new Float32Array(T * D);
    for (let i = 0; i < x.length; i++) x[i] = g();
    // L = Σ_t∈loss steps  u·h_t with u = 1/√H: the loss's own gradient at a step has norm 1.
    const dh = new Float32Array(T * H);
    const u = 1 / Math.sqrt(H);
    for (let t = this.c.loss === 'last' ? T - 1 : 0; t < T; t++) dh.fill(u, t * H, (t + 1) * H);
    const truncate = this.c.truncate > 0 ? this.c.truncate : undefined;
    this.results = new Map();
    for (const m of MODELS) {
      const params = initParams(m.cell, D, H, {
        scheme: this.c.init, spectralRadius: this.c.spectralRadius, forgetBias: this.c.forgetBias, seed,
      });
      const fwd = engine.forward(m.cell, shape, params, x, m.activation ? { activation: m.activation } : {});
      const bwd = engine.backward(m.cell, shape, params, x, fwd, dh, { truncate });
      if (m.key === 'rnn-tanh') this.sigma = spectralNorm(recurrentBlock(params.W, D, H), H, H);
      const paramNorm = clipGlobalNorm([bwd.dW, bwd.db], this.c.clip > 0 ? this.c.clip : Infinity);
      const clippedNorm = this.c.clip > 0 ? Math.min(paramNorm, this.c.clip) : paramNorm;
      // Fit over the last chunk when truncated: earlier chunks get no gradient from a last-step loss.
      const k = truncate ?? T;
      const from = this.c.loss === 'last' ? T - Math.min(k, T) : 0;
      this.results.set(m.key, { gradNorm: bwd.gradNorm, paramNorm, clippedNorm, fit: fitDecayRate(bwd.gradNorm, from, T - 1), f: fwd.gates.f });
    }
    this.T = T;
  }

  draw(): void {
    const T = this.T;
    if (T === 0) return;
    const H = this.c.H;
    const xs = Array.from({ length: T }, (_, t) => t);
    const rnn = this.results.get('rnn-tanh')!;
    const lstm = this.results.get('lstm')!;
    const anchorR = rnn.gradNorm[T - 1];
    const anchorL = lstm.gradNorm[T - 1];
    const bound = boundCurve(this.sigma, 1, T, anchorR);
    const prodF = lstm.f ? forgetProduct(lstm.f, T, H, anchorL) : new Array<number>(T).fill(NaN);
    this.chart.setData(xs, [
      ...MODELS.map((m) => forLogAxis(this.results.get(m.key)!.gradNorm)),
      forLogAxis(bound),
      forLogAxis(prodF),
    ]);
    this.chart.resize();

    this.sigmaText.textContent = `Largest singular value of W_hh (tanh RNN): σ_max = ${sig(this.sigma)}; the bound decays by γ·σ_max = ${sig(this.sigma)} per step back (γ = 1 for tanh and relu).`;
    const head = el('tr');
    for (const h of ['', 'decay per step (fit)', '‖dL/dh_0‖', '‖∇θ‖', this.c.clip > 0 ? `clipped to ${sig(this.c.clip)}` : 'clipping']) head.append(el('th', {}, h));
    const rows = [el('thead'), el('tbody')];
    rows[0].append(head);
    for (const m of MODELS) {
      const r = this.results.get(m.key)!;
      const tr = el('tr', { 'data-model': m.key });
      tr.append(
        el('th', { scope: 'row' }, m.label),
        el('td', {}, r.fit ? `×${sig(r.fit.rate)}` : '—'),
        el('td', {}, sig(r.gradNorm[0])),
        el('td', {}, sig(r.paramNorm)),
        el('td', {}, this.c.clip > 0 ? (r.paramNorm > this.c.clip ? `×${sig(this.c.clip / r.paramNorm)}` : 'not clipped') : 'off'),
      );
      rows[1].append(tr);
    }
    const boundRow = el('tr', { 'data-model': 'bound' });
    boundRow.append(el('th', { scope: 'row' }, 'bound γ·σ_max'), el('td', {}, `×${sig(this.sigma)}`), el('td', {}, sig(bound[0])), el('td', {}, ''), el('td', {}, ''));
    rows[1].append(boundRow);
    this.table.replaceChildren(...rows);
    const k = this.c.truncate;
    this.explain.textContent =
      `A factor below 1 means the gradient shrinks going back in time (vanishing), above 1 that it grows (exploding). ` +
      (k > 0 && k < T ? `With truncation k = ${k}, no gradient crosses a chunk boundary, so the curve stops there (a gap on the log axis). ` : '') +
      `Clipping rescales the parameter gradient ‖∇θ‖ after backpropagation; it cannot bring back a gradient that vanished.`;
  }

  rebuildChart(): void {
    this.chart.destroy();
    this.chart = this.makeChart();
    this.draw();
  }

  get canvases(): HTMLCanvasElement[] {
    const c = this.chart.canvas;
    return c ? [c] : [];
  }
}

export const bpttDemo = demoSpec('bptt', (ctx, state) => new BpttDemo(state.bptt, (c) => {
  ctx.update((s) => ({ ...s, bptt: c }));
  ctx.dropModelIfChanged(c.D, c.H);
  ctx.schedule(true);
}));
