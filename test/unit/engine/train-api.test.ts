// createTrainer as the lab uses it: config validation (one-line errors), determinism, the tasks'
// batches, the text stream's carried state, and the measurements the demos plot (spectrum,
// per-step gradient norms, connectivity, samples, teacher forcing vs free running).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTrainer, type TrainerConfig } from '../../../engine/train';
import { TRAINER_LIMITS } from '../../../engine/train/config';
import { eigenvalues, singularValues } from '../../../engine/train/spectrum';
import { createTask, encodeText, OTHER_SYMBOL, textSymbols } from '../../../engine/train/tasks';
import { gaussianSource, spectralNorm } from '../../../engine/init';
import { referenceLevels, vocabulary } from '../../../webview/lab/demos/train/math';
import { LAB_DEFAULTS } from '../../../protocol';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(40);
const base: TrainerConfig = { cell: 'lstm', H: 8, seed: 3, task: { kind: 'recall', delay: 4 }, batch: 4, backend: 'js' };

function throwsOneLine(cfg: unknown, pattern: RegExp): void {
  assert.throws(() => createTrainer(cfg as TrainerConfig), (e: unknown) => {
    assert.ok(e instanceof RangeError, String(e));
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a bad config is refused with a one-line error naming the problem', () => {
  throwsOneLine({ ...base, cell: 'transformer' }, /unknown cell 'transformer'/);
  throwsOneLine({ ...base, cell: `lstm\n${'x'.repeat(5000)}` }, /^unknown cell 'lstm x{35}…' \(rnn, lstm or gru\)$/);
  throwsOneLine({ ...base, H: TRAINER_LIMITS.H + 1 }, /^H must be an integer from 1 to 256/);
  throwsOneLine({ ...base, H: 2.5 }, /^H must be an integer/);
  throwsOneLine({ ...base, batch: 0 }, /^batch must be/);
  throwsOneLine({ ...base, task: { kind: 'adding', T: TRAINER_LIMITS.T + 1 } }, /^task.T must be an integer from 2 to 1000/);
  throwsOneLine({ ...base, task: { kind: 'recall', delay: 999, length: 2 } }, /sequence length 1004 is above the cap of 1000/);
  throwsOneLine({ ...base, task: { kind: 'recall', delay: 3, symbols: 1 } }, /^task.symbols must be an integer from 2/);
  throwsOneLine({ ...base, task: { kind: 'text', text: 'abc', T: 10 } }, /^task.text is too short: 3 characters/);
  throwsOneLine({ ...base, task: { kind: 'text', text: 'x'.repeat(TRAINER_LIMITS.textChars + 1), T: 10 } }, /at most 1000000/);
  throwsOneLine({ ...base, task: { kind: 'maze' } }, /unknown task 'maze'/);
  throwsOneLine({ ...base, optimizer: { kind: 'rmsprop', lr: 0.1 } }, /unknown optimizer 'rmsprop'/);
  throwsOneLine({ ...base, optimizer: { kind: 'adam', lr: -1 } }, /^optimizer.lr must be a number > 0/);
  throwsOneLine({ ...base, optimizer: { kind: 'adam', lr: NaN } }, /^optimizer.lr/);
  throwsOneLine({ ...base, init: { scheme: 'he' } }, /unknown init scheme 'he'/);
  throwsOneLine({ ...base, backend: 'cuda' }, /unknown backend 'cuda'/);
  throwsOneLine({ ...base, H: 256, batch: 64, task: { kind: 'adding', T: 100 } }, /T·batch·H = 1638400 is above the cap of 1048576/);
  throwsOneLine({ ...base, task: { kind: 'adding', T: 10 }, input: { kind: 'embedding', dim: 4 } }, /adding task takes real inputs/);
  throwsOneLine({ ...base, clip: -1 }, /^clip must be/);
  throwsOneLine(null, /config must be an object/);
  throwsOneLine({ ...base, resetAfter: true }, /^resetAfter is a GRU option; cell is 'lstm'/);
  throwsOneLine({ ...base, cell: 'gru', resetAfter: 'yes' }, /^resetAfter must be true or false, got 'yes'/);
  throwsOneLine({ ...base, input: null }, /^input must be an object, got null/);
  throwsOneLine({ ...base, optimizer: 3 }, /^optimizer must be an object, got 3/);
  throwsOneLine({ ...base, task: null }, /^task must be an object/);
  const t = createTrainer(base);
  assert.throws(() => t.step(0), /step\(n\): n must be an integer/);
  assert.throws(() => t.step(TRAINER_LIMITS.stepsPerCall + 1), /from 1 to 10000/);
  assert.throws(() => t.evaluate(1.5), /evaluate\(batches\)/);
  assert.throws(() => t.sample(10), /sample needs the text task/);
});

test('the same seed gives the same numbers; another seed does not', () => {
  for (const backend of ['reference', 'js', 'wasm'] as const) {
    const cfg: TrainerConfig = { ...base, backend, clip: 1, task: { kind: 'recall', delay: 3, length: 2 } };
    const a = createTrainer(cfg), b = createTrainer(cfg), c = createTrainer({ ...cfg, seed: 4 });
    const ma = a.step(5), mb = b.step(5), mc = c.step(5);
    assert.deepEqual(ma, mb);
    assert.deepEqual(a.parameters(), b.parameters());
    assert.deepEqual(a.evaluate(2), b.evaluate(2));
    assert.notEqual(ma.loss, mc.loss);
    assert.equal(ma.step, 5);
    assert.equal(a.backend, backend);
  }
});

test('the trainer runs on the gpu backend and makes the same updates as on js', () => {
  // In Node the gpu backend is GPU.js's cpu mode, the same kernels the browser runs on WebGL.
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    const cfg: TrainerConfig = { ...base, cell, clip: 1, task: { kind: 'recall', delay: 3, length: 2 } };
    const gpu = createTrainer({ ...cfg, backend: 'gpu' });
    const js = createTrainer({ ...cfg, backend: 'js' });
    assert.equal(gpu.backend, 'gpu');
    const mg = gpu.step(5), mj = js.step(5);
    assert.equal(mg.step, 5);
    assert.ok(Math.abs(mg.loss - mj.loss) < 1e-4 * Math.max(1, Math.abs(mj.loss)), `${cell}: loss ${mg.loss} vs ${mj.loss}`);
    const pg = gpu.parameters().W, pj = js.parameters().W;
    let worst = 0;
    for (let i = 0; i < pj.length; i++) worst = Math.max(worst, Math.abs(pg[i] - pj[i]));
    assert.ok(worst < 1e-4, `${cell}: W after 5 updates differs by ${worst}`);
    assert.notDeepEqual(gpu.parameters().W, createTrainer({ ...cfg, backend: 'gpu' }).parameters().W);
  }
});

