// "Forward Pass" for each cell: pick the cell (LSTM, GRU or vanilla RNN), an input, sizes, seed,
// forget bias and init; see every gate and state as a time × unit heatmap, scrub through time, and
// read the seed cards' equations with the live numbers of one unit at one step. Hovering a
// heatmap cell highlights its term in the equations.
import type { ForwardControls, LabInit, LabInputPreset, LabViewState } from '../../../../protocol';
import { FORWARD_CELL_NAMES, LAB_LIMITS } from '../../../../protocol';
import { initParams } from '../../../../engine/init';
import type { ForwardResult, Params } from '../../../../engine/types';
import { symmetricLimit, type ColorScale } from '../../../ui/render/colormap';
import { Heatmap, type HeatCell } from '../../../ui/render/heatmap';
import { renderTex } from '../../../ui/render/katex';
import { button, choiceDropdown, textField, type ValueElement } from '../../../ui/render/toolkit';
import {
  gruEquationsTex, gruNumbersTex, lstmEquationsTex, lstmNumbersTex, rnnEquationsTex, rnnNumbersTex, type CellTerm,
} from './equations';
import { rnnParts } from './math';
import { makeInput, type InputSequence } from '../../common/inputs';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { demoSpec, type Demo, type LabEngine } from '../../demo';

export type ForwardCell = NonNullable<ForwardControls['cell']>;
type PanelKey = 'f' | 'i' | 'g' | 'o' | 'c' | 'h' | 'z' | 'r' | 'n' | 'a';
interface Panel { key: PanelKey; title: string; range: string; scale: 'gate' | 'unit' | 'signed' }

const PANELS: Record<ForwardCell, Panel[]> = {
  lstm: [
    { key: 'f', title: 'f — forget gate', range: '[0, 1]', scale: 'gate' },
    { key: 'i', title: 'i — input gate', range: '[0, 1]', scale: 'gate' },
    { key: 'g', title: 'g — candidate', range: '[−1, 1]', scale: 'unit' },
    { key: 'o', title: 'o — output gate', range: '[0, 1]', scale: 'gate' },
    { key: 'c', title: 'c — cell state', range: 'signed', scale: 'signed' },
    { key: 'h', title: 'h — hidden state', range: '[−1, 1]', scale: 'unit' },
  ],
  gru: [
    { key: 'z', title: 'z — update gate', range: '[0, 1]', scale: 'gate' },
    { key: 'r', title: 'r — reset gate', range: '[0, 1]', scale: 'gate' },
    { key: 'n', title: 'h̃ — candidate', range: '[−1, 1]', scale: 'unit' },
    { key: 'h', title: 'h — hidden state', range: '[−1, 1]', scale: 'unit' },
  ],
  rnn: [
    { key: 'a', title: 'a — pre-activation', range: 'signed', scale: 'signed' },
    { key: 'h', title: 'h = tanh(a)', range: '[−1, 1]', scale: 'unit' },
  ],
};

const HEADINGS: Record<ForwardCell, string> = {
  lstm: 'The LSTM step (gate order f, i, g, o)',
  gru: 'The GRU step (update z, reset r; the seed card\'s convention)',
  rnn: 'The Elman recurrence (the vanilla-RNN card)',
};

const PRESETS: Record<LabInputPreset, string> = {
  sine: 'Sine waves',
  square: 'Square waves',
  noise: 'Gaussian noise',
  copy: 'Copy task (one-hot)',
  word: 'Type a word',
};

const INITS: Record<LabInit, string> = {
  xavier: 'Xavier (Glorot uniform)',
  gaussian: 'Gaussian',
  orthogonal: 'Orthogonal W_hh',
  identity: 'Identity W_hh',
};

