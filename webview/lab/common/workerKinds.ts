// What the lab's Worker script and the page share about its loops, free of the script's own text
// (common/workerEngine.ts imports that; the script must not): the kinds of loop it runs, and the
// shape of a loop.

/** The kinds of loop the lab's Worker script runs (its name when started). */
export const WORKER_KINDS = ['char', 'train', 'inspect'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];

/** A DOM-free loop that answers commands with replies, and works in slices while it has work. */
export interface Loop<C> {
  handle(cmd: C): void;
  /** Works for about `ms` milliseconds (at least one unit) if there is work, then reports. */
  slice(ms: number, now: () => number): void;
  /** Whether there is work to do. */
  readonly playing: boolean;
}

export type Post<R> = (reply: R, transfer?: Transferable[]) => void;
