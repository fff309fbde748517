// The deck compiled from cards/ at build time (esbuild.mjs, plugin rnn-lens-bundled-deck).
declare module 'rnn-lens:bundled-deck' {
  import type { BundledDeck } from './deck/card';
  const deck: BundledDeck;
  export default deck;
}