test('step(n) makes n updates; evaluate makes none', () => {
  const t = createTrainer({ ...base, task: { kind: 'adding', T: 6 } });
  const before = t.parameters();
  const e = t.evaluate(3);
  assert.deepEqual(t.parameters(), before);
  assert.equal(e.step, 0);
  assert.equal(e.accuracy, undefined);
  assert.ok(e.loss > 0 && e.gradNorm > 0);
  const m = t.step(3);
  assert.equal(m.step, 3);
  assert.equal(t.steps, 3);
  assert.notDeepEqual(t.parameters().W, before.W);
});

test('recall: symbols, blanks, a cue, then targets on the recall steps only', () => {
  const task = createTask({ kind: 'recall', delay: 3, symbols: 5, length: 2 }, 4, 1);
  const b = task.newBatch(4);
  task.nextTrain(b);
  assert.equal(task.T, 2 + 3 + 1 + 2);
  assert.deepEqual(task.recallSteps, [6, 7]);
  for (let bi = 0; bi < 4; bi++) {
    const col = (a: Int32Array): number[] => Array.from({ length: task.T }, (_, t) => a[t * 4 + bi]);
    const tok = col(b.tokens!), cls = col(b.classes!);
    assert.ok(tok[0] < 5 && tok[1] < 5);
    assert.deepEqual(tok.slice(2), [5, 5, 5, 6, 5, 5]);
    assert.deepEqual(cls, [-1, -1, -1, -1, -1, -1, tok[0], tok[1]]);
  }
});

