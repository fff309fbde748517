// Notifications as a user finds them. An information toast hides itself after 10 s (a warning
// after 12 s, an error without buttons after 15 s) while the window has focus; it then lives on
// in the notification centre. A test that looks only at the toasts depends on how fast the
// machine got there, so these helpers look at the toasts first and then in the centre.
import type { Locator } from 'playwright-core';
import { SLOW } from './common';
import type { VSCode } from './workbench';

/** How long a toast is looked for before the centre is opened; shorter than the shortest purge. */
const TOAST_FIRST = 5_000;

/** The notification whose text matches: its toast, or its entry in the notification centre. */
export async function notification(vsc: VSCode, text: RegExp, timeout = SLOW): Promise<Locator> {
  const deadline = Date.now() + timeout;
  const toast = vsc.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  try {
    await toast.waitFor({ timeout: Math.min(TOAST_FIRST, timeout) });
    return toast;
  } catch {
    // Hidden already, or not shown yet: while the centre is open, new notifications go there too.
  }
  const centre = vsc.page.locator('.notifications-center');
  if (!(await centre.isVisible())) await vsc.runCommand('Notifications: Show Notifications');
  const item = centre.locator('.notification-list-item').filter({ hasText: text }).first();
  await item.waitFor({ timeout: Math.max(1_000, deadline - Date.now()) });
  return item;
}

/** The message line of that notification, zero-width spaces removed. */
export async function notificationText(vsc: VSCode, text: RegExp, timeout = SLOW): Promise<{ item: Locator; message: string }> {
  const item = await notification(vsc, text, timeout);
  const message = (await item.locator('.notification-list-item-message').innerText()).replace(/\u200b/g, '');
  return { item, message };
}

/** Clicks a button of that notification; in the centre a collapsed entry is expanded first. */
export async function clickNotificationButton(vsc: VSCode, text: RegExp, button: string, timeout = SLOW): Promise<void> {
  const item = await notification(vsc, text, timeout);
  const target = item.getByRole('button', { name: button, exact: true });
  if (!(await target.isVisible())) {
    // The centre shows the buttons of an expanded entry only.
    await item.click();
    const expand = item.getByRole('button', { name: /^Expand Notification/ });
    if (await expand.isVisible()) await expand.click();
  }
  await target.click({ timeout: Math.max(1_000, SLOW) });
  await closeNotificationCentre(vsc);
}

/** Closes the notification centre if a helper opened it, so that it covers nothing after. */
export async function closeNotificationCentre(vsc: VSCode): Promise<void> {
  if (await vsc.page.locator('.notifications-center.visible').isVisible()) await vsc.runCommand('Notifications: Hide Notifications');
}
