// Backend choice for the lab webview.
//
//   const engine = await chooseBackend({ onChange: (name, why) => label.textContent = name });
//   const fwd = engine.forward('lstm', shape, params, x, { h0 });
//   const grads = engine.backward('lstm', shape, params, x, fwd, dh, { truncate });
//   engine.name        // 'gpu:webgl2' | 'gpu:webgl' | 'wasm' | 'js': show it in the UI
//   engine.probes      // what each candidate did: correct?, ms at the demo size, error
//
// At start every candidate (webgl2 and webgl through GPU.js, the wasm SIMD kernels, then the
// plain-JS kernels) runs a tiny case of every cell, which is checked against the float64
// reference with the tolerances of docs/KERNELS.md; the correct ones are then timed on forward +
// backward at the demo's size, in interleaved rounds (each keeps its fastest sample), and the
// fastest is used (within TIE of the fastest, the earlier candidate). wasm is a candidate only
// where the page may compile WebAssembly (the lab's CSP has 'wasm-unsafe-eval'; elsewhere its
// probe says it is not available). GPU.js's own cpu mode is never a candidate: it needs 'unsafe-eval', which the
// webview's CSP forbids (docs/TESTING.md).
//
// The returned engine is a switch: when the WebGL context of the current backend is lost (the
// `webglcontextlost` event, or isContextLost() after a call), it moves to the next-fastest correct
// backend and calls onChange. A call that fails that way is retried on the next backend, so the
// caller gets its result, and the demo's state (params, inputs, which live in the lab, not in
// the engine) is untouched. Results are plain arrays, so nothing the lab holds refers to the
// lost context.
import { maxAbsError, relError } from './compare';
import { type GpuEngine, type GpuMode, createGpuEngine } from './gpu';
import { jsEngine } from './fast';
import { initParams } from './init';
import { referenceEngine } from './reference';
import { wasmEngine } from './wasm';
import type {
  BackwardOptions, BackwardResult, Cell, Engine, ForwardOptions, ForwardResult, Params, Shape, Vec,
} from './types';

export type Candidate = 'gpu:webgl2' | 'gpu:webgl' | 'wasm' | 'js';

/** Every candidate, in the order they are probed. */
export const CANDIDATES: readonly Candidate[] = ['gpu:webgl2', 'gpu:webgl', 'wasm', 'js'];

/** The lab's demo size: an LSTM with the benchmark's S shape. */
export const DEMO_SHAPE: Shape = { T: 64, B: 1, D: 8, H: 32 };

export interface Probe {
  name: Candidate;
  available: boolean;
  correct: boolean;
  /** Forward + backward time at the demo size, ms (the fastest of the timed rounds); Infinity where not measured. */
  ms: number;
  error?: string;
}

export interface ChooseOptions {
  candidates?: Candidate[];
  cell?: Cell;
  demoShape?: Shape;
  /** Timed rounds at the demo size (after one warm-up round that compiles kernels); a round samples every candidate. */
  reps?: number;
  /** 'fastest' (default) ranks correct backends by time (ties, see TIE, by candidate order); 'inOrder' keeps the candidates' order. */
  policy?: 'fastest' | 'inOrder';
  onChange?: (name: Candidate, reason: string) => void;
}

export interface BackendSwitch extends Engine {
  readonly name: Candidate;
  readonly probes: readonly Probe[];
  /** The backend in use now. */
  readonly engine: Engine;
  /** Moves to the next correct backend, as a lost context would; false when none is left. */
  next(reason: string): boolean;
}

