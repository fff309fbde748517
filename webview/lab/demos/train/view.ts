// "Training Playground": tanh RNN, IRNN, LSTM and GRU trained live, side by side, on the same
// batches of one task (delayed recall, the adding problem, next-character prediction on text).
// Training never gets in the editor's way: steps run in chunks inside a frame budget (FrameBudget,
// 12 ms of steps per animation frame), charts redraw at most once a frame, the slower views
// (spectrum, gradient flow, connectivity, text samples) refresh a few times a second, and a hidden
// panel does not train. The run's step and curves are reported to the host (at most once a
// second) so that a window reload shows them and replays the weights to that step (same seed,
// same batches).
import {
  PLAYGROUND_LIMITS, TRAIN_MODELS,
  type TrainControls, type TrainModelKey, type TrainProgress,
} from '../../../../protocol';
import { createTrainer } from '../../../../engine';
import type { Metrics, Trainer } from '../../../../engine/train';
import { LineChart, type SeriesSpec } from '../../../ui/render/chart';
import { drawEigenPlane } from '../../../ui/render/plots';
import { button, checkbox, choiceDropdown, textField, type ValueElement } from '../../../ui/render/toolkit';
import {
  FrameBudget, History, MODEL_INFO, needsRestart, referenceLevels, stepText, summarize, trainerConfig, vocabulary,
} from './math';
import { textCharacters } from '../../../../engine/train/tasks';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';

/** How often the slower views refresh while training (ms). */
const INSPECT_MS = 500;
const SAMPLE_MS = 1500;
const TABLE_MS = 250;
const REPORT_MS = 1000;
const SAMPLE_CHARS = 160;

interface Run {
  key: TrainModelKey;
  trainer: Trainer;
  last?: Metrics;
  /** The slower views of this model's current weights, refreshed one model per frame. */
  view?: { singular: number[]; re: Float64Array; im: Float64Array; gate: string; flow: number[]; conn?: number[] };
  text?: { sample: string; teacherForced: number; freeRunning: number };
}

export interface TrainText {
  source: TrainControls['textSource'];
  label: string;
  text: string;
}

export interface TrainDemoHost {
  onControls(c: TrainControls): void;
  onProgress(p: TrainProgress): void;
  requestText(source: TrainControls['textSource']): void;
  onError(message: string): void;
}

const TASKS: Record<TrainControls['task'], string> = {
  recall: 'Delayed recall',
  adding: 'Adding problem',
  text: 'Text: next character',
};

const TEXT_SOURCES: Record<TrainControls['textSource'], string> = {
  cards: 'The RNN Lens cards',
  editor: 'The editor (selection or file)',
};

const OPTIMIZERS: Record<TrainControls['optimizer'], string> = { adam: 'Adam', sgd: 'SGD, momentum 0.9' };

const INITS: Record<TrainControls['init'], string> = {
  xavier: 'Xavier',
  gaussian: 'Gaussian',
  orthogonal: 'Orthogonal',
  identity: 'Identity',
};

export class TrainDemo {
  readonly root = el('section', { id: 'train-demo', class: 'demo', 'aria-label': 'Training playground' });
  private c: TrainControls;
  private runs: Run[] = [];
  private history: History;
  private step = 0;
  /** After a reload: the weights are retrained (not recorded again) up to this step. */
  private replayTo = 0;
  private text: TrainText | undefined;
  private backend = '…';
  private error = '';
  private building = 0;
  private active = false;
  private frame = 0;
  private readonly budget = new FrameBudget(12);

  private rate = { t0: 0, steps: 0, perSecond: 0 };
  private lastInspect = 0;
  /** The next model to step in the round in progress, and the next one whose views refresh. */
  private cursor = 0;
  private viewCursor = 0;
  private lastTable = 0;
  private lastReport = 0;
  private dirty = true;

  private readonly stats = el('div', { id: 'train-stats', class: 'status', role: 'status' });
  private readonly summary = el('p', { id: 'train-summary', class: 'headline' });
  private readonly table = el('table', { id: 'train-table', class: 'numbers-table' });
  private readonly message = el('p', { id: 'train-message', class: 'note' });
  private readonly textNote = el('p', { id: 'train-text-note', class: 'note' });
  private readonly playButton: HTMLElement;
  private readonly task: ValueElement;
  private readonly textSource: ValueElement;
  private readonly optimizer: ValueElement;
  private readonly init: ValueElement;
  private readonly lr: ValueElement;
  private readonly clip: ValueElement;
  private readonly seed: ValueElement;
  private readonly modelBoxes = new Map<TrainModelKey, HTMLElement & { checked: boolean }>();
  private readonly sliders: Record<'delay' | 'symbols' | 'length' | 'T' | 'H' | 'batch' | 'truncate' | 'spectralRadius' | 'forgetBias' | 'temperature', Slider>;
  private readonly recallRows: HTMLElement[];
  private readonly sequenceRows: HTMLElement[];
  private readonly textRows: HTMLElement[];

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

