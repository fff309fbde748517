// The lab's dedicated Worker: the lab bundles this file as text (the build's `rnn-lens:lab-worker`
// module) and starts it from a blob: URL, which the lab's CSP allows (worker-src blob:). Its name
// says which loop it runs (common/workerEngine.ts WORKER_KINDS). It checks each command, runs the
// loop and, while the loop has training to do, trains in slices of SLICE_MS, yielding between
// them so that a pause or a new run is heard at once.
import { parseMessage } from '../../protocol/common';
import { charCommandSchema } from '../../protocol/demos/charWorker';
import { trainCommandSchema } from '../../protocol/demos/trainWorker';
import type { Loop, WorkerKind } from './common/workerEngine';
import { CharLoop } from './demos/char/loop';
import { TrainLoop } from './demos/train/loop';

/** How long one slice of training runs before the Worker reports and reads its messages. */
const SLICE_MS = 25;

interface WorkerScope {
  readonly name: string;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const post = (reply: unknown, transfer?: Transferable[]) => scope.postMessage(reply, transfer ?? []);

function start(kind: WorkerKind): { loop: Loop<never>; check(data: unknown): unknown } {
  if (kind === 'char') {
    const loop = new CharLoop(post);
    return { loop: loop as Loop<never>, check: (d) => { const c = parseMessage(charCommandSchema, d); if (c.ok) loop.handle(c.msg); } };
  }
  const loop = new TrainLoop(post);
  return { loop: loop as Loop<never>, check: (d) => { const c = parseMessage(trainCommandSchema, d); if (c.ok) loop.handle(c.msg); } };
}

const running = start(scope.name === 'char' ? 'char' : 'train');
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
