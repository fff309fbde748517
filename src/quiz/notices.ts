// Quiz notifications that quote a file's name. Pure: no vscode.
import { escapeNotification } from '../deck/escape';
import { l10n } from '../l10n';

/** The file's name comes from the file system: a name like `[x](command:…)` must stay text. */
export function noTermsMessage(name: string): string {
  return escapeNotification(l10n.t('RNN Lens: no RNN terms from the deck appear in {0}.', name));
}