function lcg(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** A small case of every cell against the reference; returns a description of the first mismatch. */
export function checkAgainstReference(engine: Engine): string | null {
  const shape: Shape = { T: 5, B: 2, D: 3, H: 6 };
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const p = initParams(cell, shape.D, shape.H, { scheme: 'gaussian', seed: 5 });
    const x = lcg(shape.T * shape.B * shape.D, 1);
    const dh = lcg(shape.T * shape.B * shape.H, 2);
    const h0 = lcg(shape.B * shape.H, 3);
    const run = (e: Engine) => {
      const f = e.forward(cell, shape, p, x, { h0 });
      return { f, g: e.backward(cell, shape, p, x, f, dh, { truncate: 3 }) };
    };
    const got = run(engine);
    const ref = run(referenceEngine);
    const fe = maxAbsError(got.f.h, ref.f.h);
    if (!(fe < 1e-5)) return `${cell} forward max abs error ${fe}`;
    for (const k of ['dW', 'db', 'dx', 'dh0', 'gradNorm'] as const) {
      const e = relError(got.g[k], ref.g[k]);
      if (!(e < 1e-4)) return `${cell} ${k} relative error ${e}`;
    }
  }
  return null;
}

function makeEngine(name: Candidate): Engine {
  if (name === 'js') return jsEngine;
  if (name === 'wasm') return wasmEngine();
  return createGpuEngine(name.slice(4) as GpuMode);
}

function tryMake(name: Candidate): Engine | string {
  try {
    return makeEngine(name);
  } catch (e) {
    return String(e);
  }
}

/** Each timed sample runs the job this long at least (one call where a call takes longer). */
const SAMPLE_MS = 10;

/**
 * One timed sample of forward + backward at `shape`, ms per call. A browser's clock ticks in
 * 0.1 ms or coarser and the CPU backends take ~1 ms at the demo size, so a sample repeats the
 * job for SAMPLE_MS and divides.
 */
function sampler(engine: Engine, cell: Cell, shape: Shape): () => number {
  const p: Params = initParams(cell, shape.D, shape.H, { scheme: 'xavier', seed: 1 });
  const x = lcg(shape.T * shape.B * shape.D, 7);
  const dh = new Float32Array(shape.T * shape.B * shape.H).fill(1);
  const once = () => engine.backward(cell, shape, p, x, engine.forward(cell, shape, p, x), dh);
  return () => {
    const t0 = performance.now();
    let n = 0;
    let t: number;
    do {
      once();
      n++;
      t = performance.now();
    } while (t - t0 < SAMPLE_MS);
    return (t - t0) / n;
  };
}

/**
 * Backends within this factor of the fastest count as tied, and the tie goes to the earlier
 * candidate (GPU, then wasm, then js): at the demo size wasm and js both take ~1 ms, and on a
 * busy machine their timings swap by more than 20% from one probe to the next.
 */
export const TIE = 1.25;

