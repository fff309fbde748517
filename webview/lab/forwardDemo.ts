// "LSTM Forward Pass": pick an input, sizes, seed, forget bias and init; see every gate and state
// as a time × unit heatmap, scrub through time, and read the seed card's equations with the live
// numbers of one unit at one step. Hovering a heatmap cell highlights its term in the equations.
import type { ForwardControls, LabInit, LabInputPreset } from '../../src/protocol';
import { LAB_LIMITS } from '../../src/protocol';
import { initParams } from '../kernels/init';
import type { ForwardResult } from '../kernels/types';
import { symmetricLimit, type ColorScale } from '../render/colormap';
import { Heatmap, type HeatCell } from '../render/heatmap';
import { renderTex } from '../render/katex';
import { button, dropdown, textField, type ValueElement } from '../render/toolkit';
import type { LabEngine } from './engine';
import { lstmEquationsTex, lstmNumbersTex, type LstmTerm } from './equations';
import { makeInput, type InputSequence } from './inputs';
import { el, group, labelled, slider, type Slider } from './ui';

const PANELS: { key: 'f' | 'i' | 'g' | 'o' | 'c' | 'h'; title: string; range: string }[] = [
  { key: 'f', title: 'f — forget gate', range: '[0, 1]' },
  { key: 'i', title: 'i — input gate', range: '[0, 1]' },
  { key: 'g', title: 'g — candidate', range: '[−1, 1]' },
  { key: 'o', title: 'o — output gate', range: '[0, 1]' },
  { key: 'c', title: 'c — cell state', range: 'signed' },
  { key: 'h', title: 'h — hidden state', range: '[−1, 1]' },
];

const PRESETS: { value: LabInputPreset; label: string }[] = [
  { value: 'sine', label: 'Sine waves' },
  { value: 'square', label: 'Square waves' },
  { value: 'noise', label: 'Gaussian noise' },
  { value: 'copy', label: 'Copy task (one-hot)' },
  { value: 'word', label: 'Type a word' },
];

const INITS: { value: LabInit; label: string }[] = [
  { value: 'xavier', label: 'Xavier (Glorot uniform)' },
  { value: 'gaussian', label: 'Gaussian' },
  { value: 'orthogonal', label: 'Orthogonal W_hh' },
  { value: 'identity', label: 'Identity W_hh' },
];

export class ForwardDemo {
  readonly root = el('section', { id: 'forward-demo', class: 'demo', 'aria-label': 'LSTM forward pass' });
  private c: ForwardControls;
  private input: InputSequence | undefined;
  private result: ForwardResult | undefined;
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
  private hovered: LstmTerm | undefined;

