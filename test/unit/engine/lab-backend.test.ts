// The lab's backend: the webviews' CSP (the lab alone may compile WebAssembly), the chooser's wasm
// probe in Node (where WebAssembly compiles), and what the lab's corner note says when it falls
// back to js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAB_POLICY, WASM_UNSAFE_EVAL, webviewCsp } from '../../../src/webviewCsp';
import { LAB_BACKEND_SETTINGS } from '../../../protocol';
import { CANDIDATES, MARGIN, chooseBackend, decide, type Probe } from '../../../engine/backends/choose';
import { explainChoice, forcedCandidate } from '../../../webview/lab/backend';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test("the quiz's CSP: scripts by nonce only, nothing compiles from bytes or strings", () => {
  assert.equal(webviewCsp({ source: SOURCE, nonce: 'n0' }),
    `default-src 'none'; script-src 'nonce-n0'; style-src ${SOURCE} 'nonce-n0'; font-src ${SOURCE}; img-src ${SOURCE} data:`);
  assert.equal(webviewCsp({ source: SOURCE, nonce: 'n0', compileWasm: false }), webviewCsp({ source: SOURCE, nonce: 'n0' }));
});

test("the lab's CSP is the quiz's plus 'wasm-unsafe-eval' in script-src and worker-src blob:, and nothing else", () => {
  const quiz = webviewCsp({ source: SOURCE, nonce: 'n1' });
  const lab = webviewCsp({ source: SOURCE, nonce: 'n1', ...LAB_POLICY });
  assert.equal(lab, `${quiz.replace(`script-src 'nonce-n1'`, `script-src 'nonce-n1' ${WASM_UNSAFE_EVAL}`)}; worker-src blob:`);
  assert.equal(WASM_UNSAFE_EVAL, `'wasm-unsafe-eval'`);
  assert.doesNotMatch(lab, /'unsafe-eval'|'unsafe-inline'|https?:\/\/(?!file\+)/);
  // Each extra alone adds only itself.
  assert.equal(webviewCsp({ source: SOURCE, nonce: 'n1', blobWorkers: true }), `${quiz}; worker-src blob:`);
});

test('the chooser probes wasm like the others: checked against the reference, timed at the demo size, chosen by the documented rule', async () => {
  assert.deepEqual(CANDIDATES, ['gpu:webgl2', 'gpu:webgl', 'wasm', 'js']);
  const changes: string[] = [];
  const sw = await chooseBackend({ candidates: ['wasm', 'js'], reps: 3, onChange: (n) => changes.push(n) });
  const wasm = sw.probes.find((p) => p.name === 'wasm')!;
  assert.equal(wasm.status, 'ok', wasm.error);
  assert.ok(wasm.ms > 0 && Number.isFinite(wasm.ms));
  // Whatever the timings were, the switch runs what decide() makes of them.
  const expected = decide(sw.probes);
  assert.equal(sw.name, expected.order[0]);
  assert.deepEqual(sw.reason, expected.reason);
  assert.deepEqual(changes, [sw.name]);
  // The switch answers through the chosen backend.
  const f = sw.forward('lstm', { T: 3, B: 1, D: 2, H: 4 }, { W: new Float32Array(4 * 4 * 6).fill(0.1), b: new Float32Array(16) }, [1, 2, 3, 4, 5, 6]);
  assert.equal(f.h.length, 12);
});

test('a forced backend is checked, not timed, and used; js stays behind it', async () => {
  for (const force of ['wasm', 'js'] as const) {
    const sw = await chooseBackend({ force });
    assert.equal(sw.name, force);
    assert.deepEqual(sw.reason, { kind: 'forced' });
    assert.deepEqual(sw.probes.map((p) => [p.name, p.status, p.ms]), [[force, 'ok', Infinity]]);
    if (force === 'wasm') {
      assert.equal(sw.next({ kind: 'failed', from: 'wasm', error: 'x' }), true);
      assert.equal(sw.name, 'js');
    }
    assert.equal(sw.next({ kind: 'failed', from: 'js', error: 'x' }), false, 'nothing after js');
  }
});

test('a forced backend that cannot run here falls back to the usual choice, and says why', async () => {
  // Node has no WebGL: GPU.js cannot make a webgl2 context.
  const sw = await chooseBackend({ force: 'gpu:webgl2', candidates: ['js'] });
  assert.equal(sw.name, 'js');
  assert.deepEqual(sw.reason, { kind: 'forcedUnavailable', wanted: 'gpu:webgl2' });
  assert.notEqual(sw.probes.find((p) => p.name === 'gpu:webgl2')?.status, 'ok');
  assert.match(explainChoice(sw.name, sw.reason, sw.probes)!.text, /^webgl2 is the rnnLens\.lab\.backend setting, but it (is not available here|failed .*): the lab runs on js\.$/);
});

const probe = (name: Probe['name'], p: Partial<Probe>): Probe => ({ name, status: 'ok', available: true, correct: true, ms: 10, ...p });
const gone = { status: 'unavailable', available: false, correct: false, ms: Infinity, error: 'x' } as const;

