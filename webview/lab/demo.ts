// What the lab's page (main.ts) knows of a demo: a spec in the registry (demos/index.ts) that
// creates it on first show, and the demo itself, which the page shows, hides, redraws and hands
// the host messages, theme, size, visibility and backend changes it asks for. The page owns the
// view state; a demo reads its controls from it and writes them back through its context.
import {
  DEMO_TITLES, type LabDemoId, type LabHostMessage, type LabViewMessage, type LabViewState,
} from '../../protocol';
import { DEMO_COMMANDS } from '../../protocol/demoCommands';
import type { LabEngine } from './backend';

// The demos see the backend only as this type (they import no other module of the page).
export type { LabEngine };

export type HostMessageType = LabHostMessage['type'];

/** What a demo may do to the page: change the view state, ask for a frame, talk to the host. */
export interface DemoContext {
  /** Replaces the view state with `change(state)`; nothing before the first show. */
  update(change: (state: LabViewState) => LabViewState): void;
  /** Recomputes (when asked) and redraws the shown demo in the next animation frame. */
  schedule(recompute: boolean): void;
  /** Saves the view state and sends it to the host. */
  persist(): void;
  send(msg: LabViewMessage): void;
  /** The backend in use now (it changes once the chooser has probed). */
  engine(): LabEngine;
  /** Shows another demo (the inspector's "Train this layer" opens the playground). */
  open(demo: LabDemoId): void;
  /** The lab's corner, for a demo that draws in its own frame loop: what it computes on, and where. */
  corner(text: string, title: string): void;
  /** Drops the user's model when the controls' sizes no longer match it (D undefined: H alone counts). */
  dropModelIfChanged(D: number | undefined, H: number): void;
}

export interface Demo {
  readonly id: LabDemoId;
  readonly root: HTMLElement;
  /** Sets the controls from `state`; on every show, before `root` is placed in the page. */
  show(state: LabViewState): void;
  /** `root` is in the page. */
  attached?(): void;
  /** Another demo is shown: animations and training stop. */
  hide(): void;
  /**
   * Recomputes (when asked) and redraws, in the page's frame. A demo without it draws in its own
   * frame loop, with its own corner, and saves no state on show.
   */
  render?(engine: LabEngine, recompute: boolean): void;
  /** A host message of a type its spec lists. */
  handle?(msg: LabHostMessage): void;
  /** The theme changed: charts read their colours when built. */
  themeChanged?(): void;
  /** The page's width changed. */
  resized?(): void;
  /** The panel was hidden or shown again. */
  visibilityChanged?(): void;
  /** The chooser handed over a backend while this demo is shown. */
  engineChanged?(engine: LabEngine): void;
  dispose(): void;
}

export interface DemoSpec {
  /** The wire id (saved state, cards' front matter, the host's messages). */
  readonly id: LabDemoId;
  readonly title: string;
  /** The command that opens the lab on it. */
  readonly command: string;
  /** The host messages it handles (each type handled by one demo at most). */
  readonly messages: readonly HostMessageType[];
  /** Builds the demo showing `state`; called on its first show. */
  create(ctx: DemoContext, state: LabViewState): Demo;
}

/** A spec whose title and command come from the protocol's lists for `id`. */
export function demoSpec(id: LabDemoId, create: DemoSpec['create'], messages: readonly HostMessageType[] = []): DemoSpec {
  return { id, title: DEMO_TITLES[id], command: DEMO_COMMANDS[id], messages, create };
}
