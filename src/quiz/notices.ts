// Quiz notifications that quote a file's name. Pure: no vscode.
import { escapeNotification } from '../deck/escape';

/** The file's name comes from the file system: a name like `[x](command:…)` must stay text. */
export function noTermsMessage(name: string): string {
  return escapeNotification(`RNN Lens: no RNN terms from the deck appear in ${name}.`);
}
