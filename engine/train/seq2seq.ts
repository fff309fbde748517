// A GRU encoder-decoder on a toy translation, reversing a sequence of symbols, with and without
// additive attention, for the lab's "Attention in Seq2seq" demo. Without attention the decoder
// sees the input only through the encoder's last state (the bottleneck); with it, every output
// step scores every encoder state, e_ts = vᵀ tanh(Wa enc_s + Ua dec_t) (Bahdanau's additive
// score), takes the softmax-weighted context c_t = Σ_s α_ts enc_s, and reads [dec_t; c_t] (the
// context joins after the decoder step, as in Luong et al., so the decoder runs as one sequence
// through the engine). Trained with teacher forcing, Adam and softmax cross-entropy; evaluated by
// greedy decoding. The GRUs run on the engine's forward and backward. Pure: no DOM.
import { backward, forward } from '../api';
import { initParams, mulberry32 } from '../init';
import type { BackendName, ForwardResult, Params } from '../types';
import { createOptimizer, type FloatArray, type Optimizer } from './optim';

export const S2S_LIMITS = { length: 24, B: 128, H: 64, steps: 5000 } as const;
/** Token 0 is BOS (the decoder's first input); symbols are 1..symbols. */
export const BOS = 0;

export interface Seq2seqConfig {
  attention: boolean;
  symbols: number;
  H: number;
  seed: number;
  lr?: number;
  backend?: BackendName;
}

export interface ReverseBatch {
  L: number;
  B: number;
  /** Source symbols (L, B), 1..symbols. */
  src: Int32Array;
  /** Target (L, B): src reversed. */
  tgt: Int32Array;
}

export function reverseBatch(L: number, B: number, symbols: number, seed: number): ReverseBatch {
  const u = mulberry32(seed >>> 0);
  const src = Int32Array.from({ length: L * B }, () => 1 + Math.floor(u() * symbols));
  const tgt = new Int32Array(L * B);
  for (let t = 0; t < L; t++) for (let b = 0; b < B; b++) tgt[t * B + b] = src[(L - 1 - t) * B + b];
  return { L, B, src, tgt };
}

interface Pass {
  xe: FloatArray;
  xd: FloatArray;
  enc: ForwardResult;
  dec: ForwardResult;
  /** Attention (L, B, L): step t's weights over source positions; tanh(u) (L, B, L, A). */
  alpha: Float64Array | null;
  act: Float64Array | null;
  ctx: Float64Array | null;
  logits: Float64Array;
}

export interface Seq2seqResult {
  loss: number;
  /** Argmax per (t, b). */
  predicted: Int32Array;
  /** (L, B, L) or null without attention. */
  alpha: Float64Array | null;
}

export class Seq2seq {
  readonly H: number;
  readonly V: number;
  private readonly backend: BackendName;
  private readonly f64: boolean;
  readonly enc: Params & { W: FloatArray; b: FloatArray };
  readonly dec: Params & { W: FloatArray; b: FloatArray };
  /** Head (V, F), F = 2H with attention, H without; bias (V). */
  readonly Wo: FloatArray;
  readonly bo: FloatArray;
  /** Attention: Wa, Ua (H, H), v (H). */
  readonly Wa: FloatArray | null;
  readonly Ua: FloatArray | null;
  readonly va: FloatArray | null;
  private readonly opt: Optimizer;
  private n = 0;

  constructor(readonly config: Seq2seqConfig) {
    const { symbols, H, seed } = config;
    if (!Number.isInteger(symbols) || symbols < 2 || symbols > 32) throw new RangeError('symbols must be an integer from 2 to 32');
    if (!Number.isInteger(H) || H < 1 || H > S2S_LIMITS.H) throw new RangeError(`H must be an integer from 1 to ${S2S_LIMITS.H}`);
    this.H = H;
    this.V = symbols + 1;
    this.backend = config.backend ?? 'js';
    this.f64 = this.backend === 'reference';
    const arr = (a: ArrayLike<number>): FloatArray => (this.f64 ? Float64Array.from(a) : Float32Array.from(a));
    const pe = initParams('gru', this.V, H, { scheme: 'xavier', seed: seed * 3 + 1 });
    const pd = initParams('gru', this.V, H, { scheme: 'xavier', seed: seed * 3 + 2 });
    this.enc = { W: arr(pe.W), b: arr(pe.b) };
    this.dec = { W: arr(pd.W), b: arr(pd.b) };
    const u = mulberry32((seed * 3 + 3) >>> 0);
    const uni = (n: number, fanIn: number) => arr(Array.from({ length: n }, () => (2 * u() - 1) / Math.sqrt(fanIn)));
    const F = config.attention ? 2 * H : H;
    this.Wo = uni(this.V * F, F);
    this.bo = uni(this.V, F);
    this.Wa = config.attention ? uni(H * H, H) : null;
    this.Ua = config.attention ? uni(H * H, H) : null;
    this.va = config.attention ? uni(H, H) : null;
    this.opt = createOptimizer({ kind: 'adam', lr: config.lr ?? 0.01 });
  }

