// `import bytes from './x.wat'`: the compiled module, bundled by scripts/wat.mjs.
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
