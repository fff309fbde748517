// Connectionist Temporal Classification (Graves et al., 2006): the loss, its gradient with
// respect to the logits, the forward (α) and backward (β) variables, and two decoders. Pure
// float64 code, log space throughout, so T in the thousands neither underflows nor overflows.
//
// Conventions (those of PyTorch's ctc_loss, which the unit tests check against):
// - logits are (T, C) row-major; log-probabilities are log_softmax over the C classes of a frame.
// - The blank-augmented target l' has S = 2L + 1 entries: blank, l1, blank, l2, …, lL, blank.
// - α[t][s] is the log of the summed probability of the path prefixes that end in l'[s] at frame
//   t; β[t][s] the log of that of the path suffixes that start in l'[s] at frame t. Both include
//   frame t's emission, so α[t][s] + β[t][s] − logp_t(l'[s]) is the log of the probability of all
//   alignments through (t, s).

/** Bounds on one call: every input is checked against these, so a call's time is bounded. */
export const CTC_LIMITS = { T: 10_000, C: 4096, L: 5_000, cells: 1 << 24 } as const;

export interface CtcOptions {
  /** The blank class (default 0). */
  blank?: number;
}

export interface CtcResult {
  /** −log p(target | x); Infinity when no alignment of the target fits in T frames. */
  loss: number;
  /** ∂loss/∂logits, (T, C); all zero when the loss is Infinity (PyTorch's zero_infinity=True gradient). */
  dLogits: Float64Array;
  /** (T, S) in log space, S = 2L + 1. */
  alpha: Float64Array;
  /** (T, S) in log space. */
  beta: Float64Array;
  /** The log-probabilities, (T, C). */
  logProbs: Float64Array;
  /** The blank-augmented target l' (S entries). */
  extended: Int32Array;
}

const NEG = -Infinity;

