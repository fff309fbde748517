// The page's own script for csp.test.ts, served once under the lab's CSP and once under the
// quiz's (both from src/webviewCsp.ts). It tries what the policy decides: compiling the wasm
// kernels' module, instantiating it through the backend, running JavaScript from a string, and
// what chooseBackend's wasm probe then finds. What happened, and every CSP violation the page
// saw, goes into #out as JSON.
import gemmWasm from '../../engine/backends/gemm.wat';
import { chooseBackend } from '../../engine/backends/choose';
import { wasmEngine } from '../../engine/backends/wasm';
import { reportToPage } from './pageReport';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));

/** 'ok', or the error the attempt threw. */
function attempt(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

async function main(): Promise<Record<string, unknown>> {
  await new Promise((r) => setTimeout(r, 0));
  const compile = attempt(() => new WebAssembly.Module(gemmWasm));
  let instantiate: string;
  try {
    await WebAssembly.instantiate(gemmWasm, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
    instantiate = 'ok';
  } catch (e) {
    instantiate = String(e);
  }
  const backend = attempt(() => wasmEngine());
  const evalString = attempt(() => new Function('return 1')());
  const sw = await chooseBackend({ candidates: ['wasm', 'js'], reps: 1, demoShape: { T: 8, B: 1, D: 4, H: 8 } });
  const probe = sw.probes.find((p) => p.name === 'wasm');
  // Violation reports are dispatched as tasks: let them arrive before reading the list.
  await new Promise((r) => setTimeout(r, 50));
  return { compile, instantiate, backend, evalString, chosen: sw.name, wasmProbe: probe, violations };
}

reportToPage(main, () => ({ violations }));
