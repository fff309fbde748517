// Host <-> webview messages: discriminated unions, `switch (msg.type)` on both sides, and a
// valibot schema for every message a webview sends (validated on arrival in the host); the types
// of those messages are their schemas' outputs. Times are epoch milliseconds; messages carry plain
// JSON data only. The lists of ids in protocol/ (and those it takes from engine/) are the only
// declarations of them. One file per panel (quiz.ts, lab.ts) and per lab demo (demos/<id>.ts);
// what both panels share is in common.ts. This file only gathers them.
export * from './common';
export * from './quiz';
export * from './lab';
export * from './demos/lstm-forward';
export * from './demos/bptt';
export * from './demos/train';
export * from './demos/ctc';
export * from './demos/bidirectional';
export * from './demos/seq2seq';
export * from './demos/inspect';
export * from './demos/char';
export * from './demos/charWorker';
export * from './demos/trainWorker';
export * from './demos/inspectWorker';
export * from './csv';
