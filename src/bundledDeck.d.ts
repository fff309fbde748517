// The deck compiled from cards/ at build time (esbuild.mjs, plugin rnn-lens-bundled-deck).
declare module 'rnn-lens:bundled-deck' {
  import type { BundledDeck } from './deck/card';
  const deck: BundledDeck;
  export default deck;
}

// The bundled deck's key equations as SVGs (BundledDeck['equations']), apart from the cards so
// that a host loads them at the first hover that shows one (esbuild.mjs, LAZY_CHUNKS).
declare module 'rnn-lens:bundled-equations' {
  import type { BundledDeck } from './deck/card';
  const equations: NonNullable<BundledDeck['equations']>;
  export default equations;
}
