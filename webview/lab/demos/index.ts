// The lab's demos: one line each. Adding a demo is its folder (demos/<id>/view.ts exporting a
// DemoSpec), its line here, its entry in protocol/lab.ts's LAB_VIEWS (title and command) and its
// controls in protocol/demos/<id>.ts.
import type { DemoSpec } from '../demo';
import { bidirectionalDemo } from './bidirectional/view';
import { bpttDemo } from './bptt/view';
import { charDemo } from './char/view';
import { ctcDemo } from './ctc/view';
import { inspectWithTraining } from './inspect/trainLayer';
import { lstmForwardDemo } from './lstm-forward/view';
import { rnnVsAttentionDemo } from './rnn-vs-attention/view';
import { seq2seqDemo } from './seq2seq/view';
import { trainDemo } from './train/spec';

export const DEMO_SPECS: readonly DemoSpec[] = [
  lstmForwardDemo,
  bpttDemo,
  trainDemo,
  ctcDemo,
  bidirectionalDemo,
  rnnVsAttentionDemo,
  seq2seqDemo,
  inspectWithTraining,
  charDemo,
];
