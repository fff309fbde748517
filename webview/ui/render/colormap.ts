// Colour maps for the heatmaps. Pure (no DOM) so they are unit-tested. Both are perceptually
// ordered and read the same in light and dark themes: gates in [0, 1] use a sequential map
// (viridis: dark = closed, yellow = open); signed states in [-1, 1] use a diverging map
// (blue = negative, near-white = 0, red = positive).

export type Rgb = [number, number, number];

// Viridis sampled at 9 stops (matplotlib's table), interpolated linearly between them.
const VIRIDIS: Rgb[] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];
// Blue–white–red (ColorBrewer RdBu, reversed so red is positive).
const RDBU: Rgb[] = [
  [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [247, 247, 247],
  [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
];

function ramp(stops: Rgb[], t: number): Rgb {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** A value in [0, 1] (a gate) to a colour; outside values clamp. */
export function sequential(v: number): Rgb {
  return ramp(VIRIDIS, v);
}

/** A value in [-limit, limit] to a colour, 0 at the centre; outside values clamp. */
export function diverging(v: number, limit = 1): Rgb {
  return ramp(RDBU, 0.5 + v / (2 * limit));
}

export type ColorScale = { kind: 'sequential' } | { kind: 'diverging'; limit: number };

export function colorFor(scale: ColorScale, v: number): Rgb {
  return scale.kind === 'sequential' ? sequential(v) : diverging(v, scale.limit);
}

/** The symmetric range a diverging map needs to show `values` without clamping (at least `min`). */
export function symmetricLimit(values: ArrayLike<number>, min = 1e-6): number {
  let m = min;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}
