// Where a lab computation runs: in a dedicated Worker started from a blob: URL (the lab's CSP
// allows worker-src blob: and nothing more), so that it never holds up the page; or, where no
// Worker starts (a policy that refuses it, a browser without Workers), on the page, in slices of
// each animation frame. One script (webview/lab/worker.ts, bundled as text by the build) serves
// every kind of loop; the Worker's name says which. Commands sent before the Worker says it is
// ready wait for it; if it fails to start they go to the page's loop instead, so nothing is lost.
import type * as v from 'valibot';
import workerSource from 'rnn-lens:lab-worker';
import { parseMessage } from '../../../protocol/common';
import type { Loop, Post, WorkerKind } from './workerKinds';
import { errorText } from '../../ui/text';

export type Where = 'starting' | 'worker' | 'page';

export type { Loop, Post, WorkerKind } from './workerKinds';

export interface WorkerEngine<C> {
  readonly where: Where;
  send(cmd: C, transfer?: Transferable[]): void;
  /** On the page: trains for about `ms` of this frame when the loop has work. In a Worker: nothing. */
  frame(ms: number): void;
  /** Whether a frame should be asked for to train (on the page only). */
  readonly wantsFrames: boolean;
  dispose(): void;
}

export interface EngineSpec<C, R> {
  kind: WorkerKind;
  /** The replies' schema: a message from the Worker that fails it is dropped. */
  replies: v.GenericSchema<unknown, R>;
  /** The same loop on the page. */
  pageLoop(post: Post<R>): Loop<C>;
  reply(r: R): void;
  /** Where the loop runs now; `why` says why not in a Worker. */
  moved(where: Where, why?: string): void;
  /** The Worker stopped after it had started (an uncaught error): the loop is gone. */
  crashed(message: string): void;
}

export function startWorkerEngine<C, R>(spec: EngineSpec<C, R>): WorkerEngine<C> {
  return new Engine(spec);
}

class Engine<C, R> implements WorkerEngine<C> {
  where: Where = 'starting';
  private worker: Worker | undefined;
  private url = '';
  private queued: { cmd: C; transfer?: Transferable[] }[] = [];
  private page: Loop<C> | undefined;
  private disposed = false;

  constructor(private readonly spec: EngineSpec<C, R>) {
    try {
      if (typeof Worker === 'undefined') throw new Error('this webview has no Workers');
      this.url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      const w = new Worker(this.url, { name: spec.kind });
      this.worker = w;
      w.addEventListener('message', (e: MessageEvent) => this.fromWorker(e.data));
      // A policy that refuses the Worker, or a script that fails to load, is reported as an
      // error event after the constructor returned; before `ready` it means: run on the page.
      w.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        if (this.disposed) return;
        if (this.where === 'starting') this.toPage(e.message ? `the Worker did not start (${e.message})` : 'the Worker did not start');
        else this.spec.crashed(`the Worker stopped: ${e.message || 'an error'}`);
      });
    } catch (err) {
      // Not from within the constructor: the caller hears where it runs once it holds the engine.
      const why = `the Worker did not start (${errorText(err)})`;
      queueMicrotask(() => this.toPage(why));
    }
  }

  get wantsFrames(): boolean {
    return this.where === 'page' && !!this.page?.playing;
  }

  send(cmd: C, transfer?: Transferable[]): void {
    if (this.disposed) return;
    if (this.where === 'worker') this.worker!.postMessage(cmd, transfer ?? []);
    else if (this.where === 'page') this.page!.handle(cmd);
    else this.queued.push({ cmd, transfer });
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
    if ((data as { type?: unknown } | null)?.type === 'ready') {
      if (this.where !== 'starting') return;
      this.where = 'worker';
      this.spec.moved('worker');
      const queued = this.queued;
      this.queued = [];
      for (const q of queued) this.worker!.postMessage(q.cmd, q.transfer ?? []);
      return;
    }
    const r = parseMessage(this.spec.replies, data);
    if (r.ok) this.spec.reply(r.msg);
  }

  private toPage(why: string): void {
    if (this.disposed || this.where === 'page') return;
    this.stopWorker();
    // Replies are delivered after the command that caused them returns, as a Worker's would be.
    const page = this.spec.pageLoop((reply) => queueMicrotask(() => {
      if (!this.disposed) this.spec.reply(reply);
    }));
    this.page = page;
    this.where = 'page';
    this.spec.moved('page', why);
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) page.handle(q.cmd);
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = '';
  }
}
