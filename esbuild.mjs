// Every bundle RNN Lens ships, plus the deck compiled from cards/.
//   node esbuild.mjs               development build
//   node esbuild.mjs --production  minified, no source maps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change (cards/ included)
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watPlugin } from './scripts/wat.mjs';
import { workerTextPlugin } from './scripts/workerText.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);
/** The bundled decks' folders (BUNDLED_DECKS in protocol/common.ts). */
const CARD_DIRS = [join(root, 'cards'), join(root, 'cards', 'practice')];

/**
 * The deck is compiled at build time so activation parses nothing: the build bundles the
 * deck compiler (TypeScript) for Node, runs it over cards/, fails on any lint error, and
 * hands the result to the host bundles as the virtual module `rnn-lens:bundled-deck`.
 */
let deckCache = { key: '', promise: null };
function compileDeck() {
  // Three bundles import the deck: compile it once per change of its inputs, not once per bundle.
  const key = deckInputs().map((f) => { const st = statSync(f); return `${f}:${st.mtimeMs}:${st.size}`; }).join('|');
  if (deckCache.key !== key || !deckCache.promise) deckCache = { key, promise: compileDeckNow() };
  return deckCache.promise;
}

function deckInputs() {
  const list = (dir, ext) => readdirSync(join(root, dir)).filter((f) => f.endsWith(ext)).map((f) => join(root, dir, f));
  return [...list('cards', '.md'), ...list('cards/practice', '.md'), ...list('src/deck', '.ts'), ...list('src/deck/parse', '.ts'), ...list('src/deck/terms', '.ts'), ...list('build', '.ts'), ...list('cli', '.ts'), ...list('src/hover', '.ts')];
}

