// The playground's widgets: task, models, training settings and the transport (play, one step,
// reset). They report each change as a patch of the controls; the run (view.ts) applies it and
// hands the controls back when they come from elsewhere (the host, a revived panel).
import { PLAYGROUND_LIMITS, TRAIN_MODELS, type TrainControls, type TrainModelKey } from '../../../../protocol';
import { button, checkbox, choiceDropdown, textField, type ValueElement } from '../../../ui/render/toolkit';
import { INITS, MODEL_INFO, OPTIMIZERS, TASKS, TEXT_SOURCES } from './math';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';

type SliderKey = 'delay' | 'symbols' | 'length' | 'T' | 'H' | 'batch' | 'truncate' | 'spectralRadius' | 'forgetBias' | 'temperature';

export interface WidgetActions {
  /** The controls as they are now. */
  current(): TrainControls;
  set(patch: Partial<TrainControls>): void;
  /** "Read the editor again". */
  rereadText(): void;
  oneStep(): void;
  reset(): void;
}

export class TrainWidgets {
  readonly transport = el('div', { class: 'transport' });
  readonly controls = el('div', { class: 'controls' });
  private readonly playButton: HTMLElement;
  private readonly task: ValueElement;
  private readonly textSource: ValueElement;
  private readonly optimizer: ValueElement;
  private readonly init: ValueElement;
  private readonly lr: ValueElement;
  private readonly clip: ValueElement;
  private readonly seed: ValueElement;
  private readonly modelBoxes = new Map<TrainModelKey, HTMLElement & { checked: boolean }>();
  private readonly sliders: Record<SliderKey, Slider>;
  private readonly recallRows: HTMLElement[];
  private readonly sequenceRows: HTMLElement[];
  private readonly textRows: HTMLElement[];

