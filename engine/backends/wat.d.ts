// `import bytes from './x.wat'`: the compiled module, bundled by scripts/wat.mjs.
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}

// `import bytes from './x.wat?relaxed'`: the same text with relaxed SIMD kept (scripts/wat.mjs).
declare module '*.wat?relaxed' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