function lse2(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function checkInt(name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name} must be an integer from ${lo} to ${hi}, got ${String(v)}`);
  }
  return v;
}

function checkFrames(values: ArrayLike<number>, T: number, C: number, what: string): void {
  checkInt('T', T, 1, CTC_LIMITS.T);
  checkInt('C', C, 2, CTC_LIMITS.C);
  if (T * C > CTC_LIMITS.cells) throw new RangeError(`T·C is ${T * C}; at most ${CTC_LIMITS.cells}`);
  if (!values || typeof values.length !== 'number' || values.length !== T * C) {
    throw new RangeError(`${what} must have T·C = ${T * C} entries, got ${String(values?.length)}`);
  }
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    // Log-probabilities may be −∞ (a class of probability 0); logits must be finite.
    const ok = typeof x === 'number' && (Number.isFinite(x) || (what === 'logProbs' && x === -Infinity));
    if (!ok) throw new RangeError(`${what}[${i}] is not a finite number`);
  }
}

function checkBlank(blank: unknown, C: number): number {
  return checkInt('blank', blank, 0, C - 1);
}

/** log_softmax of each of the T rows of a (T, C) array. */
export function logSoftmaxRows(logits: ArrayLike<number>, T: number, C: number): Float64Array {
  checkFrames(logits, T, C, 'logits');
  const out = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    const o = t * C;
    let m = NEG;
    for (let k = 0; k < C; k++) m = Math.max(m, logits[o + k]);
    let s = 0;
    for (let k = 0; k < C; k++) s += Math.exp(logits[o + k] - m);
    const z = m + Math.log(s);
    for (let k = 0; k < C; k++) out[o + k] = logits[o + k] - z;
  }
  return out;
}

/** The blank-augmented target: blank, l1, blank, l2, …, lL, blank. */
export function extendTarget(target: readonly number[], C: number, blank: number): Int32Array {
  if (!Array.isArray(target)) throw new RangeError('target must be an array of class indices');
  checkInt('target length', target.length, 0, CTC_LIMITS.L);
  const ext = new Int32Array(2 * target.length + 1).fill(blank);
  target.forEach((k, i) => {
    checkInt(`target[${i}]`, k, 0, C - 1);
    if (k === blank) throw new RangeError(`target[${i}] is the blank (${blank}); a target names only non-blank classes`);
    ext[2 * i + 1] = k;
  });
  return ext;
}

/** The fewest frames a target needs: one per label, and a blank between each pair of equal neighbours. */
export function minFrames(target: readonly number[]): number {
  let n = target.length;
  for (let i = 1; i < target.length; i++) if (target[i] === target[i - 1]) n++;
  return n;
}

/** CTC loss −log p(target | logits), its gradient, α and β. Equals torch ctc_loss(log_softmax(logits), reduction='sum'). */
export function ctc(logits: ArrayLike<number>, T: number, C: number, target: readonly number[], opts: CtcOptions = {}): CtcResult {
  const blank = checkBlank(opts.blank ?? 0, C);
  const lp = logSoftmaxRows(logits, T, C);
  const ext = extendTarget(target, C, blank);
  const S = ext.length;
  if (T * S > CTC_LIMITS.cells) throw new RangeError(`T·(2L+1) is ${T * S}; at most ${CTC_LIMITS.cells}`);
  const alpha = new Float64Array(T * S).fill(NEG);
  const beta = new Float64Array(T * S).fill(NEG);
  // A skip from s−2 to s is allowed when l'[s] is a label different from l'[s−2].
  const skip = (s: number) => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];

  alpha[0] = lp[ext[0]];
  if (S > 1) alpha[1] = lp[ext[1]];
  for (let t = 1; t < T; t++) {
    const a = (t - 1) * S, o = t * S, row = t * C;
    for (let s = 0; s < S; s++) {
      let v = alpha[a + s];
      if (s >= 1) v = lse2(v, alpha[a + s - 1]);
      if (skip(s)) v = lse2(v, alpha[a + s - 2]);
      alpha[o + s] = v === NEG ? NEG : v + lp[row + ext[s]];
    }
  }
  const last = (T - 1) * S;
  beta[last + S - 1] = lp[(T - 1) * C + ext[S - 1]];
  if (S > 1) beta[last + S - 2] = lp[(T - 1) * C + ext[S - 2]];
  for (let t = T - 2; t >= 0; t--) {
    const b = (t + 1) * S, o = t * S, row = t * C;
    for (let s = S - 1; s >= 0; s--) {
      let v = beta[b + s];
      if (s + 1 < S) v = lse2(v, beta[b + s + 1]);
      if (s + 2 < S && skip(s + 2)) v = lse2(v, beta[b + s + 2]);
      beta[o + s] = v === NEG ? NEG : v + lp[row + ext[s]];
    }
  }
  const logp = S > 1 ? lse2(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last];
  const loss = -logp;
  const dLogits = new Float64Array(T * C);
  if (loss === Infinity) return { loss, dLogits, alpha, beta, logProbs: lp, extended: ext };

  // ∂loss/∂logit[t][k] = softmax[t][k] − Σ_{s: l'[s]=k} exp(α[t][s] + β[t][s] − lp[t][k] + loss).
  const occ = new Float64Array(C);
  for (let t = 0; t < T; t++) {
    const o = t * S, row = t * C;
    occ.fill(NEG);
    for (let s = 0; s < S; s++) occ[ext[s]] = lse2(occ[ext[s]], alpha[o + s] + beta[o + s]);
    for (let k = 0; k < C; k++) {
      const l = lp[row + k];
      const g = occ[k] === NEG ? 0 : Math.exp(occ[k] - l + loss);
      dLogits[row + k] = Math.exp(l) - g;
    }
  }
  return { loss, dLogits, alpha, beta, logProbs: lp, extended: ext };
}

/** Merge repeats, then drop blanks: the many-to-one map from a frame path to its label sequence. */
export function collapse(path: ArrayLike<number>, blank = 0): number[] {
  const out: number[] = [];
  let prev = -1;
  for (let t = 0; t < path.length; t++) {
    const k = path[t];
    if (k !== prev && k !== blank) out.push(k);
    prev = k;
  }
  return out;
}

/** Best path decoding: the argmax class of each frame, collapsed. `path` is the argmax per frame. */
export function greedyDecode(logProbs: ArrayLike<number>, T: number, C: number, blank = 0): { labels: number[]; path: number[]; logProb: number } {
  checkFrames(logProbs, T, C, 'logProbs');
  checkBlank(blank, C);
  const path: number[] = [];
  let logProb = 0;
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (logProbs[t * C + k] > logProbs[t * C + best]) best = k;
    path.push(best);
    logProb += logProbs[t * C + best];
  }
  return { labels: collapse(path, blank), path, logProb };
}

export interface BeamHypothesis {
  labels: number[];
  /** log p(labels | x) summed over the alignments the beam kept. */
  logProb: number;
}

/**
 * Prefix beam search: keeps the `beamWidth` most probable label prefixes, each with the
 * probability of its alignments ending in a blank and in a non-blank, so that alignments
 * collapsing to the same prefix add up (which best-path decoding cannot do). Best first.
 */
export function prefixBeamSearch(logProbs: ArrayLike<number>, T: number, C: number, beamWidth: number, blank = 0): BeamHypothesis[] {
  checkFrames(logProbs, T, C, 'logProbs');
  checkBlank(blank, C);
  checkInt('beamWidth', beamWidth, 1, 64);
  interface Beam { labels: number[]; pb: number; pnb: number }
  let beams = new Map<string, Beam>([['', { labels: [], pb: 0, pnb: NEG }]]);
  const total = (b: Beam) => lse2(b.pb, b.pnb);
  for (let t = 0; t < T; t++) {
    const next = new Map<string, Beam>();
    const get = (labels: number[]) => {
      const key = labels.join(',');
      let b = next.get(key);
      if (!b) next.set(key, (b = { labels, pb: NEG, pnb: NEG }));
      return b;
    };
    for (const beam of beams.values()) {
      const p = total(beam);
      const lastLabel = beam.labels.length ? beam.labels[beam.labels.length - 1] : -1;
      for (let k = 0; k < C; k++) {
        const lk = logProbs[t * C + k];
        if (k === blank) {
          const same = get(beam.labels);
          same.pb = lse2(same.pb, p + lk);
        } else if (k === lastLabel) {
          // Repeating the last label without a blank in between stays on the prefix; after a blank it extends it.
          const same = get(beam.labels);
          same.pnb = lse2(same.pnb, beam.pnb + lk);
          const ext = get([...beam.labels, k]);
          ext.pnb = lse2(ext.pnb, beam.pb + lk);
        } else {
          const ext = get([...beam.labels, k]);
          ext.pnb = lse2(ext.pnb, p + lk);
        }
      }
    }
    // Prefixes no alignment reaches (a repeat with no frame left for its blank) are dropped.
    const live = [...next].filter(([, b]) => total(b) > NEG);
    beams = new Map(live.sort((a, b) => total(b[1]) - total(a[1])).slice(0, beamWidth));
  }
  return [...beams.values()].map((b) => ({ labels: b.labels, logProb: total(b) })).sort((a, b) => b.logProb - a.logProb);
}

/**
 * The most probable single alignment of `target` (Viterbi through the lattice): for each frame,
 * the index s into the extended target. Empty when no alignment fits.
 */
export function bestAlignment(logProbs: ArrayLike<number>, T: number, C: number, target: readonly number[], blank = 0): number[] {
  checkFrames(logProbs, T, C, 'logProbs');
  checkBlank(blank, C);
  const ext = extendTarget(target, C, blank);
  const S = ext.length;
  if (T * S > CTC_LIMITS.cells) throw new RangeError(`T·(2L+1) is ${T * S}; at most ${CTC_LIMITS.cells}`);
  const score = new Float64Array(T * S).fill(NEG);
  const from = new Int32Array(T * S).fill(-1);
  score[0] = logProbs[ext[0]];
  if (S > 1) score[1] = logProbs[ext[1]];
  for (let t = 1; t < T; t++) {
    for (let s = 0; s < S; s++) {
      let best = score[(t - 1) * S + s], arg = s;
      if (s >= 1 && score[(t - 1) * S + s - 1] > best) { best = score[(t - 1) * S + s - 1]; arg = s - 1; }
      if (s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2] && score[(t - 1) * S + s - 2] > best) { best = score[(t - 1) * S + s - 2]; arg = s - 2; }
      if (best === NEG) continue;
      score[t * S + s] = best + logProbs[t * C + ext[s]];
      from[t * S + s] = arg;
    }
  }
  const last = (T - 1) * S;
  let s = S > 1 && score[last + S - 2] > score[last + S - 1] ? S - 2 : S - 1;
  if (score[last + s] === NEG) return [];
  const path = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    path[t] = s;
    if (t > 0) s = from[t * S + s];
  }
  return path;
}
