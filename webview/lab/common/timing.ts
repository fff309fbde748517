// Timing in the page, for the numbers a demo shows: one warm-up run (compilation, caches), then
// the median of `reps` runs, which one slow run (a collection, another tab) does not move.

/** The median time of `fn` in milliseconds, after one run that is not counted. */
export function medianMs(fn: () => void, reps: number): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}
