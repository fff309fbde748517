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
// reference with the tolerances of docs/KERNELS.md; each correct one is then timed on forward +
// backward at the demo's size, and the fastest is used. wasm is a candidate only where the page
// may compile WebAssembly (the lab's CSP has 'wasm-unsafe-eval'; elsewhere its probe says it is
// not available). GPU.js's own cpu mode is never a candidate: it needs 'unsafe-eval', which
// the webview's CSP forbids (docs/TESTING.md).
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
  /** Median forward + backward time at the demo size, ms; Infinity where not measured. */
  ms: number;
  error?: string;
}

export interface ChooseOptions {
  candidates?: Candidate[];
  cell?: Cell;
  demoShape?: Shape;
  /** Timed repetitions per candidate at the demo size (after one warm-up that compiles kernels). */
  reps?: number;
  /** 'fastest' (default) ranks correct backends by time; 'inOrder' keeps the candidates' order. */
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

function timeIt(engine: Engine, cell: Cell, shape: Shape, reps: number): number {
  const p: Params = initParams(cell, shape.D, shape.H, { scheme: 'xavier', seed: 1 });
  const x = lcg(shape.T * shape.B * shape.D, 7);
  const dh = new Float32Array(shape.T * shape.B * shape.H).fill(1);
  const once = () => engine.backward(cell, shape, p, x, engine.forward(cell, shape, p, x), dh);
  once();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    once();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

const yieldToUi = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export async function chooseBackend(options: ChooseOptions = {}): Promise<BackendSwitch> {
  const candidates = options.candidates ?? CANDIDATES;
  const cell = options.cell ?? 'lstm';
  const demo = options.demoShape ?? DEMO_SHAPE;
  const reps = options.reps ?? 3;
  const probes: Probe[] = [];
  const engines = new Map<Candidate, Engine>();
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
      await yieldToUi();
      const ms = timeIt(engine, cell, demo, reps);
      probes.push({ name, available: true, correct: true, ms });
      engines.set(name, engine);
    } catch (e) {
      probes.push({ name, available: true, correct: false, ms: Infinity, error: String(e) });
      engine.dispose?.();
    }
  }
  // js is always correct where JavaScript runs; keep it as the last resort even if excluded.
  if (!engines.has('js')) engines.set('js', jsEngine);
  const order = (options.policy === 'inOrder' ? [...engines.keys()] : [...engines.keys()].sort((a, b) => {
    const ma = probes.find((p) => p.name === a)?.ms ?? Infinity;
    const mb = probes.find((p) => p.name === b)?.ms ?? Infinity;
    return ma - mb;
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
