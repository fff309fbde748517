// "Inspect Recurrent Layers": a checkpoint's recurrent layer (one direction at a time), beside a
// fresh PyTorch-style initialisation of the same shape. Everything is computed here, live, with
// the kernels: each gate block's W_hh spectrum (singular values; eigenvalues on the complex plane
// with the unit circle), the forget/update-gate biases and the memory they imply, gate
// activations and states on an input (generated, or a .npy the host read), BPTT gradient flow
// ‖∂L/∂h_t‖ and connectivity |∂h_T/∂x_t| for L = Σ_j h_T[j].
import { LAB_DEFAULTS, LAB_LIMITS, type InspectControls, type LabHostMessage, type LabViewState } from '../../../../protocol';
import { decodeFloat32 } from '../../../../engine/floats';
import type { RecurrentLayer } from '../../../../engine/checkpoint';
import type { ForwardResult } from '../../../../engine/types';
import { LineChart } from '../../../ui/render/chart';
import { symmetricLimit, type ColorScale } from '../../../ui/render/colormap';
import { Heatmap } from '../../../ui/render/heatmap';
import { drawEigenPlane, drawHistogram, drawSingularValues, type PlotSeries } from '../../../ui/render/plots';
import { button, choiceDropdown, dropdown, setDropdownOptions, type ValueElement } from '../../../ui/render/toolkit';
import { forLogAxis, sig } from '../../../../engine/summaries/bptt';
import { makeInput } from '../../common/inputs';
import { decodeLayer, type ViewLayer } from '../../common/layerData';
import {
  GATES, SPECTRUM_MAX_H, freshLayer, histogram, layerLabel, memoryBias,
  parameterCount, type GateSpectrum, type GateSummary,
} from '../../../../engine/summaries/inspect';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { seedInput } from '../../common/seed';
import { demoSpec, type Demo, type LabEngine } from '../../demo';
import { COLOURS } from '../../../ui/render/theme';
import { CompareSection } from './compare';
import { WeightHistograms } from './histograms';
import { SpectraJob } from './spectraJob';
import { forwardOnlyReason, runLayer, type Run } from './runs';

type Checkpoint = Extract<LabHostMessage, { type: 'checkpoint' }>;
type NpyInput = Extract<LabHostMessage, { type: 'npyInput' }>;

const TRAINED: PlotSeries = { label: 'checkpoint', ...COLOURS.blue };
const FRESH: PlotSeries = { label: 'fresh init', ...COLOURS.orange, hollow: true };
const FRESH_SEED = 12345;

const INPUTS: Record<InspectControls['input'], string> = {
  noise: 'Gaussian noise',
  sine: 'Sine waves',
  square: 'Square waves',
  npy: 'A .npy file (T, D)…',
};

const ACTIVATIONS: Record<InspectControls['activation'], string> = { tanh: 'tanh', relu: 'relu' };

interface Analysis {
  layer: ViewLayer & { params: RecurrentLayer['params'] };
  fresh: ViewLayer & { params: RecurrentLayer['params'] };
  spectra?: { trained: GateSpectrum[]; fresh: GateSpectrum[] };
  /** Absent while the spectra job computes them (spectraJob.ts). */
  summaries?: { trained: GateSummary[]; fresh: GateSummary[] };
}

