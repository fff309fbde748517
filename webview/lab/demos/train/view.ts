// "Training Playground": tanh RNN, IRNN, LSTM and GRU trained live, side by side, on the same
// batches of one task (delayed recall, the adding problem, next-character prediction on text,
// next-value prediction on the user's numbers).
// Training never gets in the editor's way: steps run in chunks inside a frame budget (FrameBudget,
// 12 ms of steps per animation frame), charts redraw at most once a frame, the slower views
// (spectrum, gradient flow, connectivity, text samples) refresh a few times a second, and a hidden
// panel does not train. The run's step and curves are reported to the host (at most once a
// second) so that a window reload shows them and replays the weights to that step (same seed,
// same batches).
import {
  type LabHostMessage, type LabViewState, type TrainControls, type TrainLayerRef, type TrainModelKey, type TrainProgress, type TrainSeries,
} from '../../../../protocol';
import { createTrainer } from '../../../../engine/train';
import type { Trainer } from '../../../../engine/train';
import {
  FrameBudget, History, needsRestart, referenceLevels, stepText, summarize, trainerConfig, vocabulary,
} from './math';
import { textCharacters } from '../../../../engine/train/tasks';
import { SERIES_MIN_VALUES } from '../../../../engine/train/series';
import { el } from '../../../ui/dom';
import { errorText } from '../../../ui/text';
import type { Demo } from '../../demo';
import type { TrainDemoHost } from './spec';
import { TrainCharts, type Run } from './charts';
import { TrainWidgets } from './controls';
import { measureRun } from './measure';
import { SeriesInput } from './series';
import { DriftChart } from './driftChart';
import {
  awaitingText, layerDrift, layerFromHost, layerModelKey, layerRef, layerTaskProblem, layerTrainerConfig, takeHandedLayer, type LayerToTrain,
} from './fromLayer';

/** How often the slower views refresh while training (ms). */
const INSPECT_MS = 500;
const SAMPLE_MS = 1500;
const TABLE_MS = 250;
const REPORT_MS = 1000;

export interface TrainText {
  source: TrainControls['textSource'];
  label: string;
  text: string;
}


export class TrainDemo implements Demo {
  readonly root = el('section', { id: 'train-demo', class: 'demo', 'aria-label': 'Training playground' });
  readonly id = 'train' as const;
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
  private readonly message = el('p', { id: 'train-message', class: 'note' });
  private readonly textNote = el('p', { id: 'train-text-note', class: 'note' });
  private readonly widgets: TrainWidgets;
  private readonly series: SeriesInput;

  private readonly figures = new TrainCharts();
  /** "Train this layer": the checkpoint layer the run trains instead of the four models. */
  private layer: LayerToTrain | undefined;
  /** After a window reload: the layer it trained, until the host sends it again (or says why not). */
  private awaiting: TrainLayerRef | undefined;
  private readonly drift = new DriftChart(() => this.trainLayer(undefined));

  constructor(initial: TrainControls, progress: TrainProgress | undefined, private readonly host: TrainDemoHost, series?: TrainSeries, layer?: TrainLayerRef) {
    this.c = { ...initial, models: [...initial.models] };
    this.awaiting = layer;
    this.history = new History(this.c.models.length, progress?.points);
    this.replayTo = progress?.step ?? 0;

    const set = (patch: Partial<TrainControls>) => this.apply({ ...this.c, ...patch }, true);
    this.series = new SeriesInput(series, {
      changed: (s) => {
        host.onSeries(s);
        if (this.c.task === 'series') this.restart();
      },
      pickCsv: () => host.pickCsv(),
    });
    this.widgets = new TrainWidgets(this.c, this.stats, this.series.rows, {
      current: () => this.c,
      set,
      rereadText: () => {
        this.text = undefined;
        this.restart();
      },
      oneStep: () => {
        if (this.c.running) set({ running: false });
        this.oneStep();
        this.lastInspect = 0;
        this.dirty = true;
        this.requestFrame();
      },
      reset: () => this.restart(),
    });
    this.figures.grid.prepend(this.drift.box);
    this.root.append(this.widgets.transport, this.drift.headline, this.message, this.textNote, this.summary, this.figures.grid, this.figures.table, this.widgets.controls);
    this.showRows();
    this.buildCharts();
    if (layer) this.drift.show(layer.label, awaitingText(layer));
  }

  get controls(): TrainControls {
    return this.c;
  }

  // ---- the page's hooks -------------------------------------------------------------------------