test('adding: one marker in each half, target at the last step = the sum of the marked values', () => {
  const T = 9, B = 16;
  const task = createTask({ kind: 'adding', T }, B, 2);
  const b = task.newBatch(B);
  task.nextTrain(b);
  for (let bi = 0; bi < B; bi++) {
    const marks = Array.from({ length: T }, (_, t) => t).filter((t) => b.features![(t * B + bi) * 2 + 1] === 1);
    assert.equal(marks.length, 2);
    assert.ok(marks[0] < 4 && marks[1] >= 4, String(marks));
    const sum = marks.reduce((s, t) => s + b.features![(t * B + bi) * 2], 0);
    assert.equal(b.values![(T - 1) * B + bi], sum);
    for (let t = 0; t < T - 1; t++) assert.ok(Number.isNaN(b.values![t * B + bi]));
  }
});

test('text: consecutive windows of B streams carry on where the last one ended, then wrap', () => {
  const T = 5, B = 3;
  const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(3);
  const task = createTask({ kind: 'text', text, T }, B, 1);
  assert.equal(task.vocabulary, 'abcdefghijklmnopqrstuvwxyz');
  const b = task.newBatch(B);
  const first = task.nextTrain(b);
  const w1 = Array.from(b.tokens!);
  const cls1 = Array.from(b.classes!);
  assert.equal(first, false);
  assert.equal(task.nextTrain(b), true);
  for (let bi = 0; bi < B; bi++) {
    // The target of step t is the input of step t+1, and window 2 starts where window 1 ended.
    for (let t = 0; t + 1 < T; t++) assert.equal(cls1[t * B + bi], w1[(t + 1) * B + bi]);
    assert.equal(b.tokens![bi], cls1[(T - 1) * B + bi]);
  }
  let wrapped = false;
  for (let i = 0; i < 20 && !wrapped; i++) wrapped = !task.nextTrain(b);
  assert.ok(wrapped, 'the stream wraps and the state restarts');
});

test('text: the state carried between windows changes the loss (it is not restarted)', () => {
  // A period-4 text read in windows of 4: windows 1 and 2 hold the same characters, and with a
  // negligible learning rate the weights stay put, so only the carried state can tell them apart.
  const t = createTrainer({ ...base, task: { kind: 'text', text: 'abcd'.repeat(100), T: 4 }, batch: 2, optimizer: { kind: 'sgd', lr: 1e-12 } });
  const first = t.step(1).loss;
  const second = t.step(1).loss;
  assert.ok(Math.abs(first - second) > 1e-4, `${first} vs ${second}`);
});

test('spectrum: identity init scaled to 0.9 has every singular value and eigenvalue 0.9', () => {
  const t = createTrainer({ ...base, cell: 'rnn', H: 6, init: { scheme: 'identity', spectralRadius: 0.9 } });
  const [s] = t.spectrum();
  assert.equal(s.gate, 'h');
  for (let i = 0; i < 6; i++) {
    assert.ok(Math.abs(s.singular[i] - 0.9) < 1e-6);
    assert.ok(Math.abs(s.re[i] - 0.9) < 1e-6 && s.im[i] === 0);
  }
  assert.deepEqual(createTrainer(base).spectrum().map((b) => b.gate), ['f', 'i', 'g', 'o']);
  assert.deepEqual(createTrainer({ ...base, cell: 'gru' }).spectrum().map((b) => b.gate), ['z', 'r', 'n']);
  const lstm = createTrainer(base);
  const g = lstm.spectrum('g');
  assert.deepEqual(g.map((b) => b.gate), ['g']);
  assert.deepEqual(g[0], lstm.spectrum()[2]);
  assert.throws(() => lstm.spectrum('z'), /unknown gate 'z' \(f, i, g, o\)/);
});

