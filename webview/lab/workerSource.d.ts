// The lab's Worker script (worker.ts) bundled as text by the build (scripts/workerText.mjs).
declare module 'rnn-lens:lab-worker' {
  const source: string;
  export default source;
}
