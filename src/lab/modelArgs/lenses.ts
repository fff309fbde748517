// What the CodeLens shows on a document, within CODELENS_LIMITS: one lens per layer, and a note
// where a limit stopped the reading.
import type { LabModelConfig } from '../../../protocol';
import { readModelArgs } from './args';
import { CODELENS_LIMITS, locateCalls, ModelSource, withEnd, type CodeLensLimits, type ModelCall } from './calls';

/** A layer the CodeLens shows, with the config its "Visualize" opens the lab on. */
export interface ModelLens {
  call: ModelCall;
  config: LabModelConfig;
}

/** A lens of text only: a limit was reached, and this says which. */
export interface LimitNote {
  line: number;
  column: number;
  title: string;
}

export interface ModelLensScan {
  lenses: ModelLens[];
  /** Constructors found (counted past `maxLenses`; 0 when the document is over `maxChars`). */
  total: number;
  note?: LimitNote;
}

/** What the CodeLens shows on a document: its layers up to the limits, and a note past them. */
export function scanModelLenses(text: string, limits: Readonly<CodeLensLimits> = CODELENS_LIMITS): ModelLensScan {
  if (text.length > limits.maxChars) {
    // Say so above the first constructor of the part that would have been read, if any.
    const first = locateCalls(new ModelSource(text.slice(0, limits.maxChars), limits), 1).heads[0];
    if (!first) return { lenses: [], total: 0 };
    const title = `RNN Lens: recurrent layers are not read in files over ${count(limits.maxChars)} characters (this one has ${count(text.length)})`;
    return { lenses: [], total: 0, note: { line: first.line, column: first.column, title } };
  }
  const source = new ModelSource(text, limits);
  const { heads, total } = locateCalls(source, limits.maxLenses + 1);
  const lenses = heads.slice(0, limits.maxLenses).map((head) => {
    const call = withEnd(source, head);
    return { call, config: readModelArgs(source, call) };
  });
  const next = heads[limits.maxLenses];
  if (!next) return { lenses, total };
  const rest = total - limits.maxLenses;
  const title = `RNN Lens: ${count(rest)} more ${rest === 1 ? 'layer from here has' : 'layers from here have'} ` +
    `no lens (at most ${count(limits.maxLenses)} per file)`;
  return { lenses, total, note: { line: next.line, column: next.column, title } };
}

function count(n: number): string {
  return n.toLocaleString('en');
}