test('eigenvalues: a scaled rotation, and trace and determinant of a random matrix', () => {
  const r = 0.8, th = 0.7;
  const rot = [r * Math.cos(th), -r * Math.sin(th), r * Math.sin(th), r * Math.cos(th)];
  const e = eigenvalues(rot, 2);
  assert.ok(Math.abs(e.re[0] - r * Math.cos(th)) < 1e-12 && Math.abs(Math.abs(e.im[0]) - r * Math.sin(th)) < 1e-12);
  assert.ok(Math.abs(e.im[0] + e.im[1]) < 1e-12);
  const n = 24;
  const g = gaussianSource(9);
  const A = Float64Array.from({ length: n * n }, () => g() / Math.sqrt(n));
  const { re, im } = eigenvalues(A, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  assert.ok(Math.abs(re.reduce((s, v) => s + v, 0) - trace) < 1e-9);
  assert.ok(Math.abs(im.reduce((s, v) => s + v, 0)) < 1e-9);
  // |det A| = Π |λ| = Π σ.
  const logEig = Array.from(re, (v, i) => Math.log(Math.hypot(v, im[i]))).reduce((s, v) => s + v, 0);
  const sv = singularValues(A, n);
  const logSv = Array.from(sv, Math.log).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(logEig - logSv) < 1e-8, `${logEig} vs ${logSv}`);
  assert.ok(Math.abs(sv[0] - spectralNorm(A, n, n)) < 1e-9);
  for (let i = 1; i < n; i++) assert.ok(sv[i] <= sv[i - 1] && Math.hypot(re[i], im[i]) <= Math.hypot(re[i - 1], im[i - 1]) + 1e-12);
});

test('gradient norms per step and connectivity: causal, zero after the recall step', () => {
  const t = createTrainer({ ...base, task: { kind: 'recall', delay: 3, length: 2 } });
  assert.throws(() => t.connectivity(), /call step\(\) first/);
  t.step(2);
  const g = t.gradientNorms();
  assert.equal(g.length, t.T);
  // The last step sees only its own loss; the first steps get gradient through the recurrence.
  assert.ok(g[t.T - 1] > 0 && g[0] > 0);
  const c = t.connectivity();
  assert.equal(c.length, t.T);
  // y is read at step 6: inputs at step 7 cannot reach it; the symbols at steps 0, 1 do.
  assert.equal(c[7], 0);
  assert.ok(c[0] > 0 && c[1] > 0 && c[6] > 0);
  assert.throws(() => createTrainer({ ...base, task: { kind: 'adding', T: 5 } }).connectivity(), /recall task only/);
});

test('text: samples are seeded, from the vocabulary; temperature 0 is greedy', () => {
  const t = createTrainer({ ...base, task: { kind: 'text', text: TEXT, T: 10 }, batch: 4 });
  t.step(20);
  const a = t.sample(40, 1, { seed: 5 });
  assert.equal(a.length, 40);
  assert.equal(a, t.sample(40, 1, { seed: 5 }));
  for (const ch of a) assert.ok(t.vocabulary!.includes(ch));
  assert.equal(t.sample(30, 0, { seed: 1 }), t.sample(30, 0, { seed: 2 }));
  assert.throws(() => t.sample(10, 1, { prime: 'Z' }), /character "Z" is not in the vocabulary/);
  assert.throws(() => t.sample(1e6), /length must be an integer from 0 to 10000/);
});

test('text: teacher forcing and free running agree when the whole window is the prime', () => {
  const t = createTrainer({ ...base, task: { kind: 'text', text: TEXT, T: 10 }, batch: 4 });
  t.step(30);
  const all = t.freeRunning(10);
  assert.equal(all.teacherForced, all.freeRunning);
  const r = t.freeRunning(2);
  assert.ok(r.teacherForced >= 0 && r.teacherForced <= 1 && r.freeRunning >= 0 && r.freeRunning <= 1);
  assert.equal(r.windows, 4);
  assert.equal(r.prime, 2);
});

