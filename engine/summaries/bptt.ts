// The numbers the BPTT demo puts beside its curves. Pure: unit-tested.
//
// The vanilla RNN bound: ‖∂h_T/∂h_t‖ ≤ (γ·‖W_hh‖)^(T−t), γ = max |act'| (1 for tanh and relu),
// drawn through the curve's last point so it and the curve start together. The LSTM's own path:
// along the cell state, ∂c_T/∂c_t = ∏_{s=t+1}^{T} f_s (elementwise), shown as the mean over units.

/** Least-squares fit of log g_t = a + slope·t over the positive, finite points in [from, to]. */
export function fitDecayRate(g: ArrayLike<number>, from = 0, to = g.length - 1): { rate: number; slope: number; points: number } | undefined {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = Math.max(0, from); t <= Math.min(g.length - 1, to); t++) {
    const v = g[t];
    if (!(v > 0) || !Number.isFinite(v)) continue;
    const y = Math.log(v);
    n++;
    sx += t;
    sy += y;
    sxx += t * t;
    sxy += t * y;
  }
  if (n < 2) return undefined;
  const den = n * sxx - sx * sx;
  if (den === 0) return undefined;
  const slope = (n * sxy - sx * sy) / den;
  // Going back in time (t decreasing) multiplies the norm by exp(−slope) per step.
  return { rate: Math.exp(-slope), slope, points: n };
}

/** (γ·σ)^(T−1−t) · anchor for t = 0..T−1: the bound through the last point `anchor`. */
export function boundCurve(sigma: number, gamma: number, T: number, anchor: number): number[] {
  const r = gamma * sigma;
  const out: number[] = [];
  for (let t = 0; t < T; t++) out.push(anchor * r ** (T - 1 - t));
  return out;
}

/**
 * Mean over units of ∏_{s=t+1}^{T-1} f_s, times `anchor`, for t = 0..T−1 (1 at the last step).
 * `f` is the forget gate, (T, H) for batch 1.
 */
export function forgetProduct(f: ArrayLike<number>, T: number, H: number, anchor: number): number[] {
  const prod = new Float64Array(H).fill(1);
  const out = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    let mean = 0;
    for (let j = 0; j < H; j++) mean += prod[j];
    out[t] = (anchor * mean) / H;
    for (let j = 0; j < H; j++) prod[j] *= f[t * H + j];
  }
  return out;
}

/** W_hh, the (H, H) block of a vanilla RNN's fused W (H, D+H): columns D..D+H−1. */
export function recurrentBlock(W: ArrayLike<number>, D: number, H: number, gate = 0): Float64Array {
  const out = new Float64Array(H * H);
  const cols = D + H;
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < H; c++) out[r * H + c] = W[(gate * H + r) * cols + D + c];
  }
  return out;
}

/**
 * The plotted range. Below 1e-30 a gradient has vanished for any purpose (float32 underflows near
 * 1e-38); uPlot's log axis has tick steps only within 1e±32, and ticks beyond break it.
 */
export const LOG_FLOOR = 1e-30;
export const LOG_CEIL = 1e30;

/** Zeros, values outside [LOG_FLOOR, LOG_CEIL] and non-finite values become gaps; the table keeps the true numbers. */
export function forLogAxis(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (v >= LOG_FLOOR && v <= LOG_CEIL ? v : null));
}

/** A number for the side panel: 3 significant digits, exponent form when far from 1. */
export function sig(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) return v.toExponential(2);
  return v.toPrecision(3);
}
