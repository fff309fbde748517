// The checkpoint inspector's numbers (engine/summaries/inspect.ts) and `rnn-lens inspect` as a
// user runs it (`node dist/cli.js`, built by esbuild.mjs before the unit suite): the fixtures
// made by PyTorch, --json, hostile and unreadable files, and a checkpoint of more than a
// gigabyte of which only the header and the recurrent tensors are read.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, readCheckpointFrom, type RecurrentLayer } from '../../../../engine/checkpoint';
import { spectralNorm } from '../../../../engine/init';
import { eigenvalues } from '../../../../engine/train/spectrum';
import {
  connectivity, freshLayer, gateBlock, gateSpectra, gateSummaries, histogram, memoryBias, parameterCount,
} from '../../../../engine/summaries/inspect';
import { openFileSource } from '../../../../cli/fileSource';
import { findCheckpointPaths } from '../../../../src/lab/checkpointPaths';
import { decodeFloat32, encodeFloat32 } from '../../../../engine/floats';
import { npyMessage, toLayerData } from '../../../../src/lab/inspectPayload';
import { readNpy } from '../../../../engine/checkpoint';
import { npy } from '../../../fixtures/npy';
import { findRepoRoot } from '../../../fixtures/repoRoot';
import { assertOneLineError, cli } from '../../cli/cliTestUtil';

const ROOT = findRepoRoot(__dirname);
const FIX = 'test/fixtures/checkpoints';
const TMP = mkdtempSync(join(tmpdir(), 'rnn-lens-inspect-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** A one-line failure with a given exit code. */
function assertFails(r: ReturnType<typeof cli>, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.out + r.err);
  assertOneLineError(r, pattern);
}

/** A layer built by hand: LSTM or GRU with D = 1, the given H, W_hh blocks and biases. */
function handLayer(cell: 'lstm' | 'gru', H: number, b: number[], bh: number[]): RecurrentLayer {
  const G = cell === 'lstm' ? 4 : 3;
  const W = new Float32Array(G * H * (1 + H));
  return { name: 'm', cell, layer: 0, reverse: false, D: 1, H, params: { W, b: Float32Array.from(b), bh: Float32Array.from(bh) }, options: {} };
}

/** A safetensors file: 8-byte header length, JSON header, then `data` at `dataAt` bytes into the data section. */
function writeSafetensors(path: string, header: object, data: Uint8Array, dataAt: number): void {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const len = new Uint8Array(8);
  new DataView(len.buffer).setUint32(0, head.length, true);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, len, 0, 8, 0);
    writeSync(fd, head, 0, head.length, 8);
    // Writing past the end leaves a hole: the file is as large as the header says, on disk only its ends.
    writeSync(fd, data, 0, data.length, 8 + head.length + dataAt);
  } finally {
    closeSync(fd);
  }
}