test('a diverging run skips the update instead of writing NaN into the weights', () => {
  const t = createTrainer({
    ...base, cell: 'rnn', activation: 'relu', H: 8, init: { scheme: 'identity', spectralRadius: 3 }, task: { kind: 'adding', T: 900 },
  });
  const before = t.parameters();
  const m = t.step(1);
  assert.ok(!Number.isFinite(m.gradNorm), `gradNorm ${m.gradNorm}`);
  assert.deepEqual(t.parameters(), before);
  assert.equal(m.step, 1);
});

test('text with emoji and other astral characters: one symbol per code point, everywhere', () => {
  // 🧠 and 𝔥 are surrogate pairs in UTF-16; a split into code units would make their halves symbols.
  const text = 'h🧠 e𝔥 🧠🧠 lo! '.repeat(60);
  const chars = Array.from(text);
  const distinct = [...new Set(chars)];
  const task = createTask({ kind: 'text', text, T: 8 }, 4, 1);
  assert.equal(task.inputs, distinct.length);
  assert.equal(task.outputs, distinct.length);
  assert.deepEqual(Array.from(task.vocabulary!), [...distinct].sort());
  // The lab's own count (chance level, the "N distinct" line) agrees with the task's.
  assert.equal(vocabulary(text).length, task.inputs);
  assert.equal(referenceLevels({ ...LAB_DEFAULTS.train, task: 'text' }, text).accuracy, 1 / distinct.length);
  // Every id in a batch names a whole character, and consecutive ids follow the text's code points.
  const b = task.newBatch(4);
  task.nextTrain(b);
  const symbols = Array.from(task.vocabulary!);
  const window = Array.from({ length: 8 }, (_, t) => symbols[b.tokens![t * 4]]).join('');
  assert.ok(text.includes(window), window);
  // Samples are whole characters: no lone surrogate, primes counted in characters.
  const t = createTrainer({ ...base, task: { kind: 'text', text, T: 8 }, batch: 4 });
  t.step(5);
  const s = t.sample(50, 1, { seed: 2, prime: '🧠🧠' });
  assert.equal(Array.from(s).length, 50);
  assert.doesNotMatch(s, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  for (const ch of Array.from(s)) assert.ok(symbols.includes(ch), ch);
  assert.doesNotThrow(() => t.sample(5, 1));
});

test('text over the vocabulary cap: the most frequent characters keep their symbols, the rest share "other"', () => {
  // 'a' ×5, 'b' ×4, 'c' ×3, 'd' ×2, 'e' ×1: a cap of 3 keeps a and b, and c, d, e read as other.
  const text = 'aaaaabbbbcccdde';
  assert.deepEqual(textSymbols(text, 3), ['a', 'b', OTHER_SYMBOL]);
  assert.deepEqual(textSymbols(text, 5), ['a', 'b', 'c', 'd', 'e']);
  const long = text.repeat(40);
  const task = createTask({ kind: 'text', text: long, T: 8, vocabulary: 3 }, 4, 1);
  assert.equal(task.inputs, 3);
  assert.equal(task.vocabulary, `ab${OTHER_SYMBOL}`);
  assert.deepEqual(Array.from(encodeText(Array.from(text), Array.from(task.vocabulary!))), [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  const b = task.newBatch(4);
  task.nextTrain(b);
  assert.ok(Array.from(b.tokens!).every((id) => id >= 0 && id < 3));
  const t = createTrainer({ ...base, task: { kind: 'text', text: long, T: 8, vocabulary: 3 }, batch: 4 });
  t.step(2);
  // A prime character the cap left out reads as other, and samples only ever print kept symbols.
  for (const ch of Array.from(t.sample(40, 1, { prime: 'ed' }))) assert.ok(['a', 'b', OTHER_SYMBOL].includes(ch), ch);
  assert.throws(() => createTrainer({ ...base, task: { kind: 'text', text: long, T: 8, vocabulary: 1 }, batch: 4 }), /task.vocabulary must be an integer from 2 to 256/);
});
