// The loop that trains some of the playground's models, free of the DOM so that the same code runs
// in the lab's Workers (webview/lab/worker.ts; the view gives each Worker some of the models) and,
// where no Worker starts, on the page. It builds each model's trainer for a `start`, trains every
// model up to the step the view allows (`run`), the one furthest behind first, in slices it is
// given the time for, and reports each model's metrics step by step; `measure` answers one model's
// slower views. Given the same commands it gives the same replies wherever it runs, and a model
// trains the same steps on the same batches whichever loop holds it.
import type { TrainCommand, TrainReply } from '../../../../protocol/demos/trainWorker';
import type { TrainModelKey } from '../../../../protocol/demos/train';
import { createTrainer, type Metrics, type Trainer } from '../../../../engine/train';
import { FrameBudget } from '../../common/frameBudget';
import { errorLine } from '../../../ui/text';
import type { Loop, Post } from '../../common/workerKinds';
import { layerDrift } from './fromLayer';
import { measureRun } from './measure';

interface Model {
  index: number;
  key: TrainModelKey;
  trainer: Trainer;
  step: number;
  pending: Metrics[];
}

type Start = Extract<TrainCommand, { type: 'start' }>;

export class TrainLoop implements Loop<TrainCommand> {
  private gen = -1;
  private models: Model[] = [];
  private layer: Start['layer'];
  private until = 0;
  private readonly budget = new FrameBudget();

  constructor(private readonly post: Post<TrainReply>) {}

  get playing(): boolean {
    return this.models.some((m) => m.step < this.until);
  }

  handle(cmd: TrainCommand): void {
    if (cmd.type === 'start') return this.start(cmd);
    if (cmd.gen !== this.gen) return;
    if (cmd.type === 'run') {
      this.until = cmd.until;
      return;
    }
    const m = this.models.find((x) => x.index === cmd.index);
    if (!m) return;
    try {
      const views = measureRun(m.key, m.trainer, m.step > 0, cmd);
      const drift = this.layer ? layerDrift(this.layer, m.trainer.parameters()) : undefined;
      this.post({ type: 'measured', gen: this.gen, index: m.index, step: m.step, ...views, ...(drift ? { drift } : {}) });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Steps for about `ms` milliseconds (at least one) while a model is behind `until`, then the metrics. */
  slice(ms: number, now: () => number): void {
    if (!this.playing) return;
    const t0 = now();
    const n = this.budget.stepsWithin(ms);
    try {
      for (let k = 0; k < n; k++) {
        // The model furthest behind steps next (ties: the first), so the models stay together.
        let m: Model | undefined;
        for (const x of this.models) if (x.step < this.until && (!m || x.step < m.step)) m = x;
        if (!m) break;
        m.pending.push(m.trainer.step(1));
        m.step++;
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    this.budget.record(n, now() - t0);
    for (const m of this.models) {
      if (m.pending.length === 0) continue;
      this.post({ type: 'progress', gen: this.gen, index: m.index, metrics: m.pending });
      m.pending = [];
    }
  }

  private start(cmd: Start): void {
    if (cmd.gen <= this.gen) return;
    this.gen = cmd.gen;
    this.models = [];
    this.until = 0;
    this.layer = cmd.layer;
    try {
      const models: Model[] = cmd.models.map((m) => ({ index: m.index, key: m.key, trainer: createTrainer(m.config), step: 0, pending: [] }));
      this.models = models;
      for (const m of models) this.post({ type: 'started', gen: cmd.gen, index: m.index, backend: m.trainer.backend });
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.models = [];
    this.post({ type: 'failed', gen: this.gen, message: errorLine(err) });
  }
}
