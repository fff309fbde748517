// The loop that trains the Character Model, free of the DOM so that the same code runs in the
// lab's Worker (webview/lab/worker.ts) and, where no Worker starts, on the page: it builds
// the trainer for a `start`, trains while playing in slices it is given the time for, and
// answers the view's commands with replies (protocol/demos/charWorker.ts). Given the same
// commands it gives the same replies wherever it runs.
import { CHAR_LIMITS, type CharControls } from '../../../../protocol/demos/char';
import type { CharCommand, CharReply } from '../../../../protocol/demos/charWorker';
import { createTrainer, type Trainer } from '../../../../engine/train';
import { textCharacters, textSymbols } from '../../../../engine/train/tasks';
import { FrameBudget } from '../../common/frameBudget';
import { errorLine } from '../../../ui/text';
import type { Loop, Post } from '../../common/workerKinds';
import { charShape, charTrainerConfig, hiddenStates, textFeatures, trackingUnits } from './math';

/** The characters the hidden units are shaded over and measured against. */
export const UNIT_CHARS = 2000;
/** Characters in one sample. */
export const SAMPLE_CHARS = 200;

interface Run {
  gen: number;
  controls: CharControls;
  trainer: Trainer;
  symbols: string[];
  stretch: string[];
  step: number;
  running: boolean;
  lossSum: number;
  lossN: number;
}

export class CharLoop implements Loop<CharCommand> {
  private run: Run | undefined;
  private gen = -1;
  private readonly budget = new FrameBudget();

  constructor(private readonly post: Post<CharReply>) {}

  /** Whether the loop has steps to make (a run that plays). */
  get playing(): boolean {
    return !!this.run?.running;
  }

  handle(cmd: CharCommand): void {
    if (cmd.type === 'start') return this.start(cmd);
    const run = this.run;
    if (!run || cmd.gen !== run.gen) return;
    try {
      switch (cmd.type) {
        case 'run':
          run.running = cmd.running;
          return this.progress(run);
        case 'step':
          this.train(run, cmd.n);
          return this.progress(run);
        case 'refresh':
          return this.refresh(run, cmd.what, cmd.temperature);
        case 'parameters': {
          const p = run.trainer.parameters();
          const f = (a: ArrayLike<number> | null | undefined) => Float32Array.from(a ?? []);
          const reply = { type: 'parameters', gen: run.gen, step: run.step, W: f(p.W), b: f(p.b), V: f(p.V), c: f(p.c), E: f(p.E) } as const;
          return this.post(reply, [reply.W.buffer, reply.b.buffer, reply.V.buffer, reply.c.buffer, reply.E.buffer]);
        }
      }
    } catch (err) {
      this.fail(run, err);
    }
  }

  /** Trains for about `ms` milliseconds (at least one step) if playing, then reports the progress. */
  slice(ms: number, now: () => number): void {
    const run = this.run;
    if (!run?.running) return;
    const t0 = now();
    try {
      const n = this.budget.stepsWithin(ms);
      this.train(run, n);
      this.budget.record(n, now() - t0);
      this.progress(run);
    } catch (err) {
      this.fail(run, err);
    }
  }

  private start(cmd: Extract<CharCommand, { type: 'start' }>): void {
    if (cmd.gen <= this.gen) return;
    this.gen = cmd.gen;
    this.run = undefined;
    try {
      const chars = textCharacters(cmd.text);
      if (chars.length > CHAR_LIMITS.text) throw new RangeError(`the text has ${chars.length} characters; the character model takes at most ${CHAR_LIMITS.text}`);
      const shape = charShape(chars.length);
      if (typeof shape === 'string') throw new RangeError(shape);
      const trainer = createTrainer(charTrainerConfig(cmd.controls, cmd.text, shape, cmd.backend));
      this.run = {
        gen: cmd.gen, controls: cmd.controls, trainer, symbols: textSymbols(cmd.text, CHAR_LIMITS.vocabulary),
        stretch: chars.slice(0, UNIT_CHARS), step: 0, running: cmd.controls.running, lossSum: 0, lossN: 0,
      };
      this.post({ type: 'started', gen: cmd.gen, backend: trainer.backend });
    } catch (err) {
      this.post({ type: 'failed', gen: cmd.gen, message: errorLine(err) });
    }
  }

  private train(run: Run, n: number): void {
    for (let k = 0; k < n; k++) {
      const m = run.trainer.step(1);
      run.step++;
      if (Number.isFinite(m.loss)) {
        run.lossSum += m.loss;
        run.lossN++;
      }
    }
  }

  private progress(run: Run): void {
    this.post({ type: 'progress', gen: run.gen, step: run.step, lossSum: run.lossSum, lossN: run.lossN, running: run.running });
    run.lossSum = 0;
    run.lossN = 0;
  }

  private refresh(run: Run, what: 'held' | 'sample' | 'units', temperature: number): void {
    const { gen, step, trainer } = run;
    if (what === 'held') return this.post({ type: 'held', gen, step, loss: trainer.evaluate(2).loss });
    if (what === 'sample') return this.post({ type: 'sample', gen, step, text: trainer.sample(SAMPLE_CHARS, temperature), temperature });
    const h = Float32Array.from(hiddenStates(run.controls, trainer.parameters(), run.stretch, run.symbols, trainer.backend));
    const tracking = trackingUnits(h, run.controls.H, textFeatures(run.stretch));
    this.post({ type: 'units', gen, step, n: run.stretch.length, h, tracking }, [h.buffer]);
  }

  private fail(run: Run, err: unknown): void {
    run.running = false;
    if (this.run === run) this.run = undefined;
    this.post({ type: 'failed', gen: run.gen, message: errorLine(err) });
  }
}