export class InspectDemo implements Demo {
  readonly root = el('section', { id: 'inspect-demo', class: 'demo', 'aria-label': 'Inspect recurrent layers' });
  readonly id = 'inspect' as const;
  private c: InspectControls;
  checkpoint: { file: string; name: string; layers: ViewLayer[]; warnings: string[] } | undefined;
  private npy: { name: string; T: number; D: number; x: Float32Array; note?: string } | undefined;
  private analysis: Analysis | undefined;
  private runs: { trained: Run; fresh: Run; T: number; description: string } | undefined;
  private readonly layerPick: ValueElement;
  private readonly activation: ValueElement;
  private readonly activationRow: HTMLElement;
  private readonly input: ValueElement;
  private readonly seed: ValueElement;
  private readonly sT: Slider;
  private readonly fileText = el('p', { id: 'inspect-file', class: 'headline' }, 'Reading the checkpoint…');
  private readonly layerText = el('p', { id: 'inspect-layer', class: 'note' });
  private readonly warnings = el('ul', { id: 'inspect-warnings', class: 'note warning' });
  private readonly inputText = el('p', { id: 'inspect-input', class: 'note', 'aria-live': 'polite' });
  private readonly gateTable = el('table', { id: 'inspect-gates', class: 'numbers-table' });
  private readonly spectraHost = el('div', { id: 'inspect-spectra', class: 'spectra' });
  private readonly spectraNote = el('p', { class: 'note' });
  private readonly biasCanvas = el('canvas', { id: 'inspect-bias', class: 'plot wide', role: 'img' });
  private readonly biasText = el('p', { id: 'inspect-memory', class: 'headline' });
  private readonly biasFresh = el('p', { class: 'note' });
  private readonly biasSection = el('section', { id: 'inspect-bias-section', 'aria-label': 'Gate biases and memory' });
  private readonly heatHost = el('div', { id: 'inspect-heatmaps', class: 'inspect-heatmaps' });
  private readonly chartHost = el('div', { id: 'inspect-chart', class: 'chart' });
  private readonly gradText = el('p', { id: 'inspect-gradient', class: 'note' });
  private chart: LineChart;
  private heatmaps: { key: string; which: 'trained' | 'fresh'; map: Heatmap }[] = [];
  private spectrumCanvases: { q: number; kind: 'sv' | 'eig'; canvas: HTMLCanvasElement }[] = [];
  private readonly weightHists = new WeightHistograms(TRAINED, FRESH);
  private readonly compare: CompareSection;
  /** The spectra of each new layer, computed beside the page; their arrival redraws. */
  private readonly spectraJob = new SpectraJob((r) => {
    const a = this.analysis;
    if (!a) return;
    a.spectra = r.spectra;
    a.summaries = r.summaries;
    this.recompute();
  });