  constructor(initial: ForwardControls, private readonly onChange: (c: ForwardControls, recompute: boolean) => void) {
    this.c = { ...initial };
    const set = (patch: Partial<ForwardControls>, recompute = true) => {
      this.c = { ...this.c, ...patch };
      this.onChange(this.c, recompute);
    };
    this.preset = dropdown('preset', 'Input', PRESETS, this.c.preset, (v) => {
      set({ preset: v as LabInputPreset });
      this.wordRow.hidden = v !== 'word';
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
    this.init = dropdown('init', 'Initialisation', INITS, this.c.init, (v) => set({ init: v as LabInit }));
    this.sStep = slider('step', 'Step t', { min: 0, max: Math.max(0, this.c.T - 1), step: 1, value: this.c.step, onInput: (v) => set({ step: v }, false) });
    this.sUnit = slider('unit', 'Unit j', { min: 0, max: Math.max(0, this.c.H - 1), step: 1, value: this.c.unit, onInput: (v) => set({ unit: v }, false) });
    this.playButton = button('play', 'Play', { ariaLabel: 'Play through time', onClick: () => this.togglePlay() });
    const back = button('step-back', '◀', { ariaLabel: 'Step back', appearance: 'secondary', onClick: () => this.stepBy(-1) });
    const fwd = button('step-forward', '▶', { ariaLabel: 'Step forward', appearance: 'secondary', onClick: () => this.stepBy(1) });

    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Input', labelled('preset', 'Preset', this.preset), this.wordRow, this.inputText),
      group('Sizes', this.sD.row, this.sH.row, this.sT.row),
      group('Initialisation', labelled('init', 'Scheme', this.init), this.sBias.row, labelled('seed', 'Seed', this.seed)),
    );

    const grid = el('div', { class: 'heatmaps', id: 'heatmaps' });
    for (const p of PANELS) {
      const fig = el('figure', { class: 'heatmap', 'data-key': p.key });
      const cap = el('figcaption', {});
      cap.append(el('span', { class: 'title' }, p.title), el('span', { class: 'range' }, p.range));
      const canvas = el('canvas', { id: `heatmap-${p.key}`, role: 'img', 'aria-label': `${p.title}: time across, units down` });
      fig.append(cap, canvas);
      grid.append(fig);
      this.heatmaps.set(p.key, new Heatmap(canvas, {
        onHover: (cell) => this.hover(p.key, cell),
        onClick: (cell) => {
          set({ step: cell.step, unit: cell.unit }, false);
        },
      }));
    }
    const axis = el('p', { class: 'note axis' }, 'Each heatmap: time t → across, hidden units j ↓ down. Gates use viridis (dark = closed, yellow = open); c, g and h use blue (−) / white (0) / red (+).');

    const scrub = el('div', { class: 'scrubber', id: 'scrubber' });
    scrub.append(back, this.playButton, fwd, this.sStep.row, this.sUnit.row, this.stepLabel);
    const eq = el('div', { class: 'equation-panel' });
    eq.append(el('h3', {}, 'The LSTM step (gate order f, i, g, o)'), this.symbolic, el('h3', {}, 'With the numbers of the selected unit'), this.numbers, this.readout);
    renderEquations(this.symbolic, lstmEquationsTex());

    this.root.append(controls, grid, axis, scrub, eq);
  }

  get controls(): ForwardControls {
    return this.c;
  }

  /** New controls from the host (a CodeLens model, a revived panel). */
  setControls(c: ForwardControls): void {
    this.c = { ...c };
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
    const params = initParams('lstm', c.D, c.H, { scheme: c.init, forgetBias: c.forgetBias, seed: c.seed });
    this.result = engine.forward('lstm', { T: input.T, B: 1, D: c.D, H: c.H }, params, input.x);
    this.input = input;
  }

  /** Redraws heatmaps (after a compute) and the cursor, scrubber and equations. */
  draw(recomputed: boolean): void {
    const r = this.result;
    const input = this.input;
    if (!r || !input) return;
    const T = input.T;
    const H = this.c.H;
    const step = Math.min(this.c.step, T - 1);
    const unit = Math.min(this.c.unit, H - 1);
    if (recomputed) {
      this.inputText.textContent = input.description;
      const limitC = symmetricLimit(r.c!, 1);
      for (const p of PANELS) {
        const values = p.key === 'c' ? r.c! : p.key === 'h' ? r.h : r.gates[p.key]!;
        const scale: ColorScale = p.key === 'g' || p.key === 'h' ? { kind: 'diverging', limit: 1 }
          : p.key === 'c' ? { kind: 'diverging', limit: limitC } : { kind: 'sequential' };
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
    renderEquations(this.numbers, lstmNumbersTex({
      step, unit,
      f: at(r.gates.f!), i: at(r.gates.i!), g: at(r.gates.g!), o: at(r.gates.o!),
      cPrev: step > 0 ? r.c![(step - 1) * H + unit] : (r.c0 ? r.c0[unit] : 0),
      c: at(r.c!), h: at(r.h),
    }));
    this.highlight();
  }

  private hover(key: string, cell: HeatCell | undefined): void {
    this.hovered = cell ? (key as LstmTerm) : undefined;
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