test('decide: preference order, and a later backend only when it is MARGIN times faster', () => {
  assert.equal(MARGIN, 1.5);
  const pick = (...probes: Probe[]) => decide(probes);
  // wasm and js within the margin: wasm, either way round, whatever the noise.
  assert.deepEqual(pick(probe('wasm', { ms: 1.2 }), probe('js', { ms: 0.9 })), { order: ['wasm', 'js'], reason: { kind: 'preferred' } });
  assert.deepEqual(pick(probe('wasm', { ms: 0.9 }), probe('js', { ms: 1.2 })).order, ['wasm', 'js']);
  // Exactly at the margin is not enough; beyond it is.
  assert.equal(pick(probe('wasm', { ms: 1.5 }), probe('js', { ms: 1 })).order[0], 'wasm');
  assert.deepEqual(pick(probe('wasm', { ms: 1.6 }), probe('js', { ms: 1 })),
    { order: ['js', 'wasm'], reason: { kind: 'faster', over: 'wasm', ms: 1, overMs: 1.6 } });
  // WebGL through a CPU emulation: wasm is tens of times faster.
  assert.deepEqual(pick(probe('gpu:webgl2', { ms: 40 }), probe('gpu:webgl', { ms: 45 }), probe('wasm', { ms: 1 }), probe('js', { ms: 1.1 })),
    { order: ['wasm', 'gpu:webgl2', 'gpu:webgl', 'js'], reason: { kind: 'faster', over: 'gpu:webgl2', ms: 1, overMs: 40 } });
  // A real GPU within the margin of wasm stays preferred.
  assert.equal(pick(probe('gpu:webgl2', { ms: 1.2 }), probe('wasm', { ms: 1 }), probe('js', { ms: 3 })).order[0], 'gpu:webgl2');
  // Probe order does not matter; incorrect and unavailable backends never run; js is always the last resort.
  assert.deepEqual(pick(probe('js', { ms: 5 }), probe('wasm', { ...gone }), probe('gpu:webgl2', { status: 'incorrect', correct: false, ms: Infinity })),
    { order: ['js'], reason: { kind: 'preferred' } });
  assert.deepEqual(decide([probe('wasm', { ms: 1 })]).order, ['wasm', 'js']);
  // Untimed probes (policy inOrder): the first correct in preference order.
  assert.equal(pick(probe('js', { ms: Infinity }), probe('wasm', { ms: Infinity })).order[0], 'wasm');
  // Forcing.
  assert.deepEqual(decide([probe('wasm', { ms: 9 }), probe('js', { ms: 1 })], 'wasm'), { order: ['wasm', 'js'], reason: { kind: 'forced' } });
  assert.deepEqual(decide([probe('wasm', { ...gone }), probe('js', { ms: 1 })], 'wasm'), { order: ['js'], reason: { kind: 'forcedUnavailable', wanted: 'wasm' } });
});

test('the setting names the backend to force; auto and unknown values force nothing', () => {
  assert.deepEqual(LAB_BACKEND_SETTINGS.map(forcedCandidate), [undefined, 'gpu:webgl2', 'gpu:webgl', 'wasm', 'js']);
  assert.equal(forcedCandidate('gpu:webgl2'), undefined);
  assert.equal(forcedCandidate(undefined), undefined);
  assert.equal(forcedCandidate('__proto__'), undefined);
});

test('the corner note says nothing when wasm, WebGL or a forced backend runs, and says why when js does or a switch happened', () => {
  const pref = { kind: 'preferred' } as const;
  assert.equal(explainChoice('wasm', pref, [probe('gpu:webgl2', gone), probe('wasm', { ms: 2 }), probe('js', { ms: 9 })]), undefined);
  assert.equal(explainChoice('js', { kind: 'forced' }, [probe('js', {})]), undefined);
  assert.deepEqual(explainChoice('js', pref, [probe('gpu:webgl2', gone), probe('gpu:webgl', gone), probe('wasm', gone), probe('js', {})]), {
    text: 'WebGL and WebAssembly are not available here: the lab runs on the plain-JS kernels (same results, on the CPU).', warning: true,
  });
  assert.deepEqual(explainChoice('js', { kind: 'faster', over: 'gpu:webgl2', ms: 8, overMs: 40 }, [probe('gpu:webgl2', { ms: 40 }), probe('wasm', gone), probe('js', { ms: 8 })]), {
    text: 'WebAssembly is not available here; js was faster than webgl2 (8.0 ms vs 40.0 ms at the demo size): the lab runs on the plain-JS kernels (same results, on the CPU).',
    warning: true,
  });
  assert.deepEqual(explainChoice('js', { kind: 'faster', over: 'wasm', ms: 1, overMs: 2 }, [probe('wasm', { ms: 2 }), probe('js', { ms: 1 })]), {
    text: 'js was faster than wasm (1.0 ms vs 2.0 ms at the demo size): the lab runs on the plain-JS kernels (same results, on the CPU).', warning: false,
  });
  assert.deepEqual(explainChoice('js', pref, [probe('wasm', { status: 'incorrect', correct: false, ms: Infinity, error: 'lstm dW relative error 0.3' }), probe('js', {})]), {
    text: 'WebAssembly failed its check against the reference (wasm: lstm dW relative error 0.3): the lab runs on the plain-JS kernels (same results, on the CPU).', warning: true,
  });
  assert.deepEqual(explainChoice('wasm', { kind: 'forcedUnavailable', wanted: 'gpu:webgl2' }, [probe('gpu:webgl2', gone), probe('wasm', {})]), {
    text: 'webgl2 is the rnnLens.lab.backend setting, but it is not available here: the lab runs on wasm.', warning: true,
  });
  assert.deepEqual(explainChoice('js', { kind: 'contextLost', from: 'gpu:webgl2' }, []), { text: 'WebGL context lost: switched to js.', warning: true });
  assert.deepEqual(explainChoice('js', { kind: 'failed', from: 'wasm', error: 'RangeError: x' }, []), { text: 'wasm failed (RangeError: x): switched to js.', warning: true });
});
