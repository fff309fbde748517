// The `wasm` backend: the js backend's loops (backends/js.ts and the cells/*.ts files), with every
// array in one WebAssembly memory and the two matrix products, most of the work, in 128-bit SIMD (gemm.wat). The
// element-wise gate math stays in JavaScript, reading and writing that memory through views.
//
// Where it runs: Node, and browsers that let a page compile WebAssembly. The lab's webview may
// (its CSP adds 'wasm-unsafe-eval', src/webviewCsp.ts); under a CSP without it wasmEngine()
// throws and choose.ts keeps to webgl2, webgl and js.
//
// The memory is sized once per call from an upper bound on what the call allocates, then handed
// out front to back. A call that needs more than the memory has gets a new, larger memory and
// a new instance of the module; the old memory is dropped, never grown (see gemm.wat). Memory
// is kept at the size of the largest call made. Results are copied out; the caller owns them.
import gemmWasm from './gemm.wat';
import gemmRelaxedWasm from './gemm.wat?relaxed';
import lstmWasm from './lstm.wat';
import { engineOver } from './js';
import { gemmABt, gemmAtB } from './gemm';
import type { Workspace } from '../workspace';
import type { Engine, Vec } from '../types';

interface GemmExports {
  abtp(a: number, lda: number, m: number, p: number, panels: number, n: number, c: number, ldc: number, acc: number): void;
  atb(a: number, lda: number, b: number, ldb: number, rows: number, m: number, n: number,
    c: number, ldc: number, acc: number): void;
}

interface CellExports {
  lstmStep(a: number, cp: number, c: number, h: number, f: number, i: number, g: number, o: number, rows: number, H: number): void;
  lstmBack(c: number, cp: number, f: number, i: number, g: number, o: number, dh: number, dcn: number, dz: number, dcp: number,
    rows: number, H: number): void;
  colSums(dst: number, m: number, ld: number, rows: number, cols: number): void;
}

let cellModule: WebAssembly.Module | undefined;

/** Rows of the weight-gradient product per call: keeps a strip of both operands in cache. */
const ATB_ROWS = 32;
/** Floats allocations may add to a call's bound by rounding up to 16-byte boundaries. */
const SLACK = 4096;

/** Where a packed B lies in the pack area, and the matrix it was packed from. */
interface Packed { key: string; at: number }

class WasmWorkspace implements Workspace {
  private memory: WebAssembly.Memory;
  private k: GemmExports;
  private cells!: CellExports;
  private view = new Float32Array(0);
  private top = 0;
  private end = 0;
  /** The pack area, floats [packFrom, packEnd) of the memory, filled front to back from packTop. */
  private packFrom = 0;
  private packTop = 0;
  private packEnd = 0;
  private packs: Packed[] = [];

  constructor(private readonly module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.k = this.instantiate();
  }

  private instantiate(): GemmExports {
    const env = { env: { memory: this.memory } };
    cellModule ??= new WebAssembly.Module(lstmWasm);
    this.cells = new WebAssembly.Instance(cellModule, env).exports as unknown as CellExports;
    return new WebAssembly.Instance(this.module, env).exports as unknown as GemmExports;
  }

  reserve = (floats: number, packFloats = 0): void => {
    const pack = (packFloats + 7) & ~7;
    const bytes = (floats + SLACK + pack) * 4;
    if (this.memory.buffer.byteLength < bytes) {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      this.k = this.instantiate();
    }
    this.view = new Float32Array(this.memory.buffer);
    this.top = 0;
    this.end = floats + SLACK;
    // 32-byte aligned, so that every panel's vectors are aligned.
    this.packFrom = (this.end + 7) & ~7;
    this.packTop = this.packFrom;
    this.packEnd = this.packFrom + pack;
    this.packs = [];
  };

  /** The next n floats, as left by the previous call. */
  private take(n: number): Float32Array {
    const at = this.top;
    this.top = at + ((n + 3) & ~3);
    if (this.top > this.end) throw new Error(`wasm workspace: ${this.top} floats asked of a ${this.end}-float reservation`);
    return this.view.subarray(at, at + n);
  }

  alloc = (n: number): Float32Array => this.take(n).fill(0);

  input = (v: Vec | undefined, n: number): Float32Array => {
    if (v === undefined) return this.alloc(n);
    const out = this.take(n);
    out.set(v);
    return out;
  };

