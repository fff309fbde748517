// Initialisation, clipping and the spectral measures the lab plots. Every random draw comes from
// a seeded PRNG so that a demo and a test see the same numbers.
//
// Two different "sizes" of W_hh matter and they are not the same number:
// - spectralNorm() is the largest singular value, max ||W v|| / ||v||: the lab plots it, and it
//   bounds how much one step can stretch a gradient.
// - initParams({ spectralRadius }) scales each gate's W_hh so that its spectral radius (largest
//   |eigenvalue|) hits the target: the radius decides whether a linear recurrence vanishes
//   (< 1) or explodes (> 1) over many steps, which is what the demos show. For orthogonal and
//   identity W_hh the two coincide (= 1 before scaling).
import { isCell, unknownCell } from './cells/registry';
import { type Cell, type InitScheme, MAX_ORTHOGONAL_H, MAX_SPECTRAL_RADIUS_H, MAX_WEIGHT_FLOATS, gateCount } from './types';

export interface InitOptions {
  scheme: InitScheme;
  /** Target spectral radius of each gate block of W_hh; default: none for gaussian/xavier, 1 otherwise. */
  spectralRadius?: number;
  /** LSTM forget-gate bias; default 1. */
  forgetBias?: number;
  seed: number;
}

/** mulberry32: 32-bit state, fast, good enough for initialisation, identical on every engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from a uniform source. */
export function gaussianSource(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let a = u();
    while (a <= 0) a = u();
    const b = u();
    const rad = Math.sqrt(-2 * Math.log(a));
    spare = rad * Math.sin(2 * Math.PI * b);
    return rad * Math.cos(2 * Math.PI * b);
  };
}

/** Haar-random orthogonal n×n matrix: QR (modified Gram-Schmidt) of a Gaussian, with R's signs folded in. */
export function randomOrthogonal(n: number, randn: () => number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) A[i] = randn();
  // Columns of A become the orthonormal columns of Q.
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += A[i * n + p] * A[i * n + j];
      for (let i = 0; i < n; i++) A[i * n + j] -= d * A[i * n + p];
    }
    // A second pass keeps Q orthogonal to float64 precision (classic "twice is enough").
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += A[i * n + p] * A[i * n + j];
      for (let i = 0; i < n; i++) A[i * n + j] -= d * A[i * n + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += A[i * n + j] * A[i * n + j];
    norm = Math.sqrt(norm);
    // Dividing by +norm is "R's diagonal positive", which makes Q Haar-distributed.
    for (let i = 0; i < n; i++) A[i * n + j] /= norm;
  }
  return A;
}

/** Largest singular value of a rows×cols row-major matrix, by power iteration on AᵀA. */
export function spectralNorm(matrix: ArrayLike<number>, rows: number, cols: number): number {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`rows and cols must be integers >= 0, got ${String(rows)} and ${String(cols)}`);
  }
  if (rows * cols > MAX_WEIGHT_FLOATS) throw new RangeError(`rows·cols = ${rows * cols} is above the cap of ${MAX_WEIGHT_FLOATS}`);
  if (typeof matrix !== 'object' || matrix === null) throw new TypeError(`matrix must be an array of numbers, got ${matrix === null ? 'null' : typeof matrix}`);
  if (matrix.length !== rows * cols) throw new RangeError(`matrix must hold rows·cols = ${rows * cols} numbers, got ${matrix.length}`);
  if (rows === 0 || cols === 0) return 0;
  let v = new Float64Array(cols);
  // A fixed, generic start vector: deterministic, and not orthogonal to the top singular vector
  // except by measure-zero accident.
  const rnd = mulberry32(0x5eed);
  for (let j = 0; j < cols; j++) v[j] = rnd() + 0.5;
  const Av = new Float64Array(rows);
  let sigma = 0;
  for (let it = 0; it < 1000; it++) {
    let vn = 0;
    for (let j = 0; j < cols; j++) vn += v[j] * v[j];
    vn = Math.sqrt(vn);
    if (vn === 0) return 0;
    for (let j = 0; j < cols; j++) v[j] /= vn;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += matrix[i * cols + j] * v[j];
      Av[i] = s;
    }
    let an = 0;
    for (let i = 0; i < rows; i++) an += Av[i] * Av[i];
    an = Math.sqrt(an);
    const next = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const a = Av[i];
      for (let j = 0; j < cols; j++) next[j] += matrix[i * cols + j] * a;
    }
    v = next;
    if (Math.abs(an - sigma) <= 1e-13 * Math.max(an, 1e-300) && it > 3) return an;
    sigma = an;
  }
  return sigma;
}

/**
 * Spectral radius of an n×n matrix by Gelfand's formula, ρ = lim ||A^k||^(1/k), with k = 2^m
 * reached by repeated squaring (renormalised each time so nothing overflows). Power iteration
 * on a vector does not converge when the dominant eigenvalues are a complex pair, which is the
 * usual case for a random W_hh; this does, with an error of a few tenths of a percent at n ≤ 512.
 */
export function spectralRadius(A: ArrayLike<number>, n: number): number {
  let M = Float64Array.from(A as ArrayLike<number>);
  let logScale = 0;
  let k = 1;
  const fro = (X: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < X.length; i++) s += X[i] * X[i];
    return Math.sqrt(s);
  };
  for (let m = 0; m < 12; m++) {
    const f = fro(M);
    if (f === 0) return 0;
    for (let i = 0; i < M.length; i++) M[i] /= f;
    logScale += Math.log(f) / k;
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < n; p++) {
        const a = M[i * n + p];
        if (a === 0) continue;
        for (let j = 0; j < n; j++) S[i * n + j] += a * M[p * n + j];
      }
    }
    M = S;
    k *= 2;
  }
  const f = fro(M);
  if (f === 0) return 0;
  return Math.exp(logScale + Math.log(f) / k);
}