  /** `stats` sits in the transport row, beside the buttons; `seriesRows` (the series task's inputs) in the Task group. */
  constructor(c: TrainControls, stats: HTMLElement, seriesRows: HTMLElement[], a: WidgetActions) {
    const set = a.set;
    this.task = choiceDropdown('train-task', 'Task', TASKS, c.task, (task) => set({ task }));
    this.textSource = choiceDropdown('train-text-source', 'Text to train on', TEXT_SOURCES, c.textSource, (textSource) => set({ textSource }));
    const refresh = button('train-text-refresh', 'Read the editor again', {
      appearance: 'secondary', onClick: () => a.rereadText(),
    });
    const s = (id: SliderKey, label: string, min: number, max: number, step: number, format?: (v: number) => string) =>
      slider(`train-${id}`, label, { min, max, step, value: c[id], format, onInput: (v) => set({ [id]: v }) });
    this.sliders = {
      delay: s('delay', 'Delay', 1, PLAYGROUND_LIMITS.delay, 1),
      symbols: s('symbols', 'Symbols', 2, PLAYGROUND_LIMITS.symbols, 1),
      length: s('length', 'Symbols to recall', 1, PLAYGROUND_LIMITS.length, 1),
      T: s('T', 'Sequence length T', 2, PLAYGROUND_LIMITS.T, 1),
      H: s('H', 'Hidden size H', 1, PLAYGROUND_LIMITS.H, 1),
      batch: s('batch', 'Batch', 1, PLAYGROUND_LIMITS.batch, 1),
      truncate: s('truncate', 'Truncation window', 0, PLAYGROUND_LIMITS.T, 1, (v) => (v === 0 ? 'full BPTT' : `k = ${v}`)),
      spectralRadius: s('spectralRadius', 'Spectral radius', 0, 2, 0.05, (v) => v.toFixed(2)),
      forgetBias: s('forgetBias', 'LSTM forget bias', -3, 5, 0.1, (v) => v.toFixed(1)),
      temperature: s('temperature', 'Sample temperature', 0.1, 2, 0.05, (v) => v.toFixed(2)),
    };
    this.optimizer = choiceDropdown('train-optimizer', 'Optimizer', OPTIMIZERS, c.optimizer, (optimizer) => set({ optimizer }));
    this.init = choiceDropdown('train-init', 'Initialisation of W_hh (IRNN: always identity)', INITS, c.init, (init) => set({ init }));
    const numberField = (id: string, label: string, value: number, ok: (n: number) => boolean, patch: (n: number) => Partial<TrainControls>) =>
      textField(id, label, String(value), (v) => {
        const n = Number(v);
        if (v.trim() !== '' && Number.isFinite(n) && ok(n)) set(patch(n));
      }, { type: 'number', size: 7 });
    this.lr = numberField('train-lr', 'Learning rate', c.lr, (n) => n >= 1e-5 && n <= 10, (lr) => ({ lr }));
    this.clip = numberField('train-clip', 'Clip gradient norm at (0 = off)', c.clip, (n) => n >= 0 && n <= 1e6, (clip) => ({ clip }));
    this.seed = numberField('train-seed', 'Seed', c.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, (seed) => ({ seed }));

    const models = el('div', { class: 'control models', role: 'group', 'aria-label': 'Models' });
    for (const key of TRAIN_MODELS) {
      const box = checkbox(`train-model-${key}`, MODEL_INFO[key].label, (on) => {
        const next = TRAIN_MODELS.filter((k) => (k === key ? on : a.current().models.includes(k)));
        set({ models: next });
      });
      box.checked = c.models.includes(key);
      box.style.setProperty('--model-color', `var(${MODEL_INFO[key].colorVar}, ${MODEL_INFO[key].fallback})`);
      this.modelBoxes.set(key, box);
      models.append(box);
    }

    this.playButton = button('train-play', 'Pause', { appearance: 'primary', onClick: () => set({ running: !a.current().running }) });
    this.playButton.dataset.play = '';
    const stepButton = button('train-step', 'One step', {
      appearance: 'secondary', ariaLabel: 'Train one step (pauses)', onClick: () => a.oneStep(),
    });
    const resetButton = button('train-reset', 'Reset', { appearance: 'secondary', ariaLabel: 'Reset the weights to step 0', onClick: () => a.reset() });
    this.transport.append(this.playButton, stepButton, resetButton, stats);

    this.recallRows = [this.sliders.delay.row, this.sliders.symbols.row, this.sliders.length.row];
    this.sequenceRows = [this.sliders.T.row];
    this.textRows = [labelled('train-text-source', 'Text', this.textSource), refresh, this.sliders.temperature.row];
    this.controls.append(
      group('Task', labelled('train-task', 'Task', this.task), ...this.recallRows, ...this.sequenceRows, ...this.textRows, ...seriesRows),
      group('Models', models, this.sliders.H.row, labelled('train-init', 'Init', this.init), this.sliders.spectralRadius.row, this.sliders.forgetBias.row),
      group('Training', labelled('train-optimizer', 'Optimizer', this.optimizer), labelled('train-lr', 'Learning rate', this.lr),
        this.sliders.batch.row, labelled('train-clip', 'Clip ‖∇‖ at', this.clip), this.sliders.truncate.row, labelled('train-seed', 'Seed', this.seed)),
    );
  }

  /** Shows `c` (controls that did not come from these widgets). */
  sync(c: TrainControls): void {
    this.task.value = c.task;
    // The option's own mark too: a dropdown just placed in the page selects the marked option.
    for (const o of this.task.querySelectorAll('vscode-option')) o.toggleAttribute('selected', o.getAttribute('value') === c.task);
    this.textSource.value = c.textSource;
    this.optimizer.value = c.optimizer;
    this.init.value = c.init;
    if (Number(this.lr.value) !== c.lr) this.lr.value = String(c.lr);
    if (Number(this.clip.value) !== c.clip) this.clip.value = String(c.clip);
    if (Number(this.seed.value) !== c.seed) this.seed.value = String(c.seed);
    for (const [key, box] of this.modelBoxes) box.checked = c.models.includes(key);
    for (const [k, s] of Object.entries(this.sliders)) s.set(c[k as SliderKey]);
  }

  /** The rows the task uses. */
  showRows(task: TrainControls['task']): void {
    for (const r of this.recallRows) r.hidden = task !== 'recall';
    for (const r of this.sequenceRows) r.hidden = task === 'recall';
    for (const r of this.textRows) r.hidden = task !== 'text';
  }

  /** Training a checkpoint's layer: its hidden size and cell are the layer's, so those controls step aside. */
  layerMode(on: boolean): void {
    this.sliders.H.row.hidden = on;
    for (const box of this.modelBoxes.values()) box.toggleAttribute('disabled', on);
  }

  updatePlay(running: boolean): void {
    this.playButton.textContent = running ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-label', running ? 'Pause training' : 'Play: resume training');
    this.playButton.setAttribute('aria-pressed', String(running));
  }
}
