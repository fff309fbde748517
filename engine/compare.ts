// How far a backend's result is from the truth, in the two measures of docs/KERNELS.md's accuracy
// targets. Shared by the backend chooser, the tests and the benchmark.

/** The largest |a_i − b_i|; Infinity when the lengths differ. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** ‖a − b‖ / ‖b‖ (just ‖a − b‖ where b is all zeros); Infinity when the lengths differ. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] * b[i];
  }
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d / n);
}