const yieldToUi = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export async function chooseBackend(options: ChooseOptions = {}): Promise<BackendSwitch> {
  const candidates = options.candidates ?? CANDIDATES;
  const cell = options.cell ?? 'lstm';
  const demo = options.demoShape ?? DEMO_SHAPE;
  const reps = options.reps ?? 3;
  const probes: Probe[] = [];
  const engines = new Map<Candidate, Engine>();
  const samplers = new Map<Candidate, () => number>();
  for (const name of candidates) {
    await yieldToUi();
    const made = tryMake(name);
    if (typeof made === 'string') {
      probes.push({ name, available: false, correct: false, ms: Infinity, error: made });
      continue;
    }
    const engine = made;
    try {
      const bad = checkAgainstReference(engine);
      if (bad) {
        probes.push({ name, available: true, correct: false, ms: Infinity, error: bad });
        engine.dispose?.();
        continue;
      }
      probes.push({ name, available: true, correct: true, ms: Infinity });
      engines.set(name, engine);
      samplers.set(name, sampler(engine, cell, demo));
    } catch (e) {
      probes.push({ name, available: true, correct: false, ms: Infinity, error: String(e) });
      engine.dispose?.();
    }
  }
  // Timing in rounds, one sample of every correct backend per round after a warm-up round: the
  // js and wasm backends run the same JavaScript loops, so whichever ran first would otherwise
  // pay for compiling them (and for their re-optimisation when the other's arrays arrive).
  const samples = new Map<Candidate, number[]>([...samplers.keys()].map((n) => [n, []]));
  for (let round = 0; round <= reps; round++) {
    for (const [name, sample] of samplers) {
      await yieldToUi();
      try {
        const ms = sample();
        if (round > 0) samples.get(name)!.push(ms);
      } catch (e) {
        const probe = probes.find((p) => p.name === name)!;
        Object.assign(probe, { correct: false, error: String(e) });
        engines.get(name)?.dispose?.();
        engines.delete(name);
        samplers.delete(name);
      }
    }
  }
  for (const [name, ms] of samples) {
    const probe = probes.find((p) => p.name === name)!;
    // The least disturbed sample: other work on the machine only ever adds time.
    if (probe.correct && ms.length > 0) probe.ms = Math.min(...ms);
  }
  // js is always correct where JavaScript runs; keep it as the last resort even if excluded.
  if (!engines.has('js')) engines.set('js', jsEngine);
  const msOf = (n: Candidate): number => probes.find((p) => p.name === n)?.ms ?? Infinity;
  const best = Math.min(...[...engines.keys()].map(msOf));
  const tied = (n: Candidate): boolean => msOf(n) <= best * TIE;
  const rank = (n: Candidate): number => CANDIDATES.indexOf(n);
  const order = (options.policy === 'inOrder' ? [...engines.keys()] : [...engines.keys()].sort((a, b) => {
    if (tied(a) && tied(b)) return rank(a) - rank(b);
    return msOf(a) - msOf(b);
  }));
  let idx = 0;
  const onChange = options.onChange;

  const current = (): Engine => engines.get(order[idx])!;
  const lost = (e: Engine): boolean => (e as Partial<GpuEngine>).isContextLost?.() ?? false;

  const sw: BackendSwitch = {
    get name() {
      return order[idx];
    },
    probes,
    get engine() {
      return current();
    },
    next(reason: string): boolean {
      if (idx + 1 >= order.length) return false;
      const old = current();
      idx++;
      try {
        old.dispose?.();
      } catch {
        // A lost context may refuse cleanup; it is gone either way.
      }
      onChange?.(order[idx], reason);
      return true;
    },
    forward(c: Cell, shape: Shape, params: Params, x: Vec, opts?: ForwardOptions): ForwardResult {
      return attempt((e) => e.forward(c, shape, params, x, opts));
    },
    backward(c: Cell, shape: Shape, params: Params, x: Vec, fwd: ForwardResult, dh: Vec | null, opts?: BackwardOptions): BackwardResult {
      return attempt((e) => e.backward(c, shape, params, x, fwd, dh, opts));
    },
    dispose() {
      for (const e of engines.values()) e.dispose?.();
    },
  };

  function attempt<R>(fn: (e: Engine) => R): R {
    for (;;) {
      const e = current();
      if (lost(e)) {
        if (!sw.next('WebGL context lost')) throw new Error('no backend left');
        continue;
      }
      try {
        const r = fn(e);
        // A context lost mid-call returns garbage, not an error: check before trusting it.
        if (!lost(e)) return r;
        if (!sw.next('WebGL context lost')) throw new Error('no backend left');
      } catch (err) {
        if (e === jsEngine || !(lost(e) || sw.next(`backend failed: ${String(err)}`))) throw err;
      }
    }
  }

  for (const e of engines.values()) {
    const canvas = (e as Partial<GpuEngine>).canvas;
    if (canvas && 'addEventListener' in canvas) {
      canvas.addEventListener('webglcontextlost', (ev: Event) => {
        ev.preventDefault();
        if (current() === e) sw.next('WebGL context lost');
      });
    }
  }
  onChange?.(order[idx], 'fastest correct backend');
  return sw;
}
