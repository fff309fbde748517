// The command that opens each lab view (declared with the view in lab.ts's LAB_VIEWS), keyed as
// the host's command table and ids need them; the lab's demo registry reads the same list, and a
// unit test holds package.json to it.
import { LAB_DEMOS, LAB_VIEWS, type LabDemoId } from './lab';

export const DEMO_COMMANDS = Object.fromEntries(LAB_DEMOS.map((d) => [d, LAB_VIEWS[d].command])) as {
  readonly [D in LabDemoId]: (typeof LAB_VIEWS)[D]['command'];
};

/** A demo with a command of its own (every view but those that open on a file). */
export type OpenableDemoId = Exclude<LabDemoId, 'inspect' | 'char'>;
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
