// "Training Playground": tanh RNN, IRNN, LSTM and GRU trained live, side by side, on the same
// batches of one task (delayed recall, the adding problem, next-character prediction on text,
// next-value prediction on the user's numbers).
// Training never gets in the editor's way: the models train in the lab's Workers, in parallel
// (pool.ts; on the page, in 12 ms of each frame, where no Worker starts), the page only draws;
// charts redraw at most once a frame, the slower views (spectrum, gradient flow, connectivity,
// text samples) are measured by the loops a few times a second, and a hidden panel does not train. The run's step and curves are reported to the host (at most once a
// second) so that a window reload shows them and replays the weights to that step (same seed,
// same batches).
import {
  type LabHostMessage, type LabViewState, type TrainControls, type TrainLayerRef, type TrainModelKey, type TrainProgress, type TrainSeries,
} from '../../../../protocol';
import type { Metrics, TrainerConfig } from '../../../../engine/train';
import {
  History, needsRestart, referenceLevels, stepText, summarize, trainerConfig, vocabulary,
} from './math';
import { textCharacters } from '../../../../engine/train/tasks';
import { SERIES_MIN_VALUES } from '../../../../engine/train/series';
import { el } from '../../../ui/dom';
import { errorText } from '../../../ui/text';
import type { Demo } from '../../demo';
import type { TrainDemoHost, TrainText } from './spec';
import { TrainCharts, type Run } from './charts';
import { TrainWidgets } from './controls';
import { TrainPool, workerCount } from './pool';
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
/** How many steps the models may train ahead of the last step every one of them has made. */
const LEAD = 32;
/** On the page (no Worker), the share of a frame given to training. */
const PAGE_SLICE_MS = 12;

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
  private active = false;
  private frame = 0;
  private readonly pool: TrainPool;
  /** Paused: the step the models train to ("One step" raises it). */
  private hold = 0;
  private measuring = false;
  /** Whether a run was ever asked for (the first activation starts one). */
  private begun = false;

  private rate = { t0: 0, steps: 0, perSecond: 0 };
  private lastInspect = 0;
  /** The next model whose views are measured. */
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
    this.pool = new TrainPool({
      started: (_i, backend) => {
        this.backend = backend;
        this.dirty = true;
        this.requestFrame();
      },
      round: (step, metrics) => this.round(step, metrics),
      measured: (r) => {
        this.measuring = false;
        const run = this.runs[r.index];
        if (!run) return;
        Object.assign(run, { view: r.view ?? run.view, text: r.text ?? run.text, held: r.held ?? run.held, measuredAt: r.step });
        if (this.layer && r.drift) this.drift.add(r.step, r.drift.gates, r.drift.values);
        this.viewCursor = (r.index + 1) % this.runs.length;
        this.drawViews();
        this.requestFrame();
      },
      failed: (message) => this.fail(message),
      moved: () => {
        this.dirty = true;
        this.requestFrame();
      },
    }, workerCount(navigator.hardwareConcurrency));
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
        this.hold = Math.max(this.hold, this.step + 1);
        this.syncTarget();
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
    this.pool.dispose();
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
    this.begun = true;
    if (!keepHistory) {
      this.history = new History(this.shown.models.length);
      this.replayTo = 0;
    }
    this.pool.stop();
    this.runs = [];
    this.step = 0;
    this.hold = 0;
    this.measuring = false;
    this.viewCursor = 0;
    this.figures.clear();
    this.drift.clear();
    this.error = '';
    this.lastInspect = 0;
    this.rate = { t0: 0, steps: 0, perSecond: 0 };
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
    this.build();
  }

  private build(): void {
    const text = this.text?.text ?? '';
    this.textNote.textContent = this.c.task === 'text' && this.text
      ? `Training on ${this.text.label}: ${textCharacters(text).length.toLocaleString('en-US')} characters, ${vocabulary(text).length} distinct.` : '';
    if (this.shown.models.length === 0) {
      this.fail('Choose at least one model to train.');
      return;
    }
    let models: { key: TrainModelKey; config: TrainerConfig }[];
    try {
      models = this.shown.models.map((key) => ({ key, config: this.config(key, text, this.values()) }));
    } catch (err) {
      this.fail(errorText(err));
      return;
    }
    this.runs = models.map((m) => ({ key: m.key }));
    this.pool.start(models, this.layer);
    // The drift curve starts at the loaded weights: 0 for every gate at step 0.
    if (this.layer) {
      const d = layerDrift(this.layer, this.layer.params);
      this.drift.add(0, d.gates, d.values);
    }
    this.message.textContent = this.replayTo > 0 ? `Replaying the restored run to step ${stepText(this.replayTo)}…` : '';
    this.buildCharts();
    this.syncTarget();
    this.dirty = true;
    this.requestFrame();
  }

  /** A model's trainer configuration; the backend setting may ask for js (or wasm), else wasm where it compiles. */
  private config(key: TrainModelKey, text: string, values: readonly number[]): TrainerConfig {
    const forced = document.body.dataset.backend;
    const cfg = this.layer ? layerTrainerConfig(this.c, this.layer, text, values) : trainerConfig(this.c, key, text, values);
    if (typeof cfg === 'string') throw new RangeError(`${this.layer?.label ?? ''}: ${cfg}`);
    return { ...cfg, ...(forced === 'js' || forced === 'wasm' ? { backend: forced } : {}) };
  }

  private fail(message: string): void {
    this.error = message;
    this.message.textContent = message;
    this.message.classList.add('error');
    this.host.onError(`train: ${message}`);
  }

  /** Step `step` of the run: every model made it (pool.ts); replayed steps are not recorded again. */
  private round(step: number, metrics: Metrics[]): void {
    this.step = step;
    this.rate.steps++;
    metrics.forEach((m, i) => {
      if (this.runs[i]) this.runs[i].last = m;
    });
    if (step > this.replayTo) this.history.add(step, metrics);
    // Stepped while paused ("One step"): every model's views are measured again at this step.
    if (!this.training()) this.lastInspect = 0;
    if (this.replayTo > 0 && step >= this.replayTo) {
      this.replayTo = 0;
      this.message.textContent = '';
    }
    this.syncTarget();
    this.dirty = true;
    this.requestFrame();
  }

  /** How far the run may go: ahead while playing (or replaying), else no further (or the step "One step" asked for). */
  private syncTarget(): void {
    if (this.training()) this.pool.runTo(Math.max(this.replayTo, this.step + LEAD));
    else this.pool.runTo(Math.max(this.hold, this.step));
  }

  // ---- the frame loop ---------------------------------------------------------------------------

  activate(): void {
    this.active = true;
    if (!this.begun) this.restart(this.replayTo > 0);
    this.requestFrame();
  }

  deactivate(): void {
    this.active = false;
    this.syncTarget();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** The panel was hidden or shown again (document.visibilityState). */
  visibilityChanged(): void {
    this.rate = { t0: 0, steps: 0, perSecond: this.rate.perSecond };
    this.syncTarget();
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
    try {
      this.syncTarget();
      // One model's slower views (spectrum, gradient flow and connectivity, or its text sample) at
      // a time, measured by its loop: each model in turn, then a pause of the period.
      const live = this.runs.length > 0 && this.replayTo === 0 && !this.error;
      const due = this.viewCursor > 0 || (now - this.lastInspect >= (this.c.task === 'text' ? SAMPLE_MS : INSPECT_MS) && (this.training() || this.dirty || !this.lastInspect));
      if (live && !this.measuring && due) {
        if (this.viewCursor === 0) this.lastInspect = now;
        this.measuring = true;
        this.pool.measure(this.viewCursor, this.c.task, this.c.temperature);
      }
      // On the page (no Worker) the models train here, in a slice of this frame; in Workers, beside it.
      if (this.pool.wantsFrames) this.pool.frame(PAGE_SLICE_MS);
      if (this.training()) {
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
    if (this.training() || this.pool.wantsFrames) this.requestFrame();
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
    this.figures.curves(this.shown.models.length, this.history, ref, this.training());

    const shown = Math.max(this.step, this.replayTo);
    const sps = this.rate.perSecond;
    const where = this.pool.workers ? `in ${this.pool.workers} Worker${this.pool.workers === 1 ? '' : 's'}` : this.pool.where === 'page' ? 'on the page' : 'starting';
    this.stats.textContent = `step ${stepText(shown)} · ${sps ? `${sps.toFixed(0)} steps/s` : '— steps/s'} · ${this.backend} · ${where}`;
    this.stats.title = `${this.runs.length} models, each ${sps.toFixed(1)} steps per second on the ${this.backend} backend, ${where} (batch ${this.c.batch}, H ${this.c.H}).${this.pool.note ? ` On the page: ${this.pool.note}.` : ''}`;
    this.stats.dataset.workers = String(this.pool.workers);
    this.stats.dataset.where = this.pool.where;
    this.stats.dataset.step = String(shown);
    this.stats.dataset.sps = sps.toFixed(1);
    this.stats.dataset.backend = this.backend;
    this.host.corner(`${this.backend} · ${where}`, `The playground's models train ${where}, on the ${this.backend} backend.`);
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

  private drawViews(): void {
    this.figures.views(this.shown, this.runs);
  }

  /** The series task's numbers (empty for the other tasks). */
  private values(): readonly number[] {
    return this.c.task === 'series' ? this.series.values().values : [];
  }

  /** The canvases tests check are drawn. */
  get canvases(): HTMLCanvasElement[] {
    return [...this.figures.canvases, ...(this.drift.canvas ? [this.drift.canvas] : [])];
  }
}
