// esbuild plugin: `import bytes from './x.wat'` compiles the WebAssembly text with wabt at build
// time and bundles the binary (a Uint8Array, esbuild's 'binary' loader). The text is the source;
// no compiled .wasm is committed.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let wabt;

export const watPlugin = {
  name: 'rnn-lens-wat',
  setup(build) {
    build.onLoad({ filter: /\.wat$/ }, async (args) => {
      wabt ??= await require('wabt')();
      const text = await readFile(args.path, 'utf8');
      let module;
      try {
        module = wabt.parseWat(args.path, text, { simd: true });
        module.validate();
        return { contents: module.toBinary({}).buffer, loader: 'binary' };
      } catch (e) {
        return { errors: [{ text: `${args.path}: ${e instanceof Error ? e.message : String(e)}` }] };
      } finally {
        module?.destroy();
      }
    });
  },
};
