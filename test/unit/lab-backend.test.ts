// The lab's backend: the webviews' CSP (the lab alone may compile WebAssembly), the chooser's wasm
// probe in Node (where WebAssembly compiles), and what the lab's corner note says when it falls
// back to js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WASM_UNSAFE_EVAL, webviewCsp } from '../../src/webviewCsp';
import { CANDIDATES, TIE, chooseBackend, type Probe } from '../../webview/kernels/chooseBackend';
import { explainChoice } from '../../webview/lab/engine';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test("the quiz's CSP: scripts by nonce only, nothing compiles from bytes or strings", () => {
  assert.equal(webviewCsp({ source: SOURCE, nonce: 'n0' }),
    `default-src 'none'; script-src 'nonce-n0'; style-src ${SOURCE} 'nonce-n0'; font-src ${SOURCE}; img-src ${SOURCE} data:`);
  assert.equal(webviewCsp({ source: SOURCE, nonce: 'n0', compileWasm: false }), webviewCsp({ source: SOURCE, nonce: 'n0' }));
});

test("the lab's CSP is the quiz's plus 'wasm-unsafe-eval' in script-src, and nothing else", () => {
  const quiz = webviewCsp({ source: SOURCE, nonce: 'n1' });
  const lab = webviewCsp({ source: SOURCE, nonce: 'n1', compileWasm: true });
  assert.equal(lab, quiz.replace(`script-src 'nonce-n1'`, `script-src 'nonce-n1' ${WASM_UNSAFE_EVAL}`));
  assert.equal(WASM_UNSAFE_EVAL, `'wasm-unsafe-eval'`);
  assert.doesNotMatch(lab, /'unsafe-eval'|'unsafe-inline'|https?:\/\/(?!file\+)/);
});

test('the chooser probes wasm like the others: checked against the reference, timed at the demo size, chosen when fastest', async () => {
  assert.deepEqual(CANDIDATES, ['gpu:webgl2', 'gpu:webgl', 'wasm', 'js']);
  const changes: string[] = [];
  const sw = await chooseBackend({ candidates: ['wasm', 'js'], reps: 3, onChange: (n) => changes.push(n) });
  const wasm = sw.probes.find((p) => p.name === 'wasm')!;
  assert.equal(wasm.available, true);
  assert.equal(wasm.correct, true, wasm.error);
  assert.ok(wasm.ms > 0 && Number.isFinite(wasm.ms));
  // The fastest, or wasm where js is faster by less than TIE (timings of ~1 ms swap run to run).
  const js = sw.probes.find((p) => p.name === 'js')!;
  const expected = wasm.ms <= js.ms * TIE ? 'wasm' : 'js';
  assert.equal(sw.name, expected, `wasm ${wasm.ms} ms, js ${js.ms} ms`);
  assert.deepEqual(changes, [expected]);
  // The switch answers through the chosen backend.
  const f = sw.forward('lstm', { T: 3, B: 1, D: 2, H: 4 }, { W: new Float32Array(4 * 4 * 6).fill(0.1), b: new Float32Array(16) }, [1, 2, 3, 4, 5, 6]);
  assert.equal(f.h.length, 12);
});

const probe = (name: Probe['name'], p: Partial<Probe>): Probe => ({ name, available: true, correct: true, ms: 10, ...p });

test('the corner note says nothing when wasm or WebGL runs, and says why when js does', () => {
  const gone = { available: false, correct: false, ms: Infinity, error: 'x' };
  assert.equal(explainChoice('wasm', [probe('gpu:webgl2', gone), probe('wasm', { ms: 2 }), probe('js', { ms: 9 })]), undefined);
  assert.equal(explainChoice('js', [probe('gpu:webgl2', gone), probe('gpu:webgl', gone), probe('wasm', gone), probe('js', {})]),
    'WebGL and WebAssembly are not available here: the lab runs on the plain-JS kernels (same results, on the CPU).');
  assert.equal(explainChoice('js', [probe('gpu:webgl2', { ms: 40 }), probe('wasm', gone), probe('js', { ms: 8 })]),
    'WebAssembly is not available here; js was faster than webgl2 (8.0 ms vs 40.0 ms at the demo size): the lab runs on the plain-JS kernels (same results, on the CPU).');
  assert.equal(explainChoice('js', [probe('wasm', { correct: false, ms: Infinity, error: 'lstm dW relative error 0.3' }), probe('js', {})]),
    'WebAssembly failed its check against the reference (wasm: lstm dW relative error 0.3): the lab runs on the plain-JS kernels (same results, on the CPU).');
});
