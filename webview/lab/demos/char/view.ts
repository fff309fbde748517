// "Character Model": a character-level LSTM, GRU or RNN trained live on the editor's text (or its
// selection), in the playground's manner: steps run in chunks inside a frame budget (FrameBudget,
// 10 ms of steps per animation frame), the held-out loss, the sample and the hidden units' views
// refresh a few times a second, one per frame, and a hidden panel does not train. The controls are
// saved in the view state (a window reload keeps them); the text is asked of the host again.
import { LAB_DEFAULTS, type CharControls, type LabHostMessage, type LabViewState } from '../../../../protocol';
import { createTrainer, type Trainer } from '../../../../engine/train';
import { textCharacters } from '../../../../engine/train/tasks';
import { el } from '../../../ui/dom';
import { errorText } from '../../../ui/text';
import { demoSpec, type Demo, type DemoContext } from '../../demo';
import { FrameBudget } from '../../common/frameBudget';
import { CharWidgets } from './controls';
import { CharFigures, SHADED_CHARS, type LossPoint } from './figures';
import {
  charNeedsRestart, charShape, charTrainerConfig, exportMessage, hiddenStates, textFeatures, textStats, trackingUnits,
} from './math';

const EVAL_MS = 1000;
const SAMPLE_MS = 1500;
const UNITS_MS = 1500;
const SAMPLE_CHARS = 200;
/** The stretch of text the units' correlations are measured over. */
const TRACK_CHARS = 2000;
/** Most loss points kept; beyond it every other one is dropped. */
const MAX_POINTS = 400;

type CharText = Extract<LabHostMessage, { type: 'charText' }>;

export class CharDemo implements Demo {
  readonly id = 'char' as const;
  readonly root = el('section', { id: 'char-demo', class: 'demo', 'aria-label': 'Character model' });
  private c: CharControls;
  private text: CharText | undefined;
  private stats: ReturnType<typeof textStats> | undefined;
  private chars: string[] = [];
  private trainer: Trainer | undefined;
  private step = 0;
  private points: LossPoint[] = [];
  private pending = { sum: 0, n: 0 };
  private held: number | null = null;
  private error = '';
  private active = false;
  private frame = 0;
  private readonly budget = new FrameBudget(10);
  private rate = { t0: 0, steps: 0, perSecond: 0 };
  private last = { eval: 0, sample: 0, units: 0 };
  private dirty = true;
  private readonly statsLine = el('div', { id: 'char-stats', class: 'status', role: 'status' });
  private readonly message = el('p', { id: 'char-message', class: 'note' });
  private readonly textNote = el('p', { id: 'char-text-note', class: 'note' });
  private readonly widgets: CharWidgets;
  private readonly figures: CharFigures;

  constructor(initial: CharControls, private readonly ctx: DemoContext) {
    this.c = { ...initial };
    this.widgets = new CharWidgets(this.c, this.statsLine, {
      current: () => this.c,
      set: (patch) => this.apply({ ...this.c, ...patch }),
      oneStep: () => {
        if (this.c.running) this.apply({ ...this.c, running: false });
        this.trainSteps(1);
        this.last = { eval: 0, sample: 0, units: 0 };
        this.dirty = true;
        this.requestFrame();
      },
      reset: () => this.restart(),
      exportModel: () => this.exportModel(),
    });
    this.figures = new CharFigures(this.widgets.unitRow);
    const grid = el('div', { class: 'train-grid' });
    grid.append(this.figures.lossBox, this.figures.sampleBox);
    this.root.append(this.widgets.transport, this.message, this.textNote, this.figures.lossLine, grid, this.figures.unitBox, this.widgets.controls);
    this.figures.build();
    this.widgets.updatePlay(this.c.running);
  }

  // ---- the page's hooks -------------------------------------------------------------------------

  show(state: LabViewState): void {
    const next = state.char ?? LAB_DEFAULTS.char;
    const restart = charNeedsRestart(this.c, next);
    this.c = { ...next };
    this.widgets.sync(this.c);
    this.widgets.updatePlay(this.c.running);
    if (!this.text) {
      this.message.textContent = 'Reading the text to train on…';
      this.ctx.send({ type: 'requestCharText' });
    } else if (restart) {
      this.restart();
    }
  }

  attached(): void {
    this.active = true;
    this.requestFrame();
  }

  hide(): void {
    this.deactivate();
  }