describe('inspector numbers', () => {
  it('the memory an LSTM forget bias implies: σ of the mean bias kept per step, its half-life', () => {
    // Forget rows (block 0): b + bh = 1.3 and 1.6, mean 1.45.
    const m = memoryBias(handLayer('lstm', 2, [1, 1.6, 0, 0, 0, 0, 0, 0], [0.3, 0, 5, 5, 5, 5, 5, 5]))!;
    assert.equal(m.gate, 'forget');
    assert.ok(Math.abs(m.mean - 1.45) < 1e-6);
    const keep = 1 / (1 + Math.exp(-1.45));
    assert.ok(Math.abs(m.keep - keep) < 1e-6);
    assert.ok(Math.abs(m.halfLife - Math.log(0.5) / Math.log(keep)) < 1e-5);
    assert.equal(m.sentence, 'mean forget-gate bias 1.45 → σ ≈ 0.81 kept per step: half-life ≈ 3.29 steps without input.');
  });

  it("a GRU's keep bias is PyTorch's z bias: ours is stored negated", () => {
    // Our z rows hold −(PyTorch's); PyTorch's z bias 2 keeps σ(2) ≈ 0.88 of the old state.
    const m = memoryBias(handLayer('gru', 1, [-1.5, 0, 0], [-0.5, 0, 0]))!;
    assert.equal(m.gate, 'update');
    assert.ok(Math.abs(m.mean - 2) < 1e-6);
    assert.match(m.sentence, /update-gate bias .* 2\.00 → σ ≈ 0\.88 kept per step: half-life ≈ 5\.\d+ steps/);
  });

  it('an RNN has no gate bias to speak of', () => {
    const l = readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'model.pt'))), 'model.pt').layers.find((x) => x.cell === 'rnn')!;
    assert.equal(memoryBias(l), undefined);
  });

  it("parameter counts are PyTorch's (sum of numel over the layer's four tensors)", () => {
    // nn.LSTM(3, 4): 4·4·3 + 4·4·4 + 2·16 = 144; nn.GRU(3, 5): 3·5·8 + 30 = 150; nn.RNN(3, 4): 4·7 + 8 = 36.
    assert.equal(parameterCount({ cell: 'lstm', D: 3, H: 4 }), 144);
    assert.equal(parameterCount({ cell: 'gru', D: 3, H: 5 }), 150);
    assert.equal(parameterCount({ cell: 'rnn', D: 3, H: 4 }), 36);
  });

  it('gate spectra of the fixture: σ_max is the largest singular value, the radius the largest |eigenvalue|', () => {
    const layers = readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'model.pt'))), 'model.pt').layers;
    for (const l of layers) {
      const sums = gateSummaries(l);
      const spectra = gateSpectra(l)!;
      assert.equal(sums.length, l.cell === 'lstm' ? 4 : l.cell === 'gru' ? 3 : 1);
      for (const [q, s] of sums.entries()) {
        const block = gateBlock(l, q);
        assert.ok(Math.abs(s.sigmaMax! - spectra[q].singular[0]) < 1e-6 * s.sigmaMax!, `${s.key}: ${s.sigmaMax} vs ${spectra[q].singular[0]}`);
        assert.ok(Math.abs(s.sigmaMax! - spectralNorm(block, l.H, l.H)) < 1e-12);
        const { re, im } = eigenvalues(block, l.H);
        const rho = Math.hypot(re[0], im[0]);
        assert.ok(Math.abs(s.radius! - rho) < 1e-2 * rho, `${s.key}: radius ${s.radius} vs |λ| ${rho}`);
        assert.ok(s.radius! <= s.sigmaMax! * (1 + 1e-6));
      }
    }
  });

  it('a fresh initialisation has the same shape, PyTorch\'s bounds and a different spectrum', () => {
    const l = readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'model.pt'))), 'model.pt').layers[0];
    const f = freshLayer(l, 3);
    for (const part of ['W', 'b', 'bh'] as const) {
      assert.equal(f.params[part].length, l.params[part].length);
      const k = 1 / Math.sqrt(l.H);
      assert.ok(Array.from(f.params[part]).every((v) => Math.abs(v) <= k));
    }
    assert.notEqual(gateSummaries(f)[0].sigmaMax, gateSummaries(l)[0].sigmaMax);
  });

  it('histogram counts every finite value once', () => {
    const h = histogram([0, 0.5, 1, 1, NaN], 4);
    assert.deepEqual(h, { min: 0, max: 1, counts: [1, 0, 1, 2] });
    assert.deepEqual(histogram([2, 2], 3).counts, [2, 0, 0]);
  });

  it('connectivity is the L2 norm of dx per step', () => {
    assert.deepEqual(connectivity([3, 4, 0, 0], 2, 2), [5, 0]);
  });
});