  show(state: LabViewState): void {
    const before = this.series.values();
    this.series.set(state.trainSeries);
    this.setControls(state.train, state.trainProgress);
    if (this.c.task === 'series' && this.series.values() !== before && !needsRestart(this.c, state.train)) this.restart(true);
  }

  /** Trains a checkpoint's layer (from the inspector) in place of the four models, or (undefined) the four again. */
  private trainLayer(layer: LayerToTrain | undefined): void {
    this.layer = layer;
    this.awaiting = undefined;
    this.host.onLayer(layer && layerRef(layer));
    this.drift.show(layer?.label);
    this.widgets.layerMode(layer !== undefined);
    // The layer's input width decides the tasks: text where the one chosen cannot feed it.
    if (layer && layerTaskProblem(this.c.task, layer.D)) {
      this.c = { ...this.c, task: 'text' };
      this.syncWidgets();
      this.host.onControls(this.c);
    }
    this.restart();
  }

  /** The controls as the run uses them: in layer mode its one model. */
  private get shown(): TrainControls {
    return this.layer ? { ...this.c, models: [layerModelKey(this.layer)] } : this.c;
  }

  attached(): void {
    // A layer the inspector handed over (its button opened this demo): in the page now, so the widgets take the task shown.
    const handed = takeHandedLayer();
    if (handed) this.trainLayer(handed);
    this.activate();
  }

  hide(): void {
    this.deactivate();
  }

  handle(msg: LabHostMessage): void {
    if (msg.type === 'text') this.setText({ source: msg.source, label: msg.label, text: msg.text });
    else if (msg.type === 'csv') this.series.csvRead(msg.csv);
    else if (msg.type === 'csvError') this.series.csvFailed(msg.text);
    else if (msg.type === 'trainLayer' && this.awaiting?.file === msg.file && this.awaiting.index === msg.index) {
      const layer = layerFromHost(msg);
      if (typeof layer === 'string') this.layerRefused(layer);
      else this.trainLayer(layer);
    } else if (msg.type === 'trainLayerError' && this.awaiting) this.layerRefused(msg.text);
  }

  /** The layer did not come back after the reload: the four models train, the headline says why. */
  private layerRefused(text: string): void {
    this.trainLayer(undefined);
    this.drift.notice(text);
  }

  themeChanged(): void {
    this.buildCharts();
    this.requestFrame();
  }

  resized(): void {
    this.resize();
  }

  dispose(): void {
    this.deactivate();
  }

  // ---- configuration ---------------------------------------------------------------------------

  /** Controls from the host (a CodeLens, a revived panel) or from a widget. */
  setControls(c: TrainControls, progress?: TrainProgress): void {
    const restart = needsRestart(this.c, c);
    this.c = { ...c, models: [...c.models] };
    this.syncWidgets();
    if (restart) {
      this.history = new History(this.shown.models.length, progress?.points);
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
    this.widgets.sync(this.c);
    this.showRows();
  }

  private showRows(): void {
    this.widgets.showRows(this.c.task);
    this.series.show(this.c.task === 'series');
    this.figures.showPanels(this.c.task);
  }

  private updatePlay(): void {
    this.widgets.updatePlay(this.c.running);
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
      this.history = new History(this.shown.models.length);
      this.replayTo = 0;
    }
    this.runs = [];
    this.step = 0;
    this.cursor = 0;
    this.viewCursor = 0;
    this.figures.clear();
    this.drift.clear();
    this.error = '';
    this.lastInspect = 0;
    this.rate = { t0: 0, steps: 0, perSecond: 0 };
    const id = ++this.building;
    if (this.awaiting) return;
    if (this.c.task === 'text' && !this.text) {
      this.message.textContent = 'Reading the text to train on…';
      this.host.requestText(this.c.textSource);
      return;
    }
    if (this.c.task === 'series' && this.values().length < SERIES_MIN_VALUES) {
      this.message.textContent = `Paste at least ${SERIES_MIN_VALUES} numbers, or choose a CSV file and a column, to train on them.`;
      return;
    }
    void this.build(id);
  }

  private async build(id: number): Promise<void> {
    const text = this.text?.text ?? '';
    this.textNote.textContent = this.c.task === 'text' && this.text
      ? `Training on ${this.text.label}: ${textCharacters(text).length.toLocaleString('en-US')} characters, ${vocabulary(text).length} distinct.` : '';
    if (this.shown.models.length === 0) {
      this.fail('Choose at least one model to train.');
      return;
    }
    const runs: Run[] = [];
    try {
      for (const key of this.shown.models) {
        runs.push({ key, trainer: await this.create(key, text, this.values()) });
        if (id !== this.building) return;
      }
    } catch (err) {
      if (id === this.building) this.fail(errorText(err));
      return;
    }
    this.runs = runs;
    // The drift curve starts at the loaded weights: 0 for every gate at step 0.
    if (this.layer && runs[0]) {
      const d = layerDrift(this.layer, runs[0].trainer);
      this.drift.add(0, d.gates, d.values);
    }
    this.message.textContent = this.replayTo > 0 ? `Replaying the restored run to step ${stepText(this.replayTo)}…` : '';
    this.buildCharts();
    this.dirty = true;
    this.requestFrame();
  }