export class ForwardDemo implements Demo {
  readonly root = el('section', { id: 'forward-demo', class: 'demo', 'aria-label': 'Forward pass' });
  readonly id = 'lstm-forward' as const;
  private c: ForwardControls;
  private input: InputSequence | undefined;
  private result: ForwardResult | undefined;
  private params: Params | undefined;
  /** The vanilla RNN's W_xh x_t + b and W_hh h_{t-1} per (t, unit); the panel shows their sum. */
  private rnnParts: { wx: Float64Array; uh: Float64Array } | undefined;
  /** The cell the heatmaps and equations were built for. */
  private builtFor: ForwardCell | undefined;
  private readonly cell: ValueElement;
  private readonly grid = el('div', { class: 'heatmaps', id: 'heatmaps' });
  private readonly heading = el('h3', {});
  private readonly heatmaps = new Map<string, Heatmap>();
  private readonly preset: ValueElement;
  private readonly init: ValueElement;
  private readonly word: ValueElement;
  private readonly wordRow: HTMLElement;
  private readonly seed: ValueElement;
  private readonly sD: Slider;
  private readonly sH: Slider;
  private readonly sT: Slider;
  private readonly sBias: Slider;
  private readonly sStep: Slider;
  private readonly sUnit: Slider;
  private readonly playButton: HTMLElement;
  private readonly inputText = el('p', { id: 'input-description', class: 'note' });
  private readonly stepLabel = el('span', { id: 'step-label', class: 'step-label' });
  private readonly readout = el('p', { id: 'hover-readout', class: 'readout', 'aria-live': 'polite' }, 'Hover a cell to read its value; click it to select that step and unit.');
  private readonly numbers = el('div', { id: 'equation-numbers', class: 'equations numbers' });
  private readonly symbolic = el('div', { id: 'equation-symbolic', class: 'equations' });
  private timer: ReturnType<typeof setInterval> | undefined;
  private hovered: CellTerm | undefined;

  constructor(initial: ForwardControls, private readonly onChange: (c: ForwardControls, recompute: boolean) => void) {
    this.c = { ...initial };
    const set = (patch: Partial<ForwardControls>, recompute = true) => {
      this.c = { ...this.c, ...patch };
      this.onChange(this.c, recompute);
    };
    this.cell = choiceDropdown('cell', 'Cell', FORWARD_CELL_NAMES, this.cellOf(), (cell) => set({ cell }));
    this.preset = choiceDropdown('preset', 'Input', PRESETS, this.c.preset, (preset) => {
      set({ preset });
      this.wordRow.hidden = preset !== 'word';
    });
    this.word = textField('word', 'Word', this.c.word, (v) => set({ word: v.slice(0, LAB_LIMITS.T) }), { maxLength: LAB_LIMITS.T });
    this.wordRow = labelled('word', 'Word', this.word);
    this.wordRow.hidden = this.c.preset !== 'word';
    this.sD = slider('D', 'Input size D', { min: 1, max: LAB_LIMITS.D, step: 1, value: this.c.D, onInput: (v) => set({ D: v }) });
    this.sH = slider('H', 'Hidden size H', { min: 1, max: LAB_LIMITS.H, step: 1, value: this.c.H, onInput: (v) => set({ H: v, unit: Math.min(this.c.unit, v - 1) }) });
    this.sT = slider('T', 'Steps T', { min: 2, max: LAB_LIMITS.T, step: 1, value: this.c.T, onInput: (v) => set({ T: v, step: Math.min(this.c.step, v - 1) }) });
    this.seed = textField('seed', 'Seed', String(this.c.seed), (v) => {
      const n = Number.parseInt(v, 10);
      if (Number.isInteger(n) && n >= 0 && n < 2 ** 31) set({ seed: n });
    }, { type: 'number', size: 6 });
    this.sBias = slider('forget-bias', 'Forget-gate bias', { min: -3, max: 5, step: 0.1, value: this.c.forgetBias, format: (v) => v.toFixed(1), onInput: (v) => set({ forgetBias: v }) });
    this.init = choiceDropdown('init', 'Initialisation', INITS, this.c.init, (init) => set({ init }));
    this.sStep = slider('step', 'Step t', { min: 0, max: Math.max(0, this.c.T - 1), step: 1, value: this.c.step, onInput: (v) => set({ step: v }, false) });
    this.sUnit = slider('unit', 'Unit j', { min: 0, max: Math.max(0, this.c.H - 1), step: 1, value: this.c.unit, onInput: (v) => set({ unit: v }, false) });
    this.playButton = button('play', 'Play', { ariaLabel: 'Play through time', onClick: () => this.togglePlay() });
    const back = button('step-back', '◀', { ariaLabel: 'Step back', appearance: 'secondary', onClick: () => this.stepBy(-1) });
    const fwd = button('step-forward', '▶', { ariaLabel: 'Step forward', appearance: 'secondary', onClick: () => this.stepBy(1) });

    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Cell', labelled('cell', 'Cell', this.cell)),
      group('Input', labelled('preset', 'Preset', this.preset), this.wordRow, this.inputText),
      group('Sizes', this.sD.row, this.sH.row, this.sT.row),
      group('Initialisation', labelled('init', 'Scheme', this.init), this.sBias.row, labelled('seed', 'Seed', this.seed)),
    );

