// "Character Model": a character-level LSTM, GRU or RNN trained live on the editor's text (or its
// selection). The model trains in a dedicated Worker (common/workerEngine.ts; on the page, in 10 ms
// slices of each frame, where no Worker starts); this view sends it commands, draws what it replies, and
// asks for the slower views (the held-out loss, a sample, the hidden units over the text) a few
// times a second, one at a time. A hidden panel does not train. The controls are saved in the
// view state (a window reload keeps them); the text is asked of the host again.
import {
  LAB_DEFAULTS, charReplySchema, type CharCommand, type CharControls, type CharRefresh, type CharReply, type LabHostMessage, type LabViewState,
} from '../../../../protocol';
import type { BackendName } from '../../../../engine/types';
import { textCharacters } from '../../../../engine/train/tasks';
import { el } from '../../../ui/dom';
import { demoSpec, type Demo, type DemoContext } from '../../demo';
import { CharWidgets } from './controls';
import { CharFigures, type LossPoint } from './figures';
import { startWorkerEngine, type Where, type WorkerEngine } from '../../common/workerEngine';
import { CharLoop } from './loop';
import { charNeedsRestart, charShape, exportMessage, textStats } from './math';

/** How often each slower view is asked for while the run plays. */
const REFRESH_MS: Record<CharRefresh, number> = { held: 1000, sample: 1500, units: 1500 };
/** On the page, the share of a frame given to training. */
const PAGE_SLICE_MS = 10;
/** Most loss points kept; beyond it every other one is dropped. */
const MAX_POINTS = 400;
/** Where the corner says the model trains. */
const WHERE_TEXT: Record<Where, string> = { starting: 'starting', worker: 'in a Worker', page: 'on the page' };

type CharText = Extract<LabHostMessage, { type: 'charText' }>;

