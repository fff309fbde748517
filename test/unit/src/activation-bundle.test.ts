// What activation loads: dist/extension.js alone, without KaTeX, markdown-it, yaml, the deck
// parser or the checkpoint reader (the user-deck compiler, the equation SVGs and the checkpoint
// reader are chunks it require()s only when a user deck file, a hover's equation or a checkpoint
// to inspect needs them), and the .vsix carries every chunk. Read from the
// metafiles esbuild.mjs writes to out/build/meta/ (`npm test` builds before the unit suite).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findRepoRoot } from '../../fixtures/repoRoot';

const ROOT = findRepoRoot(__dirname);
const load = createRequire(__filename);

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; external?: boolean }[] }>;
}

function output(name: string, outfile: string): Metafile['outputs'][string] {
  const file = join(ROOT, 'out', 'build', 'meta', `${name}.json`);
  assert.ok(existsSync(file), `${file} is missing: run node esbuild.mjs first`);
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Metafile;
  const out = meta.outputs[outfile];
  assert.ok(out, `the metafile describes ${outfile}`);
  return out;
}

/** Inputs that only parsing or rendering a card file needs. */
const COMPILER_ONLY = /node_modules\/(?:katex|markdown-it|@vscode\/markdown-it-katex|yaml|linkify-it|mdurl|entities)\/|src\/deck\/(?:parse\/\w+|cardHtml|lint)\.ts$/;
/** Inputs that only reading a checkpoint or a .npy file needs. */
const READER_ONLY = /node_modules\/fflate\/|webview\/kernels\/checkpoint\//;
const inputs = (o: Metafile['outputs'][string]) => Object.keys(o.inputs);

describe('the activation bundle', () => {
  const host = output('extension-js', 'dist/extension.js');
  const compiler = output('deck-compiler-js', 'dist/deck-compiler.js');
  const chunks = host.imports.filter((i) => i.external && i.path.startsWith('./')).map((i) => i.path);

  it('dist/extension.js holds no KaTeX, markdown-it, yaml or card parser', () => {
    assert.deepEqual(inputs(host).filter((p) => COMPILER_ONLY.test(p)), []);
    // The same pattern does find them where they belong.
    for (const lib of ['katex', 'markdown-it', 'yaml']) {
      assert.ok(inputs(compiler).some((p) => p.includes(`node_modules/${lib}/`)), `dist/deck-compiler.js bundles ${lib}`);
    }
    assert.ok(inputs(compiler).includes('src/deck/parse/index.ts'));
  });

  it('dist/extension.js holds no checkpoint reader; dist/checkpoint-reader.js does', () => {
    assert.deepEqual(inputs(host).filter((p) => READER_ONLY.test(p)), []);
    const reader = inputs(output('checkpoint-reader-js', 'dist/checkpoint-reader.js'));
    assert.ok(reader.some((p) => p.includes('node_modules/fflate/')), 'dist/checkpoint-reader.js bundles fflate');
    assert.ok(reader.includes('engine/checkpoint/pickle.ts'));
  });

  it('the webviews hold no checkpoint reader: its protobuf decoder (and long.js, which compiles WebAssembly as it loads) would break the quiz\'s CSP', () => {
    for (const [name, outfile] of [['webview-lab-js', 'dist/webview/lab.js'], ['webview-quiz-js', 'dist/webview/quiz.js']] as const) {
      const got = inputs(output(name, outfile)).filter((p) => /engine\/checkpoint\/|node_modules\/(?:protobufjs|long|fflate)\//.test(p));
      assert.deepEqual(got, [], `${outfile} bundles the checkpoint reader`);
    }
    // The same pattern finds them where they belong.
    assert.ok(inputs(output('checkpoint-reader-js', 'dist/checkpoint-reader.js')).some((p) => p.includes('node_modules/protobufjs/')));
  });

  it('the bundled deck is in dist/extension.js, its equation SVGs are not', () => {
    assert.ok(inputs(host).some((p) => p.endsWith('rnn-lens:bundled-deck')));
    assert.ok(!inputs(host).some((p) => p.endsWith('rnn-lens:bundled-equations')));
    assert.ok(inputs(output('deck-equations-js', 'dist/deck-equations.js')).some((p) => p.endsWith('rnn-lens:bundled-equations')));
  });

  it('requires its chunks only from inside a deferred import, never while it loads', () => {
    assert.deepEqual([...chunks].sort(), ['./checkpoint-reader.js', './deck-compiler.js', './deck-equations.js']);
    const text = readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8');
    for (const chunk of chunks) {
      const calls = text.split(`require(${JSON.stringify(chunk)})`).length - 1;
      assert.ok(calls >= 1, `dist/extension.js requires ${chunk}`);
      // esbuild writes a lazy chunk's import() as a promise that requires it when it runs
      // (`Promise.resolve().then(() => __toESM(require("./chunk.js")))`, or that minified).
      const deferred = text.split(new RegExp(String.raw`Promise\.resolve\(\)\.then\(\(\)\s*=>\s*[\w$]+\(require\(${JSON.stringify(chunk).replace(/\./g, '\\.')}\)\)\)`)).length - 1;
      assert.equal(deferred, calls, `every require of ${chunk} is deferred`);
    }
  });

  it('each chunk exports what the host takes from it', () => {
    // What esbuild's deferred require hands the host: the compiler's function, the SVGs by card id.
    const compilerChunk = load(join(ROOT, 'dist', 'deck-compiler.js')) as Record<string, unknown>;
    assert.equal(typeof compilerChunk.lintDeckInSlices, 'function');
    const equations = load(join(ROOT, 'dist', 'deck-equations.js')) as Record<string, { tex?: unknown; svg?: unknown }>;
    const drawn = Object.values(equations).filter((e) => typeof e.tex === 'string' && typeof e.svg === 'string' && e.svg.startsWith('<svg'));
    assert.ok(drawn.length >= 5, `dist/deck-equations.js exports the SVGs (${drawn.length})`);
    const reader = load(join(ROOT, 'dist', 'checkpoint-reader.js')) as Record<string, unknown>;
    for (const name of ['readCheckpoint', 'readNpy', 'CheckpointError']) assert.equal(typeof reader[name], 'function', `dist/checkpoint-reader.js exports ${name}`);
  });

  it('the .vsix lets in every chunk', () => {
    const allowed = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const chunk of chunks) assert.ok(allowed.includes(`!dist/${chunk.slice(2)}`), `.vscodeignore lets in dist/${chunk.slice(2)}`);
  });
});
