// esbuild plugin: `import source from 'rnn-lens:lab-worker'` bundles the lab's
// Worker script (webview/lab/worker.ts) on its own, as one classic script for the browser,
// and hands the lab's bundle its text. The lab starts it from a blob: URL: a webview cannot
// load a Worker from the extension's files, and the blob keeps the page's CSP.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watPlugin } from './wat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LAB_WORKER_ENTRY = join(root, 'webview', 'lab', 'worker.ts');

/** `minify` as the build that uses it; `define` the same constants. */
export function workerTextPlugin({ minify = false, define = {} } = {}) {
  return {
    name: 'rnn-lens-worker-text',
    setup(build) {
      build.onResolve({ filter: /^rnn-lens:lab-worker$/ }, (args) => ({ path: args.path, namespace: 'rnn-lens-worker' }));
      build.onLoad({ filter: /.*/, namespace: 'rnn-lens-worker' }, async () => {
        const r = await esbuild.build({
          entryPoints: [LAB_WORKER_ENTRY], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022',
          minify, legalComments: 'none', logLevel: 'silent', metafile: true, define, plugins: [watPlugin], absWorkingDir: root,
        });
        const watchFiles = Object.keys(r.metafile.inputs).map((f) => join(root, f));
        return { contents: r.outputFiles[0].text, loader: 'text', watchFiles, warnings: r.warnings };
      });
    },
  };
}