  result = (a: Float32Array): Float32Array => a.slice();

  /** Byte address of a[off], or -1 where a is not in this memory (then the plain loops run). */
  private addr(a: Float32Array, off: number): number {
    return a.buffer === this.memory.buffer ? a.byteOffset + 4 * off : -1;
  }

  /**
   * The first 8·panels rows of B (row stride ldb, n floats each, from float index `from` of the
   * memory) in abtp's panels: panel j is rows 8j..8j+7 interleaved, P[j][q][l] = B[8j + l, q].
   * Packed once per reservation: B is a weight matrix (W or a transposed half), which no call
   * changes between its reserve() and its end. Byte address of the panels, or -1 where the pack
   * area cannot hold them.
   */
  private packB(from: number, ldb: number, panels: number, n: number): number {
    const key = `${from},${ldb},${panels},${n}`;
    for (const p of this.packs) if (p.key === key) return 4 * p.at;
    const size = panels * n * 8;
    if (this.packTop + size > this.packEnd) {
      if (this.packFrom + size > this.packEnd) return -1;
      this.packTop = this.packFrom;
      this.packs = [];
    }
    const v = this.view;
    let o = this.packTop;
    for (let j = 0; j < panels; j++) {
      const r0 = from + 8 * j * ldb;
      for (let q = 0; q < n; q++) {
        let r = r0 + q;
        for (let l = 0; l < 8; l++, r += ldb) v[o++] = v[r];
      }
    }
    const at = this.packTop;
    this.packTop = o;
    this.packs.push({ key, at });
    return 4 * at;
  }

  lstmStep = (A: Float32Array, cp: Float32Array, cpOff: number, c: Float32Array, h: Float32Array,
    f: Float32Array, i: Float32Array, g: Float32Array, o: Float32Array, off: number, B: number, H: number): boolean => {
    if ((H & 3) !== 0) return false;
    const pa = this.addr(A, 0), pcp = this.addr(cp, cpOff), pc = this.addr(c, off), ph = this.addr(h, off);
    const pf = this.addr(f, off), pi = this.addr(i, off), pg = this.addr(g, off), po = this.addr(o, off);
    if (pa < 0 || pcp < 0 || pc < 0 || ph < 0 || pf < 0 || pi < 0 || pg < 0 || po < 0) return false;
    this.cells.lstmStep(pa, pcp, pc, ph, pf, pi, pg, po, B, H);
    return true;
  };

  lstmBack = (c: Float32Array, cp: Float32Array, cpOff: number, f: Float32Array, i: Float32Array, g: Float32Array, o: Float32Array,
    off: number, dhTot: Float32Array, dcNext: Float32Array, dZ: Float32Array, zOff: number, dcPrev: Float32Array, B: number, H: number): boolean => {
    if ((H & 3) !== 0) return false;
    const a = [this.addr(c, off), this.addr(cp, cpOff), this.addr(f, off), this.addr(i, off), this.addr(g, off), this.addr(o, off),
      this.addr(dhTot, 0), this.addr(dcNext, 0), this.addr(dZ, zOff), this.addr(dcPrev, 0)];
    if (a.some((p) => p < 0)) return false;
    this.cells.lstmBack(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], B, H);
    return true;
  };

  colSums = (dst: Float32Array, M: Float32Array, off: number, ld: number, rows: number, cols: number): boolean => {
    const pd = this.addr(dst, 0), pm = this.addr(M, off);
    if ((cols & 3) !== 0 || pd < 0 || pm < 0) return false;
    this.cells.colSums(pd, pm, ld, rows, cols);
    return true;
  };

  abt: typeof gemmABt = (A, aOff, lda, aRows, Bm, bOff, ldb, bRows, n, C, cOff, ldc, acc) => {
    const panels = bRows >> 3;
    const cols = panels * 8;
    const pa = this.addr(A, aOff), pb = this.addr(Bm, bOff), pc = this.addr(C, cOff);
    const pp = panels === 0 || n === 0 || pa < 0 || pb < 0 || pc < 0 ? -1 : this.packB(pb >> 2, ldb, panels, n);
    if (pp < 0) {
      gemmABt(A, aOff, lda, aRows, Bm, bOff, ldb, bRows, n, C, cOff, ldc, acc);
      return;
    }
    this.k.abtp(pa, lda, aRows, pp, panels, n, pc, ldc, acc ? 1 : 0);
    if (cols < bRows) gemmABt(A, aOff, lda, aRows, Bm, bOff + cols * ldb, ldb, bRows - cols, n, C, cOff + cols, ldc, acc);
  };

  atb: typeof gemmAtB = (A, aOff, lda, Bm, bOff, ldb, rows, m, n, C, cOff, ldc, acc) => {
    const m4 = m & ~3;
    const n8 = n & ~7;
    const pa = this.addr(A, aOff), pb = this.addr(Bm, bOff), pc = this.addr(C, cOff);
    if (m4 === 0 || n8 === 0 || rows === 0 || pa < 0 || pb < 0 || pc < 0) {
      gemmAtB(A, aOff, lda, Bm, bOff, ldb, rows, m, n, C, cOff, ldc, acc);
      return;
    }
    for (let r0 = 0; r0 < rows; r0 += ATB_ROWS) {
      const r = Math.min(ATB_ROWS, rows - r0);
      this.k.atb(pa + 4 * r0 * lda, lda, pb + 4 * r0 * ldb, ldb, r, m4, n8, pc, ldc, acc || r0 > 0 ? 1 : 0);
    }
    if (n8 < n) gemmAtB(A, aOff, lda, Bm, bOff + n8, ldb, rows, m4, n - n8, C, cOff + n8, ldc, acc);
    if (m4 < m) gemmAtB(A, aOff + m4, lda, Bm, bOff, ldb, rows, m - m4, n, C, cOff + m4 * ldc, ldc, acc);
  };
}

