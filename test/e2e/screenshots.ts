// Screenshots of one view in several colour themes, for the artifacts a reviewer looks through:
// each shot waits on what it shows, so a theme switch is never caught half repainted.
import type { Theme, VSCode } from './harness';

/**
 * A shot in the dark theme in the middle of a test that runs in the light one: switches to dark,
 * waits for `ready` (the view redrawn, or scrolled to what the shot is of), takes `name`, and
 * switches back to light for the steps after it.
 */
export async function darkShot(vsc: VSCode, name: string, ready: () => Promise<unknown>): Promise<void> {
  await vsc.setTheme('Default Dark Modern');
  await ready();
  await vsc.screenshot(name);
  await vsc.setTheme('Default Light Modern');
}

/** Takes `first` in the current theme, then each [theme, name] in turn; the last theme stays. */
export async function shotsInThemes(vsc: VSCode, first: string, ...then: readonly (readonly [Theme, string])[]): Promise<void> {
  await vsc.screenshot(first);
  for (const [theme, name] of then) {
    await vsc.setTheme(theme);
    await vsc.screenshot(name);
  }
}
