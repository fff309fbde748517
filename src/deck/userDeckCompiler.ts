// The user-deck compiler: the parser and linter with markdown-it, KaTeX and yaml. The host
// import()s it only once a user deck file is found, so that activation on the bundled deck
// loads none of them (esbuild.mjs, LAZY_CHUNKS: dist/deck-compiler.js for the Node host).
export { lintDeckInSlices } from './lint';
