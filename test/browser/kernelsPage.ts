// The page's own script (bundled as an iife, loaded by nonce under the lab's CSP): runs the gpu
// backend on webgl2 and the wasm backend against the float64 reference, times one LSTM recompute
// at the demo size per backend, runs chooseBackend, loses the WebGL context on purpose and checks
// that the switch moves to js with correct results. Everything it finds goes into #out as JSON;
// kernels.test.ts reads it.
import { DEMO_SHAPE, chooseBackend } from '../../engine/backends/choose';
import { maxAbsError, relError } from '../../engine/compare';
import { jsEngine } from '../../engine/backends/js';
import { type GpuEngine, createGpuEngine } from '../../engine/backends/gpu';
import { initParams } from '../../engine/init';
import { referenceEngine } from '../../engine/reference';
import { createWasmEngine, wasmEngine } from '../../engine/backends/wasm';
import type { Activation, Cell, Engine, Shape } from '../../engine/types';
import { reportToPage } from './pageReport';
import { randn, randomCase } from '../fixtures/kernelCase';

interface CaseResult {
  label: string;
  fwdMaxAbs: number;
  gradRel: Record<string, number>;
}

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI}`));

/**
 * `pytorch`: with a recurrent bias bh and, for the GRU, the reset-after candidate. `against`:
 * the engine whose results count as right, the float64 reference unless given.
 */
function compareCase(
  engine: Engine, cell: Cell, shape: Shape, act: Activation, truncate: number | undefined, seed: number, pytorch = false,
  against: Engine = referenceEngine,
): CaseResult {
  const { T, B, D, H } = shape;
  const { p: p0, x, h0, c0, dh, dhT, dcT, bh } = randomCase(cell, shape, seed);
  const p = pytorch ? { ...p0, bh } : p0;
  const run = (e: Engine) => {
    const f = e.forward(cell, shape, p, x, { h0, c0, activation: act, resetAfter: pytorch });
    return { f, g: e.backward(cell, shape, p, x, f, dh, { truncate, dhT, dcT }) };
  };
  const got = run(engine);
  const ref = run(against);
  let fwd = maxAbsError(got.f.h, ref.f.h);
  if (got.f.c && ref.f.c) fwd = Math.max(fwd, maxAbsError(got.f.c, ref.f.c));
  for (const k of ['f', 'i', 'g', 'o', 'z', 'r', 'n'] as const) {
    const a = got.f.gates[k], b = ref.f.gates[k];
    if (a && b) fwd = Math.max(fwd, maxAbsError(a, b));
    else if (a || b) fwd = Infinity;
  }
  const gradRel: Record<string, number> = {};
  for (const k of ['dW', 'db', 'dx', 'dh0', 'gradNorm'] as const) gradRel[k] = relError(got.g[k], ref.g[k]);
  if (cell === 'lstm') gradRel.dc0 = relError(got.g.dc0 ?? [], ref.g.dc0 ?? [1]);
  if (pytorch) gradRel.dbh = relError(got.g.dbh ?? [], ref.g.dbh ?? [1]);
  const vs = against === referenceEngine ? '' : ` against ${against.name}`;
  return { label: `${cell}/${act}${pytorch ? `+bh${cell === 'gru' ? '/reset-after' : ''}` : ''} T=${T} B=${B} D=${D} H=${H} k=${truncate ?? T}${vs}`, fwdMaxAbs: fwd, gradRel };
}

/** The ms one call of `fn` takes. */
function elapsed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** The median of `reps` timed calls, after one untimed call. */
function medianMs(fn: () => void, reps: number): number {
  fn();
  const ts = Array.from({ length: reps }, () => elapsed(fn)).sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

async function main(): Promise<Record<string, unknown>> {
  // Let the page finish loading before the long synchronous runs start.
  await new Promise((r) => setTimeout(r, 0));
  const out: Record<string, unknown> = {};
  const canvas = (): HTMLCanvasElement => document.createElement('canvas');
  const gpu: GpuEngine = createGpuEngine('webgl2', canvas);
  out.mode = gpu.mode;
  const gl = gpu.context as WebGL2RenderingContext | null;
  const dbg = gl?.getExtension('WEBGL_debug_renderer_info');
  out.renderer = gl && dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : null;
  out.webgl2 = typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext;

  const cases: CaseResult[] = [];
  cases.push(compareCase(gpu, 'rnn', { T: 7, B: 2, D: 3, H: 5 }, 'tanh', undefined, 1));
  cases.push(compareCase(gpu, 'rnn', { T: 9, B: 3, D: 2, H: 6 }, 'relu', 4, 2));
  cases.push(compareCase(gpu, 'rnn', { T: 6, B: 1, D: 4, H: 3 }, 'linear', undefined, 3));
  cases.push(compareCase(gpu, 'lstm', { T: 8, B: 2, D: 3, H: 7 }, 'tanh', undefined, 4));
  cases.push(compareCase(gpu, 'lstm', { T: 10, B: 3, D: 5, H: 4 }, 'tanh', 3, 5));
  cases.push(compareCase(gpu, 'gru', { T: 8, B: 2, D: 3, H: 6 }, 'tanh', undefined, 6));
  cases.push(compareCase(gpu, 'gru', { T: 9, B: 2, D: 2, H: 5 }, 'tanh', 4, 7));
  cases.push(compareCase(gpu, 'lstm', { T: 64, B: 2, D: 8, H: 128 }, 'tanh', undefined, 8));
  cases.push(compareCase(gpu, 'gru', { T: 8, B: 2, D: 3, H: 6 }, 'tanh', 3, 9, true));
  cases.push(compareCase(gpu, 'lstm', { T: 6, B: 2, D: 3, H: 5 }, 'tanh', undefined, 10, true));
  cases.push(compareCase(gpu, 'rnn', { T: 6, B: 2, D: 3, H: 5 }, 'relu', undefined, 11, true));
  // More than four batch rows (two texel rows per step, padded lanes) and H not a multiple of 4
  // (the four-output passes' last block of units partly past the edge).
  cases.push(compareCase(gpu, 'gru', { T: 7, B: 6, D: 5, H: 9 }, 'tanh', 3, 15));
  cases.push(compareCase(gpu, 'gru', { T: 6, B: 7, D: 4, H: 7 }, 'tanh', undefined, 16, true));
  cases.push(compareCase(gpu, 'lstm', { T: 7, B: 5, D: 6, H: 9 }, 'tanh', 4, 17, true));
  cases.push(compareCase(gpu, 'rnn', { T: 5, B: 9, D: 3, H: 11 }, 'tanh', undefined, 18));
  // The benchmark's S, M and L (bench/jobs.ts). L's float64 reference takes minutes in a page,
  // so at L the gpu answers to wasm, which answers to the reference in wasmCases below.
  // wasm compiles here only because the page has the lab's 'wasm-unsafe-eval'.
  const wasm = wasmEngine();
  cases.push(compareCase(gpu, 'lstm', { T: 64, B: 1, D: 8, H: 32 }, 'tanh', undefined, 12));
  cases.push(compareCase(gpu, 'lstm', { T: 128, B: 16, D: 32, H: 128 }, 'tanh', undefined, 13));
  cases.push(compareCase(gpu, 'lstm', { T: 256, B: 32, D: 64, H: 256 }, 'tanh', undefined, 14, false, wasm));
  out.cases = cases;

  // The wasm shapes include products that split into SIMD blocks and leftover rows and columns
  // (odd B, H not a multiple of 4).
  out.wasmCases = [
    compareCase(wasm, 'rnn', { T: 7, B: 2, D: 3, H: 5 }, 'tanh', undefined, 11),
    compareCase(wasm, 'rnn', { T: 9, B: 3, D: 2, H: 6 }, 'relu', 4, 12),
    compareCase(wasm, 'lstm', { T: 6, B: 7, D: 13, H: 21 }, 'tanh', undefined, 13),
    compareCase(wasm, 'lstm', { T: 10, B: 3, D: 5, H: 4 }, 'tanh', 3, 14),
    compareCase(wasm, 'gru', { T: 8, B: 5, D: 12, H: 36 }, 'tanh', undefined, 15),
    compareCase(wasm, 'lstm', { T: 32, B: 16, D: 32, H: 128 }, 'tanh', 10, 16),
  ];
  // Which build of gemm.wat the page's wasm engine runs (relaxed SIMD where it validates), and the
  // same kind of cases on the mul + add build, forced.
  out.wasmInfo = wasm.info;
  const mulAdd = createWasmEngine({ relaxedSimd: false });
  out.wasmMulAddCases = [
    compareCase(mulAdd, 'lstm', { T: 6, B: 7, D: 13, H: 21 }, 'tanh', undefined, 13),
    compareCase(mulAdd, 'gru', { T: 8, B: 5, D: 12, H: 36 }, 'tanh', undefined, 15),
    compareCase(mulAdd, 'lstm', { T: 32, B: 16, D: 32, H: 128 }, 'tanh', 10, 16),
  ];

  // One LSTM recompute (forward + BPTT) at the lab's demo size, per backend.
  const shape = DEMO_SHAPE;
  const p = initParams('lstm', shape.D, shape.H, { scheme: 'xavier', seed: 1 });
  const x = randn(shape.T * shape.B * shape.D, 9);
  const dh = new Float32Array(shape.T * shape.B * shape.H).fill(1);
  const recompute = (e: Engine) => () => {
    e.backward('lstm', shape, p, x, e.forward('lstm', shape, p, x), dh);
  };
  // The engine's kernels own their textures: after a first recompute at a shape, more
  // recomputes must not add any, and dispose() must free them all.
  recompute(gpu)();
  out.liveTexturesWarm = gpu.liveTextures();
  out.recomputeMs = {
    'gpu:webgl2': medianMs(recompute(gpu), 5),
    wasm: medianMs(recompute(wasm), 9),
    js: medianMs(recompute(jsEngine), 9),
  };
  out.liveTexturesAfter = gpu.liveTextures();
  gpu.dispose?.();
  out.liveTexturesDisposed = gpu.liveTextures();

  const changes: string[] = [];
  const chosen = await chooseBackend({ reps: 2, canvas, onChange: (n, why) => changes.push(`${n}: ${why.kind}`) });
  out.chosen = chosen.name;
  out.probes = chosen.probes.map((pr) => ({ ...pr, ms: Number.isFinite(pr.ms) ? pr.ms : null }));
  chosen.dispose?.();

  // A lost context must move the switch to js and still answer correctly.
  const sw = await chooseBackend({ candidates: ['gpu:webgl2', 'js'], policy: 'inOrder', reps: 1, canvas, onChange: (n, why) => changes.push(`${n}: ${why.kind}`) });
  out.beforeLoss = sw.name;
  const ctx = (sw.engine as GpuEngine).context as WebGL2RenderingContext | null;
  const lose = ctx?.getExtension('WEBGL_lose_context');
  lose?.loseContext();
  const afterLoss = compareCase(sw, 'lstm', { T: 6, B: 2, D: 3, H: 4 }, 'tanh', undefined, 10);
  out.afterLoss = { name: sw.name, ...afterLoss };
  out.changes = changes;
  out.cspViolations = violations;
  return out;
}

reportToPage(main, () => ({ cspViolations: violations }));
