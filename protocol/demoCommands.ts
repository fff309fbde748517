// The command that opens each lab view: the one list of them, read by the host (its command
// table and ids) and by the lab's demo registry; a unit test holds package.json to it. The demos
// a card may name open on `rnnLens.demo.<name>`; the inspector opens on a checkpoint file.
import type { LabDemoId } from './index';

export const DEMO_COMMANDS = {
  'lstm-forward': 'rnnLens.demo.lstmForward',
  bptt: 'rnnLens.demo.bptt',
  train: 'rnnLens.demo.train',
  ctc: 'rnnLens.demo.ctc',
  bidirectional: 'rnnLens.demo.bidirectional',
  'rnn-vs-attention': 'rnnLens.demo.rnnVsAttention',
  seq2seq: 'rnnLens.demo.seq2seq',
  inspect: 'rnnLens.inspectCheckpoint',
} as const satisfies Record<LabDemoId, string>;

/** A demo with a command of its own (every view but the inspector). */
export type OpenableDemoId = Exclude<LabDemoId, 'inspect'>;
export type DemoCommandId = (typeof DEMO_COMMANDS)[OpenableDemoId];

/** The host's name for a demo command: rnnLens.demo.lstmForward is Command.demoLstmForward. */
type CommandKey<C> = C extends `rnnLens.demo.${infer Name}` ? `demo${Capitalize<Name>}` : never;
export type DemoCommandKeys = { readonly [D in OpenableDemoId as CommandKey<(typeof DEMO_COMMANDS)[D]>]: (typeof DEMO_COMMANDS)[D] };

const PREFIX = 'rnnLens.demo.';

/** The demos with a command of their own, in the list's order. */
export const OPENABLE_DEMOS = (Object.keys(DEMO_COMMANDS) as LabDemoId[]).filter((d): d is OpenableDemoId => DEMO_COMMANDS[d].startsWith(PREFIX));

/** The demo commands under the host's names ({ demoLstmForward: 'rnnLens.demo.lstmForward', ... }). */
export function demoCommandKeys(): DemoCommandKeys {
  return Object.fromEntries(OPENABLE_DEMOS.map((d) => {
    const name = DEMO_COMMANDS[d].slice(PREFIX.length);
    return [`demo${name[0].toUpperCase()}${name.slice(1)}`, DEMO_COMMANDS[d]];
  })) as unknown as DemoCommandKeys;
}
