// esbuild plugin: `import bytes from './x.wat'` compiles the WebAssembly text with wabt at build
// time and bundles the binary (a Uint8Array, esbuild's 'binary' loader). The text is the source;
// no compiled .wasm is committed.
//
// Relaxed SIMD: the text may use `(f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c))`
// (a·b + c, fused where the hardware has FMA). `./x.wat?relaxed` is that module as written (it
// validates only where the runtime has relaxed SIMD); `./x.wat` is the fallback, each relaxed_madd
// rewritten to `(f32x4.add (f32x4.mul a b) c)`, and it fails to build if any other relaxed
// instruction is left.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';

const require = createRequire(import.meta.url);
let wabt;

const MADD = /\(f32x4\.relaxed_madd (\(local\.get \$\w+\)) (\(local\.get \$\w+\)) (\(local\.get \$\w+\))\)/g;

/** The text with every relaxed multiply-add as a multiply then an add. */
export function withoutRelaxed(text) {
  const out = text.replace(MADD, '(f32x4.add (f32x4.mul $1 $2) $3)');
  const left = out.replace(/;;.*$/gm, '').match(/\b\w+\.relaxed_\w+/);
  if (left) throw new Error(`${left[0]} has no fallback rewrite (only relaxed_madd over three local.get operands has)`);
  return out;
}

export async function compileWat(path, text, relaxed) {
  wabt ??= await require('wabt')();
  let module;
  try {
    module = wabt.parseWat(path, relaxed ? text : withoutRelaxed(text), { simd: true, relaxed_simd: relaxed });
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module?.destroy();
  }
}

export const watPlugin = {
  name: 'rnn-lens-wat',
  setup(build) {
    build.onResolve({ filter: /\.wat\?relaxed$/ }, (args) => {
      const file = args.path.slice(0, -'?relaxed'.length);
      return { path: isAbsolute(file) ? file : join(args.resolveDir, file), namespace: 'rnn-lens-wat-relaxed' };
    });
    const load = (relaxed) => async (args) => {
      try {
        const text = await readFile(args.path, 'utf8');
        return { contents: await compileWat(args.path, text, relaxed), loader: 'binary', watchFiles: [args.path] };
      } catch (e) {
        return { errors: [{ text: `${args.path}: ${e instanceof Error ? e.message : String(e)}` }] };
      }
    };
    build.onLoad({ filter: /\.wat$/, namespace: 'file' }, load(false));
    build.onLoad({ filter: /\.wat$/, namespace: 'rnn-lens-wat-relaxed' }, load(true));
  },
};