describe('what the host sends the inspector', () => {
  it('float32 arrays survive base64 exactly; a wrong length or bad text is refused', () => {
    const a = Float32Array.from([0, -1.5, 3.25e-7, 1e30, -0]);
    assert.deepEqual(decodeFloat32(encodeFloat32(a), 5), a);
    const big = Float32Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    assert.deepEqual(decodeFloat32(encodeFloat32(big), big.length), big);
    assert.equal(decodeFloat32(encodeFloat32(a), 4), undefined);
    assert.equal(decodeFloat32('!!!!', 0), undefined);
    assert.equal(decodeFloat32('****', 1), undefined);
  });

  it('layers go as base64 until the cap; the rest say why they are left out', () => {
    const layers = readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'model.pt'))), 'model.pt').layers;
    const all = toLayerData(layers);
    assert.equal(all.length, 6);
    assert.ok(all.every((l) => l.W && !l.omitted));
    assert.deepEqual(decodeFloat32(all[0].W!, layers[0].params.W.length), layers[0].params.W);
    assert.equal(all[4].resetAfter, true);
    const capped = toLayerData(layers, 200);
    assert.ok(capped[0].W);
    assert.match(capped[1].omitted!, /already fill what one view holds \(200 numbers\)/);
    assert.equal(capped[1].W, undefined);
  });

  it('a .npy input must be (T, D) for the layer, finite, and is cut to 256 steps', () => {
    const ok = npyMessage('x.npy', readNpy(npy([3, 2], [1, 2, 3, 4, 5, 6]), 'x.npy'), 2);
    assert.equal(ok.type, 'npyInput');
    assert.deepEqual(ok.type === 'npyInput' && Array.from(decodeFloat32(ok.data, 6)!), [1, 2, 3, 4, 5, 6]);
    const f64 = readNpy(npy([2, 1], [0.5, -2], '<f8'), 'y.npy');
    assert.deepEqual([...f64.data], [0.5, -2]);
    const wrong = npyMessage('x.npy', readNpy(npy([3, 2], [1, 2, 3, 4, 5, 6]), 'x.npy'), 3);
    assert.deepEqual(wrong, { type: 'npyError', text: 'x.npy has shape (3, 2); this layer needs (T, 3)' });
    assert.equal(npyMessage('v.npy', readNpy(npy([4], [1, 2, 3, 4]), 'v.npy'), 1).type, 'npyError');
    const nan = npyMessage('n.npy', readNpy(npy([2, 1], [1, NaN]), 'n.npy'), 1);
    assert.deepEqual(nan, { type: 'npyError', text: 'n.npy holds NaN or infinite values' });
    const long = npyMessage('l.npy', readNpy(npy([300, 1], Array.from({ length: 300 }, (_, i) => i)), 'l.npy'), 1);
    assert.ok(long.type === 'npyInput' && long.T === 256 && long.note === 'the first 256 of its 300 steps');
    assert.throws(() => readNpy(npy([3, 2], [1, 2]), 't.npy'), /truncated/);
    assert.throws(() => readNpy(new TextEncoder().encode('not numpy at all'), 'z.npy'), /not a \.npy array/);
  });

  it('finds literal checkpoint paths in torch.save and torch.load, and nothing else', () => {
    const text = [
      'torch.save(model.state_dict(), "checkpoints/char_lstm.pt")',
      "sd = torch.load('model.pth', map_location='cpu')",
      'torch.save({"a": f(1, 2)}, r"out/x.safetensors")',
      'torch.load(f="weights.npz")',
      'torch.load(path)',
      '# torch.load("commented.pt")',
      'torch.save(model, f"run_{i}.pt")',
      'torch.load("with\\escape.pt")',
    ].join('\n');
    assert.deepEqual(findCheckpointPaths(text).map((p) => `${p.call} ${p.path}`), [
      'save checkpoints/char_lstm.pt', 'load model.pth', 'save out/x.safetensors', 'load weights.npz',
    ]);
    const first = findCheckpointPaths(text)[0];
    assert.equal(text.slice(first.start, first.openParen + 1), 'torch.save(');
    assert.equal(findCheckpointPaths('torch.load("a.pt")\n'.repeat(100)).length, 50);
  });
});

describe('dist/lab-core.js', () => {
  it('exports readCheckpoint and CheckpointError', () => {
    const core = createRequire(__filename)(join(ROOT, 'dist', 'lab-core.js')) as {
      readCheckpoint: typeof readCheckpoint; CheckpointError: new (m: string) => Error;
    };
    const got = core.readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'model.npz'))), 'model.npz');
    assert.equal(got.layers.length, 6);
    assert.throws(() => core.readCheckpoint(new Uint8Array(readFileSync(join(ROOT, FIX, 'hostile.pt'))), 'hostile.pt'),
      (e: unknown) => e instanceof core.CheckpointError && /posix\.system/.test(e.message));
  });
});