export class CharDemo implements Demo {
  readonly id = 'char' as const;
  readonly root = el('section', { id: 'char-demo', class: 'demo', 'aria-label': 'Character model' });
  private c: CharControls;
  private text: CharText | undefined;
  private stats: ReturnType<typeof textStats> | undefined;
  private chars: string[] = [];
  private readonly engine: WorkerEngine<CharCommand>;
  private where: Where = 'starting';
  private whereNote = '';
  /** The run's generation; replies of an older one are dropped. */
  private gen = 0;
  /** Whether the current run's model is built (`started`), on which backend. */
  private built = false;
  private backend: BackendName | undefined;
  /** Whether the loop was last told to play. */
  private playing = false;
  private step = 0;
  private points: LossPoint[] = [];
  private pending = { sum: 0, n: 0 };
  private held: number | null = null;
  private error = '';
  private active = false;
  private frame = 0;
  private rate = { t0: 0, steps: 0, perSecond: 0 };
  /** When each slower view was last asked for (0: due now), and those on their way. */
  private last: Record<CharRefresh, number> = { held: 0, sample: 0, units: 0 };
  private readonly asked = new Set<CharRefresh>();
  private exporting = false;
  /** The last hidden units' reply: another unit is shaded from it at once. */
  private units: Extract<CharReply, { type: 'units' }> | undefined;
  /** The points the loss chart last drew: it redraws only when a point came (or the theme changed). */
  private drawn: { points: LossPoint[]; n: number } = { points: [], n: -1 };
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
        if (!this.built) return;
        this.engine.send({ type: 'step', gen: this.gen, n: 1 });
        this.staleAll();
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
    this.engine = startWorkerEngine<CharCommand, CharReply>({
      kind: 'char',
      replies: charReplySchema,
      pageLoop: (post) => new CharLoop(post),
      reply: (r) => this.reply(r),
      moved: (where, why) => {
        this.where = where;
        this.whereNote = why ?? '';
        this.dirty = true;
        this.requestFrame();
      },
      crashed: (message) => {
        this.built = false;
        this.fail(message);
      },
    });
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
    this.syncPlaying();
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
    this.drawn.n = -1;
    this.dirty = true;
    this.requestFrame();
  }

  resized(): void {
    this.figures.resize();
  }

  visibilityChanged(): void {
    this.rate = { t0: 0, steps: 0, perSecond: this.rate.perSecond };
    this.syncPlaying();
    this.requestFrame();
  }

  dispose(): void {
    this.deactivate();
    this.engine.dispose();
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
    else this.syncPlaying();
    if (resample) this.last.sample = 0;
    if (reshade) this.shade();
    this.dirty = true;
    this.requestFrame();
  }

  private setText(t: CharText): void {
    if (this.text && this.built && t.text === this.text.text && t.label === this.text.label) return;
    this.text = t;
    this.chars = textCharacters(t.text);
    this.stats = t.error ? undefined : textStats(t.text);
    this.restart();
  }

  // ---- the run ------------------------------------------------------------------------------

  private restart(): void {
    this.gen++;
    this.built = false;
    this.backend = undefined;
    this.playing = false;
    this.step = 0;
    this.points = [];
    this.pending = { sum: 0, n: 0 };
    this.held = null;
    this.error = '';
    this.asked.clear();
    this.exporting = false;
    this.units = undefined;
    this.last = { held: 0, sample: 0, units: 0 };
    this.rate = { t0: 0, steps: 0, perSecond: 0 };
    this.message.classList.remove('error');
    this.message.textContent = '';
    this.figures.sample.textContent = '';
    this.dirty = true;
    this.requestFrame();
    if (!this.text) return;
    if (this.text.error) return this.fail(this.text.error);
    const s = this.stats!;
    const shared = s.shareOther > 0 ? `; the ${s.shareOther} rarest share the "other" symbol ${JSON.stringify('\uFFFD')}` : '';
    this.textNote.textContent = `Training on ${this.text.label}: ${this.chars.length.toLocaleString('en-US')} characters, ${s.distinct} distinct, ${s.symbols.length} symbols${shared}. Seed ${this.c.seed}.`;
    this.textNote.dataset.symbols = String(s.symbols.length);
    this.textNote.dataset.shareOther = String(s.shareOther);
    const shape = charShape(this.chars.length);
    if (typeof shape === 'string') return this.fail(shape);
    // The trainer runs on wasm where it compiles, else js; the backend setting may ask for js (or wasm).
    const forced = document.body.dataset.backend;
    this.message.textContent = 'Building the model…';
    this.engine.send({
      type: 'start', gen: this.gen, controls: { ...this.c, running: false }, text: this.text.text,
      ...(forced === 'js' || forced === 'wasm' ? { backend: forced } : {}),
    });
  }

  private fail(message: string): void {
    this.error = message;
    this.playing = false;
    this.message.textContent = message;
    this.message.classList.add('error');
    this.ctx.send({ type: 'error', message: `char: ${message}` });
    this.dirty = true;
    this.requestFrame();
  }

  /** Whether the run should be training now: shown, visible, playing, built and not failed. */
  private training(): boolean {
    return this.active && this.built && !this.error && document.visibilityState === 'visible' && this.c.running;
  }

  /** Tells the loop to play or pause when that changed. */
  private syncPlaying(): void {
    const play = this.training();
    if (play === this.playing || !this.built) return;
    this.playing = play;
    this.engine.send({ type: 'run', gen: this.gen, running: play });
  }

  private staleAll(): void {
    this.last = { held: 0, sample: 0, units: 0 };
    this.dirty = true;
    this.requestFrame();
  }

  private reply(r: CharReply): void {
    if (r.gen !== this.gen) return;
    switch (r.type) {
      case 'started':
        this.built = true;
        this.backend = r.backend;
        this.message.textContent = '';
        this.syncPlaying();
        break;
      case 'failed':
        this.built = false;
        this.fail(r.message);
        return;
      case 'progress':
        this.rate.steps += r.step - this.step;
        this.step = r.step;
        this.pending.sum += r.lossSum;
        this.pending.n += r.lossN;
        break;
      case 'held':
        this.asked.delete('held');
        this.record(r.step, r.loss);
        break;
      case 'sample':
        this.asked.delete('sample');
        this.figures.showSample(r.text, r.step, r.temperature);
        break;
      case 'units':
        this.asked.delete('units');
        this.units = r;
        this.shade();
        this.figures.track(r.tracking, r.n, (unit) => this.apply({ ...this.c, unit }));
        break;
      case 'parameters':
        if (!this.exporting || !this.stats) break;
        this.exporting = false;
        this.ctx.send(exportMessage(this.c, r, this.stats.symbols, r.step));
        break;
    }
    this.dirty = true;
    this.requestFrame();
  }

  /** The text shaded by the chosen unit, from the units' last reply (it carries every unit). */
  private shade(): void {
    const u = this.units;
    if (u && u.gen === this.gen) this.figures.shade(this.chars.slice(0, u.n), u.h, this.c.H, this.c.unit, u.step);
  }

  /** The training loss since the last point and the held-out loss at `step`, as one point. */
  private record(step: number, held: number): void {
    if (step === 0) return;
    this.held = held;
    const train = this.pending.n ? this.pending.sum / this.pending.n : (this.points.at(-1)?.train ?? null);
    if (this.points.at(-1)?.step !== step) this.points.push({ step, train, held: Number.isFinite(held) ? held : null });
    this.pending = { sum: 0, n: 0 };
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 1 || i === this.points.length - 1);
  }

  private exportModel(): void {
    if (!this.built || !this.stats) {
      this.widgets.exportStatus.textContent = 'Nothing to export yet: the model has not been built.';
      return;
    }
    this.widgets.exportStatus.textContent = 'Exporting…';
    delete this.widgets.exportStatus.dataset.ok;
    this.exporting = true;
    this.engine.send({ type: 'parameters', gen: this.gen });
  }

  // ---- the frame loop ---------------------------------------------------------------------------

  private deactivate(): void {
    this.active = false;
    this.syncPlaying();
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

  private tick(now: number): void {
    this.syncPlaying();
    if (this.built && !this.error) this.askOne(now);
    // On the page the model trains here, in a slice of this frame; in a Worker, beside it.
    if (this.training()) this.engine.frame(PAGE_SLICE_MS);
    if (this.playing) {
      if (!this.rate.t0) this.rate = { t0: now, steps: 0, perSecond: this.rate.perSecond };
      if (now - this.rate.t0 >= 1000) this.rate = { t0: now, steps: 0, perSecond: (1000 * this.rate.steps) / (now - this.rate.t0) };
    }
    if (this.dirty) this.draw();
    this.dirty = false;
    if (this.training() || (this.built && !this.error && this.due(now).length > 0)) this.requestFrame();
  }

  /** The slower views due now and not already asked for: after a step, a reset, a new unit or temperature, or on their period while playing. */
  private due(now: number): CharRefresh[] {
    return (Object.keys(REFRESH_MS) as CharRefresh[]).filter((k) =>
      !this.asked.has(k) && (this.last[k] === 0 || (this.playing && now - this.last[k] >= REFRESH_MS[k])));
  }

  /** Asks for at most one slower view per frame, none while another is on its way. */
  private askOne(now: number): void {
    if (this.asked.size > 0) return;
    const what = this.due(now)[0];
    if (!what) return;
    this.last[what] = now;
    this.asked.add(what);
    this.engine.send({ type: 'refresh', gen: this.gen, what, temperature: this.c.temperature });
  }

  private draw(): void {
    const s = this.stats;
    if (s) {
      if (this.drawn.points !== this.points || this.drawn.n !== this.points.length) {
        this.figures.curves(this.points, s.uniform, s.unigram);
        this.drawn = { points: this.points, n: this.points.length };
      }
      this.figures.lossText(this.step, this.points.at(-1), this.held, s.uniform, s.unigram, s.symbols.length);
    }
    const sps = this.rate.perSecond;
    const where = WHERE_TEXT[this.where];
    this.statsLine.textContent = `step ${this.step.toLocaleString('en-US')} · ${sps ? `${sps.toFixed(0)} steps/s` : '— steps/s'} · seed ${this.c.seed} · ${this.backend ?? '…'} · ${where}`;
    this.statsLine.title = this.whereNote ? `Training ${where}: ${this.whereNote}.` : `Training ${where}.`;
    this.statsLine.dataset.step = String(this.step);
    this.statsLine.dataset.running = String(this.playing);
    this.statsLine.dataset.where = this.where;
    this.ctx.corner(`${this.backend ?? 'starting'} · ${where}`, `The character model trains ${where} on the ${this.backend ?? '…'} backend.`);
  }
}

/** The character model trains beside the page (a Worker); its controls go into the view state. */
export const charDemo = demoSpec('char', (ctx, state) => new CharDemo(state.char ?? LAB_DEFAULTS.char, ctx), ['charText', 'charExported']);
