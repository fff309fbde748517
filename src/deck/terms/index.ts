// The term index and matcher behind hover tips, `Explain Term at Cursor` and the `terms` CLI.
// Pure: no vscode, no DOM.
//
// Every term and every piece of text is reduced to a *key*: its words (split at spaces, `_`, `-`
// and camelCase humps), lower-cased and joined by `_`, so `hidden_size`, `hiddenSize`, `HIDDEN_SIZE`
// and "hidden size" are one key while `nlayers` and `n_layers` are two. Dotted API names keep their
// dots between segments (`nn.LSTM` -> `nn.lstm`), so `torch.nn.LSTM` can match its longest known suffix.
//
// Identifiers are read as identifiers: a term matches a whole name (with a documented suffix such as
// `_l0` or `_reverse`), never glued into a longer one (`word_seq_lengths` is not `seq_lengths`); only
// an architecture's name (`LSTM`, `GRU`, `CTC`) also matches as one part of a longer identifier
// (`CharLSTM`, `lstm_out`), and a variant's name is a word of its own (`mLSTM`, `minGRU`). Identifier
// terms are not read from prose, and phrases are (wrapped across comment lines, plurals included).
//
// Precision over recall: a hover on an everyday word is noise that makes people switch the
// feature off. Terms whose key is an ordinary word (gate, state, cell, attention, ...) are
// *weak*: they match only when the caller says the document is about RNNs (`documentTopic`,
// computed once per document version by the host), and in files about modern recurrent models
// (Mamba, RWKV, xLSTM, ...) only in prose. A card's term may carry annotations (see
// docs/DECK-FORMAT.md): what it is (API, concept, naming convention), its languages and frameworks
// (from the document's language id and its imports), `@in-rnn` (only as an argument of a recurrent
// layer), `@classic` (not in files about modern models), `@case`, `@part`.
//
// Where nobody wants a flashcard the matcher stays quiet even on a strong term: inside URLs, file
// paths, Markdown image syntax and link targets, reStructuredText document roles and figures,
// `#include` lines, module paths in imports and in package-rooted dotted names (`torch.nn.utils.rnn`),
// strings that only name something (`make_rng('lstm')`, `{'lstm': True}`) and
// the product name "RNN Lens" (QUIET in ./quiet.ts).
//
// Cost: `termAt` looks at a bounded window around the cursor (one line, plus the ends of the
// neighbouring lines for phrases wrapped in comments), so it does not grow with the file.
// `scanTerms` finds what `termAt` finds at every word in one pass over the text: words are looked
// up in a trie of the keys and a lookup stops at the first word no key continues with, so its
// time grows with the text, not with the length of the terms; it reads at most MAX_SCAN_CHARS.

export type { FoundTerm, TermContext, TermEntry, TermIndex, TermKind, TermMatch, TrieNode } from './types';
export { MAX_INDEXED_TERM_WORDS, MAX_SCAN_CHARS, MAX_TERM_KEY_CHARS } from './bounds';
export { normalizeTerm, splitAnnotations, splitWords, TERM_CONSTRAINTS, TERM_FRAMEWORKS, TERM_LANGUAGES, TERM_ROLES, type TermAnnotations, type TermRole } from './words';
export { buildTermIndex } from './buildIndex';
export { documentTopic, isRnnContext, languageOfPath, type DocumentTopic } from './context';
export { termAt } from './match';
export { findTermsInText, scanTerms, type TermScan } from './scan';