describe('rnn-lens inspect', () => {
  it('prints every layer and direction of a torch.save checkpoint, its gates and its memory', () => {
    const r = cli('inspect', `${FIX}/model.pt`);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.deepEqual(lines.filter((x) => !x.startsWith('  ')).slice(0, -1), [
      'encoder layer 0 (LSTM): input 3, hidden 4, 144 parameters',
      'encoder layer 0 reverse (LSTM): input 3, hidden 4, 144 parameters',
      'encoder layer 1 (LSTM): input 8, hidden 4, 224 parameters',
      'encoder layer 1 reverse (LSTM): input 8, hidden 4, 224 parameters',
      'gru layer 0 (GRU): input 3, hidden 5, 150 parameters',
      'rnn layer 0 (RNN): input 3, hidden 4, 36 parameters',
    ]);
    assert.match(r.out, /^ {2}W_hh f {2}forget gate {2}σ_max 0\.\d+ {2}spectral radius 0\.\d+$/m);
    assert.match(r.out, /^ {2}mean forget-gate bias -?\d\.\d+ → σ ≈ 0\.\d\d kept per step: /m);
    assert.match(lines.at(-1)!, /^6 recurrent layers \(each direction counted\); a file of .* KiB/);
    assert.match(r.err, /^warning: rnn layer 0: .*tanh assumed/m);
  });

  it('--json: the same layers in the three formats, with the numbers', () => {
    const runs = ['model.pt', 'model.safetensors', 'model.npz'].map((f) => {
      const r = cli('inspect', `${FIX}/${f}`, '--json');
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as {
        size: number; bytesRead: number; warnings: string[];
        layers: { name: string; cell: string; inputSize: number; hiddenSize: number; parameters: number; reverse: boolean;
          gates: { gate: string; sigmaMax: number; spectralRadius: number }[]; memory?: { meanBias: number; keptPerStep: number } }[];
      };
    });
    const [pt] = runs;
    assert.equal(pt.layers.length, 6);
    assert.deepEqual(pt.layers[4].gates.map((g) => g.gate), ['z', 'r', 'n']);
    assert.ok(pt.warnings.some((w) => /tanh assumed/.test(w)));
    for (const other of runs.slice(1)) {
      assert.deepEqual(other.layers.map((l) => [l.name, l.cell, l.inputSize, l.hiddenSize, l.parameters, l.reverse]),
        pt.layers.map((l) => [l.name, l.cell, l.inputSize, l.hiddenSize, l.parameters, l.reverse]));
      // LSTM layers are stored as float32 in all three: the same numbers.
      assert.ok(Math.abs(other.layers[0].gates[0].sigmaMax - pt.layers[0].gates[0].sigmaMax) < 1e-9);
      assert.ok(Math.abs(other.layers[0].memory!.meanBias - pt.layers[0].memory!.meanBias) < 1e-6);
    }
  });

  it('a hostile pickle: exit 1, one line, nothing run', () => {
    assertFails(cli('inspect', `${FIX}/hostile.pt`), 1, /hostile\.pt: refused: the pickle names "posix\.system"/);
  });

  it('a truncated checkpoint: exit 1, one line', () => {
    const bytes = readFileSync(join(ROOT, FIX, 'model.pt'));
    const path = join(TMP, 'cut.pt');
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    assertFails(cli('inspect', path), 1, /cut\.pt: /);
  });

  it('a file with no recurrent layer: exit 1 and says what it looked for', () => {
    const path = join(TMP, 'head.safetensors');
    writeSafetensors(path, { 'head.weight': { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8), 0);
    const r = cli('inspect', path);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /no recurrent layer found: 1 tensor, none of them recurrent; its tensors: "head\.weight"/);
    assert.match(r.out, /^0 recurrent layers/m);
  });

  it('bad arguments and unreadable files: exit 2, one line', () => {
    assertFails(cli('inspect'), 2, /inspect needs a checkpoint/);
    assertFails(cli('inspect', 'a.pt', 'b.pt'), 2, /inspect takes one file, got 2/);
    assertFails(cli('inspect', `${FIX}/model.pt`, '--yaml'), 2, /unknown option '--yaml'/);
    assertFails(cli('inspect', 'no/such.pt'), 2, /cannot read no\/such\.pt: no such file or directory/);
    assertFails(cli('inspect', FIX), 2, /cannot read .*: is a directory/);
    assertFails(cli('inspect', '/dev/zero'), 2, /cannot read \/dev\/zero: not a regular file/);
  });

  it('a 1 GiB checkpoint (a huge embedding, one small LSTM): reads the header and the LSTM only', () => {
    const H = 4, D = 3, G = 4;
    const embedBytes = 1024 * 1024 * 1024;
    const sizes = { weight_ih_l0: [G * H, D], weight_hh_l0: [G * H, H], bias_ih_l0: [G * H], bias_hh_l0: [G * H] };
    const header: Record<string, object> = { 'embed.weight': { dtype: 'F32', shape: [262144, 1024], data_offsets: [0, embedBytes] } };
    let at = embedBytes;
    const chunks: Float32Array[] = [];
    for (const [name, shape] of Object.entries(sizes)) {
      const n = shape.reduce((a, b) => a * b, 1);
      chunks.push(Float32Array.from({ length: n }, (_, i) => Math.sin(i + at)));
      header[`lstm.${name}`] = { dtype: 'F32', shape, data_offsets: [at, at + 4 * n] };
      at += 4 * n;
    }
    const data = new Uint8Array(at - embedBytes);
    let o = 0;
    for (const c of chunks) {
      data.set(new Uint8Array(c.buffer), o);
      o += c.byteLength;
    }
    const path = join(TMP, 'big.safetensors');
    writeSafetensors(path, header, data, embedBytes);

    const src = openFileSource(path);
    try {
      assert.ok(src.size > embedBytes);
      const got = readCheckpointFrom(src, path);
      assert.deepEqual(got.layers.map((l) => `${l.name} ${l.cell} ${l.D} ${l.H}`), ['lstm lstm 3 4']);
      // The header (a few hundred bytes) and 4·(48 + 64 + 16 + 16) bytes of LSTM: nothing of the embedding.
      assert.ok(src.bytesRead < 4096, `read ${src.bytesRead} bytes`);
      assert.ok(src.bytesRead >= data.length);
    } finally {
      src.close();
    }
    const r = cli('inspect', path, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { size: number; bytesRead: number; layers: unknown[] };
    assert.equal(j.size, src.size);
    assert.ok(j.bytesRead < 4096, `the CLI read ${j.bytesRead} bytes`);
    assert.equal(j.layers.length, 1);
  });
});