  handle(msg: LabHostMessage): void {
    if (msg.type === 'charText') this.setText(msg);
    if (msg.type === 'charExported') {
      this.widgets.exportStatus.textContent = msg.text;
      this.widgets.exportStatus.classList.toggle('error', !msg.ok);
      this.widgets.exportStatus.dataset.ok = String(msg.ok);
    }
  }

  themeChanged(): void {
    this.figures.build();
    this.dirty = true;
    this.requestFrame();
  }

  resized(): void {
    this.figures.resize();
  }

  visibilityChanged(): void {
    this.rate = { t0: 0, steps: 0, perSecond: this.rate.perSecond };
    this.requestFrame();
  }

  dispose(): void {
    this.deactivate();
  }

  // ---- configuration ---------------------------------------------------------------------------

  private apply(next: CharControls): void {
    const restart = charNeedsRestart(this.c, next);
    const unitsChanged = next.H !== this.c.H;
    if (unitsChanged) next = { ...next, unit: Math.min(next.unit, next.H - 1) };
    const resample = next.temperature !== this.c.temperature;
    const reshade = next.unit !== this.c.unit;
    this.c = next;
    if (unitsChanged || reshade) this.widgets.syncUnits(this.c);
    this.widgets.updatePlay(this.c.running);
    this.ctx.update((s) => ({ ...s, char: this.c }));
    this.ctx.persist();
    if (restart) this.restart();
    if (resample) this.last.sample = 0;
    if (reshade) this.last.units = 0;
    this.dirty = true;
    this.requestFrame();
  }

  private setText(t: CharText): void {
    if (this.text && this.trainer && t.text === this.text.text && t.label === this.text.label) return;
    this.text = t;
    this.chars = textCharacters(t.text);
    this.stats = t.error ? undefined : textStats(t.text);
    this.restart();
  }

  // ---- the run ------------------------------------------------------------------------------

  private restart(): void {
    this.trainer = undefined;
    this.step = 0;
    this.points = [];
    this.pending = { sum: 0, n: 0 };
    this.held = null;
    this.error = '';
    this.last = { eval: 0, sample: 0, units: 0 };
    this.rate = { t0: 0, steps: 0, perSecond: 0 };
    this.message.classList.remove('error');
    this.message.textContent = '';
    this.figures.sample.textContent = '';
    if (!this.text) return;
    if (this.text.error) return this.fail(this.text.error);
    const s = this.stats!;
    const shared = s.shareOther > 0 ? `; the ${s.shareOther} rarest share the "other" symbol ${JSON.stringify('\uFFFD')}` : '';
    this.textNote.textContent = `Training on ${this.text.label}: ${this.chars.length.toLocaleString('en-US')} characters, ${s.distinct} distinct, ${s.symbols.length} symbols${shared}. Seed ${this.c.seed}.`;
    this.textNote.dataset.symbols = String(s.symbols.length);
    this.textNote.dataset.shareOther = String(s.shareOther);
    const shape = charShape(this.chars.length);
    if (typeof shape === 'string') return this.fail(shape);
    try {
      // The trainer runs on wasm where it compiles, else js; the backend setting may ask for js (or wasm).
      const forced = document.body.dataset.backend;
      this.trainer = createTrainer(charTrainerConfig(this.c, this.text.text, shape, forced === 'js' || forced === 'wasm' ? forced : undefined));
    } catch (err) {
      return this.fail(errorText(err));
    }
    this.dirty = true;
    this.requestFrame();
  }

  private fail(message: string): void {
    this.error = message;
    this.message.textContent = message;
    this.message.classList.add('error');
    this.ctx.send({ type: 'error', message: `char: ${message}` });
  }

  private trainSteps(n: number): void {
    if (!this.trainer) return;
    for (let k = 0; k < n; k++) {
      const m = this.trainer.step(1);
      this.step++;
      this.rate.steps++;
      if (Number.isFinite(m.loss)) {
        this.pending.sum += m.loss;
        this.pending.n++;
      }
    }
  }

