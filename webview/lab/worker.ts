// The lab's dedicated Worker: the lab bundles this file as text (the build's `rnn-lens:lab-worker`
// module) and starts it from a blob: URL, which the lab's CSP allows (worker-src blob:). Its name
// says which loop it runs (common/workerKinds.ts WORKER_KINDS). It checks each command, runs the
// loop and, while the loop has training to do, trains in slices of SLICE_MS, yielding between
// them so that a pause or a new run is heard at once.
import { parseMessage } from '../../protocol/common';
import { charCommandSchema } from '../../protocol/demos/charWorker';
import { trainCommandSchema } from '../../protocol/demos/trainWorker';
import { inspectCommandSchema } from '../../protocol/demos/inspectWorker';
import type * as v from 'valibot';
import { WORKER_KINDS, type Loop, type WorkerKind } from './common/workerKinds';
import { CharLoop } from './demos/char/loop';
import { TrainLoop } from './demos/train/loop';
import { SpectraLoop } from './demos/inspect/spectraLoop';

/** How long one slice of training runs before the Worker reports and reads its messages. */
const SLICE_MS = 25;

interface WorkerScope {
  readonly name: string;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const post = (reply: unknown, transfer?: Transferable[]) => scope.postMessage(reply, transfer ?? []);

/** A loop and the check of its commands: a command that fails the check is dropped. */
function checked<C>(loop: Loop<C>, schema: v.GenericSchema<unknown, C>): { loop: Loop<C>; check(data: unknown): void } {
  return {
    loop,
    check: (data) => {
      const c = parseMessage(schema, data);
      if (c.ok) loop.handle(c.msg);
    },
  };
}

const LOOPS: Record<WorkerKind, () => { loop: { readonly playing: boolean; slice(ms: number, now: () => number): void }; check(data: unknown): void }> = {
  char: () => checked(new CharLoop(post), charCommandSchema),
  train: () => checked(new TrainLoop(post), trainCommandSchema),
  inspect: () => checked(new SpectraLoop(post), inspectCommandSchema),
};

const running = LOOPS[(WORKER_KINDS as readonly string[]).includes(scope.name) ? (scope.name as WorkerKind) : 'train']();
let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  if (timer !== undefined || !running.loop.playing) return;
  timer = setTimeout(() => {
    timer = undefined;
    running.loop.slice(SLICE_MS, () => performance.now());
    schedule();
  }, 0);
}

scope.addEventListener('message', (e) => {
  running.check(e.data);
  schedule();
});

post({ type: 'ready' });
