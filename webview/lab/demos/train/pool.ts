// Where the playground's models train: a pool of the lab's Workers (common/workerEngine.ts), the
// models dealt round-robin among them, so that they train in parallel while the page only draws.
// Each loop reports every step's metrics; a step of the run (a round) is complete once every
// model has made it, and the pool hands the view each round in order, up to the step the view
// allows (runTo), so the curves are those of one thread whatever the timing and a pause stops the
// count at once (a step a loop made after it waits for the next play). Where no Worker starts, the
// same loops run on the page.
import { TRAIN_MODELS, trainReplySchema, type TrainCommand, type TrainModelKey, type TrainReply } from '../../../../protocol';
import type { Metrics, TrainerConfig } from '../../../../engine/train';
import type { BackendName } from '../../../../engine/types';
import { startWorkerEngine, type Where, type WorkerEngine } from '../../common/workerEngine';
import type { LayerToTrain } from '../../common/handedLayer';
import { TrainLoop } from './loop';

type Measured = Extract<TrainReply, { type: 'measured' }>;

/**
 * How many Workers train the models: one per model, up to navigator.hardwareConcurrency − 1, but
 * at least two, so that a 2-core machine trains on both cores (the page's thread only draws).
 */
export function workerCount(cores: number, models = TRAIN_MODELS.length): number {
  return Math.max(1, Math.min(models, Math.max(2, (Number.isFinite(cores) && cores > 0 ? cores : 2) - 1)));
}

export interface PoolEvents {
  started(index: number, backend: BackendName): void;
  /** Step `step` of the run is complete: every model's metrics at that step, in model order. */
  round(step: number, metrics: Metrics[]): void;
  measured(r: Measured): void;
  failed(message: string): void;
  /** A loop moved (to a Worker, or to the page). */
  moved(): void;
}

export class TrainPool {
  private readonly engines: WorkerEngine<TrainCommand>[] = [];
  private readonly why: string[] = [];
  private gen = 0;
  private used = 0;
  private queues: Metrics[][] = [];
  private done: number[] = [];
  private until = 0;
  private draining = false;
  /** Complete rounds of the current run. */
  step = 0;

  constructor(private readonly events: PoolEvents, private readonly size: number) {}

  /** A new run of these models (the old one is dropped): they train once runTo allows. */
  start(models: { key: TrainModelKey; config: TrainerConfig }[], layer?: LayerToTrain): void {
    this.stop();
    const gen = this.gen;
    this.used = Math.min(this.size, models.length);
    while (this.engines.length < this.used) this.engines.push(this.engine(this.engines.length));
    this.queues = models.map(() => []);
    this.done = models.map(() => 0);
    for (let w = 0; w < this.used; w++) {
      const mine = models.map((m, index) => ({ index, key: m.key, config: m.config })).filter((m) => m.index % this.used === w);
      this.engines[w].send({ type: 'start', gen, models: mine, ...(layer ? { layer } : {}) });
    }
  }

  /** No run: the loops stop, their late replies are dropped. */
  stop(): void {
    for (let w = 0; w < this.used; w++) this.engines[w].send({ type: 'run', gen: this.gen, until: 0 });
    this.gen++;
    this.used = 0;
    this.queues = [];
    this.done = [];
    this.until = 0;
    this.step = 0;
  }

  /** Every model may train up to step `until` (a step already reached: it waits). */
  runTo(until: number): void {
    if (until === this.until || this.used === 0) return;
    this.until = until;
    for (let w = 0; w < this.used; w++) this.engines[w].send({ type: 'run', gen: this.gen, until });
    this.drain();
  }

  measure(index: number, task: Extract<TrainCommand, { type: 'measure' }>['task'], temperature: number): void {
    if (index >= this.queues.length) return;
    this.engines[index % this.used].send({ type: 'measure', gen: this.gen, index, task, temperature });
  }

  /** Whether a loop on the page has steps to make (it trains in the page's frames). */
  get wantsFrames(): boolean {
    return this.engines.slice(0, this.used).some((e) => e.wantsFrames);
  }

  /** On the page: the loops train in this frame, `ms` in all. */
  frame(ms: number): void {
    for (let w = 0; w < this.used; w++) this.engines[w].frame(ms / this.used);
  }

  /** Where the run's loops are: in Workers, on the page (if any is), or still starting. */
  get where(): Where {
    const wheres = this.engines.slice(0, Math.max(1, this.used)).map((e) => e.where);
    if (wheres.includes('page')) return 'page';
    return wheres.length > 0 && wheres.every((w) => w === 'worker') ? 'worker' : 'starting';
  }

  /** How many Workers the run trains in (0 on the page). */
  get workers(): number {
    return this.where === 'worker' ? this.used : 0;
  }

  /** Why a loop runs on the page, if one does. */
  get note(): string {
    return this.why.find((w) => w) ?? '';
  }

  dispose(): void {
    for (const e of this.engines) e.dispose();
    this.engines.length = 0;
  }

  private engine(w: number): WorkerEngine<TrainCommand> {
    return startWorkerEngine<TrainCommand, TrainReply>({
      kind: 'train',
      replies: trainReplySchema,
      pageLoop: (post) => new TrainLoop(post),
      reply: (r) => this.reply(r),
      moved: (_where, why) => {
        this.why[w] = why ?? '';
        this.events.moved();
      },
      crashed: (message) => this.events.failed(message),
    });
  }

  private reply(r: TrainReply): void {
    if (r.gen !== this.gen) return;
    switch (r.type) {
      case 'started':
        return this.events.started(r.index, r.backend);
      case 'failed':
        return this.events.failed(r.message);
      case 'measured':
        return this.events.measured(r);
      case 'progress': {
        const q = this.queues[r.index];
        if (!q) return;
        q.push(...r.metrics);
        this.done[r.index] += r.metrics.length;
        this.drain();
      }
    }
  }

  /** The complete rounds the view allows, in order. */
  private drain(): void {
    // A round's handler may raise the limit (runTo): the loop below goes on, it does not nest.
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.step < this.until && this.queues.length > 0 && this.queues.every((x) => x.length > 0)) {
        this.step++;
        this.events.round(this.step, this.queues.map((x) => x.shift()!));
      }
    } finally {
      this.draining = false;
    }
  }
}
