// The character model's widgets: cell, sizes, learning rate, seed, temperature, the unit shown,
// and the transport (play, one step, reset) with "Export for PyTorch…". Each reports a patch of
// the controls; the run (view.ts) applies it and hands controls back when they come from elsewhere.
import { CHAR_CELL_NAMES, CHAR_LIMITS, type CharControls } from '../../../../protocol';
import { button, choiceDropdown, dropdown, setDropdownOptions, textField, type ValueElement } from '../../../ui/render/toolkit';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { seedField } from '../../common/seed';

export interface CharActions {
  current(): CharControls;
  set(patch: Partial<CharControls>): void;
  oneStep(): void;
  reset(): void;
  exportModel(): void;
}

export class CharWidgets {
  readonly transport = el('div', { class: 'transport' });
  readonly controls = el('div', { class: 'controls' });
  readonly unitRow: HTMLElement;
  readonly exportStatus = el('span', { id: 'char-export-status', class: 'note', role: 'status' });
  private readonly playButton: HTMLElement;
  readonly exportButton: HTMLElement;
  private readonly cell: ValueElement;
  private readonly lr: ValueElement;
  private readonly seed: ValueElement;
  private readonly unit: ValueElement;
  private readonly sliders: Record<'H' | 'embedding' | 'temperature', Slider>;

  constructor(c: CharControls, stats: HTMLElement, a: CharActions) {
    const set = a.set;
    this.cell = choiceDropdown('char-cell', 'Cell', CHAR_CELL_NAMES, c.cell, (cell) => set({ cell }));
    this.sliders = {
      H: slider('char-H', 'Hidden size', { min: 2, max: CHAR_LIMITS.H, step: 1, value: c.H, onInput: (H) => set({ H }) }),
      embedding: slider('char-embedding', 'Embedding width', { min: 2, max: CHAR_LIMITS.embedding, step: 1, value: c.embedding, onInput: (embedding) => set({ embedding }) }),
      temperature: slider('char-temperature', 'Sample temperature', { min: 0.1, max: 2, step: 0.05, value: c.temperature, format: (v) => v.toFixed(2), onInput: (temperature) => set({ temperature }) }),
    };
    this.lr = textField('char-lr', 'Learning rate', String(c.lr), (v) => {
      const n = Number(v);
      if (v.trim() !== '' && Number.isFinite(n) && n >= 1e-5 && n <= 1) set({ lr: n });
    }, { type: 'number', size: 7 });
    this.seed = seedField('char-seed', c.seed, (seed) => set({ seed }));
    this.unit = dropdown('char-unit', 'Hidden unit to shade the text by', unitOptions(c.H), String(c.unit), (v) => set({ unit: Number(v) }));
    this.unitRow = labelled('char-unit', 'Hidden unit', this.unit);

    this.playButton = button('char-play', 'Pause', { appearance: 'primary', onClick: () => set({ running: !a.current().running }) });
    this.playButton.dataset.play = '';
    const stepButton = button('char-step', 'One step', { appearance: 'secondary', ariaLabel: 'Train one step (pauses)', onClick: () => a.oneStep() });
    const resetButton = button('char-reset', 'Reset', { appearance: 'secondary', ariaLabel: 'Reset the weights to step 0 (same seed)', onClick: () => a.reset() });
    this.exportButton = button('char-export', 'Export for PyTorch…', {
      appearance: 'secondary', ariaLabel: 'Export for PyTorch…: save the trained weights as safetensors', onClick: () => a.exportModel(),
    });
    this.transport.append(this.playButton, stepButton, resetButton, this.exportButton, stats, this.exportStatus);
    this.controls.append(
      group('Model', labelled('char-cell', 'Cell', this.cell), this.sliders.H.row, this.sliders.embedding.row),
      group('Training', labelled('char-lr', 'Learning rate (Adam)', this.lr), labelled('char-seed', 'Seed', this.seed)),
      group('Sampling', this.sliders.temperature.row),
    );
  }

  sync(c: CharControls): void {
    this.cell.value = c.cell;
    if (Number(this.lr.value) !== c.lr) this.lr.value = String(c.lr);
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
    for (const k of ['H', 'embedding', 'temperature'] as const) this.sliders[k].set(c[k]);
    this.syncUnits(c);
  }

  /** The unit list follows the hidden size. */
  syncUnits(c: CharControls): void {
    setDropdownOptions(this.unit, unitOptions(c.H), String(c.unit));
  }

  updatePlay(running: boolean): void {
    this.playButton.textContent = running ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-label', running ? 'Pause training' : 'Play: resume training');
    this.playButton.setAttribute('aria-pressed', String(running));
  }
}

function unitOptions(H: number): { value: string; label: string }[] {
  return Array.from({ length: H }, (_, u) => ({ value: String(u), label: `unit ${u}` }));
}
