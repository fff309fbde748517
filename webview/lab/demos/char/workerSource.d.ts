// The Character Model's Worker (worker.ts) bundled as text by the build (scripts/workerText.mjs).
declare module 'rnn-lens:char-worker' {
  const source: string;
  export default source;
}