    const axis = el('p', { class: 'note axis' }, 'Each heatmap: time t → across, hidden units j ↓ down. Gates use viridis (dark = closed, yellow = open); c, g and h use blue (−) / white (0) / red (+).');

    const scrub = el('div', { class: 'scrubber', id: 'scrubber' });
    scrub.append(back, this.playButton, fwd, this.sStep.row, this.sUnit.row, this.stepLabel);
    const eq = el('div', { class: 'equation-panel' });
    eq.append(this.heading, this.symbolic, el('h3', {}, 'With the numbers of the selected unit'), this.numbers, this.readout);
    this.build(this.cellOf());

    this.root.append(controls, this.grid, axis, scrub, eq);
  }

  private cellOf(): ForwardCell {
    return this.c.cell ?? 'lstm';
  }

  /** The heatmaps and the symbolic equations of a cell. */
  private build(cell: ForwardCell): void {
    this.builtFor = cell;
    this.heatmaps.clear();
    this.grid.replaceChildren();
    this.grid.dataset.cell = cell;
    for (const p of PANELS[cell]) {
      const fig = el('figure', { class: 'heatmap', 'data-key': p.key });
      const cap = el('figcaption', {});
      cap.append(el('span', { class: 'title' }, p.title), el('span', { class: 'range' }, p.range));
      const canvas = el('canvas', { id: `heatmap-${p.key}`, role: 'img', 'aria-label': `${p.title}: time across, units down` });
      fig.append(cap, canvas);
      this.grid.append(fig);
      this.heatmaps.set(p.key, new Heatmap(canvas, {
        onHover: (c) => this.hover(p.key, c),
        onClick: (c) => {
          this.c = { ...this.c, step: c.step, unit: c.unit };
          this.onChange(this.c, false);
        },
      }));
    }
    this.heading.textContent = HEADINGS[cell];
    renderEquations(this.symbolic, cell === 'lstm' ? lstmEquationsTex() : cell === 'gru' ? gruEquationsTex() : rnnEquationsTex());
    this.sBias.row.hidden = cell !== 'lstm';
    this.root.setAttribute('aria-label', `${FORWARD_CELL_NAMES[cell]} forward pass`);
  }

  get controls(): ForwardControls {
    return this.c;
  }

  /** Every show starts paused, this demo's own included. */
  show(state: LabViewState): void {
    this.stopPlay();
    this.setControls(state.forward);
  }

  hide(): void {
    this.stopPlay();
  }

  render(engine: LabEngine, recompute: boolean): void {
    if (recompute) this.compute(engine);
    this.draw(recompute);
  }

  dispose(): void {
    this.stopPlay();
  }

  /** New controls from the host (a CodeLens model, a revived panel). */
  setControls(c: ForwardControls): void {
    this.c = { ...c };
    this.cell.value = this.cellOf();
    this.preset.value = c.preset;
    this.init.value = c.init;
    if (this.word.value !== c.word) this.word.value = c.word;
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
    this.wordRow.hidden = c.preset !== 'word';
    this.sD.set(c.D);
    this.sH.set(c.H);
    this.sT.set(c.T);
    this.sBias.set(c.forgetBias);
  }

  /** Runs the forward pass for the current controls (the expensive part). */
  compute(engine: LabEngine): void {
    const c = this.c;
    const input = makeInput(c.preset, c.D, c.T, c.seed, c.word);
    const cell = this.cellOf();
    const params = initParams(cell, c.D, c.H, { scheme: c.init, forgetBias: cell === 'lstm' ? c.forgetBias : undefined, seed: c.seed });
    this.result = engine.forward(cell, { T: input.T, B: 1, D: c.D, H: c.H }, params, input.x);
    this.params = params;
    this.input = input;
    this.rnnParts = cell === 'rnn' ? rnnParts(params, input.x, this.result.h, this.result.h0, input.T, c.D, c.H) : undefined;
  }

  /** Redraws heatmaps (after a compute) and the cursor, scrubber and equations. */
  draw(recomputedNow: boolean): void {
    let recomputed = recomputedNow;
    const r = this.result;
    const input = this.input;
    if (!r || !input) return;
    const T = input.T;
    const H = this.c.H;
    const step = Math.min(this.c.step, T - 1);
    const unit = Math.min(this.c.unit, H - 1);
    const cell = this.cellOf();
    if (this.builtFor !== cell) {
      this.build(cell);
      recomputed = true;
    }
    if (recomputed) {
      this.inputText.textContent = input.description;
      const limitC = r.c ? symmetricLimit(r.c, 1) : 1;
      const parts = this.rnnParts, b = this.params?.b;
      const pre = parts && b ? parts.wx.map((v, k) => v + parts.uh[k] + b[k % H]) : undefined;
      const limitA = pre ? symmetricLimit(pre, 1) : 1;
      for (const p of PANELS[cell]) {
        const values = p.key === 'c' ? r.c! : p.key === 'h' ? r.h : p.key === 'a' ? pre! : r.gates[p.key]!;
        const scale: ColorScale = p.scale === 'gate' ? { kind: 'sequential' }
          : p.scale === 'unit' ? { kind: 'diverging', limit: 1 } : { kind: 'diverging', limit: p.key === 'c' ? limitC : limitA };
        this.heatmaps.get(p.key)!.setData(values, T, H, scale);
      }
      this.sStep.set(step, T - 1);
      this.sUnit.set(unit, H - 1);
    }
    for (const hm of this.heatmaps.values()) {
      hm.setCursor(step, unit);
      hm.draw();
    }
    const label = input.labels[step];
    this.stepLabel.textContent = `t = ${step}${label !== undefined && label !== String(step) ? ` “${label}”` : ''} · unit ${unit}`;
    const at = (a: ArrayLike<number>) => a[step * H + unit];
    const hPrev = step > 0 ? r.h[(step - 1) * H + unit] : (r.h0 ? r.h0[unit] : 0);
    if (cell === 'lstm') {
      renderEquations(this.numbers, lstmNumbersTex({
        step, unit,
        f: at(r.gates.f!), i: at(r.gates.i!), g: at(r.gates.g!), o: at(r.gates.o!),
        cPrev: step > 0 ? r.c![(step - 1) * H + unit] : (r.c0 ? r.c0[unit] : 0),
        c: at(r.c!), h: at(r.h),
      }));
    } else if (cell === 'gru') {
      renderEquations(this.numbers, gruNumbersTex({ step, unit, z: at(r.gates.z!), r: at(r.gates.r!), n: at(r.gates.n!), hPrev, h: at(r.h) }));
    } else {
      const parts = this.rnnParts!;
      renderEquations(this.numbers, rnnNumbersTex({ step, unit, wx: at(parts.wx), uh: at(parts.uh), b: this.params!.b[unit], h: at(r.h) }));
    }
    this.highlight();
  }

  private hover(key: string, cell: HeatCell | undefined): void {
    this.hovered = cell ? (key as CellTerm) : undefined;
    this.highlight();
    if (!cell) {
      this.readout.textContent = 'Hover a cell to read its value; click it to select that step and unit.';
      return;
    }
    const label = this.input?.labels[cell.step];
    const named = label !== undefined && label !== String(cell.step) ? ` “${label}”` : '';
    this.readout.textContent = `${key}[t=${cell.step}${named}, unit ${cell.unit}] = ${cell.value.toFixed(4)}`;
  }

  /** Marks the hovered heatmap's term in both equation blocks (again after they are redrawn). */
  private highlight(): void {
    for (const e of this.root.querySelectorAll('.equations .active')) e.classList.remove('active');
    if (this.hovered) for (const e of this.root.querySelectorAll(`.equations .term-${this.hovered}`)) e.classList.add('active');
  }

  private stepBy(d: number): void {
    const T = this.input?.T ?? this.c.T;
    const step = (this.c.step + d + T) % T;
    this.c = { ...this.c, step };
    this.onChange(this.c, false);
  }

  private togglePlay(): void {
    if (this.timer) {
      this.stopPlay();
      return;
    }
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-label', 'Pause');
    this.timer = setInterval(() => this.stepBy(1), 180);
  }

  stopPlay(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.textContent = 'Play';
    this.playButton.setAttribute('aria-label', 'Play through time');
  }

  /** The heatmap canvases (for the e2e and for redraw on resize). */
  get canvases(): HTMLCanvasElement[] {
    return [...this.heatmaps.values()].map((h) => h.canvas);
  }
}

function renderEquations(host: HTMLElement, lines: string[]): void {
  host.replaceChildren();
  for (const tex of lines) {
    const line = el('div', { class: 'equation' });
    renderTex(line, tex, true);
    host.append(line);
  }
}

/** The wire id stays `lstm-forward` (saved state, cards and rnnLens.demo.lstmForward name it); it runs every cell. */
export const lstmForwardDemo = demoSpec('lstm-forward', (ctx, state) => new ForwardDemo(state.forward, (c, recompute) => {
  ctx.update((s) => ({ ...s, forward: c }));
  ctx.dropModelIfChanged(c.D, c.H);
  ctx.schedule(recompute);
}));