/**
 * Seeded weights for a cell, W (G·H, D+H) and b (G·H). Bounded like forward (types.ts):
 * G·H·(D+H) ≤ MAX_WEIGHT_FLOATS; the O(H³) steps, an orthogonal W_hh and a spectral-radius
 * target for gaussian or xavier blocks, up to H = MAX_ORTHOGONAL_H and MAX_SPECTRAL_RADIUS_H.
 */
export function initParams(cell: Cell, D: number, H: number, opts: InitOptions): { W: Float32Array; b: Float32Array } {
  if (!isCell(cell)) throw new RangeError(unknownCell(`'${String(cell)}'`));
  if (!Number.isInteger(D) || D < 1 || !Number.isInteger(H) || H < 1) {
    throw new RangeError(`D and H must be positive integers, got D = ${String(D)}, H = ${String(H)}`);
  }
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`init options must be an object { scheme, seed }, got ${opts === null ? 'null' : typeof opts}`);
  const { scheme, seed } = opts;
  if (!['gaussian', 'orthogonal', 'identity', 'xavier'].includes(scheme)) {
    throw new RangeError(`unknown scheme '${String(scheme)}' (gaussian, orthogonal, identity or xavier)`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError(`seed must be a finite number, got ${String(seed)}`);
  const G = gateCount(cell);
  if (G * H * (D + H) > MAX_WEIGHT_FLOATS) {
    throw new RangeError(`G·H·(D+H) = ${G * H * (D + H)} weights is above the cap of ${MAX_WEIGHT_FLOATS}`);
  }
  if (scheme === 'orthogonal' && H > MAX_ORTHOGONAL_H) {
    throw new RangeError(`orthogonal init is capped at H = ${MAX_ORTHOGONAL_H} (its QR is O(H³)), got H = ${H}`);
  }
  const scaled = opts.spectralRadius !== undefined && (scheme === 'gaussian' || scheme === 'xavier');
  if (scaled && H > MAX_SPECTRAL_RADIUS_H) {
    throw new RangeError(`a spectralRadius target for ${scheme} init is capped at H = ${MAX_SPECTRAL_RADIUS_H} (measuring it is O(H³)), got H = ${H}`);
  }
  const K = D + H;
  const randn = gaussianSource(seed);
  const uniform = mulberry32(seed ^ 0x9e3779b9);
  const W = new Float32Array(G * H * K);
  const b = new Float32Array(G * H);
  for (let q = 0; q < G; q++) {
    const whh = new Float64Array(H * H);
    if (scheme === 'xavier') {
      // Glorot uniform per gate block, fan_in = D+H, fan_out = H (what Keras does per gate).
      const a = Math.sqrt(6 / (K + H));
      for (let u = 0; u < H; u++) {
        for (let d = 0; d < D; d++) W[(q * H + u) * K + d] = (2 * uniform() - 1) * a;
        for (let v = 0; v < H; v++) whh[u * H + v] = (2 * uniform() - 1) * a;
      }
    } else {
      const sx = 1 / Math.sqrt(D);
      for (let u = 0; u < H; u++) for (let d = 0; d < D; d++) W[(q * H + u) * K + d] = randn() * sx;
      if (scheme === 'gaussian') {
        const sh = 1 / Math.sqrt(H);
        for (let i = 0; i < H * H; i++) whh[i] = randn() * sh;
      } else if (scheme === 'orthogonal') {
        whh.set(randomOrthogonal(H, randn));
      } else {
        for (let u = 0; u < H; u++) whh[u * H + u] = 1;
      }
    }
    const target = opts.spectralRadius;
    if (target !== undefined) {
      if (!(target >= 0) || !Number.isFinite(target)) throw new RangeError('spectralRadius must be a finite number >= 0');
      // Orthogonal and identity blocks have radius exactly 1, so the scale is the target itself.
      const rho = scheme === 'orthogonal' || scheme === 'identity' ? 1 : spectralRadius(whh, H);
      const s = rho > 0 ? target / rho : 0;
      for (let i = 0; i < H * H; i++) whh[i] *= s;
    }
    for (let u = 0; u < H; u++) for (let v = 0; v < H; v++) W[(q * H + u) * K + D + v] = whh[u * H + v];
  }
  if (cell === 'lstm') b.fill(opts.forgetBias ?? 1, 0, H);
  return { W, b };
}

/**
 * Scales every gradient in place so that their global L2 norm is at most maxNorm, exactly as
 * torch.nn.utils.clip_grad_norm_ does (coefficient maxNorm / (norm + 1e-6), applied only when
 * below 1), and returns the norm before clipping.
 */
export function clipGlobalNorm(
  grads: Float32Array | Float64Array | ArrayLike<Float32Array | Float64Array> | Record<string, Float32Array | Float64Array>,
  maxNorm: number,
): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new RangeError(`maxNorm must be a number >= 0, got ${String(maxNorm)}`);
  if (typeof grads !== 'object' || grads === null) throw new TypeError(`grads must be an array or an object of arrays, got ${grads === null ? 'null' : typeof grads}`);
  const list: (Float32Array | Float64Array)[] = ArrayBuffer.isView(grads) ? [grads as Float32Array | Float64Array]
    : Array.isArray(grads) ? Array.from(grads as ArrayLike<Float32Array | Float64Array>)
      : Object.values(grads as Record<string, Float32Array | Float64Array>).filter((g) => ArrayBuffer.isView(g));
  let sq = 0;
  for (const g of list) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of list) for (let i = 0; i < g.length; i++) g[i] *= coef;
  return norm;
}
