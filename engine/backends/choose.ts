// Backend choice for the lab webview.
//
//   const engine = await chooseBackend({ canvas: () => document.createElement('canvas'), onChange: (name, why) => show(name, why) });
//   const fwd = engine.forward('lstm', shape, params, x, { h0 });
//   const grads = engine.backward('lstm', shape, params, x, fwd, dh, { truncate });
//   engine.name        // 'gpu:webgl2' | 'gpu:webgl' | 'wasm' | 'js': show it in the UI
//   engine.reason      // why that one, as data ({ kind: 'preferred' }, { kind: 'faster', ... }, ...)
//   engine.probes      // what each candidate did: its status, ms at the demo size, error
//
// At start every candidate (webgl2 and webgl through GPU.js, the wasm SIMD kernels, then the
// plain-JS kernels) runs a tiny case of every cell, which is checked against the float64
// reference with the tolerances of docs/KERNELS.md. Among the correct ones the choice follows
// PREFERENCE (GPU, then wasm, then js): a later candidate is taken only when its measured time
// beats the one preferred over it by MARGIN. Timing noise on a busy machine is far below that
// factor, so backends that tie (wasm and js at the demo size) always resolve the same way.
// `force` names one candidate: it is checked, not timed, and used when correct. `policy:
// 'inOrder'` skips timing altogether. wasm is a candidate only where the page may compile
// WebAssembly (the lab's CSP has 'wasm-unsafe-eval'; elsewhere its probe says it is not
// available). GPU.js's own cpu mode is never a candidate: it needs 'unsafe-eval', which the
// webview's CSP forbids (docs/TESTING.md).
//
// The returned engine is a switch: when the WebGL context of the current backend is lost (the
// `webglcontextlost` event, or isContextLost() after a call), it moves to the next correct
// backend and calls onChange. A call that fails that way is retried on the next backend, so the
// caller gets its result, and the demo's state (params, inputs, which live in the lab, not in
// the engine) is untouched. Results are plain arrays, so nothing the lab holds refers to the
// lost context.
import { CELL_KEYS } from '../cells/registry';
import { maxAbsError, relError } from '../compare';
import { type CanvasFactory, type GlContextLost, type GpuEngine, createGpuEngine } from './gpu';
import { jsEngine } from './js';
import { initParams } from '../init';
import { referenceEngine } from '../reference';
import { CANDIDATES, type Candidate, gpuModeOf } from './registry';
import { wasmEngine } from './wasm';
import type {
  BackwardOptions, BackwardResult, Cell, Engine, ForwardOptions, ForwardResult, Params, Shape, Vec,
} from '../types';

// Every candidate, in the order of preference (registry.ts): probed in this order, chosen in
// this order unless a later one beats MARGIN.
export { CANDIDATES, type Candidate } from './registry';

/**
 * A candidate later in CANDIDATES is chosen over an earlier correct one only when it is at least
 * this many times faster at the demo size. At the demo size wasm and js take about as long as each
 * other, and on a busy machine their order swaps from one probe to the next; a real difference
 * (WebGL through a CPU emulation against wasm) is far above the margin.
 */
export const MARGIN = 1.5;

/** The lab's demo size: an LSTM with the benchmark's S shape. */
export const DEMO_SHAPE: Shape = { T: 64, B: 1, D: 8, H: 32 };

/**
 * What a probe found: `unavailable` (the engine could not be created: no WebGL, no
 * WebAssembly), `incorrect` (it disagreed with the reference), `failed` (it threw while checked
 * or timed), `ok` (correct; timed unless the choice needed no timing).
 */
export type ProbeStatus = 'ok' | 'unavailable' | 'incorrect' | 'failed';

export interface Probe {
  name: Candidate;
  status: ProbeStatus;
  available: boolean;
  correct: boolean;
  /** Forward + backward time at the demo size, ms (the fastest of the timed rounds); Infinity where not measured. */
  ms: number;
  error?: string;
}

/** Why the switch runs the backend it runs, as data for the UI to word. */
export type ChoiceReason =
  /** The caller (the `rnnLens.lab.backend` setting) named it, and it passed its check. */
  | { kind: 'forced' }
  /** The caller named `wanted`, which could not run here (its probe says why); the choice fell back. */
  | { kind: 'forcedUnavailable'; wanted: Candidate }
  /** The first correct candidate in preference order; no later one beat it by MARGIN (or nothing was timed). */
  | { kind: 'preferred' }
  /** A later candidate beat the one preferred over it by more than MARGIN. */
  | { kind: 'faster'; over: Candidate; ms: number; overMs: number }
  /** The current backend's WebGL context was lost: the switch moved on. */
  | { kind: 'contextLost'; from: Candidate }
  /** The current backend threw: the switch moved on. */
  | { kind: 'failed'; from: Candidate; error: string };