async function compileDeckNow() {
  const outfile = join(root, 'out', 'build', 'deck-compiler.cjs');
  await esbuild.build({
    entryPoints: [join(root, 'build/buildDeck.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
  });
  delete require.cache[outfile];
  const { buildBundledDeck } = require(outfile);
  return buildBundledDeck(root);
}

function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/**
 * The bundled deck as two virtual modules: `rnn-lens:bundled-deck` (the cards; the CLI's deck
 * also carries `equations`) and `rnn-lens:bundled-equations` (each card's key equation as an
 * SVG, about half the deck's bytes, which only a hover on such a card needs).
 */
function bundledDeckPlugin({ equationsApart }) {
  return {
    name: 'rnn-lens-bundled-deck',
    setup(build) {
      build.onResolve({ filter: /^rnn-lens:bundled-(deck|equations)$/ }, (args) => ({ path: args.path, namespace: 'rnn-lens-deck' }));
      build.onLoad({ filter: /.*/, namespace: 'rnn-lens-deck' }, async (args) => {
        const deck = await compileDeck();
        const errors = deck.diagnostics.filter((d) => d.severity === 'error');
        const watchFiles = CARD_DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.md')).map((f) => join(d, f)));
        if (errors.length > 0) {
          return { errors: errors.map((d) => ({ text: formatDiagnostic(d) })), watchFiles, watchDirs: CARD_DIRS };
        }
        const { equations, ...cards } = deck.bundle;
        // The equations are a CommonJS module: as an entry point of its own (the Node host's
        // chunk) esbuild gives a JSON module no exports, and import() reads module.exports as default.
        const contents = args.path === 'rnn-lens:bundled-equations'
          ? `module.exports = ${JSON.stringify(equations ?? {})};`
          : JSON.stringify(equationsApart ? cards : deck.bundle);
        return {
          contents,
          loader: args.path === 'rnn-lens:bundled-equations' ? 'js' : 'json',
          // Each of the deck's virtual modules is built more than once: its warnings print once, with the cards.
          warnings: args.path === 'rnn-lens:bundled-deck' ? deck.diagnostics.map((d) => ({ text: formatDiagnostic(d) })) : [],
          watchFiles,
          watchDirs: CARD_DIRS,
        };
      });
    },
  };
}

/**
 * What the Node host loads only when it needs it, so that activation on the bundled deck loads
 * dist/extension.js alone: each dynamic import() named here becomes a require() of a file of
 * its own next to dist/extension.js, built as a target below (and let into the .vsix by
 * .vscodeignore). The web worker host fetches the entry file alone and can require nothing but
 * `vscode`, so dist/web/extension.js stays one file, where esbuild keeps such a module
 * unevaluated until its import() runs.
 */
const LAZY_CHUNKS = [
  { specifier: './deck/userDeckCompiler', entry: 'src/deck/userDeckCompiler.ts', outfile: 'dist/deck-compiler.js' },
  { specifier: 'rnn-lens:bundled-equations', entry: 'rnn-lens:bundled-equations', outfile: 'dist/deck-equations.js' },
  { specifier: '../../engine/checkpoint', entry: 'engine/checkpoint/index.ts', outfile: 'dist/checkpoint-reader.js' },
];

const lazyChunksPlugin = {
  name: 'rnn-lens-lazy-chunks',
  setup(build) {
    for (const chunk of LAZY_CHUNKS) {
      const filter = new RegExp(`^${chunk.specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      build.onResolve({ filter }, (args) => {
        if (args.kind !== 'dynamic-import') return { errors: [{ text: `${chunk.specifier} is loaded lazily: import() it, never import it statically` }] };
        return { path: `./${chunk.outfile.slice('dist/'.length)}`, external: true };
      });
    }
  },
};

/**
 * One KaTeX per bundle: the parser imports KaTeX's ES module and @vscode/markdown-it-katex
 * requires its CommonJS build, which would bundle the same 263 KB twice.
 */
const oneKatexPlugin = {
  name: 'rnn-lens-one-katex',
  setup(build) {
    build.onResolve({ filter: /^katex$/ }, () => ({ path: require.resolve('katex') }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  plugins: [watPlugin],
};

const targets = [
  {
    // Activation loads this file alone; LAZY_CHUNKS become require()s of the files built next.
    ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], supported: { 'dynamic-import': false },
    plugins: [watPlugin, oneKatexPlugin, lazyChunksPlugin, bundledDeckPlugin({ equationsApart: true })],
  },
  ...LAZY_CHUNKS.map((chunk) => ({
    ...common, entryPoints: [chunk.entry], outfile: chunk.outfile, metafile: true,
    platform: 'node', format: 'cjs', target: 'node20', plugins: [watPlugin, oneKatexPlugin, bundledDeckPlugin({ equationsApart: true })],
  })),
  {
    // The web extension host (vscode.dev, code-server's web worker host): same code, no Node.
    ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/web/extension.js', metafile: true,
    platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'], plugins: [watPlugin, oneKatexPlugin, bundledDeckPlugin({ equationsApart: true })],
    mainFields: ['browser', 'module', 'main'],
  },
  {
    ...common, entryPoints: ['cli/index.ts'], outfile: 'dist/cli.js', sourcemap: false,
    platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' },
    plugins: [watPlugin, oneKatexPlugin, bundledDeckPlugin({ equationsApart: false })],
  },
  {
    ...common, entryPoints: ['engine/index.ts'], outfile: 'dist/lab-core.js',
    platform: 'node', format: 'cjs', target: 'node20',
  },
  {
    ...common, entryPoints: ['webview/quiz/main.ts'], outfile: 'dist/webview/quiz.js', metafile: true,
    platform: 'browser', format: 'iife', target: 'es2022',
  },
  {
    ...common, entryPoints: ['webview/lab/main.ts'], outfile: 'dist/webview/lab.js', metafile: true,
    platform: 'browser', format: 'iife', target: 'es2022', plugins: [watPlugin, workerTextPlugin({ minify: production, define: common.define })],
  },
];

// An entry that moved or was deleted must stop the build: esbuild given no file for a target
// would otherwise leave the old bundle in dist/ and ship it.
const missing = targets.flatMap((t) => t.entryPoints).filter((e) => !e.startsWith('rnn-lens:') && !existsSync(join(root, e)));
if (missing.length > 0) {
  console.error(`esbuild.mjs: entry point${missing.length === 1 ? '' : 's'} not found: ${missing.join(', ')} (moved? update the targets list).`);
  process.exit(1);
}

/** KaTeX's stylesheet and fonts are served to webviews from the extension (CSP: no remote URL). */
function copyWebviewAssets() {
  const katexDist = join(dirname(require.resolve('katex/package.json')), 'dist');
  const out = join(root, 'dist', 'webview', 'katex');
  mkdirSync(join(out, 'fonts'), { recursive: true });
  cpSync(join(katexDist, 'katex.min.css'), join(out, 'katex.min.css'));
  for (const f of readdirSync(join(katexDist, 'fonts'))) {
    if (f.endsWith('.woff2')) cpSync(join(katexDist, 'fonts', f), join(out, 'fonts', f));
  }
  const uplotCss = resolve(dirname(require.resolve('uplot')), 'uPlot.min.css');
  if (existsSync(uplotCss)) cpSync(uplotCss, join(root, 'dist', 'webview', 'uPlot.min.css'));
}

/**
 * The host and webview bundles' esbuild metafiles, for the activation bench (bench/activation.mjs) and
 * the unit tests that keep KaTeX, markdown-it and yaml out of dist/extension.js and the checkpoint
 * readers out of the webviews: out/build/meta/*.json.
 */
function writeMetafiles(built) {
  const dir = join(root, 'out', 'build', 'meta');
  mkdirSync(dir, { recursive: true });
  for (const { outfile, metafile } of built) {
    if (metafile) writeFileSync(join(dir, `${outfile.replace(/^dist\//, '').replace(/[/.]/g, '-')}.json`), JSON.stringify(metafile));
  }
}

try {
  // A production build starts from an empty dist/, so no development source map reaches the .vsix.
  if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });
  copyWebviewAssets();
  if (watch) {
    const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] watching src/, webview/ and cards/ ...');
  } else {
    const results = await Promise.all(targets.map((t) => esbuild.build(t)));
    writeMetafiles(results.map((r, i) => ({ outfile: targets[i].outfile, metafile: r.metafile })));
  }
} catch {
  // esbuild has already printed the errors (a deck lint error names file:line:col).
  process.exit(1);
}