  /** The trainer picks wasm where the page may compile WebAssembly, js otherwise; the corner says which. */
  private async create(key: TrainModelKey, text: string, values: readonly number[]): Promise<Trainer> {
    // The trainer runs on wasm where it compiles, else js; the backend setting may ask for js (or wasm).
    const forced = document.body.dataset.backend;
    const cfg = this.layer ? layerTrainerConfig(this.c, this.layer, text, values) : trainerConfig(this.c, key, text, values);
    if (typeof cfg === 'string') throw new RangeError(`${this.layer?.label ?? ''}: ${cfg}`);
    const trainer = await createTrainer({ ...cfg, ...(forced === 'js' || forced === 'wasm' ? { backend: forced } : {}) });
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
      this.fail(errorText(err));
    }
    // A layer's run is not kept across a reload (fromLayer.ts): its curves are not reported.
    if (now - this.lastReport >= REPORT_MS && this.step > 0 && this.replayTo === 0 && !this.layer) {
      this.lastReport = now;
      this.host.onProgress(this.progress());
    }
    if (this.training()) this.requestFrame();
  }

  progress(): TrainProgress {
    return { step: Math.max(this.step, this.replayTo), points: this.history.points };
  }

  // ---- drawing --------------------------------------------------------------------------------

  /** (Re)builds the charts for the current models and theme. */
  buildCharts(): void {
    this.drift.build();
    this.figures.build(this.shown, referenceLevels(this.c, this.text?.text ?? '', this.values()), this.runs);
    this.dirty = true;
  }

  private draw(now = performance.now()): void {
    const ref = referenceLevels(this.c, this.text?.text ?? '', this.values());
    this.figures.curves(this.shown.models.length, this.history, ref);

    const shown = Math.max(this.step, this.replayTo);
    const sps = this.rate.perSecond;
    this.stats.textContent = `step ${stepText(shown)} · ${sps ? `${sps.toFixed(0)} steps/s` : '— steps/s'} · ${this.backend}`;
    this.stats.title = `${this.runs.length} models, each ${sps.toFixed(1)} steps per second on the ${this.backend} backend (batch ${this.c.batch}, H ${this.c.H}).`;
    this.stats.dataset.step = String(shown);
    this.stats.dataset.sps = sps.toFixed(1);
    this.stats.dataset.backend = this.backend;
    this.host.corner(`${this.backend} · on the page`, `The playground's models train on the page, on the ${this.backend} backend.`);
    this.stats.dataset.running = String(this.training());
    if (!this.error) this.message.classList.remove('error');
    // Text and the table change a few times a second at most (screen readers, layout).
    if (now - this.lastTable < TABLE_MS && this.training()) return;
    this.lastTable = now;
    this.summary.textContent = this.replayTo > 0 ? '' : summarize(this.c, this.shown.models, this.history, this.step, this.text?.text ?? '', this.values(), this.runs.map((r) => r.held));
    this.figures.numbers(this.shown, this.history, this.runs, ref.accuracy !== undefined);
  }

  /** The panel's width changed: the charts follow (layout is read here, not every frame). */
  resize(): void {
    this.figures.resize();
    this.drift.resize();
  }

  /** Refreshes the views of the model at viewCursor; after the last model, redraws them. */
  private refreshView(): void {
    const run = this.runs[this.viewCursor];
    measureRun(run, this.c);
    if (this.layer && run.last) {
      const d = layerDrift(this.layer, run.trainer);
      this.drift.add(this.step, d.gates, d.values);
    }
    this.viewCursor = (this.viewCursor + 1) % this.runs.length;
    this.drawViews();
  }

  private drawViews(): void {
    this.figures.views(this.shown, this.runs);
  }

  /** The canvases tests check are drawn. */
  /** The series task's numbers (empty for the other tasks). */
  private values(): readonly number[] {
    return this.c.task === 'series' ? this.series.values().values : [];
  }

  get canvases(): HTMLCanvasElement[] {
    return [...this.figures.canvases, ...(this.drift.canvas ? [this.drift.canvas] : [])];
  }
}
