// The "RNN Lens" output channel as the features get it: every line written is one line. File
// names, card ids and messages from files and webviews are written into it; a newline or a
// control character in one would start a line that looks like RNN Lens's own. Imports only
// vscode's types, so the wrapper is unit-tested with a fake channel.
import type * as vscode from 'vscode';
import { oneLine } from './deck/escape';

export function oneLineOutputChannel(channel: vscode.OutputChannel): vscode.OutputChannel {
  return {
    get name() {
      return channel.name;
    },
    append: (value: string) => channel.append(oneLine(value)),
    appendLine: (value: string) => channel.appendLine(oneLine(value)),
    replace: (value: string) => channel.replace(oneLine(value)),
    clear: () => channel.clear(),
    show: (columnOrFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      if (typeof columnOrFocus === 'number') channel.show(columnOrFocus, preserveFocus);
      else channel.show(columnOrFocus);
    },
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