  constructor(
    initial: InspectControls,
    private readonly onChange: (c: InspectControls, recompute: boolean) => void,
    private readonly requestNpy: (D: number) => void,
    /** A checkpoint arrived: recompute and redraw. */
    private readonly recompute: () => void,
    requestCompare: () => void,
  ) {
    this.c = { ...initial };
    this.compare = new CompareSection(requestCompare);
    const set = (patch: Partial<InspectControls>) => {
      this.c = { ...this.c, ...patch };
      this.onChange(this.c, true);
    };
    this.layerPick = dropdown('inspect-layer-pick', 'Layer and direction', [], '0', (v) => {
      this.npy = undefined;
      set({ layer: Number(v), input: this.c.input === 'npy' ? 'noise' : this.c.input });
      this.input.value = this.c.input;
    });
    this.activation = choiceDropdown('inspect-activation', 'Nonlinearity of this RNN', ACTIVATIONS, this.c.activation, (activation) => set({ activation }));
    this.activationRow = labelled('inspect-activation', 'RNN nonlinearity', this.activation);
    this.input = choiceDropdown('inspect-input-pick', 'Input', INPUTS, this.c.input, (input) => {
      if (input === 'npy') {
        if (!this.npy) {
          this.askNpy();
          return;
        }
      }
      set({ input });
    });
    const choose = button('inspect-npy', 'Choose .npy…', { appearance: 'secondary', ariaLabel: 'Choose .npy…: an input of shape (T, D) from the workspace', onClick: () => this.askNpy() });
    this.sT = slider('inspect-T', 'Steps T', { min: 2, max: LAB_LIMITS.T, step: 1, value: this.c.T, onInput: (v) => set({ T: v }) });
    this.seed = seedInput('inspect-seed', this.c.seed, (seed) => set({ seed }));

    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Layer', labelled('inspect-layer-pick', 'Layer', this.layerPick), this.activationRow, this.layerText),
      group('Input', labelled('inspect-input-pick', 'Input', this.input), choose, this.sT.row, labelled('inspect-seed', 'Seed', this.seed), this.inputText),
    );
    const legend = el('p', { class: 'note legend' });
    legend.append(
      el('span', { class: 'swatch trained' }), document.createTextNode(' the checkpoint   '),
      el('span', { class: 'swatch fresh' }), document.createTextNode(` a fresh initialisation of the same shape (PyTorch's default: uniform ±1/√H)`),
    );
    this.biasSection.append(el('h3', {}, 'Gate biases and memory'), this.biasCanvas, this.biasText, this.biasFresh);
    this.root.append(
      this.fileText, this.warnings, controls, legend,
      el('h3', {}, 'W_hh of each gate block: singular values (left), eigenvalues and the unit circle (right)'),
      this.gateTable, this.spectraJob.row, this.spectraNote, this.spectraHost,
      el('h3', {}, 'W_hh weights of each gate block against a fresh initialisation'), this.weightHists.root,
      this.biasSection,
      el('h3', {}, 'Gates and states on the input (time across, units down)'), this.heatHost,
      el('h3', {}, 'BPTT from L = Σ h_T: ‖∂L/∂h_t‖ and connectivity |∂h_T/∂x_t| against t (log scale)'), this.chartHost, this.gradText,
      this.compare.root,
    );
    this.chart = this.makeChart();
  }

  private makeChart(): LineChart {
    return new LineChart(this.chartHost, {
      xLabel: 't', yLabel: 'norm', log: true, height: 220,
      series: [
        { label: '‖∂L/∂h_t‖ checkpoint', colorVar: TRAINED.colorVar, fallback: TRAINED.fallback },
        { label: '‖∂L/∂h_t‖ fresh', colorVar: FRESH.colorVar, fallback: FRESH.fallback },
        { label: '|∂h_T/∂x_t| checkpoint', colorVar: TRAINED.colorVar, fallback: TRAINED.fallback, dash: [5, 4], width: 1.5 },
        { label: '|∂h_T/∂x_t| fresh', colorVar: FRESH.colorVar, fallback: FRESH.fallback, dash: [5, 4], width: 1.5 },
      ],
    });
  }

  get controls(): InspectControls {
    return this.c;
  }

  show(state: LabViewState): void {
    this.setControls(state.inspect ?? LAB_DEFAULTS.inspect);
  }

  hide(): void {}

  render(engine: LabEngine, recompute: boolean): void {
    if (recompute) this.compute(engine);
    this.draw(recompute);
  }

  handle(msg: LabHostMessage): void {
    switch (msg.type) {
      case 'checkpoint':
        this.setCheckpoint(msg);
        this.recompute();
        break;
      case 'npyInput':
        this.setNpy(msg);
        break;
      case 'npyError':
        this.npyError(msg.text);
        break;
      case 'checkpointError':
        this.checkpointError(msg.text);
        break;
      case 'checkpointDiff':
        this.compare.set(msg);
        break;
      case 'checkpointDiffError':
        this.compare.error(msg.text);
        break;
    }
  }

  themeChanged(): void {
    this.rebuildChart();
  }

  dispose(): void {
    this.spectraJob.dispose();
  }

  setControls(c: InspectControls): void {
    if (c.file !== this.c.file) this.npy = undefined;
    this.c = { ...c, input: c.input === 'npy' && !this.npy ? 'noise' : c.input };
    this.activation.value = c.activation;
    this.input.value = this.c.input;
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
    this.sT.set(c.T);
    this.refreshLayerPicker();
  }

  setCheckpoint(msg: Checkpoint): void {
    if (msg.file !== this.checkpoint?.file) this.compare.clear();
    this.checkpoint = { file: msg.file, name: msg.name, layers: msg.layers.map(decodeLayer), warnings: msg.warnings };
    this.analysis = undefined;
    this.fileText.classList.remove('error');
    this.fileText.textContent = `${msg.name}: ${msg.layers.length} recurrent layer${msg.layers.length === 1 ? '' : 's'} (each direction counted)`;
    this.warnings.replaceChildren(...msg.warnings.map((w) => el('li', {}, w)));
    this.warnings.hidden = msg.warnings.length === 0;
    if (this.c.layer >= msg.layers.length) this.c = { ...this.c, layer: 0 };
    this.refreshLayerPicker();
  }

  setNpy(msg: NpyInput): void {
    const x = decodeFloat32(msg.data, msg.T * msg.D);
    const layer = this.current();
    if (!x || !layer || layer.D !== msg.D) {
      this.npyError(`${msg.name} does not fit this layer`);
      return;
    }
    this.npy = { name: msg.name, T: msg.T, D: msg.D, x, note: msg.note };
    this.c = { ...this.c, input: 'npy' };
    this.input.value = 'npy';
    this.onChange(this.c, true);
  }

  /** The file could not be read (gone, changed, hostile): say so where "Reading the checkpoint…" stood. */
  checkpointError(text: string): void {
    this.fileText.textContent = text;
    this.fileText.classList.add('error');
  }

  npyError(text: string): void {
    this.input.value = this.c.input;
    this.inputText.textContent = text;
    this.inputText.classList.add('warning');
  }

  private askNpy(): void {
    const layer = this.current();
    this.input.value = this.c.input;
    if (layer) this.requestNpy(layer.D);
  }

  private refreshLayerPicker(): void {
    const layers = this.checkpoint?.layers ?? [];
    setDropdownOptions(this.layerPick, layers.map((l, i) => ({
      value: String(i),
      label: `${layerLabel(l)} · D ${l.D}, H ${l.H}${l.params ? '' : ' (not computed)'}`,
    })), String(this.c.layer));
  }

  current(): ViewLayer | undefined {
    return this.checkpoint?.layers[this.c.layer];
  }

  /** The index of the layer shown among the checkpoint's layers. */
  get layerIndex(): number {
    return this.c.layer;
  }

  /** Spectra when the layer changes; forward and backward on every change. */
  compute(engine: LabEngine): void {
    const layer = this.current();
    this.activationRow.hidden = layer?.cell !== 'rnn';
    if (!layer) {
      this.runs = undefined;
      return;
    }
    if (!layer.params) {
      this.analysis = undefined;
      this.runs = undefined;
      this.layerText.textContent = `${layerLabel(layer)} is not computed here: ${layer.omitted ?? ''}`;
      return;
    }
    const withParams = layer as Analysis['layer'];
    if (this.analysis?.layer !== withParams) {
      const fresh = freshLayer(withParams, FRESH_SEED);
      // The spectra (O(H³) per gate block) are computed beside the page, with progress; the rest now.
      const analysis: Analysis = { layer: withParams, fresh };
      this.analysis = analysis;
      this.spectraJob.start(withParams, fresh);
      this.buildLayerViews(withParams);
      this.weightHists.set(withParams, fresh);
    }
    const { D, H } = withParams;
    let x: Float32Array;
    let T: number;
    let description: string;
    if (this.c.input === 'npy' && this.npy && this.npy.D === D) {
      ({ x, T } = this.npy);
      description = `${this.npy.name}: ${T} steps of ${D} values${this.npy.note ? ` (${this.npy.note})` : ''}.`;
    } else {
      const preset = this.c.input === 'npy' ? 'noise' : this.c.input;
      const made = makeInput(preset, D, this.c.T, this.c.seed);
      ({ x, T } = made);
      description = made.description;
    }
    if (withParams.reverse) {
      // A reverse direction reads the sequence last step first.
      const flipped = new Float32Array(x.length);
      for (let t = 0; t < T; t++) flipped.set(x.subarray((T - 1 - t) * D, (T - t) * D), t * D);
      x = flipped;
      description += ' This is a reverse direction: it reads the input last step first, so step 0 here is the input\'s last.';
    }
    const shape = { T, B: 1, D, H };
    const opts = {
      ...withParams.options,
      ...(withParams.cell === 'rnn' ? { activation: this.c.activation } : {}),
      ...(withParams.resetAfter ? { resetAfter: true } : {}),
    };
    const run = (params: RecurrentLayer['params']): Run => runLayer(engine, withParams.cell, shape, params, x, opts);
    this.runs = { trained: run(withParams.params), fresh: run(this.analysis.fresh.params), T, description };
  }

  /** The per-layer parts: text, gate table, spectrum canvases, bias histogram, heatmap figures. */
  private buildLayerViews(l: Analysis['layer']): void {
    const G = GATES[l.cell];
    this.layerText.textContent = `${layerLabel(l)}: input size D = ${l.D}, hidden size H = ${l.H}, ` +
      `${parameterCount(l).toLocaleString('en')} parameters (weight_ih, weight_hh, bias_ih, bias_hh${l.params.Wr ? ', weight_hr' : ''})` +
      `${l.cell === 'gru' ? "; PyTorch's GRU applies the reset gate after the recurrent product (reset-after)" : ''}.`;
    this.spectrumCanvases = [];
    this.spectraHost.replaceChildren();
    if (l.H <= SPECTRUM_MAX_H) {
      this.spectraNote.textContent = 'Inside the unit circle a linear recurrence decays, outside it grows; a singular value above 1 stretches some direction in one step.';
      G.forEach((g, q) => {
        const fig = el('figure', { class: 'spectrum', 'data-gate': g.key });
        const sv = el('canvas', { class: 'plot', role: 'img', 'aria-label': `Singular values of W_hh for the ${g.name}` });
        const eig = el('canvas', { class: 'plot square', role: 'img', 'aria-label': `Eigenvalues of W_hh for the ${g.name} on the complex plane, with the unit circle` });
        fig.append(el('figcaption', {}, `${g.key} — ${g.name}`), sv, eig);
        this.spectraHost.append(fig);
        this.spectrumCanvases.push({ q, kind: 'sv', canvas: sv }, { q, kind: 'eig', canvas: eig });
      });
    } else {
      this.spectraNote.textContent = `H = ${l.H}: the full spectra (O(H³) per gate) are drawn up to H = ${SPECTRUM_MAX_H}; the table gives σ_max.`;
    }
    this.biasSection.hidden = l.cell === 'rnn';
    this.biasCanvas.setAttribute('aria-label', `Histogram of the ${l.cell === 'lstm' ? 'forget' : 'update'}-gate biases, checkpoint and fresh initialisation`);

    this.heatmaps = [];
    const keys = [...G.map((g) => g.key).filter((k) => l.cell !== 'rnn' || k !== 'h'), ...(l.cell === 'lstm' ? ['c'] : []), 'h'];
    const grid = el('div', { class: 'heatmaps two' });
    for (const key of keys) {
      for (const which of ['trained', 'fresh'] as const) {
        const fig = el('figure', { class: 'heatmap', 'data-key': key, 'data-which': which });
        const name = G.find((g) => g.key === key)?.name ?? (key === 'c' ? 'cell state' : 'hidden state');
        const title = `${key} — ${name} (${which === 'trained' ? 'checkpoint' : 'fresh init'})`;
        const cap = el('figcaption', {});
        cap.append(el('span', { class: 'title' }, title));
        const canvas = el('canvas', { role: 'img', 'aria-label': `${title}: time across, units down` });
        fig.append(cap, canvas);
        grid.append(fig);
        this.heatmaps.push({ key, which, map: new Heatmap(canvas) });
      }
    }
    this.heatHost.replaceChildren(grid);
  }

  draw(recomputed: boolean): void {
    const a = this.analysis;
    const r = this.runs;
    if (!a || !r) return;
    if (recomputed) this.fillTables(a, r);
    if (a.spectra) {
      for (const { q, kind, canvas } of this.spectrumCanvases) {
        const tr = a.spectra.trained[q];
        const fr = a.spectra.fresh[q];
        if (kind === 'sv') drawSingularValues(canvas, [{ series: TRAINED, values: tr.singular }, { series: FRESH, values: fr.singular }]);
        else drawEigenPlane(canvas, [{ series: TRAINED, re: tr.re, im: tr.im }, { series: FRESH, re: fr.re, im: fr.im }]);
      }
    }
    const mb = memoryBias(a.layer);
    const mf = memoryBias(a.fresh);
    if (mb && mf) {
      const all = Float64Array.from([...mb.biases, ...mf.biases, 0]);
      const range = histogram(all, 1);
      const bins = Math.max(8, Math.min(40, Math.round(Math.sqrt(a.layer.H) * 2)));
      const bin = (v: ArrayLike<number>) => {
        const counts = new Array<number>(bins).fill(0);
        const span = range.max - range.min || 1;
        for (let i = 0; i < v.length; i++) counts[Math.min(bins - 1, Math.floor(((v[i] - range.min) / span) * bins))]++;
        return counts;
      };
      drawHistogram(this.biasCanvas, range.min, range.max, [{ series: TRAINED, counts: bin(mb.biases) }, { series: FRESH, counts: bin(mf.biases) }], 0);
    }
    for (const h of this.heatmaps) h.map.draw();
    this.weightHists.draw();
    this.compare.draw();
    this.chart.resize();
  }

  private fillTables(a: Analysis, r: NonNullable<InspectDemo['runs']>): void {
    const head = el('tr');
    for (const h of ['gate block', 'σ_max checkpoint', 'σ_max fresh', 'spectral radius checkpoint', 'spectral radius fresh']) head.append(el('th', {}, h));
    const body = el('tbody');
    const pending = GATES[a.layer.cell].map((g) => ({ ...g, sigmaMax: null, radius: null }));
    const cell = (v: number | null) => (!a.summaries ? '…' : v === null ? '—' : sig(v));
    (a.summaries?.trained ?? pending).forEach((g, q) => {
      const f = a.summaries?.fresh[q] ?? pending[q];
      const tr = el('tr', { 'data-gate': g.key });
      tr.append(
        el('th', { scope: 'row' }, `${g.key} — ${g.name}`),
        el('td', {}, cell(g.sigmaMax)), el('td', {}, cell(f.sigmaMax)), el('td', {}, cell(g.radius)), el('td', {}, cell(f.radius)),
      );
      body.append(tr);
    });
    const thead = el('thead');
    thead.append(head);
    this.gateTable.replaceChildren(thead, body);

    const mb = memoryBias(a.layer);
    const mf = memoryBias(a.fresh);
    this.biasText.textContent = mb ? `Checkpoint: ${mb.sentence}` : '';
    this.biasFresh.textContent = mf ? `Fresh initialisation: ${mf.sentence}` : '';

    this.inputText.classList.remove('warning');
    this.inputText.textContent = r.description;
    const { T } = r;
    const H = a.layer.H;
    for (const h of this.heatmaps) {
      const run = h.which === 'trained' ? r.trained : r.fresh;
      const values = h.key === 'h' ? run.fwd.h : h.key === 'c' ? run.fwd.c! : run.fwd.gates[h.key as keyof ForwardResult['gates']]!;
      const signed = h.key === 'h' || h.key === 'c' || h.key === 'g' || h.key === 'n';
      const scale: ColorScale = signed ? { kind: 'diverging', limit: h.key === 'c' ? symmetricLimit(values, 1) : 1 } : { kind: 'sequential' };
      // h is (T, P) for a projection LSTM, every other state (T, H).
      h.map.setData(values, T, h.key === 'h' ? values.length / T : H, scale);
    }
    const tb = r.trained.bwd, fb = r.fresh.bwd, tc = r.trained.conn, fc = r.fresh.conn;
    this.chartHost.hidden = !tb || !fb || !tc || !fc;
    if (!tb || !fb || !tc || !fc) {
      this.gradText.textContent = `Gradients are not shown for this layer: ${forwardOnlyReason(a.layer.options) ?? 'it'} runs forward only in the engine.`;
      return;
    }
    const xs = Array.from({ length: T }, (_, t) => t);
    this.chart.setData(xs, [tb.gradNorm, fb.gradNorm, tc, fc].map(forLogAxis));
    const reach = (c: number[]) => {
      const last = c[T - 1];
      return last > 0 ? c[0] / last : 0;
    };
    this.gradText.textContent = `Checkpoint: |∂h_T/∂x_0| is ${sig(reach(tc))} × |∂h_T/∂x_(T−1)| over ${T} steps; ` +
      `fresh init: ${sig(reach(fc))} ×. Below 1, the first inputs reach the last state weakly (vanishing); above 1, strongly.`;
  }

  rebuildChart(): void {
    this.chart.destroy();
    this.chart = this.makeChart();
    if (this.analysis && this.runs) this.fillTables(this.analysis, this.runs);
  }

  /** Every canvas the view draws (the e2e checks they are not blank). */
  get canvases(): HTMLCanvasElement[] {
    const c = this.chart.canvas;
    return [
      ...this.spectrumCanvases.map((s) => s.canvas),
      ...(this.biasSection.hidden ? [] : [this.biasCanvas]),
      ...this.heatmaps.map((h) => h.map.canvas),
      ...this.weightHists.canvases,
      ...this.compare.canvases,
      ...(c ? [c] : []),
    ];
  }
}

export const inspectDemo = demoSpec('inspect', (ctx, state) => new InspectDemo(state.inspect ?? LAB_DEFAULTS.inspect, (c, recompute) => {
  ctx.update((s) => ({ ...s, inspect: c }));
  ctx.schedule(recompute);
}, (D) => ctx.send({ type: 'pickNpy', D }), () => ctx.schedule(true), () => ctx.send({ type: 'compareCheckpoint' })),
['checkpoint', 'npyInput', 'npyError', 'checkpointError', 'checkpointDiff', 'checkpointDiffError']);
