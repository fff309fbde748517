// Where the Character Model trains: in a dedicated Worker started from a blob: URL (the lab's
// CSP allows worker-src blob: and nothing more), so that training never holds up the page; or,
// where no Worker starts (a policy that refuses it, a browser without Workers), on the page, in
// slices of each animation frame. Commands sent before the Worker says it is ready wait for
// it; if it fails to start, they go to the page's loop instead, so nothing is lost.
import { parseMessage } from '../../../../protocol/common';
import { charReplySchema, type CharCommand, type CharReply } from '../../../../protocol/demos/charWorker';
import workerSource from 'rnn-lens:char-worker';
import { CharLoop } from './loop';

export type CharWhere = 'starting' | 'worker' | 'page';

export interface CharEngine {
  readonly where: CharWhere;
  send(cmd: CharCommand): void;
  /** On the page: trains for about `ms` of this frame when the run plays. In a Worker: nothing. */
  frame(ms: number): void;
  /** Whether a frame should be asked for to train (on the page only). */
  readonly wantsFrames: boolean;
  dispose(): void;
}

export interface CharEngineEvents {
  reply(r: CharReply): void;
  /** Where the loop runs now; `why` says why not in a Worker. */
  moved(where: CharWhere, why?: string): void;
}

export function startCharEngine(events: CharEngineEvents): CharEngine {
  return new Engine(events);
}

class Engine implements CharEngine {
  where: CharWhere = 'starting';
  private worker: Worker | undefined;
  private url = '';
  private queued: CharCommand[] = [];
  private page: CharLoop | undefined;
  private disposed = false;
  /** The latest run's generation (a Worker's crash is reported against it). */
  private gen = 0;

  constructor(private readonly events: CharEngineEvents) {
    try {
      if (typeof Worker === 'undefined') throw new Error('this webview has no Workers');
      this.url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      const w = new Worker(this.url, { name: 'rnn-lens-char' });
      this.worker = w;
      w.addEventListener('message', (e: MessageEvent) => this.fromWorker(e.data));
      // A policy that refuses the Worker, or a script that fails to load, is reported as an
      // error event after the constructor returned; before `ready` it means: train on the page.
      w.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        if (this.where === 'starting') this.toPage(e.message ? `the Worker did not start (${e.message})` : 'the Worker did not start');
        else this.events.reply({ type: 'failed', gen: this.gen, message: `the training Worker stopped: ${e.message || 'an error'}` });
      });
    } catch (err) {
      // Not from within the constructor: the view hears where it trains once it holds the engine.
      const why = `the Worker did not start (${err instanceof Error ? err.message : String(err)})`;
      queueMicrotask(() => this.toPage(why));
    }
  }

  get wantsFrames(): boolean {
    return this.where === 'page' && !!this.page?.playing;
  }

  send(cmd: CharCommand): void {
    if (this.disposed) return;
    if (cmd.type === 'start') this.gen = cmd.gen;
    if (this.where === 'worker') this.worker!.postMessage(cmd);
    else if (this.where === 'page') this.page!.handle(cmd);
    else this.queued.push(cmd);
  }

  frame(ms: number): void {
    if (this.where === 'page') this.page!.slice(ms, () => performance.now());
  }

  dispose(): void {
    this.disposed = true;
    this.stopWorker();
    this.page = undefined;
    this.queued = [];
  }

  private fromWorker(data: unknown): void {
    if (this.disposed) return;
    const r = parseMessage(charReplySchema, data);
    if (!r.ok) return;
    if (r.msg.type === 'ready') {
      if (this.where !== 'starting') return;
      this.where = 'worker';
      this.events.moved('worker');
      const queued = this.queued;
      this.queued = [];
      for (const cmd of queued) this.worker!.postMessage(cmd);
      return;
    }
    this.events.reply(r.msg);
  }

  private toPage(why: string): void {
    if (this.disposed || this.where === 'page') return;
    this.stopWorker();
    // Replies are delivered after the command that caused them returns, as a Worker's would be.
    this.page = new CharLoop((reply) => queueMicrotask(() => {
      if (!this.disposed) this.events.reply(reply);
    }));
    this.where = 'page';
    this.events.moved('page', why);
    const queued = this.queued;
    this.queued = [];
    for (const cmd of queued) this.page.handle(cmd);
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = '';
  }
}
