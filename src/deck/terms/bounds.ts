// How much the index holds and how much text the matcher reads, so that no card and no text
// can make a hover or a scan slow.

/** Half-width of the window of the line the matcher reads around the cursor. */
export const WINDOW = 256;

/**
 * Terms with more words than this, or a key of more letters and digits, are not indexed: a bound on the index for
 * cards that did not come through the parser, whose own cap (MAX_TERM_WORDS in ../limits.ts) is lower.
 */
export const MAX_INDEXED_TERM_WORDS = 64;
export const MAX_TERM_KEY_CHARS = 512;

/**
 * `findTermsInText` reads at most this many characters of a text (up to the last line break
 * before the limit); `scanTerms` says when it stopped early.
 */
export const MAX_SCAN_CHARS = 1_000_000;

/** An identifier segment longer than this is data or minified code, never a term. */
export const MAX_SEGMENT_CHARS = 128;
