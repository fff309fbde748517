// The `gpu` backend: GPU.js kernels, webgl2 or webgl in a browser, GPU.js's `cpu` mode in Node.
//
// Passes (see docs/KERNELS.md for the math):
// - Forward: the input projection of every timestep is one product, XP = [x]·W_xᵀ + b. The LSTM
//   then has two passes per step: the gates (the recurrent product, the four gates of a unit in
//   the four outputs of its pixel), then c and h. The RNN has one (h), the GRU three (z and r,
//   then n, then h), each doing the recurrent product and that stage's elementwise math.
// - Backward: per step one pass for dL/dz of every gate row (with the total dL/dh_t and the
//   LSTM's dL/dc_{t-1}), one for the carry dL/dh_{t-1}. dW, db, dbh and dx are products over a
//   backward chunk of steps, run once per chunk rather than once per step; dW reads its inputs
//   from one texture of [x_t | h_{t-1} | 1 | 1] rows, built with the uploads.
//
// Packing (a shader's texture reads, not its arithmetic, are what it waits on): every texture
// but W is batch-packed, four batch rows to a texel (B padded to a multiple of 4 with zero rows
// that stay zero), so a weight read serves four rows. Every product with W also reads W four
// to a texel: W4 holds its rows four columns to a texel (the input projection and the forward
// recurrent products), WT4 its columns four rows to a texel (the carry and dx). And the products
// write four outputs per pixel (GPU.js kernel maps: quadReturn), a 4×4 block of rows by batch
// lanes, so that a product step reads 8 texels for 64 multiply-adds.
//
// Forward chunks: a step's outputs are written into textures that hold C consecutive steps
// (rows slot·⌈B/4⌉ + b/4); each pass computes its own step's rows and copies the rest from the
// textures the previous pass wrote, so the chunk fills up step by step without a texture per
// step. That copy is per-pixel work on every pass, so chunks are short (chunkSteps). The forward
// pass reads a chunk back once it is full (T/C readbacks).
// Backward chunks: step t's dz goes to its own texture, one of CB (backSteps) that are reused
// chunk after chunk, so no dz pass copies anything; a chunk's dW and dx passes take all CB
// textures as arguments. dx is read back once per chunk, dW|db|dbh and dh0|dc0 at the end.
//
// GPU.js pitfalls steered around:
// - No allocation per step: every kernel is mutable (it renders into the same textures on every
//   call), and no kernel ever reads its own output: a stage reads the previous stage's textures,
//   kernels that feed themselves in the forward pass alternate between two compiled copies, and
//   the dW pass reads a copy of its sums.
// - Kernels are source strings, not functions: GPU.js parses Function.prototype.toString(), and
//   a minifier rewrites function bodies into forms its parser rejects.
// - Every loop bound is a compile-time constant and loopMaxIterations is raised, because GPU.js
//   silently caps dynamic loops at 1000 iterations (G·H reaches 1024 at H = 256).
// - Thread indices are floats: gate blocks are found with Math.floor, never integer division.
// - No per-lane conditionals in the unrolled dW pass: SwiftShader's shader compiler hung on the
//   GRU's (the GPU process was killed after a minute), so its inputs are blended by 0/1 flags.
import { GPU } from 'gpu.js';
import type { Cell, Engine, Shape } from '../../types';
import { WEBGL_MODES, type WebglMode } from '../registry';
import { gpuBackward } from './backward';
import { gpuForward } from './forward';
import type { CanvasFactory, GlCanvas, GlContext } from './gl';
import { CACHED_SHAPES, type Kernels, allKernels, compileKernels } from './kernels';

// The WebGL types are the few members gl.ts declares, and the canvas comes from the caller, so
// that engine/ needs no DOM.

export type { CanvasFactory, GlCanvas, GlContext, GlContextLost } from './gl';
export { chunkSteps } from './layout';

export type GpuMode = WebglMode | 'cpu';

export interface GpuEngine extends Engine {
  readonly mode: GpuMode;
  /** The WebGL context, where there is one: the backend chooser watches it for loss. */
  readonly context: GlContext | null;
  readonly canvas: GlCanvas | null;
  /**
   * WebGL textures this engine's context holds now (0 in cpu mode): the compiled kernels' own
   * outputs. Flat across calls of one shape when nothing leaks.
   */
  liveTextures(): number;
  isContextLost(): boolean;
}