  constructor(initial: TrainControls, progress: TrainProgress | undefined, private readonly host: TrainDemoHost) {
    this.c = { ...initial, models: [...initial.models] };
    this.history = new History(this.c.models.length, progress?.points);
    this.replayTo = progress?.step ?? 0;

    const set = (patch: Partial<TrainControls>) => this.apply({ ...this.c, ...patch }, true);
    this.task = choiceDropdown('train-task', 'Task', TASKS, this.c.task, (task) => set({ task }));
    this.textSource = choiceDropdown('train-text-source', 'Text to train on', TEXT_SOURCES, this.c.textSource, (textSource) => set({ textSource }));
    const refresh = button('train-text-refresh', 'Read the editor again', {
      appearance: 'secondary', onClick: () => {
        this.text = undefined;
        this.restart();
      },
    });
    const s = (id: keyof TrainDemo['sliders'], label: string, min: number, max: number, step: number, format?: (v: number) => string) =>
      slider(`train-${id}`, label, { min, max, step, value: this.c[id], format, onInput: (v) => set({ [id]: v }) });
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
    this.optimizer = choiceDropdown('train-optimizer', 'Optimizer', OPTIMIZERS, this.c.optimizer, (optimizer) => set({ optimizer }));
    this.init = choiceDropdown('train-init', 'Initialisation of W_hh (IRNN: always identity)', INITS, this.c.init, (init) => set({ init }));
    const numberField = (id: string, label: string, value: number, ok: (n: number) => boolean, patch: (n: number) => Partial<TrainControls>) =>
      textField(id, label, String(value), (v) => {
        const n = Number(v);
        if (v.trim() !== '' && Number.isFinite(n) && ok(n)) set(patch(n));
      }, { type: 'number', size: 7 });
    this.lr = numberField('train-lr', 'Learning rate', this.c.lr, (n) => n >= 1e-5 && n <= 10, (lr) => ({ lr }));
    this.clip = numberField('train-clip', 'Clip gradient norm at (0 = off)', this.c.clip, (n) => n >= 0 && n <= 1e6, (clip) => ({ clip }));
    this.seed = numberField('train-seed', 'Seed', this.c.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, (seed) => ({ seed }));

    const models = el('div', { class: 'control models', role: 'group', 'aria-label': 'Models' });
    for (const key of TRAIN_MODELS) {
      const box = checkbox(`train-model-${key}`, MODEL_INFO[key].label, (on) => {
        const next = TRAIN_MODELS.filter((k) => (k === key ? on : this.c.models.includes(k)));
        set({ models: next });
      });
      box.checked = this.c.models.includes(key);
      box.style.setProperty('--model-color', `var(${MODEL_INFO[key].colorVar}, ${MODEL_INFO[key].fallback})`);
      this.modelBoxes.set(key, box);
      models.append(box);
    }

    this.playButton = button('train-play', 'Pause', { appearance: 'primary', onClick: () => set({ running: !this.c.running }) });
    const stepButton = button('train-step', 'One step', {
      appearance: 'secondary', ariaLabel: 'Train one step (pauses)', onClick: () => {
        if (this.c.running) set({ running: false });
        this.oneStep();
        this.lastInspect = 0;
        this.dirty = true;
        this.requestFrame();
      },
    });
    const resetButton = button('train-reset', 'Reset', { appearance: 'secondary', ariaLabel: 'Reset the weights to step 0', onClick: () => this.restart() });
    const transport = el('div', { class: 'transport' });
    transport.append(this.playButton, stepButton, resetButton, this.stats);

    this.recallRows = [this.sliders.delay.row, this.sliders.symbols.row, this.sliders.length.row];
    this.sequenceRows = [this.sliders.T.row];
    this.textRows = [labelled('train-text-source', 'Text', this.textSource), refresh, this.sliders.temperature.row];
    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Task', labelled('train-task', 'Task', this.task), ...this.recallRows, ...this.sequenceRows, ...this.textRows),
      group('Models', models, this.sliders.H.row, labelled('train-init', 'Init', this.init), this.sliders.spectralRadius.row, this.sliders.forgetBias.row),
      group('Training', labelled('train-optimizer', 'Optimizer', this.optimizer), labelled('train-lr', 'Learning rate', this.lr),
        this.sliders.batch.row, labelled('train-clip', 'Clip ‖∇‖ at', this.clip), this.sliders.truncate.row, labelled('train-seed', 'Seed', this.seed)),
    );

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
    const grid = el('div', { class: 'train-grid' });
    grid.append(lossBox, this.accBox, svBox, eigBox, flowBox, this.connBox, this.textBox);
    this.root.append(transport, this.message, this.textNote, this.summary, grid, this.table, controls);
    this.showRows();
    this.buildCharts();
  }

  get controls(): TrainControls {
    return this.c;
  }

  // ---- configuration ---------------------------------------------------------------------------

  /** Controls from the host (a CodeLens, a revived panel) or from a widget. */
  setControls(c: TrainControls, progress?: TrainProgress): void {
    const restart = needsRestart(this.c, c);
    this.c = { ...c, models: [...c.models] };
    this.syncWidgets();
    if (restart) {
      this.history = new History(this.c.models.length, progress?.points);
      this.replayTo = progress?.step ?? 0;
      this.restart(true);
    }
    this.updatePlay();
  }

  private apply(next: TrainControls, fromWidget: boolean): void {
    const restart = needsRestart(this.c, next);
    const textChanged = next.textSource !== this.c.textSource || (next.task === 'text' && this.c.task !== 'text');
    this.c = next;
    if (textChanged) this.text = undefined;
    if (!fromWidget) this.syncWidgets();
    this.showRows();
    this.updatePlay();
    this.host.onControls(this.c);
    if (restart) this.restart();
    this.lastInspect = 0;
    this.dirty = true;
    this.requestFrame();
  }

  private syncWidgets(): void {
    const c = this.c;
    this.task.value = c.task;
    this.textSource.value = c.textSource;
    this.optimizer.value = c.optimizer;
    this.init.value = c.init;
    if (Number(this.lr.value) !== c.lr) this.lr.value = String(c.lr);
    if (Number(this.clip.value) !== c.clip) this.clip.value = String(c.clip);
    if (Number(this.seed.value) !== c.seed) this.seed.value = String(c.seed);
    for (const [key, box] of this.modelBoxes) box.checked = c.models.includes(key);
    for (const [k, s] of Object.entries(this.sliders)) s.set(c[k as keyof TrainDemo['sliders']]);
    this.showRows();
  }

  private showRows(): void {
    for (const r of this.recallRows) r.hidden = this.c.task !== 'recall';
    for (const r of this.sequenceRows) r.hidden = this.c.task === 'recall';
    for (const r of this.textRows) r.hidden = this.c.task !== 'text';
    this.accBox.hidden = this.c.task === 'adding';
    this.connBox.hidden = this.c.task !== 'recall';
    this.textBox.hidden = this.c.task !== 'text';
  }

  private updatePlay(): void {
    this.playButton.textContent = this.c.running ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-label', this.c.running ? 'Pause training' : 'Resume training');
    this.playButton.setAttribute('aria-pressed', String(this.c.running));
  }

  /** The text the host sent for the `text` task. */
  setText(t: TrainText): void {
    if (t.source !== this.c.textSource) return;
    this.text = t;
    this.restart(this.replayTo > 0);
  }

  // ---- the run ------------------------------------------------------------------------------

  /** New trainers at step 0 (keeping restored curves when `keepHistory`, to replay up to them). */
  private restart(keepHistory = false): void {
    if (!keepHistory) {
      this.history = new History(this.c.models.length);
      this.replayTo = 0;
    }
    this.runs = [];
    this.step = 0;
    this.cursor = 0;
    this.viewCursor = 0;
    this.eigenData = [];
    this.error = '';
    this.lastInspect = 0;
    this.rate = { t0: 0, steps: 0, perSecond: 0 };
    const id = ++this.building;
    if (this.c.task === 'text' && !this.text) {
      this.message.textContent = 'Reading the text to train on…';
      this.host.requestText(this.c.textSource);
      return;
    }
    void this.build(id);
  }

  private async build(id: number): Promise<void> {
    const text = this.text?.text ?? '';
    this.textNote.textContent = this.c.task === 'text' && this.text
      ? `Training on ${this.text.label}: ${textCharacters(text).length.toLocaleString('en-US')} characters, ${vocabulary(text).length} distinct.` : '';
    if (this.c.models.length === 0) {
      this.fail('Choose at least one model to train.');
      return;
    }
    const runs: Run[] = [];
    try {
      for (const key of this.c.models) {
        runs.push({ key, trainer: await this.create(key, text) });
        if (id !== this.building) return;
      }
    } catch (err) {
      if (id === this.building) this.fail(err instanceof Error ? err.message : String(err));
      return;
    }
    this.runs = runs;
    this.message.textContent = this.replayTo > 0 ? `Replaying the restored run to step ${stepText(this.replayTo)}…` : '';
    this.buildCharts();
    this.dirty = true;
    this.requestFrame();
  }

  /** The trainer picks wasm where the page may compile WebAssembly, js otherwise; the corner says which. */
  private async create(key: TrainModelKey, text: string): Promise<Trainer> {
    // The trainer runs on wasm where it compiles, else js; the backend setting may ask for js (or wasm).
    const forced = document.body.dataset.backend;
    const trainer = await createTrainer({ ...trainerConfig(this.c, key, text), ...(forced === 'js' || forced === 'wasm' ? { backend: forced } : {}) });
    this.backend = trainer.backend;
    return trainer;
  }

  private fail(message: string): void {
    this.error = message;
    this.message.textContent = message;
    this.message.classList.add('error');
    this.host.onError(`train: ${message}`);
  }

  /**
   * `n` model steps, in turn: a round (one step of every model, on the same batch index) may span
   * frames, so a frame never waits for more than one model's step past its budget. A completed
   * round is one step of the run.
   */
  private trainSteps(n: number): void {
    const R = this.runs.length;
    for (let k = 0; k < n && R > 0; k++) {
      const run = this.runs[this.cursor];
      run.last = run.trainer.step(1);
      this.cursor = (this.cursor + 1) % R;
      if (this.cursor !== 0) continue;
      this.step++;
      this.rate.steps++;
      if (this.step > this.replayTo) this.history.add(this.step, this.runs.map((r) => r.last!));
    }
    if (this.replayTo > 0 && this.step >= this.replayTo) {
      this.replayTo = 0;
      this.message.textContent = '';
    }
  }

  /** "One step": finishes the round in progress, or runs a whole one. */
  private oneStep(): void {
    const target = this.step + 1;
    while (this.runs.length && this.step < target) this.trainSteps(1);
  }

  // ---- the frame loop ---------------------------------------------------------------------------

  activate(): void {
    this.active = true;
    if (this.runs.length === 0 && this.building === 0) this.restart(this.replayTo > 0);
    this.requestFrame();
  }

  deactivate(): void {
    this.active = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** The panel was hidden or shown again (document.visibilityState). */
  visibilityChanged(): void {
    this.rate = { t0: 0, steps: 0, perSecond: this.rate.perSecond };
    this.requestFrame();
  }

  requestFrame(): void {
    if (!this.active || this.frame) return;
    this.frame = requestAnimationFrame((now) => {
      this.frame = 0;
      this.tick(now);
    });
  }

  private training(): boolean {
    return this.active && this.runs.length > 0 && !this.error && document.visibilityState === 'visible' && (this.c.running || this.replayTo > 0);
  }

  private tick(now: number): void {
    const t0 = performance.now();
    try {
      // At most one slower view per frame (one model's spectrum, gradient flow and connectivity,
      // or its text sample), inside the frame's budget.
      const live = this.runs.length > 0 && this.replayTo === 0;
      if (live && this.viewCursor > 0) this.refreshView();
      else if (live && now - this.lastInspect >= (this.c.task === 'text' ? SAMPLE_MS : INSPECT_MS) && (this.training() || this.dirty || !this.lastInspect)) {
        this.lastInspect = now;
        this.refreshView();
      }
      if (this.training()) {
        const t1 = performance.now();
        const n = this.budget.stepsWithin(this.budget.budgetMs - (t1 - t0));
        this.trainSteps(n);
        this.budget.record(n, performance.now() - t1);
        if (!this.rate.t0) this.rate = { t0: now, steps: 0, perSecond: this.rate.perSecond };
        if (now - this.rate.t0 >= 1000) {
          this.rate = { t0: now, steps: 0, perSecond: (1000 * this.rate.steps) / (now - this.rate.t0) };
        }
        this.dirty = true;
      }
      if (this.dirty) this.draw(now);
      this.dirty = false;
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
    if (now - this.lastReport >= REPORT_MS && this.step > 0 && this.replayTo === 0) {
      this.lastReport = now;
      this.host.onProgress(this.progress());
    }
    if (this.training()) this.requestFrame();
  }

  progress(): TrainProgress {
    return { step: Math.max(this.step, this.replayTo), points: this.history.points };
  }

  // ---- drawing --------------------------------------------------------------------------------

  private series(extra: SeriesSpec[]): SeriesSpec[] {
    return [
      ...this.c.models.map((k) => ({ label: MODEL_INFO[k].label, colorVar: MODEL_INFO[k].colorVar, fallback: MODEL_INFO[k].fallback })),
      ...extra,
    ];
  }

  /** (Re)builds the charts for the current models and theme. */
  buildCharts(): void {
    for (const ch of Object.values(this.charts)) ch?.destroy();
    const ref = referenceLevels(this.c, this.text?.text ?? '');
    const dashed = (label: string): SeriesSpec => ({ label, colorVar: '--vscode-descriptionForeground', fallback: '#888', dash: [6, 4], width: 1 });
    this.charts = {
      loss: new LineChart(this.lossHost, { xLabel: 'step', yLabel: 'loss', log: true, height: 220, series: this.series([dashed(ref.label)]) }),
      acc: new LineChart(this.accHost, { xLabel: 'step', yLabel: 'accuracy', log: false, height: 220, series: this.series([dashed('chance')]) }),
      sv: new LineChart(this.svHost, { xLabel: 'index', yLabel: 'σ', log: false, height: 220, series: this.series([dashed('σ = 1')]) }),
      flow: new LineChart(this.flowHost, { xLabel: 'steps back', yLabel: '‖∂L/∂h_t‖', log: true, height: 220, series: this.series([]) }),
      conn: new LineChart(this.connHost, { xLabel: 't', yLabel: '|∂y/∂x_t|', log: true, height: 220, series: this.series([]) }),
    };
    // New charts (a theme change) get the views already measured at once, running or paused.
    if (this.runs.length) this.drawViews();
    this.dirty = true;
  }

  private draw(now = performance.now()): void {
    const ref = referenceLevels(this.c, this.text?.text ?? '');
    const pts = this.history.points;
    const xs = pts.map((p) => p.step);
    const M = this.c.models.length;
    const per = (what: 'loss' | 'accuracy') => Array.from({ length: M }, (_, m) => pts.map((p) => p[what][m] ?? null));
    this.charts.loss?.setData(xs, [...per('loss'), xs.map(() => ref.loss)]);
    if (ref.accuracy !== undefined) this.charts.acc?.setData(xs, [...per('accuracy'), xs.map(() => ref.accuracy ?? null)]);

    const shown = Math.max(this.step, this.replayTo);
    const sps = this.rate.perSecond;
    this.stats.textContent = `step ${stepText(shown)} · ${sps ? `${sps.toFixed(0)} steps/s` : '— steps/s'} · ${this.backend}`;
    this.stats.title = `${this.runs.length} models, each ${sps.toFixed(1)} steps per second on the ${this.backend} backend (batch ${this.c.batch}, H ${this.c.H}).`;
    this.stats.dataset.step = String(shown);
    this.stats.dataset.sps = sps.toFixed(1);
    this.stats.dataset.backend = this.backend;
    this.stats.dataset.running = String(this.training());
    if (!this.error) this.message.classList.remove('error');
    // Text and the table change a few times a second at most (screen readers, layout).
    if (now - this.lastTable < TABLE_MS && this.training()) return;
    this.lastTable = now;
    this.summary.textContent = this.replayTo > 0 ? '' : summarize(this.c, this.c.models, this.history, this.step, this.text?.text ?? '');
    this.drawTable(ref.accuracy !== undefined);
  }

  /** Per model: loss at the first recorded step and now, accuracy now, the last step's gradient norm. */
  private drawTable(accuracy: boolean): void {
    const first = this.history.points[0];
    const head = el('tr');
    for (const h of ['', 'loss at first', 'loss now', ...(accuracy ? ['accuracy now'] : []), '‖∇θ‖ last step']) head.append(el('th', {}, h));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    this.c.models.forEach((key, m) => {
      const tr = el('tr', { 'data-model': key });
      const now = this.history.last(m, 'loss');
      const acc = this.history.last(m, 'accuracy');
      const g = this.runs[m]?.last?.gradNorm;
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

  /** The panel's width changed: the charts follow (layout is read here, not every frame). */
  resize(): void {
    for (const ch of Object.values(this.charts)) ch?.resize();
    this.drawEigen();
  }

  /** Refreshes the views of the model at viewCursor; after the last model, redraws them. */
  private refreshView(): void {
    const run = this.runs[this.viewCursor];
    if (this.c.task === 'text') {
      const fr = run.trainer.freeRunning();
      run.text = { sample: run.trainer.sample(SAMPLE_CHARS, this.c.temperature), teacherForced: fr.teacherForced, freeRunning: fr.freeRunning };
    }
    if (run.last) {
      const spec = run.trainer.spectrum(RECURRENT_GATE[run.key])[0];
      run.view = {
        singular: Array.from(spec.singular), re: spec.re, im: spec.im, gate: spec.gate,
        // Steps back from the last step: index 0 is the last step.
        flow: Array.from(run.trainer.gradientNorms()).reverse(),
        ...(this.c.task === 'recall' ? { conn: Array.from(run.trainer.connectivity()) } : {}),
      };
    }
    this.viewCursor = (this.viewCursor + 1) % this.runs.length;
    this.drawViews();
  }

  /** Spectrum, gradient flow, connectivity and text views from each model's last refresh. */
  private drawViews(): void {
    const pad = (rows: (number[] | undefined)[]) => {
      const n = Math.max(0, ...rows.map((r) => r?.length ?? 0));
      return { n, ys: rows.map((r) => Array.from({ length: n }, (_, i) => r?.[i] ?? null)) };
    };
    const idx = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
    const views = this.runs.map((r) => r.view);
    const sv = pad(views.map((v) => v?.singular));
    this.charts.sv?.setData(idx(sv.n, 1), [...sv.ys, idx(sv.n).map(() => 1)]);
    const flow = pad(views.map((v) => v?.flow));
    this.charts.flow?.setData(idx(flow.n), flow.ys);
    this.eigenData = this.runs.flatMap((r) => (r.view ? [{ key: r.key, re: r.view.re, im: r.view.im }] : []));
    this.drawEigen();
    const rho = (v: NonNullable<Run['view']>) => v.re.reduce((m, re, i) => Math.max(m, Math.hypot(re, v.im[i])), 0);
    this.spectrumNote.textContent = this.runs.flatMap((r) => (r.view
      ? [`${MODEL_INFO[r.key].label}${r.view.gate === 'h' ? '' : ` (block ${r.view.gate})`}: σ_max ${r.view.singular[0]?.toFixed(2) ?? '—'}, spectral radius ${rho(r.view).toFixed(2)}`]
      : [])).join('; ') + '. Outside the circle a direction grows step after step; well inside it fades.';
    if (this.c.task === 'recall') {
      const conn = pad(views.map((v) => v?.conn));
      this.charts.conn?.setData(idx(conn.n), conn.ys);
      // The symbols sit at t = 0..length-1, the cue after the delay, the first answer one step later.
      const recallAt = this.c.length + this.c.delay + 1;
      this.connNote.textContent = `How much the answer at the recall step (t = ${recallAt}) depends on each input; x_0 holds the first symbol: ` +
        this.runs.map((r) => `${MODEL_INFO[r.key].label} ${formatSmall(r.view?.conn?.[0] ?? NaN)}`).join('; ') + '.';
    }
    if (this.c.task === 'text') this.drawText();
  }

  private drawText(): void {
    const rows: HTMLElement[] = [];
    const head = el('tr');
    for (const h of ['', 'teacher-forced', 'free-running']) head.append(el('th', {}, h));
    const body = el('tbody');
    for (const run of this.runs) {
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

  /** The canvases tests check are drawn. */
  get canvases(): HTMLCanvasElement[] {
    return [...Object.values(this.charts).map((ch) => ch?.canvas), this.eigen].filter((c): c is HTMLCanvasElement => !!c);
  }
}

/**
 * The block of W_hh the spectrum views show: the RNN's own, the LSTM's and GRU's candidate (g, n),
 * the block that plays the RNN's part; the others are gates squashed by a sigmoid.
 */
const RECURRENT_GATE: Record<TrainModelKey, string> = { rnn: 'h', irnn: 'h', lstm: 'g', gru: 'n' };

function formatSmall(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(2) : v.toPrecision(3);
}