export interface ChooseOptions {
  candidates?: readonly Candidate[];
  /** Use this candidate when it passes its check (no timing); otherwise choose among the rest as usual. */
  force?: Candidate;
  cell?: Cell;
  demoShape?: Shape;
  /** Timed rounds at the demo size (after one warm-up round that compiles kernels); a round samples every candidate. */
  reps?: number;
  /** 'preference' (default) times the correct candidates and applies MARGIN; 'inOrder' takes the first correct one untimed. */
  policy?: 'preference' | 'inOrder';
  onChange?: (name: Candidate, reason: ChoiceReason) => void;
  /** Makes the canvas of each WebGL candidate (a page's); without it those candidates are unavailable. */
  canvas?: CanvasFactory;
}

export interface BackendSwitch extends Engine {
  readonly name: Candidate;
  /** Why the current backend runs. */
  readonly reason: ChoiceReason;
  readonly probes: readonly Probe[];
  /** The backend in use now. */
  readonly engine: Engine;
  /** Moves to the next correct backend, as a lost context would; false when none is left. */
  next(reason: ChoiceReason): boolean;
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
  for (const cell of CELL_KEYS) {
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

function makeEngine(name: Candidate, canvas: CanvasFactory | null): Engine {
  if (name === 'js') return jsEngine;
  if (name === 'wasm') return wasmEngine();
  return createGpuEngine(gpuModeOf(name) ?? 'cpu', canvas);
}

function tryMake(name: Candidate, canvas: CanvasFactory | null): Engine | string {
  try {
    return makeEngine(name, canvas);
  } catch (e) {
    return String(e);
  }
}

/** Each timed sample runs the job this long at least (one call where a call takes longer). */
const SAMPLE_MS = 10;

/**
 * One timed sample of forward + backward at `shape`, ms per call. A browser's clock is coarse (it
 * is rounded on purpose) and a CPU backend's call at the demo size lasts only a few of its ticks,
 * so a sample repeats the job for SAMPLE_MS and divides.
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
 * The choice, from the probes alone (pure, so it is tested with made-up timings): the first
 * correct candidate in preference order, replaced by a later one only when that one is MARGIN
 * times faster than the current pick. `order` is the fallback sequence: the pick, then the other
 * correct candidates in preference order. js is always last resort: it runs wherever JavaScript does.
 */
export function decide(probes: readonly Probe[], force?: Candidate): { order: Candidate[]; reason: ChoiceReason } {
  const rank = (n: Candidate): number => CANDIDATES.indexOf(n);
  const correct = probes.filter((p) => p.correct).sort((a, b) => rank(a.name) - rank(b.name));
  if (!correct.some((p) => p.name === 'js')) correct.push({ name: 'js', status: 'ok', available: true, correct: true, ms: Infinity });
  const rest = (pick: Candidate): Candidate[] => [pick, ...correct.map((p) => p.name).filter((n) => n !== pick)];
  if (force && correct.some((p) => p.name === force)) return { order: rest(force), reason: { kind: 'forced' } };
  let pick = correct[0];
  let reason: ChoiceReason = { kind: 'preferred' };
  for (const p of correct.slice(1)) {
    if (p.ms * MARGIN < pick.ms) {
      reason = { kind: 'faster', over: pick.name, ms: p.ms, overMs: pick.ms };
      pick = p;
    }
  }
  if (force) reason = { kind: 'forcedUnavailable', wanted: force };
  return { order: rest(pick.name), reason };
}

const yieldToUi = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Creates and checks each candidate against the reference; the correct ones come back with their engines. */
async function probeAll(candidates: readonly Candidate[], canvas: CanvasFactory | null): Promise<{ probes: Probe[]; engines: Map<Candidate, Engine> }> {
  const probes: Probe[] = [];
  const engines = new Map<Candidate, Engine>();
  for (const name of candidates) {
    await yieldToUi();
    const made = tryMake(name, canvas);
    if (typeof made === 'string') {
      probes.push({ name, status: 'unavailable', available: false, correct: false, ms: Infinity, error: made });
      continue;
    }
    const engine = made;
    try {
      const bad = checkAgainstReference(engine);
      if (bad) {
        probes.push({ name, status: 'incorrect', available: true, correct: false, ms: Infinity, error: bad });
        engine.dispose?.();
        continue;
      }
      probes.push({ name, status: 'ok', available: true, correct: true, ms: Infinity });
      engines.set(name, engine);
    } catch (e) {
      probes.push({ name, status: 'failed', available: true, correct: false, ms: Infinity, error: String(e) });
      engine.dispose?.();
    }
  }
  return { probes, engines };
}

/**
 * Times every engine in `engines` at the demo size, in rounds (one sample of each per round,
 * after a warm-up round): the js and wasm backends run the same JavaScript loops, so whichever
 * ran first would otherwise pay for compiling them. Each probe keeps its least disturbed
 * sample (other work on the machine only ever adds time). An engine that throws is marked failed.
 */
async function timeAll(probes: Probe[], engines: Map<Candidate, Engine>, cell: Cell, demo: Shape, reps: number): Promise<void> {
  const samplers = new Map([...engines].map(([n, e]) => [n, sampler(e, cell, demo)] as const));
  const samples = new Map<Candidate, number[]>([...samplers.keys()].map((n) => [n, []]));
  for (let round = 0; round <= reps; round++) {
    for (const [name, sample] of samplers) {
      await yieldToUi();
      try {
        const ms = sample();
        if (round > 0) samples.get(name)!.push(ms);
      } catch (e) {
        Object.assign(probes.find((p) => p.name === name)!, { status: 'failed', correct: false, error: String(e) });
        engines.get(name)?.dispose?.();
        engines.delete(name);
        samplers.delete(name);
      }
    }
  }
  for (const [name, ms] of samples) {
    const probe = probes.find((p) => p.name === name)!;
    if (probe.correct && ms.length > 0) probe.ms = Math.min(...ms);
  }
}

export async function chooseBackend(options: ChooseOptions = {}): Promise<BackendSwitch> {
  const candidates = options.candidates ?? CANDIDATES;
  const force = options.force;
  const canvas = options.canvas ?? null;
  // A forced candidate that passes its check needs no other probe: js stays behind it as the fallback.
  const first = force ? await probeAll([force], canvas) : { probes: [], engines: new Map<Candidate, Engine>() };
  const forcedOk = force !== undefined && first.engines.has(force);
  const others = forcedOk ? { probes: [], engines: new Map<Candidate, Engine>() } : await probeAll(candidates.filter((n) => n !== force), canvas);
  const probes = [...first.probes, ...others.probes];
  const engines = new Map([...first.engines, ...others.engines]);
  if (!forcedOk && options.policy !== 'inOrder' && engines.size > 1) {
    await timeAll(probes, engines, options.cell ?? 'lstm', options.demoShape ?? DEMO_SHAPE, options.reps ?? 3);
  }
  if (!engines.has('js')) engines.set('js', jsEngine);
  const decision = decide(probes, force);
  const order = decision.order;
  // Only the engines the switch may move to are kept; the rest are freed now.
  for (const [n, e] of engines) {
    if (!order.includes(n)) {
      e.dispose?.();
      engines.delete(n);
    }
  }
  let idx = 0;
  let reason = decision.reason;
  const onChange = options.onChange;

  const current = (): Engine => engines.get(order[idx])!;
  const lost = (e: Engine): boolean => (e as Partial<GpuEngine>).isContextLost?.() ?? false;

  const sw: BackendSwitch = {
    get name() {
      return order[idx];
    },
    get reason() {
      return reason;
    },
    probes,
    get engine() {
      return current();
    },
    next(why: ChoiceReason): boolean {
      if (idx + 1 >= order.length) return false;
      const old = current();
      idx++;
      reason = why;
      try {
        old.dispose?.();
      } catch {
        // A lost context may refuse cleanup; it is gone either way.
      }
      onChange?.(order[idx], why);
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

  const contextLost = (): ChoiceReason => ({ kind: 'contextLost', from: order[idx] });

  function attempt<R>(fn: (e: Engine) => R): R {
    for (;;) {
      const e = current();
      if (lost(e)) {
        if (!sw.next(contextLost())) throw new Error('no backend left');
        continue;
      }
      try {
        const r = fn(e);
        // A context lost mid-call returns garbage, not an error: check before trusting it.
        if (!lost(e)) return r;
        if (!sw.next(contextLost())) throw new Error('no backend left');
      } catch (err) {
        if (e === jsEngine) throw err;
        if (lost(e)) continue;
        if (!sw.next({ kind: 'failed', from: order[idx], error: String(err) })) throw err;
      }
    }
  }

  for (const e of engines.values()) {
    const glCanvas = (e as Partial<GpuEngine>).canvas;
    if (glCanvas?.addEventListener) {
      glCanvas.addEventListener('webglcontextlost', (ev: GlContextLost) => {
        ev.preventDefault();
        if (current() === e) sw.next(contextLost());
      });
    }
  }
  onChange?.(order[idx], reason);
  return sw;
}