/**
 * A GPU.js engine in the given mode. 'webgl2' and 'webgl' need a canvas from `makeCanvas` (a
 * page's) and throw where there is none or the context cannot be made; 'cpu' runs anywhere
 * GPU.js may eval (Node; not a strict-CSP webview) and makes no canvas.
 */
export function createGpuEngine(mode: GpuMode, makeCanvas: CanvasFactory | null = null): GpuEngine {
  let canvas: GlCanvas | null = null;
  let context: GlContext | null = null;
  let gpu: GPU;
  // Textures of the context, as a set: GPU.js may delete one texture twice.
  const glTextures = new Set<object>();
  if (mode === 'cpu') {
    gpu = new GPU({ mode: 'cpu' });
  } else {
    canvas = makeCanvas ? makeCanvas() : null;
    if (!canvas) throw new Error(`${mode} needs a canvas (no DOM here)`);
    const attrs = { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false };
    const gl = canvas.getContext(mode, attrs) as GlContext | null;
    if (!gl) throw new Error(`${mode} is not available here`);
    // Four outputs per pass: WebGL2 always has the draw buffers, WebGL1 only with this extension.
    if (mode === 'webgl' && !gl.getExtension('WEBGL_draw_buffers')) throw new Error('webgl lacks WEBGL_draw_buffers (four outputs per pass)');
    // Count the context's textures, so that a leak shows up as growth across calls.
    const create = gl.createTexture.bind(gl);
    const del = gl.deleteTexture.bind(gl);
    gl.createTexture = () => {
      const t = create();
      if (t) glTextures.add(t);
      return t;
    };
    gl.deleteTexture = (t: object | null) => {
      if (t) glTextures.delete(t);
      del(t);
    };
    context = gl;
    gpu = new GPU({ mode, canvas, context });
  }
  const cache = new Map<string, Kernels>();

  function kernelsFor(cell: Cell, shape: Shape, act: number, resetAfter: boolean): Kernels {
    const key = `${cell}:${shape.T}:${shape.B}:${shape.D}:${shape.H}:${act}:${resetAfter}`;
    const hit = cache.get(key);
    if (hit) {
      // Most recently used last, so that eviction takes the oldest.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    if (cache.size >= CACHED_SHAPES) {
      const [oldest, ks] = cache.entries().next().value as [string, Kernels];
      cache.delete(oldest);
      for (const k of allKernels(ks)) k.destroy();
    }
    const ks = compileKernels(gpu, context, cell, shape, act, resetAfter);
    cache.set(key, ks);
    return ks;
  }

  return {
    name: `gpu:${mode}`,
    mode,
    context,
    canvas,
    forward: (cell, shape, params, x, opts) => gpuForward(kernelsFor, cell, shape, params, x, opts),
    backward: (cell, shape, params, x, fwd, dh, opts) => gpuBackward(kernelsFor, cell, shape, params, x, fwd, dh, opts),
    liveTextures: () => glTextures.size,
    isContextLost: () => (context ? context.isContextLost() : false),
    dispose() {
      // GPU.js's destroy() frees kernels on a timer; ours go now, so their textures with them.
      for (const ks of cache.values()) for (const k of allKernels(ks)) k.destroy();
      cache.clear();
      try {
        void gpu.destroy();
      } catch {
        // A lost context cannot be destroyed twice; nothing else holds it.
      }
    },
  };
}

let defaultGpu: GpuEngine | null = null;
let defaultCanvas: CanvasFactory | null = null;

/**
 * Where the engine of `backend: 'gpu'` gets its canvas: a page that trains on the gpu backend
 * sets it once; left unset (Node), that engine is GPU.js's cpu mode.
 */
export function setDefaultGpuCanvas(makeCanvas: CanvasFactory | null): void {
  defaultGpu?.dispose?.();
  defaultGpu = null;
  defaultCanvas = makeCanvas;
}

/** The engine `backend: 'gpu'` uses: webgl2, then webgl, on setDefaultGpuCanvas's canvas; GPU.js 'cpu' without one. */
export function defaultGpuEngine(): GpuEngine {
  if (defaultGpu && !defaultGpu.isContextLost()) return defaultGpu;
  const modes: readonly GpuMode[] = defaultCanvas ? WEBGL_MODES : ['cpu'];
  let lastError: unknown = null;
  for (const m of modes) {
    try {
      defaultGpu = createGpuEngine(m, defaultCanvas);
      return defaultGpu;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`no GPU.js backend is available: ${String(lastError)}`);
}