/** Whether this runtime validates the relaxed-SIMD build of gemm.wat (f32x4.relaxed_madd). */
export function hasRelaxedSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(gemmRelaxedWasm);
}

export interface WasmOptions {
  /** false: the mul + add build even where relaxed SIMD validates (tests, benchmarks). Default: relaxed where it validates. */
  relaxedSimd?: boolean;
}

/** What a wasm engine runs: which build of gemm.wat, and on how many threads. */
export interface WasmInfo {
  relaxedSimd: boolean;
  /** Always 1: the products run on the calling thread (see docs/KERNELS.md, "Threads"). */
  threads: 1;
  /** Whether this page could share a WebAssembly memory with workers: crossOriginIsolated and SharedArrayBuffer. */
  sharedMemoryAvailable: boolean;
}

/** crossOriginIsolated (a browser global; absent in Node) and SharedArrayBuffer both present. */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

/** A fresh workspace over the chosen build of gemm.wat (the unit tests call its products directly). */
export function createWasmWorkspace(opts: WasmOptions = {}): Workspace {
  const relaxed = opts.relaxedSimd !== false && hasRelaxedSimd();
  return new WasmWorkspace(new WebAssembly.Module(relaxed ? gemmRelaxedWasm : gemmWasm));
}

const made = new Map<boolean, Engine & { info: WasmInfo } | Error>();

/**
 * A wasm engine, compiled on first use and kept (the modules are ~2.5 KB, so compiling
 * synchronously is allowed even on a browser's main thread). Throws, saying why, where
 * WebAssembly with SIMD cannot be compiled: no WebAssembly, no SIMD, or a CSP without 'wasm-unsafe-eval'.
 */
export function createWasmEngine(opts: WasmOptions = {}): Engine & { info: WasmInfo } {
  const relaxed = opts.relaxedSimd !== false && hasRelaxedSimd();
  let e = made.get(relaxed);
  if (e === undefined) {
    try {
      if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
      const ws = new WasmWorkspace(new WebAssembly.Module(relaxed ? gemmRelaxedWasm : gemmWasm));
      e = { ...engineOver('wasm', ws), info: { relaxedSimd: relaxed, threads: 1, sharedMemoryAvailable: sharedMemoryAvailable() } };
    } catch (err) {
      e = new Error(`the wasm backend is not available here: ${err instanceof Error ? err.message : String(err)}`);
    }
    made.set(relaxed, e);
  }
  if (e instanceof Error) throw e;
  return e;
}

/** The wasm engine the lab and the API use: relaxed SIMD where the runtime has it. */
export function wasmEngine(): Engine & { info: WasmInfo } {
  return createWasmEngine();
}
