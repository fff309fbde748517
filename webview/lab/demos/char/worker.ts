// The Character Model's dedicated Worker: the lab bundles this file as text (the build's
// `rnn-lens:char-worker` module) and starts it from a blob: URL, which the lab's CSP allows
// (worker-src blob:). It checks each command, runs the loop (loop.ts) and, while the run
// plays, trains in slices of SLICE_MS, yielding between them so that a pause or a new run
// is heard at once.
import { parseMessage } from '../../../../protocol/common';
import { charCommandSchema } from '../../../../protocol/demos/charWorker';
import { CharLoop } from './loop';

/** How long one slice of training runs before the Worker reports and reads its messages. */
const SLICE_MS = 25;

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const loop = new CharLoop((reply, transfer) => scope.postMessage(reply, transfer ?? []));
let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  if (timer !== undefined || !loop.playing) return;
  timer = setTimeout(() => {
    timer = undefined;
    loop.slice(SLICE_MS, () => performance.now());
    schedule();
  }, 0);
}

scope.addEventListener('message', (e) => {
  const cmd = parseMessage(charCommandSchema, e.data);
  if (!cmd.ok) return;
  loop.handle(cmd.msg);
  schedule();
});

scope.postMessage({ type: 'ready' });