  /** The training loss since the last point and the held-out loss now, as one point. */
  private record(): void {
    if (!this.trainer || this.step === 0) return;
    this.held = this.trainer.evaluate(2).loss;
    const train = this.pending.n ? this.pending.sum / this.pending.n : (this.points.at(-1)?.train ?? null);
    if (this.points.at(-1)?.step !== this.step) this.points.push({ step: this.step, train, held: Number.isFinite(this.held) ? this.held : null });
    this.pending = { sum: 0, n: 0 };
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 1 || i === this.points.length - 1);
  }

  private exportModel(): void {
    if (!this.trainer || !this.stats) {
      this.widgets.exportStatus.textContent = 'Nothing to export yet: the model has not been built.';
      return;
    }
    this.widgets.exportStatus.textContent = 'Exporting…';
    delete this.widgets.exportStatus.dataset.ok;
    this.ctx.send(exportMessage(this.c, this.trainer.parameters(), this.stats.symbols, this.step));
  }

  // ---- the frame loop ---------------------------------------------------------------------------

  private deactivate(): void {
    this.active = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private requestFrame(): void {
    if (!this.active || this.frame) return;
    this.frame = requestAnimationFrame((now) => {
      this.frame = 0;
      this.tick(now);
    });
  }

  private training(): boolean {
    return this.active && !!this.trainer && !this.error && document.visibilityState === 'visible' && this.c.running;
  }

  private tick(now: number): void {
    const t0 = performance.now();
    try {
      if (this.trainer) this.refreshOne(now);
      if (this.training()) {
        const t1 = performance.now();
        const n = this.budget.stepsWithin(this.budget.budgetMs - (t1 - t0));
        this.trainSteps(n);
        this.budget.record(n, performance.now() - t1);
        if (!this.rate.t0) this.rate = { t0: now, steps: 0, perSecond: this.rate.perSecond };
        if (now - this.rate.t0 >= 1000) this.rate = { t0: now, steps: 0, perSecond: (1000 * this.rate.steps) / (now - this.rate.t0) };
        this.dirty = true;
      }
      if (this.dirty) this.draw();
      this.dirty = false;
    } catch (err) {
      this.fail(errorText(err));
    }
    if (this.training() || (this.trainer && !this.error && this.stale(now))) this.requestFrame();
  }

  /** Whether a slower view is due (after a step, a reset, a new unit or temperature). */
  private stale(now: number): boolean {
    return this.last.eval === 0 || this.last.sample === 0 || this.last.units === 0 || (this.c.running && now - this.last.eval >= EVAL_MS);
  }

  /** At most one of the slower views per frame: the held-out loss, the sample, the units. */
  private refreshOne(now: number): void {
    const trainer = this.trainer!;
    const live = this.training();
    if (this.last.eval === 0 || (live && now - this.last.eval >= EVAL_MS)) {
      this.last.eval = now;
      this.record();
      this.dirty = true;
    } else if (this.last.sample === 0 || (live && now - this.last.sample >= SAMPLE_MS)) {
      this.last.sample = now;
      this.figures.showSample(trainer.sample(SAMPLE_CHARS, this.c.temperature), this.step, this.c.temperature);
    } else if (this.last.units === 0 || (live && now - this.last.units >= UNITS_MS)) {
      this.last.units = now;
      this.drawUnits(trainer);
    }
  }

  private drawUnits(trainer: Trainer): void {
    const stretch = this.chars.slice(0, Math.max(SHADED_CHARS, TRACK_CHARS));
    const h = hiddenStates(this.c, trainer.parameters(), stretch, this.stats!.symbols, trainer.backend);
    this.figures.shade(stretch, h, this.c.H, this.c.unit, this.step);
    this.figures.track(trackingUnits(h, this.c.H, textFeatures(stretch)), stretch.length, (unit) => this.apply({ ...this.c, unit }));
  }

  private draw(): void {
    const s = this.stats;
    if (s) {
      this.figures.curves(this.points, s.uniform, s.unigram);
      this.figures.lossText(this.step, this.points.at(-1), this.held, s.uniform, s.unigram, s.symbols.length);
    }
    const sps = this.rate.perSecond;
    this.statsLine.textContent = `step ${this.step.toLocaleString('en-US')} · ${sps ? `${sps.toFixed(0)} steps/s` : '— steps/s'} · seed ${this.c.seed} · ${this.trainer?.backend ?? '…'}`;
    this.statsLine.dataset.step = String(this.step);
    this.statsLine.dataset.running = String(this.training());
  }
}

/** The character model trains in its own frame loop; its controls go into the view state. */
export const charDemo = demoSpec('char', (ctx, state) => new CharDemo(state.char ?? LAB_DEFAULTS.char, ctx), ['charText', 'charExported']);