  get steps(): number {
    return this.n;
  }

  paramList(): FloatArray[] {
    const p = [this.enc.W, this.enc.b, this.dec.W, this.dec.b, this.Wo, this.bo];
    if (this.Wa) p.push(this.Wa, this.Ua!, this.va!);
    return p;
  }

  private oneHot(tokens: ArrayLike<number>, n: number): FloatArray {
    const x = this.f64 ? new Float64Array(n * this.V) : new Float32Array(n * this.V);
    for (let r = 0; r < n; r++) x[r * this.V + tokens[r]] = 1;
    return x;
  }

  /** The decoder's inputs under teacher forcing: BOS, then the target shifted right. */
  private decoderInputs(batch: ReverseBatch): Int32Array {
    const { L, B, tgt } = batch;
    const d = new Int32Array(L * B);
    for (let t = 1; t < L; t++) for (let b = 0; b < B; b++) d[t * B + b] = tgt[(t - 1) * B + b];
    return d;
  }

  /** Attention over the encoder states for decoder states dec (T, B, H): weights, tanh activations, contexts. */
  private attend(encH: ArrayLike<number>, L: number, decH: ArrayLike<number>, T: number, B: number): { alpha: Float64Array; act: Float64Array; ctx: Float64Array } {
    const H = this.H, Wa = this.Wa!, Ua = this.Ua!, va = this.va!;
    // P = Wa enc_s per (s, b); Q = Ua dec_t per (t, b).
    const P = new Float64Array(L * B * H), Q = new Float64Array(T * B * H);
    const mat = (M: FloatArray, x: ArrayLike<number>, xo: number, out: Float64Array, oo: number) => {
      for (let i = 0; i < H; i++) {
        let s = 0;
        for (let j = 0; j < H; j++) s += M[i * H + j] * x[xo + j];
        out[oo + i] = s;
      }
    };
    for (let r = 0; r < L * B; r++) mat(Wa, encH, r * H, P, r * H);
    for (let r = 0; r < T * B; r++) mat(Ua, decH, r * H, Q, r * H);
    const alpha = new Float64Array(T * B * L), act = new Float64Array(T * B * L * H), ctx = new Float64Array(T * B * H);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = (t * B + b) * L;
        let m = -Infinity;
        for (let s = 0; s < L; s++) {
          let e = 0;
          const ao = (row + s) * H, po = (s * B + b) * H, qo = (t * B + b) * H;
          for (let i = 0; i < H; i++) {
            const a = Math.tanh(P[po + i] + Q[qo + i]);
            act[ao + i] = a;
            e += va[i] * a;
          }
          alpha[row + s] = e;
          m = Math.max(m, e);
        }
        let z = 0;
        for (let s = 0; s < L; s++) z += (alpha[row + s] = Math.exp(alpha[row + s] - m));
        const co = (t * B + b) * H;
        for (let s = 0; s < L; s++) {
          const w = (alpha[row + s] /= z);
          for (let i = 0; i < H; i++) ctx[co + i] += w * encH[(s * B + b) * H + i];
        }
      }
    }
    return { alpha, act, ctx };
  }

  private head(decH: ArrayLike<number>, ctx: Float64Array | null, T: number, B: number): Float64Array {
    const H = this.H, V = this.V, F = ctx ? 2 * H : H;
    const logits = new Float64Array(T * B * V);
    for (let r = 0; r < T * B; r++) {
      for (let o = 0; o < V; o++) {
        let s = this.bo[o];
        for (let i = 0; i < H; i++) s += this.Wo[o * F + i] * decH[r * H + i];
        if (ctx) for (let i = 0; i < H; i++) s += this.Wo[o * F + H + i] * ctx[r * H + i];
        logits[r * V + o] = s;
      }
    }
    return logits;
  }

  private run(batch: ReverseBatch): Pass {
    const { L, B } = batch;
    const H = this.H, opts = { backend: this.backend };
    const xe = this.oneHot(batch.src, L * B);
    const enc = forward('gru', { T: L, B, D: this.V, H }, this.enc, xe, opts);
    const hLast = enc.h.subarray((L - 1) * B * H, L * B * H);
    const xd = this.oneHot(this.decoderInputs(batch), L * B);
    const dec = forward('gru', { T: L, B, D: this.V, H }, this.dec, xd, { ...opts, h0: hLast });
    const att = this.Wa ? this.attend(enc.h, L, dec.h, L, B) : null;
    return { xe, xd, enc, dec, alpha: att?.alpha ?? null, act: att?.act ?? null, ctx: att?.ctx ?? null, logits: this.head(dec.h, att?.ctx ?? null, L, B) };
  }

  /** Teacher-forced loss and every gradient (in paramList order). */
  lossAndGrad(batch: ReverseBatch): { loss: number; grads: FloatArray[] } {
    const { L, B } = batch;
    const H = this.H, V = this.V, F = this.Wa ? 2 * H : H, N = L * B;
    const pass = this.run(batch);
    const alloc = (n: number): FloatArray => (this.f64 ? new Float64Array(n) : new Float32Array(n));
    const dWo = alloc(this.Wo.length), dbo = alloc(V);
    const dDec = alloc(N * H), dEnc = alloc(N * H);
    const dCtx = new Float64Array(N * H);
    let loss = 0;
    for (let r = 0; r < N; r++) {
      const off = r * V;
      let m = -Infinity;
      for (let o = 0; o < V; o++) m = Math.max(m, pass.logits[off + o]);
      let z = 0;
      for (let o = 0; o < V; o++) z += Math.exp(pass.logits[off + o] - m);
      const y = batch.tgt[r];
      loss += Math.log(z) + m - pass.logits[off + y];
      for (let o = 0; o < V; o++) {
        const g = (Math.exp(pass.logits[off + o] - m) / z - (o === y ? 1 : 0)) / N;
        dbo[o] += g;
        for (let i = 0; i < H; i++) {
          dWo[o * F + i] += g * pass.dec.h[r * H + i];
          dDec[r * H + i] += this.Wo[o * F + i] * g;
        }
        if (pass.ctx) {
          for (let i = 0; i < H; i++) {
            dWo[o * F + H + i] += g * pass.ctx[r * H + i];
            dCtx[r * H + i] += this.Wo[o * F + H + i] * g;
          }
        }
      }
    }
    const grads: FloatArray[] = [];
    let dWa: FloatArray | null = null, dUa: FloatArray | null = null, dva: FloatArray | null = null;
    if (this.Wa && pass.alpha && pass.act) {
      dWa = alloc(H * H);
      dUa = alloc(H * H);
      dva = alloc(H);
      const Wa = this.Wa, Ua = this.Ua!, va = this.va!, alpha = pass.alpha, act = pass.act, encH = pass.enc.h, decH = pass.dec.h;
      const dAlpha = new Float64Array(L);
      // du_ts = de_ts · v ⊙ (1 − a_ts²) enters Wa enc_s and Ua dec_t: sum it over t for each
      // source state (G) and over s for each decoder state (K), then one outer product each.
      const G = new Float64Array(L * B * H), K = new Float64Array(L * B * H);
      for (let t = 0; t < L; t++) {
        for (let b = 0; b < B; b++) {
          const row = (t * B + b) * L, co = (t * B + b) * H;
          // c = Σ α_s enc_s: dα_s = enc_s · dc, denc_s += α_s dc.
          let dot = 0;
          for (let s = 0; s < L; s++) {
            const eo = (s * B + b) * H;
            let d = 0;
            for (let i = 0; i < H; i++) {
              d += encH[eo + i] * dCtx[co + i];
              dEnc[eo + i] += alpha[row + s] * dCtx[co + i];
            }
            dAlpha[s] = d;
            dot += alpha[row + s] * d;
          }
          for (let s = 0; s < L; s++) {
            const de = alpha[row + s] * (dAlpha[s] - dot);
            if (de === 0) continue;
            const ao = (row + s) * H, go = (s * B + b) * H;
            for (let i = 0; i < H; i++) {
              const a = act[ao + i];
              dva[i] += de * a;
              const du = de * va[i] * (1 - a * a);
              G[go + i] += du;
              K[co + i] += du;
            }
          }
        }
      }
      for (let r = 0; r < L * B; r++) {
        const o = r * H;
        for (let i = 0; i < H; i++) {
          const g = G[o + i], k = K[o + i];
          for (let j = 0; j < H; j++) {
            dWa[i * H + j] += g * encH[o + j];
            dEnc[o + j] += Wa[i * H + j] * g;
            dUa[i * H + j] += k * decH[o + j];
            dDec[o + j] += Ua[i * H + j] * k;
          }
        }
      }
    }
    const shape = { T: L, B, D: this.V, H };
    const bd = backward('gru', shape, this.dec, pass.xd, pass.dec, dDec, { backend: this.backend });
    // The decoder started from the encoder's last state: its gradient joins the encoder's there.
    for (let i = 0; i < B * H; i++) dEnc[(L - 1) * B * H + i] += bd.dh0[i];
    const be = backward('gru', shape, this.enc, pass.xe, pass.enc, dEnc, { backend: this.backend });
    grads.push(be.dW as FloatArray, be.db as FloatArray, bd.dW as FloatArray, bd.db as FloatArray, dWo, dbo);
    if (dWa) grads.push(dWa, dUa!, dva!);
    return { loss: loss / N, grads };
  }

  /** n Adam updates on fresh batches, lengths drawn from 1..maxLength; mean loss. */
  train(n: number, maxLength: number, B = 32): number {
    if (!Number.isInteger(n) || n < 1 || n > S2S_LIMITS.steps) throw new RangeError(`steps must be an integer from 1 to ${S2S_LIMITS.steps}`);
    if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > S2S_LIMITS.length) throw new RangeError(`maxLength must be an integer from 1 to ${S2S_LIMITS.length}`);
    if (!Number.isInteger(B) || B < 1 || B > S2S_LIMITS.B) throw new RangeError(`B must be an integer from 1 to ${S2S_LIMITS.B}`);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const seed = (this.config.seed * 15485863 + 11 + this.n) >>> 0;
      const L = 1 + (mulberry32(seed)() * maxLength | 0);
      const { loss, grads } = this.lossAndGrad(reverseBatch(L, B, this.config.symbols, seed));
      this.opt.step(this.paramList(), grads);
      total += loss;
      this.n++;
    }
    return total / n;
  }

  /** Greedy decoding (each output fed back as the next input); attention weights of every step. */
  decode(batch: ReverseBatch): Seq2seqResult {
    const { L, B } = batch;
    const H = this.H, V = this.V, opts = { backend: this.backend };
    const xe = this.oneHot(batch.src, L * B);
    const enc = forward('gru', { T: L, B, D: V, H }, this.enc, xe, opts);
    let h: ArrayLike<number> = enc.h.subarray((L - 1) * B * H, L * B * H);
    let prev = new Int32Array(B).fill(BOS);
    const predicted = new Int32Array(L * B);
    const alpha = this.Wa ? new Float64Array(L * B * L) : null;
    let loss = 0;
    for (let t = 0; t < L; t++) {
      const step = forward('gru', { T: 1, B, D: V, H }, this.dec, this.oneHot(prev, B), { ...opts, h0: h });
      h = step.h;
      const att = this.Wa ? this.attend(enc.h, L, step.h, 1, B) : null;
      if (att && alpha) alpha.set(att.alpha, t * B * L);
      const logits = this.head(step.h, att?.ctx ?? null, 1, B);
      prev = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let best = 1;
        for (let o = 2; o < V; o++) if (logits[b * V + o] > logits[b * V + best]) best = o;
        prev[b] = best;
        predicted[t * B + b] = best;
        let m = -Infinity, z = 0;
        for (let o = 0; o < V; o++) m = Math.max(m, logits[b * V + o]);
        for (let o = 0; o < V; o++) z += Math.exp(logits[b * V + o] - m);
        loss += Math.log(z) + m - logits[b * V + batch.tgt[t * B + b]];
      }
    }
    return { loss: loss / (L * B), predicted, alpha };
  }

  /**
   * Per-symbol accuracy with teacher forcing, as in training: each step is fed the true previous
   * symbol. The gap to accuracy() is what feeding the model its own outputs costs (exposure bias).
   */
  teacherForcedAccuracy(batch: ReverseBatch): number {
    const { logits } = this.run(batch);
    let hit = 0;
    for (let r = 0; r < batch.L * batch.B; r++) {
      let best = 1;
      for (let o = 2; o < this.V; o++) if (logits[r * this.V + o] > logits[r * this.V + best]) best = o;
      if (best === batch.tgt[r]) hit++;
    }
    return hit / (batch.L * batch.B);
  }

  /** Per-symbol accuracy of greedy decoding on a batch. */
  accuracy(batch: ReverseBatch): number {
    const p = this.decode(batch).predicted;
    let hit = 0;
    for (let r = 0; r < p.length; r++) if (p[r] === batch.tgt[r]) hit++;
    return hit / p.length;
  }
}
