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
import { engineOver } from './js';
import { gemmABt, gemmAtB } from './gemm';
import type { Workspace } from '../workspace';
import type { Engine, Vec } from '../types';

interface GemmExports {
  abt(a: number, lda: number, aRows: number, b: number, ldb: number, bRows: number, n: number,
    c: number, ldc: number, acc: number): void;
  atb(a: number, lda: number, b: number, ldb: number, rows: number, m: number, n: number,
    c: number, ldc: number, acc: number): void;
}

/** Rows of the weight-gradient product per call: keeps a strip of both operands in cache. */
const ATB_ROWS = 128;
/** Floats allocations may add to a call's bound by rounding up to 16-byte boundaries. */
const SLACK = 4096;

class WasmWorkspace implements Workspace {
  private memory: WebAssembly.Memory;
  private k: GemmExports;
  private view = new Float32Array(0);
  private top = 0;
  private end = 0;

  constructor(private readonly module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.k = this.instantiate();
  }

  private instantiate(): GemmExports {
    return new WebAssembly.Instance(this.module, { env: { memory: this.memory } }).exports as unknown as GemmExports;
  }

  reserve = (floats: number): void => {
    const bytes = (floats + SLACK) * 4;
    if (this.memory.buffer.byteLength < bytes) {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      this.k = this.instantiate();
    }
    this.view = new Float32Array(this.memory.buffer);
    this.top = 0;
    this.end = floats + SLACK;
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

  abt: typeof gemmABt = (A, aOff, lda, aRows, Bm, bOff, ldb, bRows, n, C, cOff, ldc, acc) => {
    const rows = aRows & ~1;
    const cols = bRows & ~3;
    const pa = this.addr(A, aOff), pb = this.addr(Bm, bOff), pc = this.addr(C, cOff);
    if ((n & 3) !== 0 || rows === 0 || cols === 0 || pa < 0 || pb < 0 || pc < 0) {
      gemmABt(A, aOff, lda, aRows, Bm, bOff, ldb, bRows, n, C, cOff, ldc, acc);
      return;
    }
    this.k.abt(pa, lda, rows, pb, ldb, cols, n, pc, ldc, acc ? 1 : 0);
    if (cols < bRows) gemmABt(A, aOff, lda, rows, Bm, bOff + cols * ldb, ldb, bRows - cols, n, C, cOff + cols, ldc, acc);
    if (rows < aRows) gemmABt(A, aOff + rows * lda, lda, aRows - rows, Bm, bOff, ldb, bRows, n, C, cOff + rows * ldc, ldc, acc);
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

let made: Engine | Error | undefined;

/**
 * The wasm engine, compiled on first use (the module is ~1.3 KB, so compiling synchronously is
 * allowed even on a browser's main thread). Throws, saying why, where WebAssembly with SIMD
 * cannot be compiled: no WebAssembly, no SIMD, or a CSP without 'wasm-unsafe-eval'.
 */
export function wasmEngine(): Engine {
  if (made === undefined) {
    try {
      if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
      made = engineOver('wasm', new WasmWorkspace(new WebAssembly.Module(gemmWasm)));
    } catch (e) {
      made = new Error(`the wasm backend is not available here: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (made instanceof Error) throw made;
  return made;
}
